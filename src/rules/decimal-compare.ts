import { MAX_DECIMAL_LENGTH } from 'src/common/decimal/decimal';

// Exact comparison of decimal strings without building Decimal objects.
//
// A decimal string (DECIMAL_PATTERN: optional minus, no leading zeros, optional fraction, at most 64
// characters) is scanned once into a small integer (its state: sign -1, 0 or 1, or MISSING / NOT_DECIMAL,
// and where its integer digits end) and compared through its key: the same text without the trailing zeros
// of its fraction ("8.0" -> "8", "0.150" -> "0.15"; usually the very same string). Two decimals of the same
// sign and integer length compare as their keys do, character by character (the dot sits at the same place
// in both, and a key that is a prefix of the other has fewer significant digits), which the engine does
// natively: "9" < "10", "8.0" equals "8", "-0" equals "0", "0.30000000000000000001" > "0.3".
// decimal-compare.spec.ts checks this against decimal.js, condition.equivalence.spec.ts against json-rules-engine.

/** No value: undefined or null. */
export const SLOT_MISSING = 2;
/** A value that is not a decimal string (a JSON number, "1e3", "0.5 ", ...). */
export const SLOT_NOT_DECIMAL = 3;

// What a scan finds, packed in one small integer: bits 0-2 the state + 1 (0 negative, 1 zero, 2 positive,
// 3 missing, 4 not a decimal), bits 3-9 where the integer digits end, bits 10-16 where the significant
// characters end (trailing fraction zeros and a bare dot dropped), bits 17-26 the rank: the state, then the
// integer length (reversed for negative numbers), so that two decimals whose ranks differ compare as their
// ranks do, and only decimals of the same sign and integer length need their keys compared.
const STATE_MASK = 7;
const OFFSET_MASK = 127;
const INT_END_SHIFT = 3;
const END_SHIFT = 10;
const RANK_SHIFT = 17;
export const INFO_MISSING = SLOT_MISSING + 1 + ((SLOT_MISSING + 1) << (RANK_SHIFT + 7));
export const INFO_NOT_DECIMAL = SLOT_NOT_DECIMAL + 1 + ((SLOT_NOT_DECIMAL + 1) << (RANK_SHIFT + 7));

const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Scans a value once: whether it is a decimal string (DECIMAL_PATTERN, at most 64 characters), its sign and
 * offsets, packed (INFO_MISSING for undefined or null, INFO_NOT_DECIMAL for anything else). One pass over
 * the characters; decimal-compare.spec.ts checks it accepts exactly what DECIMAL_PATTERN accepts.
 */
export function scanDecimal(value: unknown): number {
  if (typeof value !== 'string') return value === undefined || value === null ? INFO_MISSING : INFO_NOT_DECIMAL;
  const length = value.length;
  if (length === 0 || length > MAX_DECIMAL_LENGTH) return INFO_NOT_DECIMAL;
  const negative = value.charCodeAt(0) === MINUS;
  const start = negative ? 1 : 0;
  let i = start;
  let c = value.charCodeAt(i);
  if (c === ZERO) {
    i += 1;
  } else if (c > ZERO && c <= NINE) {
    do {
      i += 1;
      c = value.charCodeAt(i);
    } while (c >= ZERO && c <= NINE);
  } else {
    return INFO_NOT_DECIMAL;
  }
  const intEnd = i;
  let end = intEnd; // one past the last significant character
  if (i < length) {
    if (value.charCodeAt(i) !== DOT || i + 1 === length) return INFO_NOT_DECIMAL;
    for (i += 1; i < length; i += 1) {
      c = value.charCodeAt(i);
      if (c < ZERO || c > NINE) return INFO_NOT_DECIMAL;
      if (c !== ZERO) end = i + 1;
    }
  }
  const zero = end === intEnd && intEnd - start === 1 && value.charCodeAt(start) === ZERO;
  const state = zero ? 1 : negative ? 0 : 2;
  const intLength = intEnd - start;
  const rank = (state << 7) + (zero ? 0 : negative ? OFFSET_MASK - intLength : intLength);
  return state + (intEnd << INT_END_SHIFT) + (end << END_SHIFT) + (rank << RANK_SHIFT);
}

/** -1, 0 or 1, or SLOT_MISSING / SLOT_NOT_DECIMAL. */
export function stateOf(info: number): number {
  return (info & STATE_MASK) - 1;
}

/** The text to compare: the value without its trailing fraction zeros (usually the very same string). */
export function keyOf(value: string, info: number): string {
  const end = (info >> END_SHIFT) & OFFSET_MASK;
  return end === value.length ? value : value.slice(0, end);
}

/**
 * -1, 0 or 1 as decimal x is less than, equal to or greater than decimal y, given their keys and scans;
 * both must be decimals (state -1, 0 or 1).
 */
export function compareDecimals(xKey: string, xInfo: number, yKey: string, yInfo: number): number {
  const rx = xInfo >> RANK_SHIFT;
  const ry = yInfo >> RANK_SHIFT;
  if (rx !== ry) return rx < ry ? -1 : 1;
  const state = xInfo & STATE_MASK;
  if (state === 1 || xKey === yKey) return 0; // both zero, or the same significant text
  const c = xKey < yKey ? -1 : 1;
  return state === 0 ? -c : c; // negative numbers: the larger magnitude is the smaller number
}
