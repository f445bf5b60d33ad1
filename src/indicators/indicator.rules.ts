import { DecimalStringOptions, describeDecimalProblem } from 'src/common/decimal/decimal-string.validator';
import { dec, Dec } from 'src/common/decimal/decimal';
import { Aggregation, Direction, Disaggregation, IndicatorScope, IndicatorUnit } from 'src/indicators/indicator.entity';
import { IndicatorError } from 'src/indicators/indicators.errors';

// Pure rules of an indicator's definition, shared by the API and the contract-document importer.
// Every function takes the field names it reports, or an `at` prefix, so the same rule names
// `targets[0].value` through the API and `contract.indicators[2].targets[0].value` through a document.

export interface IndicatorShape {
  unit: IndicatorUnit;
  direction: Direction;
  scope: IndicatorScope;
}

/** Baseline of one grouping (code or id) or contract-wide (null); a null value is "to be established". */
export interface BaselineRef {
  grouping: string | null;
  value: string | null;
}

/** Target for one period (code or id) and one grouping (code or id) or contract-wide (null). */
export interface TargetRef {
  period: string;
  grouping: string | null;
  value: string;
}

/** Reference population (code or id) an indicator divides by, for one grouping or contract-wide. */
export interface DenominatorRef {
  grouping: string | null;
  population: string;
}

const UNIT_RANGES: Record<IndicatorUnit, DecimalStringOptions> = {
  PERCENT: { min: '0', max: '100' },
  COUNT: { min: '0', integer: true },
  EUR: { min: '0', maxScale: 2 },
  RATIO: { min: '0' },
  HOURS: { min: '0' },
  DAYS: { min: '0' },
  FTE: { min: '0' },
  SCORE: {},
};

/**
 * A value in the indicator's unit: PERCENT within 0..100; COUNT a whole number >= 0; EUR >= 0 with at
 * most 2 decimals; RATIO, HOURS, DAYS, FTE >= 0; SCORE any decimal. Throws INDICATOR_VALUE_OUT_OF_RANGE
 * naming `field`.
 */
export function checkIndicatorValue(unit: IndicatorUnit, value: string, field: string): void {
  const problem = describeDecimalProblem(value, UNIT_RANGES[unit]);
  if (problem !== null) {
    throw new IndicatorError('INDICATOR_VALUE_OUT_OF_RANGE', `${field} ${problem} (unit ${unit})`, {
      unit,
      value,
      fields: [{ field, message: `${problem} (${unit})` }],
    });
  }
}

/**
 * The baselines and targets of one indicator, as a set: every value in the unit's range; at most one
 * baseline per grouping (and one contract-wide); at most one target per period and grouping; nothing
 * per grouping on a CONTRACT_WIDE indicator; and each target on the improving side of its baseline
 * (INCREASE: target > baseline; DECREASE: target < baseline; LEVEL: either). A target's baseline is its
 * grouping's own, else the contract-wide one; a null baseline (still to be established) has no side yet.
 * at prefixes paths, e.g. at='contract.indicators[2].' gives 'contract.indicators[2].targets[0].value'.
 */
export function checkBaselinesAndTargets(
  indicator: IndicatorShape,
  baselines: readonly BaselineRef[],
  targets: readonly TargetRef[],
  at = '',
): void {
  baselines.forEach((b, i) => {
    if (b.value !== null) {
      checkIndicatorValue(indicator.unit, b.value, `${at}baselines[${i}].value`);
    }
  });
  targets.forEach((t, i) => checkIndicatorValue(indicator.unit, t.value, `${at}targets[${i}].value`));

  if (indicator.scope === 'CONTRACT_WIDE') {
    checkContractWide(baselines, `${at}baselines`);
    checkContractWide(targets, `${at}targets`);
  }

  const baselineByGrouping = new Map<string | null, BaselineRef>();
  baselines.forEach((b, i) => {
    if (baselineByGrouping.has(b.grouping)) {
      const whose = b.grouping === null ? 'contract-wide' : `grouping ${b.grouping}`;
      throw new IndicatorError('INDICATOR_DUPLICATE_BASELINE', `Two baselines for ${whose}`, {
        grouping: b.grouping,
        fields: [{ field: `${at}baselines[${i}]`, message: `a second baseline for ${whose}` }],
      });
    }
    baselineByGrouping.set(b.grouping, b);
  });

  const seenTargets = new Set<string>();
  targets.forEach((t, i) => {
    const key = JSON.stringify([t.period, t.grouping]);
    if (seenTargets.has(key)) {
      const whose = t.grouping === null ? 'contract-wide' : `grouping ${t.grouping}`;
      throw new IndicatorError('INDICATOR_DUPLICATE_TARGET', `Two targets for period ${t.period}, ${whose}`, {
        period: t.period,
        grouping: t.grouping,
        fields: [{ field: `${at}targets[${i}]`, message: `a second target for period ${t.period}, ${whose}` }],
      });
    }
    seenTargets.add(key);
  });

  if (indicator.direction === 'LEVEL') {
    return;
  }
  targets.forEach((t, i) => {
    const baseline = (t.grouping !== null ? baselineByGrouping.get(t.grouping) : undefined) ?? baselineByGrouping.get(null);
    if (baseline === undefined || baseline.value === null) {
      return;
    }
    const improves =
      indicator.direction === 'INCREASE' ? dec(t.value).gt(dec(baseline.value)) : dec(t.value).lt(dec(baseline.value));
    if (!improves) {
      const side = indicator.direction === 'INCREASE' ? 'above' : 'below';
      throw new IndicatorError(
        'INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE',
        `${at}targets[${i}].value ${t.value} must be ${side} the baseline ${baseline.value} (direction ${indicator.direction})`,
        {
          baseline: baseline.value,
          target: t.value,
          direction: indicator.direction,
          fields: [{ field: `${at}targets[${i}].value`, message: `must be ${side} the baseline ${baseline.value}` }],
        },
      );
    }
  });
}

/** At most one reference population per grouping (and one contract-wide); none per grouping on a CONTRACT_WIDE indicator. */
export function checkDenominators(indicator: Pick<IndicatorShape, 'scope'>, denominators: readonly DenominatorRef[], at = ''): void {
  if (indicator.scope === 'CONTRACT_WIDE') {
    checkContractWide(denominators, `${at}denominators`);
  }
  const seen = new Set<string | null>();
  denominators.forEach((d, i) => {
    if (seen.has(d.grouping)) {
      const whose = d.grouping === null ? 'contract-wide' : `grouping ${d.grouping}`;
      throw new IndicatorError('INDICATOR_DUPLICATE_DENOMINATOR', `Two denominators for ${whose}`, {
        grouping: d.grouping,
        fields: [{ field: `${at}denominators[${i}]`, message: `a second denominator for ${whose}` }],
      });
    }
    seen.add(d.grouping);
  });
}

/** Each dimension (target group, neighbourhood, need type...) once, each of its values once. */
export function checkDisaggregations(disaggregations: readonly Disaggregation[], at = ''): void {
  const dimensions = new Set<string>();
  disaggregations.forEach((d, i) => {
    if (dimensions.has(d.dimension)) {
      throw new IndicatorError('INDICATOR_DISAGGREGATION_INVALID', `Dimension ${d.dimension} is listed twice`, {
        fields: [{ field: `${at}disaggregations[${i}].dimension`, message: `dimension ${d.dimension} is listed twice` }],
      });
    }
    dimensions.add(d.dimension);
    const values = new Set<string>();
    d.values.forEach((v, j) => {
      if (values.has(v)) {
        throw new IndicatorError('INDICATOR_DISAGGREGATION_INVALID', `Value ${v} of dimension ${d.dimension} is listed twice`, {
          fields: [{ field: `${at}disaggregations[${i}].values[${j}]`, message: `value ${v} is listed twice` }],
        });
      }
      values.add(v);
    });
  });
}

/**
 * How parts relate to the total when the definition does not say: counts add up (SUM); rates, scores,
 * money and durations have no such relation (NONE). A count of people de-duplicated across groupings
 * (Padova IND-03, the city total is the union) must say UNIQUE explicitly.
 */
export function defaultAggregation(unit: IndicatorUnit): Aggregation {
  return unit === 'COUNT' ? 'SUM' : 'NONE';
}

/** Decimal places kept in a coverage rate (percent): enough to tell one person apart in a population of millions. */
export const COVERAGE_RATE_SCALE = 6;

/**
 * Coverage rate of need (tasso di copertura del bisogno), in percent: reached / population * 100.
 * Both are counts of people (whole numbers, population > 0). The quotient is computed exactly with
 * decimal.js (50 significant digits) and rounded here, once, half-up to COVERAGE_RATE_SCALE (6) decimal
 * places; trailing zeros are dropped, so terminating rates stay exact ("1740"/"30000" gives "5.8").
 * The rate is not capped at 100: more people reached than the population is reported as it is, and
 * refused later where a PERCENT value is checked.
 */
export function coverageRate(reached: string, population: string): string {
  checkPeopleCount(reached, 'reached', '0');
  checkPeopleCount(population, 'population', '1');
  return dec(reached).div(dec(population)).times(100).toDecimalPlaces(COVERAGE_RATE_SCALE, Dec.ROUND_HALF_UP).toFixed();
}

function checkPeopleCount(value: string, field: string, min: string): void {
  const problem = describeDecimalProblem(value, { integer: true, min });
  if (problem !== null) {
    throw new IndicatorError('INDICATOR_VALUE_OUT_OF_RANGE', `${field} ${problem} (a number of people)`, {
      value,
      fields: [{ field, message: `${problem} (a number of people)` }],
    });
  }
}

function checkContractWide(rows: readonly { grouping: string | null }[], path: string): void {
  const i = rows.findIndex((r) => r.grouping !== null);
  if (i >= 0) {
    throw new IndicatorError('INDICATOR_SCOPE_MISMATCH', `A CONTRACT_WIDE indicator has nothing per grouping (${path}[${i}])`, {
      grouping: rows[i].grouping,
      fields: [{ field: `${path}[${i}]`, message: 'a CONTRACT_WIDE indicator has no per-grouping values' }],
    });
  }
}
