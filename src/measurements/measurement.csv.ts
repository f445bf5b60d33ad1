import { dec, isDecimalString, MAX_DECIMAL_LENGTH } from 'src/common/decimal/decimal';
import { CsvSyntaxError, decodeUtf8, detectSeparator, parseCsv } from 'src/measurements/csv.parser';
import { MAX_METHOD_NOTES_LENGTH } from 'src/measurements/dto/measurement.dto';
import { isPartColumn, NUL, readHeader } from 'src/measurements/measurement-csv.header';
import { DisaggregationValues } from 'src/measurements/measurement.entity';
import { MAX_SAMPLE_SIZE, MeasurementValues, SAMPLE_SIZE_RULE } from 'src/measurements/measurement.rules';
import { MeasurementError, MeasurementErrorCode } from 'src/measurements/measurements.errors';

export { CSV_OPTIONAL_COLUMNS, CSV_REQUIRED_COLUMNS } from 'src/measurements/measurement-csv.header';

// The CSV upload format (README "Submission formats"): one measurement per row, UTF-8 with or without
// BOM, comma or semicolon separated (decided by the header line). In a semicolon file the decimal mark
// is the comma, as Italian Excel writes it ("12,5"), and a point is refused (it would be a thousands
// separator there); in a comma file it is the point. Columns, in any order:
//   indicator, period, grouping   codes (IND-03, Y2, RTI-A), required
//   value                         required column; the cell may be empty when numerator and denominator are given
//   numerator, denominator, sampleSize, methodNotes   optional columns
//   <dimension>:<value>           a part of a disaggregated value, e.g. TARGET_GROUP:OVER60
// Any other column, or a column twice, is refused with its name (measurement-csv.header.ts).
// Every cell is trimmed of surrounding spaces ("IND-01 ", " 12,5" as typed after "; "): codes and numbers
// never contain them, and in methodNotes they are an accident of typing (spaces inside are kept).
// A cell with a NUL character (U+0000) is refused on its line and column (code noNulCharacter), as a JSON
// string with one is (src/app/json-body.ts): PostgreSQL cannot store it, and a row is all text. Other
// control characters are text, as in JSON (a tab inside a note is a tab).

export interface CsvMeasurementRow {
  line: number;
  indicatorCode: string;
  periodCode: string;
  groupingCode: string;
  values: MeasurementValues & { methodNotes?: string };
  /** The non-empty cells as written (trimmed), by column: later problems quote them. */
  cells: Record<string, string>;
}

export interface CsvRowProblem {
  line: number;
  /** The column (or `<dimension>:<value>`) at fault, or null for the whole row. */
  column: string | null;
  code: string;
  message: string;
}

export interface MeasurementCsv {
  separator: ',' | ';';
  rows: CsvMeasurementRow[];
  problems: CsvRowProblem[];
  /**
   * Rows refused for their format whose indicator, period and grouping cells read fine: the submission
   * still checks what they refer to (an unknown period, a closed one, an indicator not in force), so the
   * same answer lists those problems beside the format ones instead of a second upload revealing them.
   */
  referencesOnly: CsvMeasurementRow[];
}

const REFERENCE_COLUMNS: readonly string[] = ['indicator', 'period', 'grouping'];

/**
 * Reads an upload into rows and per-row format problems. Throws MEASUREMENT_CSV_MALFORMED (not UTF-8,
 * broken quoting, no data) and MEASUREMENT_CSV_COLUMNS_INVALID (unknown, duplicate, unnamed or missing columns).
 */
export function readMeasurementCsv(bytes: Uint8Array): MeasurementCsv {
  let text: string;
  try {
    text = decodeUtf8(bytes);
  } catch {
    throw new MeasurementError('MEASUREMENT_CSV_MALFORMED', 'The file is not valid UTF-8 text: save it as "CSV UTF-8" (Excel: Save as, CSV UTF-8)', { encoding: 'UTF-8' });
  }
  const separator = detectSeparator(text);
  let records;
  try {
    records = parseCsv(text, separator);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new MeasurementError('MEASUREMENT_CSV_MALFORMED', `The file is not valid CSV: ${error.message}`, { line: error.line });
    }
    throw error;
  }
  if (records.length === 0) {
    throw new MeasurementError('MEASUREMENT_CSV_MALFORMED', 'The file is empty: a header line is required', {});
  }
  const { columns, width } = readHeader(records[0].fields);
  const named = columns.length;

  const rows: CsvMeasurementRow[] = [];
  const problems: CsvRowProblem[] = [];
  const referencesOnly: CsvMeasurementRow[] = [];
  for (const record of records.slice(1)) {
    const fields = record.fields.map((f) => f.trim());
    if (fields.every((f) => f === '')) {
      continue; // Excel writes blank rows as ";;;;"
    }
    // Every format problem of the row at once: NUL characters, cells under unnamed columns, and each
    // cell's own problems. Only a row whose fields do not line up with the header stops at that.
    const own = nulProblems(record.line, fields, columns);
    if (fields.length < named || fields.length > width) {
      const header = width === named ? `${named}` : `${named} named columns and ${width - named} empty ones at its end`;
      problems.push(...own, { line: record.line, column: null, code: 'MEASUREMENT_CSV_INVALID', message: `has ${fields.length} fields, the header has ${header}` });
      continue;
    }
    fields.forEach((f, i) => {
      if (i >= named && f !== '' && !f.includes(NUL)) {
        own.push({
          line: record.line,
          column: null,
          code: 'MEASUREMENT_CSV_INVALID',
          message: `${quoteCell(f)} is in column ${i + 1}, which has no name in the header: name the column or empty the cell`,
        });
      }
    });
    const cells: Record<string, string> = {};
    const refused = new Set<string>(); // columns whose cell has a NUL: reported, not read
    columns.forEach((name, i) => {
      if (fields[i].includes(NUL)) refused.add(name);
      else if (fields[i] !== '') cells[name] = fields[i];
    });
    const read = readRow(record.line, cells, columns, separator, refused);
    own.push(...read.problems);
    if (own.length === 0) rows.push(read.row);
    else {
      problems.push(...own);
      if (!own.some((x) => x.column !== null && REFERENCE_COLUMNS.includes(x.column))) referencesOnly.push(read.row);
    }
  }
  if (rows.length === 0 && problems.length === 0) {
    throw new MeasurementError('MEASUREMENT_CSV_MALFORMED', 'The file has a header but no measurements', {});
  }
  return { separator, rows, problems, referencesOnly };
}

/** A problem for each cell of the row holding a NUL character, by its column (null beyond the named ones). */
function nulProblems(line: number, fields: readonly string[], columns: readonly string[]): CsvRowProblem[] {
  const problems: CsvRowProblem[] = [];
  fields.forEach((f, i) => {
    if (!f.includes(NUL)) return;
    const where = i < columns.length ? '' : `column ${i + 1}: `;
    problems.push({ line, column: columns[i] ?? null, code: 'noNulCharacter', message: `${where}${quoteCell(f)} must not contain a NUL character (\\u0000)` });
  });
  return problems;
}

function readRow(
  line: number,
  cells: Record<string, string>,
  columns: readonly string[],
  separator: ',' | ';',
  refused: ReadonlySet<string>,
): { row: CsvMeasurementRow; problems: CsvRowProblem[] } {
  const problems: CsvRowProblem[] = [];
  const problem = (column: string, code: MeasurementErrorCode, message: string) => problems.push({ line, column, code, message });
  const decimal = (name: string): string | undefined => {
    const raw = cells[name];
    return raw === undefined ? undefined : toDecimal(raw, separator, (code, message) => problem(name, code, message));
  };
  const required = (name: string): string => {
    if (cells[name] === undefined && !refused.has(name)) problem(name, 'MEASUREMENT_CSV_INVALID', 'is required');
    return cells[name] ?? '';
  };
  const values: CsvMeasurementRow['values'] = {};
  const value = decimal('value');
  const numerator = decimal('numerator');
  const denominator = decimal('denominator');
  if (value !== undefined) values.value = value;
  if (numerator !== undefined) values.numerator = numerator;
  if (denominator !== undefined) values.denominator = denominator;
  const sampleSize = cells.sampleSize;
  if (sampleSize !== undefined) {
    if (/^(0|[1-9][0-9]*)$/.test(sampleSize) && dec(sampleSize).lte(MAX_SAMPLE_SIZE)) values.sampleSize = Number.parseInt(sampleSize, 10);
    else if (/^-?[0-9]+([.,][0-9]+)*$/.test(sampleSize)) problem('sampleSize', 'MEASUREMENT_VALUE_OUT_OF_RANGE', `${quoteCell(sampleSize)}: ${SAMPLE_SIZE_RULE}, without decimals or thousands separators`);
    else problem('sampleSize', 'MEASUREMENT_VALUE_NOT_A_NUMBER', `${quoteCell(sampleSize)}: ${SAMPLE_SIZE_RULE}, such as 212 (digits only)`);
  }
  const notes = cells.methodNotes;
  if (notes !== undefined && notes.length > MAX_METHOD_NOTES_LENGTH) problem('methodNotes', 'MEASUREMENT_CSV_INVALID', `must be at most ${MAX_METHOD_NOTES_LENGTH} characters (it has ${notes.length})`);
  else if (notes !== undefined) values.methodNotes = notes;
  const parts: DisaggregationValues = {};
  for (const name of columns.filter(isPartColumn)) {
    const part = decimal(name);
    if (part === undefined) continue;
    const [dimension, key] = splitPart(name);
    (parts[dimension] ??= {})[key] = part;
  }
  if (Object.keys(parts).length > 0) values.disaggregations = parts;
  const row: CsvMeasurementRow = {
    line,
    indicatorCode: required('indicator'),
    periodCode: required('period'),
    groupingCode: required('grouping'),
    values,
    cells,
  };
  return { row, problems };
}

/**
 * A problem found after reading (by the submission checks, on JSON-like fields) as a row problem on its
 * column: `disaggregations.TARGET_GROUP.OVER60` is column `TARGET_GROUP:OVER60`. A message about a number
 * cell is prefixed by the cell as written (`"1,5": must be a whole number (COUNT)`), since the checks
 * only see it converted (1.5). A part that is not a value of its dimension is the column's fault, not the
 * cell's: `column GENDER:X: X is not a value of dimension GENDER (F, M)` (it quoted the cell, "2").
 */
export function toCsvRowProblem(row: CsvMeasurementRow, problem: { field: string; code: string; message: string }): CsvRowProblem {
  const m = /^disaggregations\.([^.]+)(?:\.(.+))?$/.exec(problem.field);
  const column = m ? `${m[1]}:${m[2] ?? '*'}` : problem.field;
  if (m?.[2] !== undefined && problem.code === 'MEASUREMENT_DISAGGREGATION_INVALID') {
    return { line: row.line, column, code: problem.code, message: `column ${column}: ${m[2]} ${problem.message}` };
  }
  const raw = row.cells[column];
  const isNumber = ['value', 'numerator', 'denominator', 'sampleSize'].includes(column) || isPartColumn(column);
  const message = isNumber && raw !== undefined && !problem.message.startsWith('"') ? `${quoteCell(raw)}: ${problem.message}` : problem.message;
  return { line: row.line, column, code: problem.code, message };
}

/** A cell quoted for a message; a long one is cut (a notes cell may be long). */
export function quoteCell(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

function splitPart(name: string): [string, string] {
  const i = name.indexOf(':');
  return [name.slice(0, i), name.slice(i + 1)];
}

/**
 * A cell as a decimal string: in a semicolon file the comma is the decimal mark and a point is refused
 * (MEASUREMENT_CSV_INVALID, as it always was); anything else that is not a plain number ("15%", "abc",
 * "1,2,3", "+5", "1e3") is MEASUREMENT_VALUE_NOT_A_NUMBER, told in the file's own convention.
 */
function toDecimal(raw: string, separator: ',' | ';', problem: (code: MeasurementErrorCode, message: string) => void): string | undefined {
  const mark = separator === ';' ? ',' : '.';
  const wrong = separator === ';' ? '.' : ',';
  const example = `12${mark}5`;
  if (raw.includes(wrong)) {
    const kind = separator === ';' ? 'a decimal comma in a semicolon-separated file' : 'a decimal point in a comma-separated file';
    problem('MEASUREMENT_CSV_INVALID', `${quoteCell(raw)}: use ${kind} (e.g. ${example}), without thousands separators`);
    return undefined;
  }
  const plain = separator === ';' ? raw.replace(',', '.') : raw;
  if (isDecimalString(plain)) return plain;
  const what = `a number written like ${example} (digits, an optional minus, at most one decimal ${separator === ';' ? 'comma' : 'point'}; no thousands separators, units or spaces)`;
  if (raw.length > MAX_DECIMAL_LENGTH && /^-?[0-9.,]+$/.test(raw)) {
    problem('MEASUREMENT_VALUE_NOT_A_NUMBER', `${quoteCell(raw)}: must be at most ${MAX_DECIMAL_LENGTH} characters long`);
  } else if (raw.endsWith('%')) {
    const number = separator === ';' ? raw.slice(0, -1).trim().replace(',', '.') : raw.slice(0, -1).trim();
    const hint = isDecimalString(number)
      ? `write ${local(number, mark)} or ${local(dec(number).div(100).toFixed(), mark)}, as the indicator's unit says`
      : `write it like 12${mark}5, as the indicator's unit says (15 or 0${mark}15 for 15%)`;
    problem('MEASUREMENT_VALUE_NOT_A_NUMBER', `${quoteCell(raw)}: must be a number without "%": ${hint}`);
  } else {
    problem('MEASUREMENT_VALUE_NOT_A_NUMBER', `${quoteCell(raw)}: must be ${what}`);
  }
  return undefined;
}

function local(decimal: string, mark: ',' | '.'): string {
  return decimal.replace('.', mark);
}
