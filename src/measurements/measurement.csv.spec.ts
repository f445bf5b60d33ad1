import { readMeasurementCsv } from 'src/measurements/measurement.csv';

// The decimal mark follows the separator: a decimal comma in semicolon files (Italian spreadsheets), a decimal
// point in comma files; the wrong one is the same CSV problem either way, on its line and column.

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

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
