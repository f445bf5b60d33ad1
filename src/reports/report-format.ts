import { dec, isDecimalString } from 'src/common/decimal/decimal';
import { groupedDecimal } from 'src/common/decimal/decimal-text';
import type { ReportLang } from 'src/reports/report-text';

// How decimal strings are written in reports. Everything here works on the strings themselves: no float
// ever carries a settlement value, except in `toSpreadsheetNumber`, the one place where XLSX forces it.

/**
 * A decimal string with the given decimal separator, digits exactly as written, no grouping:
 * ("-0.5", ",") -> "-0,5". For data files (CSV), where a reader must get the exact value back.
 */
export function withDecimalSeparator(value: string, decimal: string): string {
  return decimal === '.' ? value : value.replace('.', decimal);
}

/**
 * A decimal string for people: grouped thousands and the language's separators, digits as written
 * ("18960.00", it) -> "18.960,00"; ("-1234.5", en) -> "-1,234.5".
 */
export function formatDecimal(value: string, lang: ReportLang): string {
  if (!isDecimalString(value)) {
    throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  }
  return groupedDecimal(value, lang);
}

/**
 * Money for people, to the cent: line amounts are exact (the premium is rounded once, on the total), so a
 * line of "4560.125" reads "4.560,13" in the PDF (half-up, for display only); the exact value stays in the
 * CSV, the XLSX and the JSON.
 */
export function formatMoney(value: string, lang: ReportLang): string {
  return formatDecimal(dec(value).toFixed(2), lang);
}

export function formatOptional(value: string | null, lang: ReportLang, dash = '–'): string {
  return value === null ? dash : formatDecimal(value, lang);
}

/** Significant digits of a decimal string: "0.000123" -> 3, "18960.00" -> 7 (trailing zeros of a fraction count). */
export function significantDigits(value: string): number {
  const digits = value.replace('-', '').replace('.', '').replace(/^0+/, '');
  return Math.max(digits.length, 1);
}

/**
 * Converts a decimal string to a JavaScript number ONLY to store it in an XLSX cell, which holds IEEE
 * doubles. Exact up to 15 significant digits; callers keep the exact string next to the cell beyond
 * that (see `significantDigits`). Never use the result for arithmetic.
 */
export function toSpreadsheetNumber(value: string): number {
  if (!isDecimalString(value)) {
    throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** An Excel number format showing a decimal with the scale it was written with (at most 10): "8.0" -> "#,##0.0". */
export function numberFormatFor(value: string): string {
  const dot = value.indexOf('.');
  const scale = Math.min(dot < 0 ? 0 : value.length - dot - 1, 10);
  return scale === 0 ? '#,##0' : `#,##0.${'0'.repeat(scale)}`;
}

/** "2025-07-01" -> "01/07/2025" (it) or "2025-07-01" (en, ISO). */
export function formatDate(isoDate: string, lang: ReportLang): string {
  if (lang === 'en') return isoDate;
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

/** "2026-07-20T09:30:00.000Z" -> "20/07/2026 09:30 UTC" (it) or "2026-07-20 09:30 UTC" (en). */
export function formatTimestamp(iso: string, lang: ReportLang): string {
  return `${formatDate(iso.slice(0, 10), lang)} ${iso.slice(11, 16)} UTC`;
}
