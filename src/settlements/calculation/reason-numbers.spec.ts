import fc from 'fast-check';
import { Dec, dec } from 'src/common/decimal/decimal';
import { quotedMoney, quotedNumber } from 'src/settlements/calculation/reason-numbers';

// How the reasons of formats ancora.settlement/2 and /3 quote numbers: money grouped with two decimals, other
// numbers exact up to 6 decimals or "≈" half-up to 4, Italian with the decimal comma.

// Seeded, so a failure reproduces; every value is a decimal string, generated as text.
const params = { seed: 20260720, numRuns: 500 };
const decimals = fc.stringMatching(/^-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,40})?$/);
const amounts = fc.stringMatching(/^(0|[1-9][0-9]{0,24})(\.[0-9]{1,2})?$/);

/** Back to a decimal string: without the "≈", the grouping separator and with a decimal point. */
function parsedBack(shown: string, lang: 'it' | 'en'): string {
  const bare = shown.replace('≈', '');
  return lang === 'it' ? bare.replaceAll('.', '').replace(',', '.') : bare.replaceAll(',', '');
}

describe('Reason numbers: what a dirigente reads in a settlement line', () => {
  it('writes money with thousands grouped and two decimals, in each language', () => {
    expect([quotedMoney('120000.00', 'it'), quotedMoney('120000.00', 'en')]).toEqual(['120.000,00', '120,000.00']);
    expect([quotedMoney('850', 'it'), quotedMoney('850', 'en')]).toEqual(['850,00', '850.00']);
    expect([quotedMoney('1234567.5', 'it'), quotedMoney('0', 'en')]).toEqual(['1.234.567,50', '0.00']);
  });

  it('never rounds money: an amount with more than two decimals keeps them', () => {
    expect(quotedMoney('4560.125', 'it')).toBe('4.560,125');
  });

  it('quotes other numbers exactly up to 6 decimals, without grouping', () => {
    expect([quotedNumber('0.12', 'it'), quotedNumber('0.12', 'en')]).toEqual(['0,12', '0.12']);
    expect([quotedNumber('1234567.5', 'it'), quotedNumber('8.0', 'it'), quotedNumber('150', 'it')]).toEqual(['1234567,5', '8,0', '150']);
    expect(quotedNumber('0.123456', 'it')).toBe('0,123456');
  });

  it('rounds a longer number half-up to 4 decimals behind "≈"', () => {
    const a = '1.0555555555555555555555555555555555555555555555556';
    expect([quotedNumber(a, 'it'), quotedNumber(a, 'en')]).toEqual(['≈1,0556', '≈1.0556']);
    expect(quotedNumber('0.11983471074380165289256198347107438016528925619835', 'en')).toBe('≈0.1198');
    expect(quotedNumber('0.1234567', 'it')).toBe('≈0,1235');
    expect(quotedNumber('0.99999999', 'en')).toBe('≈1');
    expect(quotedNumber('-2.00004999', 'it')).toBe('≈-2');
    expect(quotedNumber('-2.00005001', 'it')).toBe('≈-2,0001');
  });

  it('works on the text, never through a JS number: digits beyond double precision survive', () => {
    expect(quotedMoney('12345678901234567890.12', 'it')).toBe('12.345.678.901.234.567.890,12');
    expect(quotedNumber('12345678901234567890.123456', 'en')).toBe('12345678901234567890.123456');
    expect(quotedNumber('12345678901234567890.12345678', 'en')).toBe('≈12345678901234567890.1235');
  });

  it('refuses what is not a decimal string', () => {
    expect(() => quotedNumber('1e3', 'en')).toThrow('not a decimal string');
    expect(() => quotedMoney('1.000,00', 'it')).toThrow('not a decimal string');
  });

  it('property: the Italian and English money read back to the same amount, the amount itself', () => {
    fc.assert(
      fc.property(amounts, (v) => {
        const it = quotedMoney(v, 'it');
        const en = quotedMoney(v, 'en');
        expect(it).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);
        expect(en).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(parsedBack(it, 'it')).toBe(dec(v).toFixed(2));
        expect(parsedBack(en, 'en')).toBe(parsedBack(it, 'it'));
      }),
      params,
    );
  });

  it('property: the Italian and English number read back to the same decimal, exact up to 6 decimals', () => {
    fc.assert(
      fc.property(decimals, (v) => {
        const it = quotedNumber(v, 'it');
        const en = quotedNumber(v, 'en');
        expect(it.replace(',', '.')).toBe(en);
        expect(dec(parsedBack(it, 'it')).equals(dec(parsedBack(en, 'en')))).toBe(true);
        if (dec(v).decimalPlaces() <= 6) expect(en).toBe(v);
        else expect(en.startsWith('≈')).toBe(true);
      }),
      params,
    );
  });

  it('property: a rounded number is the first 4 decimals, one up (away from zero) when the fifth is 5 or more', () => {
    fc.assert(
      fc.property(decimals, (v) => {
        fc.pre(dec(v).decimalPlaces() > 6);
        const negative = v.startsWith('-');
        const [whole, fraction] = (negative ? v.slice(1) : v).split('.');
        const truncated = new Dec(`${whole}.${fraction.slice(0, 4)}`);
        const magnitude = fraction[4] >= '5' ? truncated.plus('0.0001') : truncated;
        const expected = negative ? magnitude.negated() : magnitude;
        const shown = dec(parsedBack(quotedNumber(v, 'en'), 'en'));
        expect(shown.equals(expected)).toBe(true);
        expect(shown.decimalPlaces()).toBeLessThanOrEqual(4);
      }),
      params,
    );
  });
});
