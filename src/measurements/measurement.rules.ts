import { DomainError, FieldProblem } from 'src/common/errors/domain-error';
import { describeDecimalProblem } from 'src/common/decimal/decimal-string.validator';
import { dec, Dec, scaleOf, sumDecimals } from 'src/common/decimal/decimal';
import { IndicatorSnapshot } from 'src/co-definition/indicator-set.resolver';
import { checkIndicatorValue } from 'src/indicators/indicator.rules';
import { DisaggregationValues } from 'src/measurements/measurement.entity';
import { MeasurementErrorCode } from 'src/measurements/measurements.errors';

// Pure rules of a measured value against the indicator it measures, as frozen in the binding version.
// They collect every problem (batch and CSV uploads report them all) with paths under an `at` prefix.

/** What the rules need of an indicator. */
export type MeasuredIndicator = Pick<IndicatorSnapshot, 'code' | 'unit' | 'aggregation' | 'minSampleSize' | 'disaggregations' | 'formula'>;

export interface MeasurementValues {
  value?: string;
  numerator?: string;
  denominator?: string;
  sampleSize?: number;
  disaggregations?: DisaggregationValues;
}

export interface MeasurementProblem extends FieldProblem {
  code: MeasurementErrorCode;
}

export interface CheckedValues {
  /** The value as submitted, or computed from numerator and denominator. */
  value: string;
  notAssessable: boolean;
}

/** Most respondents a survey may report: far beyond any survey, and within every database's integer column (PostgreSQL's is 2^31 - 1). */
export const MAX_SAMPLE_SIZE = 1_000_000_000;
export const SAMPLE_SIZE_RULE = `must be a whole number of respondents from 0 to ${MAX_SAMPLE_SIZE}`;

/** Decimal places of a value computed from numerator/denominator (as for coverage rates), trailing zeros dropped. */
export const COMPUTED_VALUE_SCALE = 6;

/**
 * Why a value reported NOT_ASSESSABLE cannot be (a rule-set test case or a simulation's hypothesis): a survey
 * is judged on its sample, so one at or above the indicator's minimum would be assessed, with no value to
 * assess. Null when the status stands.
 */
export function notAssessableProblem(indicator: { code: string; minSampleSize: number | null }, sampleSize: number | undefined): string | null {
  if (indicator.minSampleSize === null || sampleSize === undefined || sampleSize < indicator.minSampleSize) return null;
  return `${sampleSize} reaches the minimum sample of ${indicator.code} (${indicator.minSampleSize}): give the value it measured instead`;
}

/**
 * Checks the values of one measurement. Rules:
 * - value in the unit's range (checkIndicatorValue: PERCENT 0..100, COUNT whole >= 0, EUR >= 0 with 2 decimals, ...);
 * - numerator and denominator only when the indicator's formula names both, and then both or neither;
 *   numerator >= 0, denominator > 0. The ratio r = numerator / denominator (x 100 for PERCENT). When a value
 *   is given it must equal r rounded half-up to the value's own number of decimals ("5.8" for 1740/30000
 *   percent; "6" would be accepted too, as a coarser statement of the same ratio, "5.9" not). When the
 *   value is omitted it is r rounded half-up to 6 decimals, trailing zeros dropped;
 * - without numerator/denominator a value is required;
 * - sampleSize (a whole number of respondents, 0..MAX_SAMPLE_SIZE) is required when the indicator has a minimum sample size;
 *   below it the measurement is kept but not assessable;
 * - disaggregations only on declared dimensions and values; a dimension given must list every one of
 *   its values (zeros included); each part is in the unit's range; for SUM indicators the parts of
 *   each dimension add up exactly to the value; for UNIQUE ones (de-duplicated people) the value lies
 *   between the largest part and the sum of the parts; NONE has no relation.
 * Returns the problems found (empty when valid) and, when valid, the value and the not-assessable flag.
 */
export function checkMeasurementValues(
  indicator: MeasuredIndicator,
  input: MeasurementValues,
  at = '',
): { problems: MeasurementProblem[]; checked: CheckedValues | null } {
  const problems: MeasurementProblem[] = [];
  const add = (code: MeasurementErrorCode, field: string, message: string) => problems.push({ code, field: `${at}${field}`, message });

  const value = checkRatio(indicator, input, add);
  if (value === null && problems.length === 0) {
    add('MEASUREMENT_VALUE_REQUIRED', 'value', 'is required (or numerator and denominator, when the formula has them)');
  }
  if (value !== null && input.value !== undefined) {
    unitProblem(indicator, value, 'value', add);
  }
  if (value !== null && input.value === undefined) {
    unitProblem(indicator, value, 'value', add, 'the value computed from numerator and denominator');
  }

  if (input.sampleSize !== undefined && !(Number.isSafeInteger(input.sampleSize) && input.sampleSize >= 0 && input.sampleSize <= MAX_SAMPLE_SIZE)) {
    add('MEASUREMENT_VALUE_OUT_OF_RANGE', 'sampleSize', SAMPLE_SIZE_RULE);
  }
  if (indicator.minSampleSize !== null && input.sampleSize === undefined) {
    add('MEASUREMENT_SAMPLE_SIZE_REQUIRED', 'sampleSize', `is required: ${indicator.code} is a survey with a minimum sample of ${indicator.minSampleSize}`);
  }

  checkParts(indicator, input.disaggregations ?? {}, value, add);

  if (problems.length > 0 || value === null) {
    return { problems, checked: null };
  }
  const notAssessable = indicator.minSampleSize !== null && input.sampleSize !== undefined && input.sampleSize < indicator.minSampleSize;
  return { problems, checked: { value, notAssessable } };
}

type Add = (code: MeasurementErrorCode, field: string, message: string) => void;

function unitProblem(indicator: MeasuredIndicator, value: string, field: string, add: Add, what?: string): boolean {
  try {
    checkIndicatorValue(indicator.unit, value, field);
    return false;
  } catch (error) {
    if (error instanceof DomainError) {
      const message = error.details.fields?.[0]?.message ?? error.message;
      add(numberProblemCode(value), field, what ? `${what} (${value}) ${message}` : message);
      return true;
    }
    throw error;
  }
}

/** A value that is not a decimal string at all ("15%", "abc") is not a number; a decimal outside the unit's range is out of range. */
function numberProblemCode(value: string): MeasurementErrorCode {
  return describeDecimalProblem(value) === null ? 'MEASUREMENT_VALUE_OUT_OF_RANGE' : 'MEASUREMENT_VALUE_NOT_A_NUMBER';
}

/** The value to store: the submitted one, or the one computed from numerator/denominator; null when none can be had. */
function checkRatio(indicator: MeasuredIndicator, input: MeasurementValues, add: Add): string | null {
  const hasParts = input.numerator !== undefined || input.denominator !== undefined;
  if (!hasParts) {
    return input.value ?? null;
  }
  const formula = indicator.formula;
  if (!formula?.numerator || !formula.denominator) {
    const field = input.numerator !== undefined ? 'numerator' : 'denominator';
    add('MEASUREMENT_FORMULA_PARTS_NOT_APPLICABLE', field, `${indicator.code} has no numerator/denominator in its formula`);
    return null;
  }
  if (input.numerator === undefined || input.denominator === undefined) {
    const missing = input.numerator === undefined ? 'numerator' : 'denominator';
    add('MEASUREMENT_FORMULA_PARTS_INCOMPLETE', missing, `must be given with the ${missing === 'numerator' ? 'denominator' : 'numerator'}`);
    return null;
  }
  const numeratorProblem = describeDecimalProblem(input.numerator, { min: '0' });
  const denominatorProblem = describeDecimalProblem(input.denominator, {});
  if (numeratorProblem) add(numberProblemCode(input.numerator), 'numerator', numeratorProblem);
  if (denominatorProblem) add(numberProblemCode(input.denominator), 'denominator', denominatorProblem);
  else if (!dec(input.denominator).gt(0)) add('MEASUREMENT_VALUE_OUT_OF_RANGE', 'denominator', 'must be greater than 0');
  if (numeratorProblem || denominatorProblem || !dec(input.denominator).gt(0)) {
    return null;
  }
  const ratio = dec(input.numerator).div(dec(input.denominator)).times(indicator.unit === 'PERCENT' ? 100 : 1);
  if (input.value === undefined) {
    return ratio.toDecimalPlaces(COMPUTED_VALUE_SCALE, Dec.ROUND_HALF_UP).toFixed();
  }
  if (describeDecimalProblem(input.value) !== null) {
    return input.value; // the range check names the format problem
  }
  const expected = ratio.toDecimalPlaces(scaleOf(input.value), Dec.ROUND_HALF_UP);
  if (!expected.eq(dec(input.value))) {
    const shown = expected.toFixed(scaleOf(input.value));
    add('MEASUREMENT_FORMULA_MISMATCH', 'value', `must equal numerator / denominator${indicator.unit === 'PERCENT' ? ' x 100' : ''} = ${shown} at the value's ${scaleOf(input.value)} decimal places`);
  }
  return input.value;
}

function checkParts(indicator: MeasuredIndicator, parts: DisaggregationValues, value: string | null, add: Add): void {
  const declared = new Map(indicator.disaggregations.map((d) => [d.dimension, d.values]));
  for (const [dimension, values] of Object.entries(parts)) {
    const allowed = declared.get(dimension);
    const path = `disaggregations.${dimension}`;
    if (!allowed) {
      const known = [...declared.keys()];
      add('MEASUREMENT_DISAGGREGATION_INVALID', path, `${indicator.code} has no dimension ${dimension}${known.length ? ` (it has ${known.join(', ')})` : ''}`);
      continue;
    }
    let valid = true;
    for (const key of Object.keys(values)) {
      if (!allowed.includes(key)) {
        add('MEASUREMENT_DISAGGREGATION_INVALID', `${path}.${key}`, `is not a value of dimension ${dimension} (${allowed.join(', ')})`);
        valid = false;
      } else if (unitProblem(indicator, values[key], `${path}.${key}`, add)) {
        valid = false;
      }
    }
    const missing = allowed.filter((v) => !(v in values));
    if (missing.length > 0) {
      add('MEASUREMENT_DISAGGREGATION_INVALID', path, `must give every value of ${dimension}; missing ${missing.join(', ')}`);
      valid = false;
    }
    if (!valid || value === null || describeDecimalProblem(value) !== null) {
      continue;
    }
    const total = dec(value);
    const sum = sumDecimals(Object.values(values));
    if (indicator.aggregation === 'SUM' && !sum.eq(total)) {
      add('MEASUREMENT_DISAGGREGATION_MISMATCH', path, `parts add up to ${sum.toFixed()}, not to the value ${value}`);
    }
    if (indicator.aggregation === 'UNIQUE') {
      const largest = Object.values(values).reduce((acc, v) => (dec(v).gt(acc) ? dec(v) : acc), new Dec(0));
      if (total.lt(largest) || total.gt(sum)) {
        add(
          'MEASUREMENT_DISAGGREGATION_MISMATCH',
          path,
          `the de-duplicated value ${value} must lie between the largest part ${largest.toFixed()} and the sum of the parts ${sum.toFixed()}`,
        );
      }
    }
  }
}

/** What weighing a member's value needs: its sample size or its denominator. */
export interface WeighableRow {
  sampleSize: number | null;
  denominator: string | null;
}

/**
 * How the values several members report for a rate or score (aggregation NONE) are combined into the
 * grouping's: each weighed by its sample size when every row has one, else by its denominator when every
 * row has one (which gives the pooled ratio). Null when they have no common weight, or it sums to zero:
 * then the values cannot be combined (docs/measurements.md). Used by settlement and by acceptance, which
 * refuses a measurement that would leave its grouping's values in that state.
 */
export function commonWeight<T extends WeighableRow>(rows: readonly T[]): ((row: T) => Dec) | null {
  const weigh = rows.every((r) => r.sampleSize !== null)
    ? (r: T): Dec => new Dec(r.sampleSize ?? 0)
    : rows.every((r) => r.denominator !== null)
      ? (r: T): Dec => dec(r.denominator ?? '0')
      : null;
  if (weigh === null) return null;
  return rows.reduce((acc, r) => acc.plus(weigh(r)), new Dec(0)).isZero() ? null : weigh;
}
