import { Dec } from 'src/common/decimal/decimal';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { RoundingRule } from 'src/settlements/calculation/settlement.types';

// The contract's rounding rule, applied at the declared points only (the premium, an evaluation payment).
// Default: half-up to the cent (Reg. CE 1103/97 art. 5). Amounts are always written with two decimals,
// so a premium rounded to the euro reads "18960.00".
//
//   HALF_UP   18,960.005 -> 18,960.01     HALF_EVEN 18,960.005 -> 18,960.00     DOWN 18,960.009 -> 18,960.00
//   to "1", HALF_UP: 18,960.50 -> 18,961.00

export const DEFAULT_ROUNDING: RoundingRule = { mode: 'HALF_UP', to: '0.01' };

const MODES = { HALF_UP: Dec.ROUND_HALF_UP, HALF_EVEN: Dec.ROUND_HALF_EVEN, DOWN: Dec.ROUND_DOWN } as const;
const PLACES: Readonly<Record<string, number>> = { '0.01': 2, '1': 0 };

export function roundAmount(value: Dec, rule: RoundingRule = DEFAULT_ROUNDING, at = 'rounding'): string {
  const places = PLACES[rule.to];
  const mode = MODES[rule.mode];
  if (places === undefined || mode === undefined) {
    throw new CalculationError('SETTLEMENT_CALC_ROUNDING', `rounding must be HALF_UP, HALF_EVEN or DOWN to "0.01" or "1"`, at);
  }
  return value.toDecimalPlaces(places, mode).toFixed(2);
}
