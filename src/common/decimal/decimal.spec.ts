import { dec, Dec, isDecimalString, roundToCents, scaleOf, sumDecimals } from 'src/common/decimal/decimal';

describe('decimal strings', () => {
  it.each(['0', '12', '12.50', '-0.5', '0.000001', '8.0', '123456789012345678901234567890.123456789'])('accepts %j', (value) => {
    expect(isDecimalString(value)).toBe(true);
  });

  it.each(['', '01', '.5', '5.', '+1', '1e3', '1E3', '1,5', ' 1', '1 ', 'NaN', 'Infinity', '0x10', '--1'])('rejects %j', (value) => {
    expect(isDecimalString(value)).toBe(false);
  });

  it('rejects non-strings and strings longer than the 64-character column', () => {
    expect(isDecimalString(1.5)).toBe(false);
    expect(isDecimalString(null)).toBe(false);
    expect(isDecimalString('1'.repeat(64))).toBe(true);
    expect(isDecimalString('1'.repeat(65))).toBe(false);
  });

  it('keeps the scale as written: it records the precision of a measurement', () => {
    expect(scaleOf('8')).toBe(0);
    expect(scaleOf('8.0')).toBe(1);
    expect(scaleOf('0.125')).toBe(3);
    expect(dec('8.0').eq(dec('8'))).toBe(true);
  });

  it('refuses to parse anything that is not a decimal string', () => {
    expect(() => dec('1e3')).toThrow('not a decimal string: "1e3"');
  });

  it('adds exactly where binary floating point does not (0.1 + 0.2)', () => {
    expect(sumDecimals(['0.1', '0.2']).toString()).toBe('0.3');
    expect(sumDecimals([]).toString()).toBe('0');
    // An RTI of three members with shares that sum to exactly one.
    expect(sumDecimals(['0.5', '0.3', '0.2']).eq(1)).toBe(true);
  });

  it('keeps 50 significant digits, well beyond any money or ratio', () => {
    expect(new Dec(1).div(3).toString()).toBe('0.' + '3'.repeat(50));
  });
});

// Reg. CE 1103/97 art. 5: amounts are rounded to the nearest cent, a half cent upwards.
describe('roundToCents (half-up)', () => {
  it.each([
    ['0.005', '0.01'],
    ['0.004999', '0.00'],
    ['2.675', '2.68'], // 2.675 as a binary float is 2.67499999..., which Math.round would take to 2.67
    ['1.005', '1.01'],
    ['60000', '60000.00'],
    ['2272.7272727272', '2272.73'],
    ['-0.005', '-0.01'], // half away from zero, symmetric for a clawback
    ['-0.001', '0.00'], // never "-0.00"
  ])('%s -> %s', (value, expected) => {
    expect(roundToCents(dec(value))).toBe(expected);
  });
});
