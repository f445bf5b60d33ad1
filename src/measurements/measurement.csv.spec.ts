import { readMeasurementCsv, toCsvRowProblem } from 'src/measurements/measurement.csv';

// The decimal mark follows the separator: a decimal comma in semicolon files (Italian spreadsheets), a decimal
// point in comma files; the wrong one is the same CSV problem either way, on its line and column. Cells are
// trimmed; what is not a number is told so in the file's own convention, quoting the cell as written.

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const HEADER = 'indicator;period;grouping;value;sampleSize;methodNotes';

describe('measurement CSV decimal marks', () => {
  it('reads 12,5 in a semicolon file and 12.5 in a comma file as the decimal 12.5', () => {
    const semicolon = readMeasurementCsv(bytes('indicator;period;grouping;value\nIND-01;Y2;RTI-A;12,5\n'));
    const comma = readMeasurementCsv(bytes('indicator,period,grouping,value\nIND-01,Y2,RTI-A,12.5\n'));
    expect([semicolon.problems, comma.problems]).toEqual([[], []]);
    expect([semicolon.rows[0].values.value, comma.rows[0].values.value]).toEqual(['12.5', '12.5']);
  });

  it('refuses the other mark with the same code in both kinds of file', () => {
    const semicolon = readMeasurementCsv(bytes('indicator;period;grouping;value\nIND-01;Y2;RTI-A;12.5\n'));
    const comma = readMeasurementCsv(bytes('indicator,period,grouping,value\nIND-01,Y2,RTI-A,"12,5"\n'));
    expect(semicolon.problems).toEqual([
      { line: 2, column: 'value', code: 'MEASUREMENT_CSV_INVALID', message: '"12.5": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators' },
    ]);
    expect(comma.problems).toEqual([
      { line: 2, column: 'value', code: 'MEASUREMENT_CSV_INVALID', message: '"12,5": use a decimal point in a comma-separated file (e.g. 12.5), without thousands separators' },
    ]);
  });
});

describe('measurement CSV cells that are not numbers', () => {
  it('gives "15%", "abc" and "1,2,3" their own code, in the decimal comma of a semicolon file, quoting the cell', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\nIND-01;Y2;RTI-A;15%;;\nIND-02;Y2;RTI-A;abc;;\nIND-03;Y2;RTI-A;1,2,3;;\nIND-04;Y2;RTI-A;12,5 %;;\n`));
    const plain = 'must be a number written like 12,5 (digits, an optional minus, at most one decimal comma; no thousands separators, units or spaces)';
    expect(csv.rows).toEqual([]);
    expect(csv.problems).toEqual([
      { line: 2, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"15%": must be a number without "%": write 15 or 0,15, as the indicator's unit says` },
      { line: 3, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"abc": ${plain}` },
      { line: 4, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"1,2,3": ${plain}` },
      { line: 5, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"12,5 %": must be a number without "%": write 12,5 or 0,125, as the indicator's unit says` },
    ]);
  });

  it('speaks of the decimal point in a comma file', () => {
    const csv = readMeasurementCsv(bytes('indicator,period,grouping,value,TARGET_GROUP:OVER60\nIND-01,Y2,RTI-A,15%,\nIND-03,Y2,RTI-A,10,+5\n'));
    expect(csv.problems).toEqual([
      { line: 2, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"15%": must be a number without "%": write 15 or 0.15, as the indicator's unit says` },
      {
        line: 3,
        column: 'TARGET_GROUP:OVER60',
        code: 'MEASUREMENT_VALUE_NOT_A_NUMBER',
        message: '"+5": must be a number written like 12.5 (digits, an optional minus, at most one decimal point; no thousands separators, units or spaces)',
      },
    ]);
  });

  it('says the largest sample size, and tells a number that is not whole from one that is no number', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\nIND-04;Y2;RTI-A;80;3000000000;\nIND-04;Y3;RTI-A;80;12,5;\nIND-04;Y1;RTI-A;80;x;\nIND-04;Y1;RTI-B;80;1000000000;\n`));
    expect(csv.problems).toEqual([
      { line: 2, column: 'sampleSize', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: '"3000000000": must be a whole number of respondents from 0 to 1000000000, without decimals or thousands separators' },
      { line: 3, column: 'sampleSize', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: '"12,5": must be a whole number of respondents from 0 to 1000000000, without decimals or thousands separators' },
      { line: 4, column: 'sampleSize', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: '"x": must be a whole number of respondents from 0 to 1000000000, such as 212 (digits only)' },
    ]);
    expect(csv.rows.map((r) => [r.line, r.values.sampleSize])).toEqual([[5, 1_000_000_000]]);
  });
});

describe('measurement CSV cells with spaces', () => {
  it('trims codes, numbers and notes (spaces inside the notes are kept)', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\nIND-G1 ; Y2; RTI-A ; 12,5 ; 212 ;  registro  presenze \n`));
    expect(csv.problems).toEqual([]);
    expect(csv.rows).toEqual([
      {
        line: 2,
        indicatorCode: 'IND-G1',
        periodCode: 'Y2',
        groupingCode: 'RTI-A',
        values: { value: '12.5', sampleSize: 212, methodNotes: 'registro  presenze' },
        cells: { indicator: 'IND-G1', period: 'Y2', grouping: 'RTI-A', value: '12,5', sampleSize: '212', methodNotes: 'registro  presenze' },
      },
    ]);
  });

  it('treats a row of spaces as blank, and a cell of spaces as empty', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\n ; ;  ; ; ;\nIND-02;Y2;RTI-A;  ; ;\n`));
    expect(csv.problems).toEqual([]);
    expect(csv.rows.map((r) => [r.line, r.values])).toEqual([[3, {}]]);
  });
});

describe('measurement CSV trailing empty header cells', () => {
  const header = 'indicator;period;grouping;value;;';

  it('reads rows under a header ending in empty cells, with or without the matching empty cells', () => {
    const csv = readMeasurementCsv(bytes(`${header}\r\nIND-02;Y2;RTI-A;12;;\r\nIND-02;Y3;RTI-A;7\r\nIND-02;Y1;RTI-A;3;\r\n`));
    expect(csv.problems).toEqual([]);
    expect(csv.rows.map((r) => [r.periodCode, r.values.value])).toEqual([
      ['Y2', '12'],
      ['Y3', '7'],
      ['Y1', '3'],
    ]);
  });

  it('refuses a value under an empty header cell, and more cells than the header has', () => {
    const csv = readMeasurementCsv(bytes(`${header}\nIND-02;Y2;RTI-A;12;;5\nIND-02;Y3;RTI-A;7;;;\nIND-02;Y1\n`));
    expect(csv.problems).toEqual([
      { line: 2, column: null, code: 'MEASUREMENT_CSV_INVALID', message: '"5" is in column 6, which has no name in the header: name the column or empty the cell' },
      { line: 3, column: null, code: 'MEASUREMENT_CSV_INVALID', message: 'has 7 fields, the header has 4 named columns and 2 empty ones at its end' },
      { line: 4, column: null, code: 'MEASUREMENT_CSV_INVALID', message: 'has 2 fields, the header has 4 named columns and 2 empty ones at its end' },
    ]);
  });

  it('refuses overlong notes as a JSON body would be refused', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\nIND-02;Y2;RTI-A;1;;${'x'.repeat(4001)}\n`));
    expect(csv.problems).toEqual([{ line: 2, column: 'methodNotes', code: 'MEASUREMENT_CSV_INVALID', message: 'must be at most 4000 characters (it has 4001)' }]);
  });
});

describe('later problems on CSV rows', () => {
  const [row] = readMeasurementCsv(bytes('indicator;period;grouping;value;TARGET_GROUP:OVER60;TARGET_GROUP:UNDER60\nIND-03;Y2;RTI-A;1,5;1;0,5\n')).rows;

  it('quote a number cell as written (1,5, not the 1.5 the checks saw) and name parts by their column', () => {
    expect(toCsvRowProblem(row, { field: 'value', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: 'must be a whole number (COUNT)' })).toEqual({
      line: 2,
      column: 'value',
      code: 'MEASUREMENT_VALUE_OUT_OF_RANGE',
      message: '"1,5": must be a whole number (COUNT)',
    });
    expect(toCsvRowProblem(row, { field: 'disaggregations.TARGET_GROUP.UNDER60', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: 'must be a whole number (COUNT)' })).toMatchObject({
      column: 'TARGET_GROUP:UNDER60',
      message: '"0,5": must be a whole number (COUNT)',
    });
  });

  it('leave messages about empty cells, whole dimensions and codes (already quoted) as they are', () => {
    expect(toCsvRowProblem(row, { field: 'sampleSize', code: 'MEASUREMENT_SAMPLE_SIZE_REQUIRED', message: 'is required' }).message).toBe('is required');
    expect(toCsvRowProblem(row, { field: 'disaggregations.TARGET_GROUP', code: 'MEASUREMENT_DISAGGREGATION_MISMATCH', message: 'parts add up to 1.5' })).toMatchObject({
      column: 'TARGET_GROUP:*',
      message: 'parts add up to 1.5',
    });
    expect(toCsvRowProblem(row, { field: 'period', code: 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT', message: '"Y2" is not a period of contract X' }).message).toBe('"Y2" is not a period of contract X');
  });
});

describe('measurement CSV cells with a NUL character', () => {
  // PostgreSQL cannot store U+0000 (a 500 there); JSON bodies refuse it as noNulCharacter, and so does a CSV cell.
  it('refuses a NUL in any cell on its line and column, with every other problem of every row, and reads nothing of those rows', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\nIND-01;Y2;RTI-A;10;10;a\u0000b\nIND-\u00002;Y\u00003;RTI-A;12.5;;\nIND-03;Y2;RTI-A;1;;ok\n`));
    expect(csv.rows.map((r) => r.line)).toEqual([4]);
    expect(csv.problems).toEqual([
      { line: 2, column: 'methodNotes', code: 'noNulCharacter', message: '"a\\u0000b" must not contain a NUL character (\\u0000)' },
      { line: 3, column: 'indicator', code: 'noNulCharacter', message: '"IND-\\u00002" must not contain a NUL character (\\u0000)' },
      { line: 3, column: 'period', code: 'noNulCharacter', message: '"Y\\u00003" must not contain a NUL character (\\u0000)' },
      { line: 3, column: 'value', code: 'MEASUREMENT_CSV_INVALID', message: '"12.5": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators' },
    ]);
  });

  it('names the column of a NUL beyond the header, next to the row\'s wrong number of fields', () => {
    const csv = readMeasurementCsv(bytes('indicator,period,grouping,value\nIND-01,Y2,RTI-A,1,\u0000\n'));
    expect(csv.problems).toEqual([
      { line: 2, column: null, code: 'noNulCharacter', message: 'column 5: "\\u0000" must not contain a NUL character (\\u0000)' },
      { line: 2, column: null, code: 'MEASUREMENT_CSV_INVALID', message: 'has 5 fields, the header has 4' },
    ]);
  });

  it('keeps other control characters as text, as JSON strings do (a tab inside a note)', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\nIND-01;Y2;RTI-A;10;;"a\tb\u0001c"\n`));
    expect(csv.problems).toEqual([]);
    expect(csv.rows[0].values.methodNotes).toBe('a\tb\u0001c');
  });
});

describe('measurement CSV rows with several format problems', () => {
  it('reports every cell under an unnamed column together with the row\'s other cell problems', () => {
    const csv = readMeasurementCsv(bytes('indicator;period;grouping;value;sampleSize;;;\nIND-01;Y2;RTI-A;12.5;x;7;8\n'));
    expect(csv.problems).toEqual([
      { line: 2, column: null, code: 'MEASUREMENT_CSV_INVALID', message: '"7" is in column 6, which has no name in the header: name the column or empty the cell' },
      { line: 2, column: null, code: 'MEASUREMENT_CSV_INVALID', message: '"8" is in column 7, which has no name in the header: name the column or empty the cell' },
      { line: 2, column: 'value', code: 'MEASUREMENT_CSV_INVALID', message: '"12.5": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators' },
      { line: 2, column: 'sampleSize', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: '"x": must be a whole number of respondents from 0 to 1000000000, such as 212 (digits only)' },
    ]);
  });
});

describe('a part column that is not a value of its dimension', () => {
  it('names the column, not the cell ("2" is not the fault: the header GENDER:X is)', () => {
    const [row] = readMeasurementCsv(bytes('indicator;period;grouping;value;GENDER:F;GENDER:X\nIND-03;Y2;RTI-A;5;3;2\n')).rows;
    expect(toCsvRowProblem(row, { field: 'disaggregations.GENDER.X', code: 'MEASUREMENT_DISAGGREGATION_INVALID', message: 'is not a value of dimension GENDER (F, M)' })).toEqual({
      line: 2,
      column: 'GENDER:X',
      code: 'MEASUREMENT_DISAGGREGATION_INVALID',
      message: 'column GENDER:X: X is not a value of dimension GENDER (F, M)',
    });
    // A number problem on a part still quotes its cell.
    expect(toCsvRowProblem(row, { field: 'disaggregations.GENDER.F', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: 'must be at most 100 (PERCENT)' }).message).toBe(
      '"3": must be at most 100 (PERCENT)',
    );
  });
});

describe('rows refused for their format still name what they refer to', () => {
  it('hands such a row on for the reference checks when its indicator, period and grouping cells read fine', () => {
    const csv = readMeasurementCsv(bytes(`${HEADER}\nIND-02;Y9;RTI-A;12.5;;\nIND-02;;RTI-A;12.5;;\nIND-01;Y2;RTI-A;3;;\n`));
    expect(csv.rows.map((r) => r.line)).toEqual([4]);
    expect(csv.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [2, 'value', '"12.5": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators'],
      [3, 'value', '"12.5": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators'],
      [3, 'period', 'is required'],
    ]);
    // Line 2 is checked for its period Y9; line 3, whose period cell is itself a problem, is not.
    expect(csv.referencesOnly.map((r) => [r.line, r.indicatorCode, r.periodCode, r.groupingCode])).toEqual([[2, 'IND-02', 'Y9', 'RTI-A']]);
  });
});
