import { CsvSyntaxError, decodeUtf8, detectSeparator, parseCsv } from 'src/measurements/csv.parser';
import { DisaggregationValues } from 'src/measurements/measurement.entity';
import { MeasurementValues } from 'src/measurements/measurement.rules';
import { MeasurementError } from 'src/measurements/measurements.errors';

// The CSV upload format (README "Submission formats"): one measurement per row, UTF-8 with or without
// BOM, comma or semicolon separated (decided by the header line). In a semicolon file the decimal mark
// is the comma, as Italian Excel writes it ("12,5"), and a point is refused (it would be a thousands
// separator there); in a comma file it is the point. Columns, in any order:
//   indicator, period, grouping   codes (IND-03, Y2, RTI-A), required
//   value                         required column; the cell may be empty when numerator and denominator are given
//   numerator, denominator, sampleSize, methodNotes   optional columns
//   <dimension>:<value>           a part of a disaggregated value, e.g. TARGET_GROUP:OVER60
// Any other column, or a column twice, is refused with its name.

export const CSV_REQUIRED_COLUMNS = ['indicator', 'period', 'grouping', 'value'] as const;
export const CSV_OPTIONAL_COLUMNS = ['numerator', 'denominator', 'sampleSize', 'methodNotes'] as const;

export interface CsvMeasurementRow {
  line: number;
  indicatorCode: string;
  periodCode: string;
  groupingCode: string;
  values: MeasurementValues & { methodNotes?: string };
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
}

/**
 * Reads an upload into rows and per-row format problems. Throws MEASUREMENT_CSV_MALFORMED (not UTF-8,
 * broken quoting, no data) and MEASUREMENT_CSV_COLUMNS_INVALID (unknown, duplicate or missing column).
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
  const header = records[0].fields.map((h) => h.trim());
  checkColumns(header);
  const column = new Map(header.map((h, i) => [h, i]));

  const rows: CsvMeasurementRow[] = [];
  const problems: CsvRowProblem[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.every((f) => f === '')) {
      continue; // Excel writes blank rows as ";;;;"
    }
    if (record.fields.length !== header.length) {
      problems.push({ line: record.line, column: null, code: 'MEASUREMENT_CSV_INVALID', message: `has ${record.fields.length} fields, the header has ${header.length}` });
      continue;
    }
    const rowProblems: CsvRowProblem[] = [];
    const cell = (name: string): string | undefined => {
      const i = column.get(name);
      const raw = i === undefined ? '' : record.fields[i];
      return raw === '' ? undefined : raw;
    };
    const decimal = (name: string): string | undefined => {
      const raw = cell(name);
      return raw === undefined ? undefined : toDecimal(raw, separator, (message) => rowProblems.push({ line: record.line, column: name, code: 'MEASUREMENT_CSV_INVALID', message }));
    };
    const required = (name: string): string => {
      const v = cell(name);
      if (v === undefined) rowProblems.push({ line: record.line, column: name, code: 'MEASUREMENT_CSV_INVALID', message: 'is required' });
      return v ?? '';
    };
    const values: CsvMeasurementRow['values'] = {};
    const value = decimal('value');
    const numerator = decimal('numerator');
    const denominator = decimal('denominator');
    if (value !== undefined) values.value = value;
    if (numerator !== undefined) values.numerator = numerator;
    if (denominator !== undefined) values.denominator = denominator;
    const sampleSize = cell('sampleSize');
    if (sampleSize !== undefined) {
      if (/^(0|[1-9][0-9]{0,8})$/.test(sampleSize)) values.sampleSize = Number.parseInt(sampleSize, 10);
      else rowProblems.push({ line: record.line, column: 'sampleSize', code: 'MEASUREMENT_CSV_INVALID', message: 'must be a whole number of respondents' });
    }
    const notes = cell('methodNotes');
    if (notes !== undefined) values.methodNotes = notes;
    const parts: DisaggregationValues = {};
    for (const name of header.filter((h) => h.includes(':'))) {
      const part = decimal(name);
      if (part === undefined) continue;
      const [dimension, key] = splitPart(name);
      (parts[dimension] ??= {})[key] = part;
    }
    if (Object.keys(parts).length > 0) values.disaggregations = parts;
    const row: CsvMeasurementRow = {
      line: record.line,
      indicatorCode: required('indicator'),
      periodCode: required('period'),
      groupingCode: required('grouping'),
      values,
    };
    if (rowProblems.length > 0) problems.push(...rowProblems);
    else rows.push(row);
  }
  if (rows.length === 0 && problems.length === 0) {
    throw new MeasurementError('MEASUREMENT_CSV_MALFORMED', 'The file has a header but no measurements', {});
  }
  return { separator, rows, problems };
}

function checkColumns(header: string[]): void {
  const known = new Set<string>([...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_COLUMNS]);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) {
      throw new MeasurementError('MEASUREMENT_CSV_COLUMNS_INVALID', `Column ${name} appears twice`, { column: name });
    }
    seen.add(name);
    const isPart = /^[^:]+:[^:]+$/.test(name);
    if (!known.has(name) && !isPart) {
      throw new MeasurementError('MEASUREMENT_CSV_COLUMNS_INVALID', `Unknown column "${name}"`, {
        column: name,
        allowed: [...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_COLUMNS, '<dimension>:<value>'],
      });
    }
  }
  const missing = CSV_REQUIRED_COLUMNS.find((c) => !seen.has(c));
  if (missing) {
    throw new MeasurementError('MEASUREMENT_CSV_COLUMNS_INVALID', `Column ${missing} is missing`, { column: missing });
  }
}

function splitPart(name: string): [string, string] {
  const i = name.indexOf(':');
  return [name.slice(0, i), name.slice(i + 1)];
}

/** A cell as a decimal string: in a semicolon file the comma is the decimal mark and a point is refused. */
function toDecimal(raw: string, separator: ',' | ';', problem: (message: string) => void): string | undefined {
  if (separator === ';') {
    if (raw.includes('.')) {
      problem(`"${raw}": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators`);
      return undefined;
    }
    return raw.replace(',', '.');
  }
  if (raw.includes(',')) {
    problem(`"${raw}": use a decimal point in a comma-separated file (e.g. 12.5), without thousands separators`);
    return undefined;
  }
  return raw;
}
