import { isDecimalString } from 'src/common/decimal/decimal';
import { neutraliseText, quoteField } from 'src/common/files/csv-text';
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


function field(cell: CsvCell, profile: CsvProfile): string {
  if (cell === null) return '';
  if ('number' in cell) {
    if (!isDecimalString(cell.number)) throw new TypeError(`not a decimal string: ${JSON.stringify(cell.number)}`);
    return quoteField(withDecimalSeparator(cell.number, profile.decimal), profile.separator);
  }
  return quoteField(neutraliseText(cell.text), profile.separator);
}

/** Comment lines ("# ...") first, then the rows; every line ends with CRLF (RFC 4180). */
export function writeCsv(rows: CsvCell[][], profile: CsvProfile, comments: string[] = []): Buffer {
  const lines = [...comments.map((c) => `# ${c}`), ...rows.map((row) => row.map((c) => field(c, profile)).join(profile.separator))];
  const body = lines.map((l) => l + CSV_NEWLINE).join('');
  return Buffer.from((profile.bom ? '\uFEFF' : '') + body, 'utf8');
}

export const text = (value: string | null): CsvCell => (value === null ? null : { text: value });
export const num = (value: string | null): CsvCell => (value === null ? null : { number: value });
