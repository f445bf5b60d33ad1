// How submission problems name what was sent: the offending value quoted as written (so "Y01", "IND-G1 "
// or an empty-looking value is visible), and the valid codes when they are few enough to read.

/** Lists longer than this are left out of messages: the caller can read them from the contract (or from `details`). */
export const SHORT_LIST = 12;

/** A value as sent, in double quotes (JSON escapes make spaces and odd characters visible). */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

/** A period or grouping reference as sent: its code (CSV) or its id (JSON). */
export function refOf(ref: { id: string } | { code: string }): string {
  return quoted('id' in ref ? ref.id : ref.code);
}

/** `Y1, Y2, Y3`, or null when there are none or too many to list. */
export function shortList(codes: readonly string[]): string | null {
  return codes.length > 0 && codes.length <= SHORT_LIST ? codes.join(', ') : null;
}

/** ` (periods: Y1, Y2, Y3)` after a code that matched none of them; nothing for an id (a JSON client holds ids, not codes). */
export function codeList(ref: { id: string } | { code: string }, label: string, known: readonly { code: string }[]): string {
  const list = 'code' in ref ? shortList(known.map((x) => x.code)) : null;
  return list ? ` (${label}: ${list})` : '';
}

// How much a refusal lists. A 2 MB file of 100,000 bad rows used to answer 34.6 MB, with every line in the
// message: the first problems are enough to fix a file (it is all or nothing), and the count says how far.

/** At most this many problems are listed in `details` of a refused batch or CSV file. */
export const MAX_LISTED_PROBLEMS = 100;

/** The first `max` problems, in the order given, with how many there were and whether some were left out. */
export function firstProblems<T>(problems: readonly T[], max = MAX_LISTED_PROBLEMS): { listed: T[]; problemCount: number; truncated: boolean } {
  return { listed: problems.slice(0, max), problemCount: problems.length, truncated: problems.length > max };
}

/** ` (details.rows lists the first 100 of 312 problems)` when some were left out. */
export function listedNote(where: string, listed: number, total: number, truncated: boolean): string {
  return truncated ? ` (${where} lists the first ${listed} of ${total} problems)` : '';
}

/**
 * What a refused CSV file answers: its row problems in file order (a line's own problems in the order found),
 * at most `max` of them, and a message that names the lines when they are few (`3 rows are invalid (lines 2,
 * 4, 7)`) and else counts them and tells the first problem.
 */
export function csvRefusal<T extends { line: number; column: string | null; message: string }>(
  problems: readonly T[],
  max = MAX_LISTED_PROBLEMS,
): { message: string; listed: T[]; problemCount: number; truncated: boolean } {
  const sorted = [...problems].sort((a, b) => a.line - b.line); // stable: a line keeps its problems' order
  const lines = [...new Set(sorted.map((r) => r.line))];
  const { listed, problemCount, truncated } = firstProblems(sorted, max);
  const note = listedNote('details.rows', listed.length, problemCount, truncated);
  const first = sorted.at(0);
  let message: string;
  if (lines.length === 1) message = `1 row is invalid (line ${lines[0]}): nothing was stored${note}`;
  else if (lines.length <= SHORT_LIST || !first) message = `${lines.length} rows are invalid (lines ${lines.join(', ')}): nothing was stored${note}`;
  else message = `${lines.length} rows are invalid: nothing was stored${note}. The first is line ${first.line}${first.column === null ? '' : `, column ${first.column}`}: ${first.message}`;
  return { message, listed, problemCount, truncated };
}

/** What a refused JSON batch answers: every invalid item's index, its first `max` problems in item order, and a count. */
export function batchRefusal<T extends { index: number }>(
  problems: readonly T[],
  itemCount: number,
  max = MAX_LISTED_PROBLEMS,
): { message: string; invalidItems: number[]; listed: T[]; problemCount: number; truncated: boolean } {
  // At most 1,000 indexes (the batch's own bound): kept whole, so a client can mark every item to fix.
  const invalidItems = [...new Set(problems.map((x) => x.index))];
  const { listed, problemCount, truncated } = firstProblems(problems, max);
  const note = listedNote('details.fields', listed.length, problemCount, truncated);
  return { message: `${invalidItems.length} of ${itemCount} items are invalid: nothing was stored${note}`, invalidItems, listed, problemCount, truncated };
}
