import { formatDate, formatDecimal, formatMoney, numberFormatFor, significantDigits, toSpreadsheetNumber, withDecimalSeparator } from 'src/reports/report-format';

// Decimal strings written for people (PDF) and for spreadsheets (CSV, XLSX), without floats.

describe('Report number formats: Italian 18.960,00, English 18,960.00, digits as written', () => {
  it('groups thousands with the language separators and keeps the scale', () => {
    expect(formatDecimal('18960.00', 'it')).toBe('18.960,00');
    expect(formatDecimal('18960.00', 'en')).toBe('18,960.00');
    expect(formatDecimal('-1234567.5', 'it')).toBe('-1.234.567,5');
    expect(formatDecimal('8.0', 'en')).toBe('8.0');
    expect(formatDecimal('0.5925', 'it')).toBe('0,5925');
    expect(formatDecimal('100', 'it')).toBe('100');
    expect(() => formatDecimal('1e3', 'it')).toThrow('not a decimal string');
  });

  it('shows money to the cent, half-up, only for display', () => {
    expect(formatMoney('4560', 'it')).toBe('4.560,00');
    expect(formatMoney('4560.125', 'en')).toBe('4,560.13');
    expect(formatMoney('-0.005', 'en')).toBe('-0.01');
  });

  it('writes data-file decimals without grouping, only the separator changed', () => {
    expect(withDecimalSeparator('-18960.5', ',')).toBe('-18960,5');
    expect(withDecimalSeparator('12', ',')).toBe('12');
  });

  it('counts significant digits to decide when a spreadsheet double needs the exact text beside it', () => {
    expect(significantDigits('18960.00')).toBe(7);
    expect(significantDigits('0.000123')).toBe(3);
    expect(significantDigits('-6320.333333333333333')).toBe(19);
    expect(significantDigits('0')).toBe(1);
  });

  it('converts to a spreadsheet number only from a decimal string, with a format showing its scale', () => {
    expect(toSpreadsheetNumber('-0.5')).toBe(-0.5);
    expect(toSpreadsheetNumber('18960.00')).toBe(18960);
    expect(() => toSpreadsheetNumber('18.960,00')).toThrow('not a decimal string');
    expect(numberFormatFor('8.0')).toBe('#,##0.0');
    expect(numberFormatFor('1210')).toBe('#,##0');
    expect(numberFormatFor('0.5925')).toBe('#,##0.0000');
  });

  it('writes dates the Italian way or as ISO', () => {
    expect(formatDate('2025-07-01', 'it')).toBe('01/07/2025');
    expect(formatDate('2025-07-01', 'en')).toBe('2025-07-01');
  });
});
