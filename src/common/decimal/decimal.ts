import Decimal from 'decimal.js';

// One configured decimal.js for the whole service (docs/decisions/0001-decimals.md).
// Precision is far beyond any money or ratio we handle; rounding happens only where a caller asks.
export const Dec = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -50,
  toExpPos: 50,
});
export type Dec = Decimal;

// Plain decimal notation: optional minus, no leading zeros, optional fraction. No exponent, no comma,
// no plus sign, no whitespace. "8.0" is kept as written: the scale records the measurement's precision.
export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$';
const DECIMAL_RE = new RegExp(DECIMAL_PATTERN);

// Decimal columns are varchar(64).
export const MAX_DECIMAL_LENGTH = 64;

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_DECIMAL_LENGTH && DECIMAL_RE.test(value);
}

export function dec(value: string): Decimal {
  if (!isDecimalString(value)) {
    throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  }
  return new Dec(value);
}

export function scaleOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

export function sumDecimals(values: readonly string[]): Decimal {
  return values.reduce((acc, v) => acc.plus(dec(v)), new Dec(0));
}

// Reg. CE 1103/97 art. 5: half-up to the cent. Called only at declared rounding points.
export function roundToCents(value: Decimal): string {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}
