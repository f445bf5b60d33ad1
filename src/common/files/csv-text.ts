// The two rules every CSV Ancora writes follows (audit export, settlement reports).

// OWASP "CSV injection": a cell starting with one of these may be run as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a single quote to text a spreadsheet could read as a formula: "=SUM(A1)" -> "'=SUM(A1)". */
export function neutraliseText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting, when the field holds the separator, a quote or a line break: 'Rossi, Paolo' -> '"Rossi, Paolo"'. */
export function quoteField(field: string, separator: string): string {
  const needsQuotes = field.includes(separator) || field.includes('"') || field.includes('\r') || field.includes('\n');
  return needsQuotes ? `"${field.replace(/"/g, '""')}"` : field;
}
