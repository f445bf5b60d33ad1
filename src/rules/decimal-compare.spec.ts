import fc from 'fast-check';
import { dec, isDecimalString } from 'src/common/decimal/decimal';
import { compareDecimals, keyOf, scanDecimal, STATE_MISSING, STATE_NOT_DECIMAL, stateOf } from 'src/rules/decimal-compare';

// The evaluator's decimal comparison (decimal-compare.ts) against decimal.js, the service's decimal
// library, and its scan against DECIMAL_PATTERN, the service's definition of a decimal string.

function compare(x: string, y: string): number {
  const xi = scanDecimal(x);
  const yi = scanDecimal(y);
  return compareDecimals(keyOf(x), xi, keyOf(y), yi);
}

const decimal = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,20}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,25}$/), { nil: undefined }),
  )
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`);

describe('decimal strings compared without Decimal objects', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['8.0', '8', 0],
    ['12.50', '12.5', 0],
    ['0.150', '0.15', 0],
    ['-0', '0', 0],
    ['-0.00', '0.0', 0],
    ['-10', '-9', -1],
    ['-9.5', '-9.45', -1],
    ['-0.5', '0', -1],
    ['0.30000000000000000001', '0.3', 1],
    ['0.3', '0.30000000000000000001', -1],
    ['100', '99.999', 1],
    ['1', '1.000000000000000000000000000001', -1],
    ['12.05', '12', 1],
    ['0.05', '0.5', -1],
    ['1234', '1235', -1],
    ['123.4', '123.39', 1],
    ['-12.5', '-12.45', -1],
    ['-0.001', '-0.01', 1],
    ['-1234', '-1235', 1],
  ])('%s vs %s is %d', (x, y, expected) => {
    expect(compare(x, y)).toBe(expected);
    expect(compare(y, x)).toBe(expected === 0 ? 0 : -expected);
  });

  it('agrees with decimal.js on arbitrary pairs, including equal values written differently (seed 7, 2000 runs)', () => {
    const padded = decimal.chain((d) => fc.constantFrom(d, d.includes('.') ? `${d}00` : `${d}.0`).map((written) => [d, written] as const));
    fc.assert(
      fc.property(fc.oneof(decimal.map((d) => [d, d] as const), padded), decimal, ([x, sameAsX], y) => {
        expect(compare(x, y)).toBe(dec(x).cmp(dec(y)));
        expect(compare(sameAsX, y)).toBe(dec(x).cmp(dec(y)));
        expect(compare(x, sameAsX)).toBe(0);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('agrees with decimal.js on short values (up to 8 characters, scanned by the character loop) among themselves and against long ones (seed 13, 3000 runs)', () => {
    const short = fc
      .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,4}$/)), fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }))
      .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`)
      .filter((d) => d.length <= 8);
    fc.assert(
      fc.property(short, fc.oneof(short, decimal), (x, y) => {
        expect(compare(x, y)).toBe(dec(x).cmp(dec(y)));
        expect(compare(y, x)).toBe(dec(y).cmp(dec(x)));
      }),
      { seed: 13, numRuns: 3000 },
    );
  });

  it('keys drop only trailing fraction zeros and a bare dot', () => {
    expect(['0.150', '8.0', '100', '10.00', '-2.50', '7'].map((v) => keyOf(v))).toEqual(['0.15', '8', '100', '10', '-2.5', '7']);
  });
});

describe('scanning a value', () => {
  it('accepts exactly what DECIMAL_PATTERN accepts, up to 64 characters (seed 11, 3000 runs)', () => {
    const text = fc.oneof(
      fc.stringMatching(/^[-0-9.]{0,12}$/),
      fc.stringMatching(/^-?[0-9.]{1,8}$/),
      fc.string({ unit: fc.constantFrom('-', '0', '1', '9', '.', 'e', '+', ' ', ','), maxLength: 10 }),
      decimal,
      fc.stringMatching(/^[1-9][0-9]{60,66}$/),
    );
    fc.assert(
      fc.property(text, (value) => {
        const state = stateOf(scanDecimal(value));
        expect(state === -1 || state === 0 || state === 1).toBe(isDecimalString(value));
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('gives the sign', () => {
    expect(['-3', '0', '-0.0', '0.001', '12'].map((v) => stateOf(scanDecimal(v)))).toEqual([-1, 0, 0, 1, 1]);
  });

  it('tells a missing value (undefined, null) from one that is not a decimal string', () => {
    expect(stateOf(scanDecimal(undefined))).toBe(STATE_MISSING);
    expect(stateOf(scanDecimal(null))).toBe(STATE_MISSING);
    for (const bad of [0.2, 12, true, {}, '', '-', '.', 'x', '1e3', '+1', '01', '-01', '00', '1.', '.5', '1..2', '1.2.3', '--1', '1-', '- 1', '1.5 ', '1,5', '0x10', '9'.repeat(65)]) {
      expect(stateOf(scanDecimal(bad))).toBe(STATE_NOT_DECIMAL);
    }
  });
});
