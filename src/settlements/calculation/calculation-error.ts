// The calculators are pure (no Nest): they throw this plain error with a stable code and the path of the
// offending input. The settlement service maps it to its module error (422) when it wraps the maths.
export type CalculationErrorCode =
  | 'SETTLEMENT_CALC_INVALID_DECIMAL'
  | 'SETTLEMENT_CALC_NOT_CENTS'
  | 'SETTLEMENT_CALC_WEIGHTS_NOT_ONE'
  | 'SETTLEMENT_CALC_SHARES_NOT_ONE'
  | 'SETTLEMENT_CALC_NO_LEAD'
  | 'SETTLEMENT_CALC_TERM_AMOUNT'
  | 'SETTLEMENT_CALC_BASELINE_REQUIRED'
  | 'SETTLEMENT_CALC_TARGET_REQUIRED'
  | 'SETTLEMENT_CALC_TARGET_EQUALS_BASELINE'
  | 'SETTLEMENT_CALC_INVALID_TABLE'
  | 'SETTLEMENT_CALC_UNKNOWN_TERM'
  | 'SETTLEMENT_CALC_BASIS_REQUIRED'
  | 'SETTLEMENT_CALC_ROUNDING';

export class CalculationError extends Error {
  constructor(
    readonly code: CalculationErrorCode,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'CalculationError';
  }
}
