// Decimal strings written for people, in Italian or English, from the strings themselves (never a JS number).
// Shared by the reports (src/reports/report-format.ts) and the reasons of settlement lines
// (src/settlements/calculation/reason-numbers.ts).

export type TextLang = 'it' | 'en';

export const SEPARATORS: Readonly<Record<TextLang, { decimal: string; group: string }>> = {
  it: { decimal: ',', group: '.' },
  en: { decimal: '.', group: ',' },
};

/**
 * A plain decimal string ("-1234567.5") with thousands grouped and the language's separators, digits as
 * written: "-1.234.567,5" (it), "-1,234,567.5" (en). The caller checks that it is a decimal string.
 */
export function groupedDecimal(value: string, lang: TextLang): string {
  const { decimal, group } = SEPARATORS[lang];
  const negative = value.startsWith('-');
  const [whole, fraction] = (negative ? value.slice(1) : value).split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${fraction === undefined ? '' : decimal + fraction}`;
}
