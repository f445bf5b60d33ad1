import { readHeader } from 'src/measurements/measurement-csv.header';

// The header line of a CSV upload: every problem at once, each a `details.fields` entry with its own code;
// `details.column` (the first problem's column) stays for clients written before `fields`.

const refusal = (cells: string[]) => {
  try {
    readHeader(cells);
  } catch (error) {
    return error as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('the header was accepted');
};

describe('CSV header', () => {
  it('ignores the empty cells Italian Excel leaves at the end of the header (indicator;period;grouping;value;;)', () => {
    expect(readHeader(['indicator', 'period', 'grouping', 'value', '', ''])).toEqual({ columns: ['indicator', 'period', 'grouping', 'value'], width: 6 });
    expect(readHeader([' indicator', 'period ', 'grouping', 'value', '  '])).toEqual({ columns: ['indicator', 'period', 'grouping', 'value'], width: 5 });
  });

  it('reports every unknown, repeated, unnamed and missing column, each with its code', () => {
    const error = refusal(['Indicator', 'period', '', 'valore', 'period', 'value', 'grouping', '']);
    expect(error.code).toBe('MEASUREMENT_CSV_COLUMNS_INVALID');
    expect(error.message).toBe('5 problems in the header: unknown column "Indicator"; column 3 has no name; unknown column "valore"; column "period" appears twice; column "indicator" is missing');
    expect(error.details.column).toBe('Indicator');
    expect(error.details.fields).toEqual([
      { field: 'Indicator', code: 'MEASUREMENT_CSV_COLUMN_UNKNOWN', message: 'is not a column of the format: names are matched exactly: write "indicator"' },
      { field: 'column 3', code: 'MEASUREMENT_CSV_COLUMN_UNNAMED', message: 'has no name: name it or remove it (empty names are ignored only at the end of the header)' },
      {
        field: 'valore',
        code: 'MEASUREMENT_CSV_COLUMN_UNKNOWN',
        message: 'is not a column of the format: the columns are indicator, period, grouping, value, numerator, denominator, sampleSize, methodNotes, <dimension>:<value>',
      },
      { field: 'period', code: 'MEASUREMENT_CSV_COLUMN_DUPLICATE', message: 'appears twice (columns 2 and 5)' },
      { field: 'indicator', code: 'MEASUREMENT_CSV_COLUMN_MISSING', message: 'is a required column' },
    ]);
  });

  it('reports all missing columns, not only the first', () => {
    const error = refusal(['indicator', 'value']);
    expect(error.message).toBe('2 problems in the header: column "period" is missing; column "grouping" is missing');
    expect(error.details).toMatchObject({ column: 'period', fields: [{ field: 'period' }, { field: 'grouping' }] });
  });

  it('lists the first 100 problems of a header of 150 unknown names, counting them all', () => {
    const names = Array.from({ length: 150 }, (_, i) => `x${i + 1}`);
    const error = refusal(['indicator', 'period', 'grouping', 'value', ...names]);
    expect(error.message).toBe('150 problems in the header (details.fields lists the first 100 of 150 problems). The first: unknown column "x1"');
    expect(error.details).toMatchObject({ column: 'x1', problemCount: 150, truncated: true });
    expect((error.details.fields as { field: string }[]).map((f) => f.field)).toEqual(names.slice(0, 100));
  });

  it('names up to 12 header problems in the message, and from 13 tells the first', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `x${i + 1}`);
    expect(refusal(['indicator', 'period', 'grouping', 'value', ...names(12)]).message).toMatch(/^12 problems in the header: unknown column "x1"; .*; unknown column "x12"$/);
    expect(refusal(['indicator', 'period', 'grouping', 'value', ...names(13)])).toMatchObject({
      message: '13 problems in the header. The first: unknown column "x1"',
      details: { problemCount: 13, truncated: false },
    });
  });

  it('keeps the message of a single problem as it was', () => {
    expect(refusal(['indicator', 'period', 'grouping', 'value', 'valore']).message).toBe('Unknown column "valore"');
    expect(refusal([';', '']).details.fields).toHaveLength(5);
  });

  it('refuses a name with a NUL character among the other header problems, naming it by position', () => {
    const error = refusal(['indicator', 'per\u0000iod', 'grouping', 'value', 'valore']);
    expect(error.code).toBe('MEASUREMENT_CSV_COLUMNS_INVALID');
    expect(error.message).toBe('3 problems in the header: column 2 contains a NUL character; unknown column "valore"; column "period" is missing');
    expect(error.details.fields).toEqual([
      { field: 'column 2', code: 'noNulCharacter', message: '"per\\u0000iod" must not contain a NUL character (\\u0000)' },
      { field: 'valore', code: 'MEASUREMENT_CSV_COLUMN_UNKNOWN', message: expect.stringMatching(/^is not a column of the format/) },
      { field: 'period', code: 'MEASUREMENT_CSV_COLUMN_MISSING', message: 'is a required column' },
    ]);
  });
});
