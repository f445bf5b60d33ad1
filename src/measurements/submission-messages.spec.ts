import { batchRefusal, csvRefusal, firstProblems, MAX_LISTED_PROBLEMS } from 'src/measurements/submission-messages';

// A refused file or batch lists its first 100 problems in file (item) order, with the total and whether it
// was cut: a 2 MB CSV of 100,000 bad rows used to answer 34.6 MB, every line named in the message.

const row = (line: number, column: string | null = 'value', message = '"abc": must be a number') => ({ line, column, code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message });
const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('firstProblems', () => {
  it('keeps the first 100 of 150 in the order given, counting all 150', () => {
    const cut = firstProblems(lines(0, 150));
    expect(MAX_LISTED_PROBLEMS).toBe(100);
    expect(cut.listed).toEqual(lines(0, 100));
    expect([cut.problemCount, cut.truncated]).toEqual([150, true]);
  });

  it('is not cut at exactly the maximum, and is at one more', () => {
    expect(firstProblems(lines(0, 100))).toEqual({ listed: lines(0, 100), problemCount: 100, truncated: false });
    expect(firstProblems(lines(0, 101))).toMatchObject({ problemCount: 101, truncated: true });
    expect(firstProblems(['a', 'b', 'c'], 2)).toEqual({ listed: ['a', 'b'], problemCount: 3, truncated: true });
  });
});

describe('csvRefusal', () => {
  it('answers a small file as before: every problem, sorted by line, and the lines in the message', () => {
    const refusal = csvRefusal([row(7, 'value'), row(3, 'period'), row(7, 'indicator'), row(4, null)]);
    expect(refusal).toEqual({
      message: '3 rows are invalid (lines 3, 4, 7): nothing was stored',
      listed: [row(3, 'period'), row(4, null), row(7, 'value'), row(7, 'indicator')],
      problemCount: 4,
      truncated: false,
    });
    expect(csvRefusal([row(2)]).message).toBe('1 row is invalid (line 2): nothing was stored');
  });

  it('names up to 12 lines, and from 13 counts the rows and tells the first problem instead', () => {
    expect(csvRefusal(lines(2, 12).map((l) => row(l))).message).toBe('12 rows are invalid (lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13): nothing was stored');
    expect(csvRefusal(lines(2, 13).map((l) => row(l))).message).toBe('13 rows are invalid: nothing was stored. The first is line 2, column value: "abc": must be a number');
    expect(csvRefusal([...lines(3, 13).map((l) => row(l)), row(2, null, 'has 2 fields, the header has 5')]).message).toBe(
      '14 rows are invalid: nothing was stored. The first is line 2: has 2 fields, the header has 5',
    );
  });

  it('lists the first 100 problems of 150 rows in file order, whatever order they were found in', () => {
    // Format problems are found by the reader, reference problems later: odd lines here, even lines there.
    const found = [...lines(2, 150).filter((l) => l % 2 === 1), ...lines(2, 150).filter((l) => l % 2 === 0)].map((l) => row(l));
    const refusal = csvRefusal(found);
    expect(refusal.listed.map((x) => x.line)).toEqual(lines(2, 100));
    expect([refusal.problemCount, refusal.truncated]).toEqual([150, true]);
    expect(refusal.message).toBe('150 rows are invalid: nothing was stored (details.rows lists the first 100 of 150 problems). The first is line 2, column value: "abc": must be a number');
  });

  it('counts rows and problems apart: 60 rows of 3 problems each', () => {
    const refusal = csvRefusal(lines(2, 60).flatMap((l) => [row(l, 'value'), row(l, 'sampleSize'), row(l, 'indicator')]));
    expect([refusal.listed.length, refusal.problemCount, refusal.truncated]).toEqual([100, 180, true]);
    expect(refusal.listed.at(-1)).toEqual(row(35, 'value'));
    expect(refusal.message).toMatch(/^60 rows are invalid: nothing was stored \(details\.rows lists the first 100 of 180 problems\)\. /);
  });

  it('keeps the message of a single row with more problems than it lists', () => {
    const refusal = csvRefusal(lines(0, 120).map((i) => row(2, `AREA:Q${i}`)));
    expect(refusal.message).toBe('1 row is invalid (line 2): nothing was stored (details.rows lists the first 100 of 120 problems)');
    expect(refusal.listed.map((x) => x.column).slice(0, 2)).toEqual(['AREA:Q0', 'AREA:Q1']);
  });
});

describe('batchRefusal', () => {
  const problem = (index: number, field = 'value') => ({ index, field: `items[${index}].${field}` });

  it('answers a small batch as before', () => {
    expect(batchRefusal([problem(1), problem(2), problem(2, 'sampleSize')], 4)).toEqual({
      message: '2 of 4 items are invalid: nothing was stored',
      invalidItems: [1, 2],
      listed: [problem(1), problem(2), problem(2, 'sampleSize')],
      problemCount: 3,
      truncated: false,
    });
  });

  it('lists the first 100 problems of 150 invalid items, but every invalid index', () => {
    const refusal = batchRefusal(lines(0, 150).map((i) => problem(i)), 200);
    expect(refusal.invalidItems).toEqual(lines(0, 150));
    expect(refusal.listed).toEqual(lines(0, 100).map((i) => problem(i)));
    expect([refusal.problemCount, refusal.truncated]).toEqual([150, true]);
    expect(refusal.message).toBe('150 of 200 items are invalid: nothing was stored (details.fields lists the first 100 of 150 problems)');
  });
});
