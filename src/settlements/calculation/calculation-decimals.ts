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
