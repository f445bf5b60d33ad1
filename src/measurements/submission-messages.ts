// How submission problems name what was sent: the offending value quoted as written (so "Y01", "IND-G1 "
// or an empty-looking value is visible), and the valid codes when they are few enough to read.

/** Lists longer than this are left out of messages: the caller can read them from the contract. */
const SHORT_LIST = 12;

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
