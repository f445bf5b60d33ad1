import { FieldProblem } from 'src/common/errors/domain-error';
import { MeasurementError } from 'src/measurements/measurements.errors';
import { firstProblems, listedNote, SHORT_LIST } from 'src/measurements/submission-messages';

// The header line of a CSV upload (README "Submission formats"). Names are matched exactly as written
// (after trimming surrounding spaces). Empty cells at the END of the header are ignored: Italian Excel
// saves `indicator;period;grouping;value;;` when cells right of the table were ever touched. An empty
// name anywhere else is a column with no name, and refused. A name with a NUL character (U+0000) is refused
// as a JSON key with one is (src/app/json-body.ts): PostgreSQL cannot store it.

export const CSV_REQUIRED_COLUMNS = ['indicator', 'period', 'grouping', 'value'] as const;
export const CSV_OPTIONAL_COLUMNS = ['numerator', 'denominator', 'sampleSize', 'methodNotes'] as const;
const ALLOWED = [...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_COLUMNS, '<dimension>:<value>'];

/** The code of each `details.fields` entry of MEASUREMENT_CSV_COLUMNS_INVALID. */
export type CsvColumnProblemCode =
  | 'MEASUREMENT_CSV_COLUMN_UNKNOWN'
  | 'MEASUREMENT_CSV_COLUMN_DUPLICATE'
  | 'MEASUREMENT_CSV_COLUMN_MISSING'
  | 'MEASUREMENT_CSV_COLUMN_UNNAMED'
  | 'noNulCharacter';

interface ColumnProblem extends FieldProblem {
  code: CsvColumnProblemCode;
  /** The column as written ('' when it has no name), for `details.column`. */
  column: string;
  /** The problem as a phrase of the error's message. */
  summary: string;
}

export interface CsvHeader {
  /** The named columns, trimmed, in file order. */
  columns: string[];
  /** How many cells the header line has, its trailing empty ones included. */
  width: number;
}

/** Reads the header cells into columns, or throws MEASUREMENT_CSV_COLUMNS_INVALID listing every problem (the first 100). */
export function readHeader(cells: readonly string[]): CsvHeader {
  const trimmed = cells.map((c) => c.trim());
  let named = trimmed.length;
  while (named > 0 && trimmed[named - 1] === '') named -= 1;
  const columns = trimmed.slice(0, named);
  const problems = columnProblems(columns);
  if (problems.length > 0) {
    // A header of thousands of unknown names is cut like a file of bad rows (submission-messages.ts).
    const { listed, problemCount, truncated } = firstProblems(problems);
    const summaries = problems.slice(0, SHORT_LIST).map((x) => x.summary);
    const note = listedNote('details.fields', listed.length, problemCount, truncated);
    const message =
      problemCount === 1
        ? capitalise(summaries[0])
        : problemCount <= SHORT_LIST
          ? `${problemCount} problems in the header: ${summaries.join('; ')}`
          : `${problemCount} problems in the header${note}. The first: ${summaries[0]}`;
    throw new MeasurementError('MEASUREMENT_CSV_COLUMNS_INVALID', message, {
      // `column` (the first problem's) is what this error carried before `fields`; kept for existing clients.
      column: problems[0].column,
      allowed: ALLOWED,
      fields: listed.map(({ field, code, message: m }) => ({ field, code, message: m })),
      problemCount,
      truncated,
    });
  }
  return { columns, width: trimmed.length };
}

/** U+0000, which no text column of PostgreSQL can hold. */
export const NUL = '\u0000';

export function isPartColumn(name: string): boolean {
  return /^[^:]+:[^:]+$/.test(name);
}

function columnProblems(columns: readonly string[]): ColumnProblem[] {
  const known = new Set<string>([...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_COLUMNS]);
  const problems: ColumnProblem[] = [];
  const seen = new Map<string, number>();
  for (const [i, name] of columns.entries()) {
    const position = i + 1;
    if (name === '') {
      problems.push({
        field: `column ${position}`,
        column: '',
        code: 'MEASUREMENT_CSV_COLUMN_UNNAMED',
        message: 'has no name: name it or remove it (empty names are ignored only at the end of the header)',
        summary: `column ${position} has no name`,
      });
      continue;
    }
    if (name.includes(NUL)) {
      // Named by position: the name itself is not something to write back (JSON shows it as \u0000).
      problems.push({
        field: `column ${position}`,
        column: name,
        code: 'noNulCharacter',
        message: `${JSON.stringify(name)} must not contain a NUL character (\\u0000)`,
        summary: `column ${position} contains a NUL character`,
      });
      continue;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      problems.push({ field: name, column: name, code: 'MEASUREMENT_CSV_COLUMN_DUPLICATE', message: `appears twice (columns ${first} and ${position})`, summary: `column "${name}" appears twice` });
      continue;
    }
    seen.set(name, position);
    if (!known.has(name) && !isPartColumn(name)) {
      const meant = [...known].find((k) => k.toLowerCase() === name.toLowerCase());
      const hint = meant ? `names are matched exactly: write "${meant}"` : `the columns are ${ALLOWED.join(', ')}`;
      problems.push({ field: name, column: name, code: 'MEASUREMENT_CSV_COLUMN_UNKNOWN', message: `is not a column of the format: ${hint}`, summary: `unknown column "${name}"` });
    }
  }
  for (const name of CSV_REQUIRED_COLUMNS.filter((c) => !seen.has(c))) {
    problems.push({ field: name, column: name, code: 'MEASUREMENT_CSV_COLUMN_MISSING', message: 'is a required column', summary: `column "${name}" is missing` });
  }
  return problems;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
