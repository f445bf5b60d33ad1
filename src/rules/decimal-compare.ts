import { DECIMAL_PATTERN, MAX_DECIMAL_LENGTH } from 'src/common/decimal/decimal';

// Exact comparison of decimal strings without building Decimal objects.
//
// A decimal string (DECIMAL_PATTERN: optional minus, no leading zeros, optional fraction, at most 64
// characters) is scanned once into a small integer (its state: sign -1, 0 or 1, or MISSING / NOT_DECIMAL,
// and a rank: sign, integer length, first significant digits) and compared through the rank, then, when the
// ranks agree, through its key: the same text without the trailing zeros of its fraction ("8.0" -> "8",
// "0.150" -> "0.15"; usually the very same string). Two decimals of the same sign and integer length compare
// as their keys do, character by character (the dot sits at the same place in both, and a key that is a
// prefix of the other has fewer significant digits), which the engine does natively: "9" < "10", "8.0"
// equals "8", "-0" equals "0", "0.30000000000000000001" > "0.3".
// decimal-compare.spec.ts checks this against decimal.js, condition.equivalence.spec.ts against json-rules-engine.

/** No value: undefined or null. */
export const STATE_MISSING = 2;
/** A value that is not a decimal string (a JSON number, "1e3", "0.5 ", ...). */
export const STATE_NOT_DECIMAL = 3;

// What a scan finds, packed in one small integer: bits 0-2 the state + 1 (0 negative, 1 zero, 2 positive,
// 3 missing, 4 not a decimal), bits 3-24 the rank: the sign, the integer length and the first three
// significant digits (none < 0 < 1 ... < 9), both reversed for negative numbers. Decimals whose ranks differ
// compare as their ranks do; only those that agree on all of it need their keys compared.
const STATE_MASK = 7;
const RANK_SHIFT = 3;
const LEADING_DIGITS = 3;
const MAX_INT_LENGTH = 127;
const INFO_MISSING = STATE_MISSING + 1;
const INFO_NOT_DECIMAL = STATE_NOT_DECIMAL + 1;

const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const SHAPE = new RegExp(DECIMAL_PATTERN);

/** Longest value checked by the character loop; longer ones by the regular expression. */
const SHORT = 8;
const INFO_ZERO = 1 + (1 << (RANK_SHIFT + 19));

function packed(negative: boolean, intLength: number, digits: number): number {
  const rank = ((negative ? 0 : 2) << 19) + ((negative ? MAX_INT_LENGTH - intLength : intLength) << 12) + digits;
  return (negative ? 0 : 2) + (rank << RANK_SHIFT);
}

/** The scans of "0" to "9". */
const ONE_DIGIT: readonly number[] = Array.from({ length: 10 }, (_, d) => (d === 0 ? INFO_ZERO : packed(false, 1, (d + 1) << 8)));

/**
 * Scans a value once: whether it is a decimal string (DECIMAL_PATTERN, at most 64 characters), its sign and
 * rank, packed (INFO_MISSING for undefined or null, INFO_NOT_DECIMAL for anything else).
 * decimal-compare.spec.ts checks it accepts exactly what DECIMAL_PATTERN accepts, on short and long values.
 *
 * Most measured values are short ("1", "12", "0.5", "74.1": four in five in the benchmark's facts): one
 * digit is a table lookup, up to 8 characters one loop over them, which costs less than calling the regular
 * expression (benchmarks.md, session 5: 1.2x for the whole evaluator). Longer values (shares computed to
 * 50 digits) are checked by the regular expression engine's compiled matcher.
 */
export function scanDecimal(value: unknown): number {
  if (typeof value !== 'string') return value === undefined || value === null ? INFO_MISSING : INFO_NOT_DECIMAL;
  const length = value.length;
  if (length === 1) {
    const d = value.charCodeAt(0) - ZERO;
    return d >>> 0 > 9 ? INFO_NOT_DECIMAL : ONE_DIGIT[d];
  }
  if (length <= SHORT) return scanShort(value, length);
  // The shape by the regular expression, then the parts by fixed-count steps.
  if (length > MAX_DECIMAL_LENGTH || !SHAPE.test(value)) return INFO_NOT_DECIMAL;
  const negative = value.charCodeAt(0) === MINUS;
  const start = negative ? 1 : 0;
  const dot = value.indexOf('.');
  const intEnd = dot < 0 ? length : dot;
  let end = length; // one past the last significant character
  if (dot >= 0) {
    while (value.charCodeAt(end - 1) === ZERO) end -= 1;
    if (end === dot + 1) end = dot;
  }
  const zero = end === intEnd && intEnd - start === 1 && value.charCodeAt(start) === ZERO;
  if (zero) return INFO_ZERO;
  // The first significant digits, integer then fraction (the dot skipped), 0 when there are no more.
  let digits = 0;
  let at = start;
  for (let k = 0; k < LEADING_DIGITS; k += 1) {
    if (at === intEnd) at += 1;
    const digit = at < end ? value.charCodeAt(at) - ZERO + 1 : 0;
    digits = (digits << 4) + (negative ? 15 - digit : digit);
    at += 1;
  }
  return packed(negative, intEnd - start, digits);
}

/**
 * The same scan in one loop over 2 to 8 characters: the shape checked as the characters are read, the first
 * three digits collected on the way (the dot skipped).
 */
function scanShort(value: string, length: number): number {
  const negative = value.charCodeAt(0) === MINUS;
  const start = negative ? 1 : 0;
  let dot = -1;
  let last = -1; // the last character that is not a zero (the dot counts)
  let digits = 0;
  let taken = 0;
  for (let i = start; i < length; i += 1) {
    const c = value.charCodeAt(i);
    if (c === DOT) {
      if (dot >= 0) return INFO_NOT_DECIMAL;
      dot = i;
      last = i;
      continue;
    }
    const d = c - ZERO;
    if (d >>> 0 > 9) return INFO_NOT_DECIMAL;
    if (d !== 0) last = i;
    if (taken < LEADING_DIGITS) {
      digits = (digits << 4) + (negative ? 14 - d : d + 1);
      taken += 1;
    }
  }
  const intEnd = dot < 0 ? length : dot;
  const intLength = intEnd - start;
  // A digit before the dot and after it, and no leading zero.
  if (intLength < 1 || dot === length - 1 || (intLength > 1 && value.charCodeAt(start) === ZERO)) return INFO_NOT_DECIMAL;
  // Trailing zeros of the fraction are not significant ("8.0" is "8").
  const end = dot < 0 ? length : last === dot ? dot : last + 1;
  if (end === intEnd && intLength === 1 && value.charCodeAt(start) === ZERO) return INFO_ZERO;
  // Digits past the last significant one count as none (0; reversed, 15, for negative numbers).
  const significant = end - start - (dot >= 0 && dot < end ? 1 : 0);
  for (; taken < LEADING_DIGITS; taken += 1) digits = (digits << 4) + (negative ? 15 : 0);
  if (significant < LEADING_DIGITS) {
    const shift = (LEADING_DIGITS - significant) * 4;
    digits = ((digits >> shift) << shift) | (negative ? (1 << shift) - 1 : 0);
  }
  return packed(negative, intLength, digits);
}

/** -1, 0 or 1, or STATE_MISSING / STATE_NOT_DECIMAL. */
export function stateOf(info: number): number {
  return (info & STATE_MASK) - 1;
}

/** The text to compare: the decimal without its trailing fraction zeros (usually the very same string). */
export function keyOf(value: string): string {
  if (value.charCodeAt(value.length - 1) !== ZERO || value.indexOf('.') < 0) return value;
  let end = value.length;
  while (value.charCodeAt(end - 1) === ZERO) end -= 1;
  if (value.charCodeAt(end - 1) === DOT) end -= 1;
  return value.slice(0, end);
}

/**
 * -1, 0 or 1 as decimal x is less than, equal to or greater than decimal y, given their keys and scans;
 * both must be decimals (state -1, 0 or 1).
 */
export function compareDecimals(xKey: string, xInfo: number, yKey: string, yInfo: number): number {
  // Without branches for the usual case, a different rank: the processor cannot predict these outcomes.
  const d = (xInfo >> RANK_SHIFT) - (yInfo >> RANK_SHIFT);
  const byRank = (d >> 31) | (-d >>> 31);
  const state = xInfo & STATE_MASK;
  if (byRank !== 0 || state === 1 || xKey === yKey) return byRank; // decided by the rank, both zero, or the same text
  const c = xKey < yKey ? -1 : 1;
  return state === 0 ? -c : c; // negative numbers: the larger magnitude is the smaller number
}
