import { addDays, compareIsoDates, isIsoDate } from 'src/common/dates/iso-date';

describe('isIsoDate', () => {
  it.each(['2024-01-01', '2024-02-29', '2025-12-31', '1999-06-15'])('accepts the calendar date %s', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  it.each([
    ['2023-02-29', 'not a leap year'],
    ['2024-04-31', 'April has 30 days'],
    ['2024-13-01', 'no month 13'],
    ['2024-00-10', 'no month 0'],
    ['2024-1-01', 'month without its zero'],
    ['24-01-01', 'two-digit year'],
    ['2024-01-01T00:00:00Z', 'a timestamp, not a date'],
    ['01/02/2024', 'Italian notation'],
    [' 2024-01-01', 'surrounding space'],
  ])('rejects %s (%s)', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });

  it('rejects non-strings, including Date objects', () => {
    expect(isIsoDate(20240101)).toBe(false);
    expect(isIsoDate(new Date('2024-01-01'))).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('addDays', () => {
  it('crosses month, year and leap-day boundaries in UTC', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-03-31', 0)).toBe('2024-03-31');
  });

  it('is not shifted by daylight saving time (Europe/Rome changes on 2024-03-31 and 2024-10-27)', () => {
    expect(addDays('2024-03-30', 2)).toBe('2024-04-01');
    expect(addDays('2024-10-26', 2)).toBe('2024-10-28');
    expect(addDays('2024-01-01', 365)).toBe('2024-12-31');
  });
});

describe('compareIsoDates', () => {
  it('orders dates chronologically as strings', () => {
    expect(compareIsoDates('2024-01-31', '2024-02-01')).toBe(-1);
    expect(compareIsoDates('2025-01-01', '2024-12-31')).toBe(1);
    expect(compareIsoDates('2024-06-15', '2024-06-15')).toBe(0);
    expect(['2025-01-01', '2024-12-31', '2024-02-29'].sort(compareIsoDates)).toEqual(['2024-02-29', '2024-12-31', '2025-01-01']);
  });
});
