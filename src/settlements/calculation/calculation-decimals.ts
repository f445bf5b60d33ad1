import { Dec, dec, isDecimalString } from 'src/common/decimal/decimal';
import { CalculationError } from 'src/settlements/calculation/calculation-error';

// Input readers that name the offending field; amounts in euros must be whole cents and not negative.

export function num(value: string, field: string): Dec {
  if (!isDecimalString(value)) {
    throw new CalculationError('SETTLEMENT_CALC_INVALID_DECIMAL', `${field} is not a decimal string`, field);
  }
  return dec(value);
}

export function euros(value: string, field: string): Dec {
  const v = num(value, field);
  if (v.lessThan(ZERO) || !v.equals(v.toDecimalPlaces(2))) {
    throw new CalculationError('SETTLEMENT_CALC_NOT_CENTS', `${field} must be a non-negative amount in whole cents`, field);
  }
  return v;
}

/** Plain decimal text of an exact value ("0.75", "4800", "1"): never an exponent, never a float. */
export function text(value: Dec): string {
  return value.isZero() ? '0' : value.toString();
}

/**
 * An exact money amount as written in a line: 30 decimal places, far below the cent. Division at 50
 * significant digits can leave a last-digit residue (28,000 x 0.2 x 5.5 / 7 = 4400.000...0001); trimming it
 * here keeps lines readable and lets anyone re-add them to the stated exact premium.
 */
export function exactMoney(value: Dec): string {
  return text(value.toDecimalPlaces(30, Dec.ROUND_HALF_UP));
}

export function cents(value: Dec): string {
  return value.toFixed(2);
}

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

export function min(a: Dec, b: Dec): Dec {
  return a.lessThan(b) ? a : b;
}

export function max(a: Dec, b: Dec): Dec {
  return a.greaterThan(b) ? a : b;
}
