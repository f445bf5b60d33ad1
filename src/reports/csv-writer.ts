import { isDecimalString } from 'src/common/decimal/decimal';
import { withDecimalSeparator } from 'src/reports/report-format';

// A small RFC 4180 writer. No CSV library is a direct dependency (fast-csv only comes in through exceljs),
// and what matters here is not quoting but knowing which cells are numbers: a negative decimal must stay
// a number in the spreadsheet, while any text that a spreadsheet could take for a formula is neutralised.
//
//   row [text "=1+2", number "-0.5", text 'a "b"', null]
//   it:   '=1+2;-0,5;"a ""b""";        (semicolon, decimal comma)
//   intl: '=1+2,-0.5,"a ""b""",

export type CsvCell = { text: string } | { number: string } | null;

export interface CsvProfile {
  separator: ';' | ',';
  decimal: ',' | '.';
  /** UTF-8 byte order mark, so spreadsheets open the file as UTF-8. */
  bom: boolean;
}

export const CSV_NEWLINE = '\r\n';

// OWASP "CSV injection": a cell starting with one of these may be run as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a single quote to text a spreadsheet could read as a formula: "=SUM(A1)" -> "'=SUM(A1)". */
export function neutraliseText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function quoted(field: string, separator: string): string {
  const needsQuotes = field.includes(separator) || field.includes('"') || field.includes('\r') || field.includes('\n');
  return needsQuotes ? `"${field.replace(/"/g, '""')}"` : field;
}

function field(cell: CsvCell, profile: CsvProfile): string {
  if (cell === null) return '';
  if ('number' in cell) {
    if (!isDecimalString(cell.number)) throw new TypeError(`not a decimal string: ${JSON.stringify(cell.number)}`);
    return quoted(withDecimalSeparator(cell.number, profile.decimal), profile.separator);
  }
  return quoted(neutraliseText(cell.text), profile.separator);
}

/** Comment lines ("# ...") first, then the rows; every line ends with CRLF (RFC 4180). */
export function writeCsv(rows: CsvCell[][], profile: CsvProfile, comments: string[] = []): Buffer {
  const lines = [...comments.map((c) => `# ${c}`), ...rows.map((row) => row.map((c) => field(c, profile)).join(profile.separator))];
  const body = lines.map((l) => l + CSV_NEWLINE).join('');
  return Buffer.from((profile.bom ? '\uFEFF' : '') + body, 'utf8');
}

export const text = (value: string | null): CsvCell => (value === null ? null : { text: value });
export const num = (value: string | null): CsvCell => (value === null ? null : { number: value });
