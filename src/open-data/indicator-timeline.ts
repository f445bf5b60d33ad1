import { Dec, dec } from 'src/common/decimal/decimal';
import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import { COMPUTED_VALUE_SCALE } from 'src/measurements/measurement.rules';
import { indicatorInput } from 'src/settlements/engine/indicator-inputs';
import type { IndicatorInput } from 'src/settlements/settlement-document';
import { DomainError } from 'src/common/errors/domain-error';
import { ContractData, PeriodData, rowKey } from 'src/open-data/open-data.model';

// One indicator of a contract across its periods, as both exports publish it: per period, the
// definition and targets of the binding version in force for that period (indicatorSetInForce), and per
// provider grouping the actual the settlement counts, from the same function (indicatorInput): one
// member row as it is; counts (SUM, UNIQUE) summed over members with their parts; rates and scores
// (NONE) as the mean weighted by sample size (else by denominator, i.e. the pooled ratio); a weighted
// mean is published rounded half-up to 6 decimals, trailing zeros dropped (as computed ratios are
// stored). No accepted row: MISSING; a row not assessable or a sample below the minimum: NOT_ASSESSABLE;
// rates of several members with nothing to weigh them: NOT_AGGREGABLE; a grouping whose results the
// caller may not see (open-data.access.ts): NOT_VISIBLE. Only ACCEPTED actuals carry a value.
//
// Worked example: IND-03 (COUNT, UNIQUE) in Y2 for RTI-A, Aurora 900 (OVER60 700, UNDER60 200) and
// Borgo Vivo 450 (OVER60 280, UNDER60 170) -> 1350 with OVER60 980, UNDER60 370, aggregation SUM.

export type ActualStatus = 'ACCEPTED' | 'MISSING' | 'NOT_ASSESSABLE' | 'NOT_AGGREGABLE' | 'NOT_VISIBLE';

export interface GroupingActual {
  grouping: string;
  status: ActualStatus;
  value: string | null;
  aggregation: IndicatorInput['aggregation'];
  /** Member rows it was made of. */
  members: number;
  disaggregations: Record<string, Record<string, string>>;
}

export interface IndicatorPeriod {
  period: PeriodData;
  /** The binding version in force for the period. */
  setVersion: number;
  definition: IndicatorSnapshot;
  targets: { grouping: string | null; value: string }[];
  actuals: GroupingActual[];
}

export interface IndicatorTimeline {
  code: string;
  /** As defined by the latest version that has it. */
  definition: IndicatorSnapshot;
  periods: IndicatorPeriod[];
}

function published(value: string, aggregation: IndicatorInput['aggregation']): string {
  if (aggregation !== 'WEIGHTED_MEAN') return value;
  return dec(value).toDecimalPlaces(COMPUTED_VALUE_SCALE, Dec.ROUND_HALF_UP).toString();
}

function actualOf(c: ContractData, indicator: IndicatorSnapshot, period: PeriodData, grouping: string): GroupingActual {
  const rows = c.rows.get(rowKey(period.code, grouping, indicator.code)) ?? [];
  const empty = { grouping, value: null, aggregation: 'NONE' as const, members: rows.length, disaggregations: {} };
  if (!c.visibleGroupings.has(grouping)) return { ...empty, status: 'NOT_VISIBLE', members: 0 };
  let input: IndicatorInput;
  try {
    input = indicatorInput(indicator, period.code, grouping, rows);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'SETTLEMENT_AGGREGATION_AMBIGUOUS') return { ...empty, status: 'NOT_AGGREGABLE' };
    throw error;
  }
  if (input.status !== 'ACCEPTED' || input.value === null) return { ...empty, status: input.status };
  const disaggregations: Record<string, Record<string, string>> = {};
  for (const [dimension, parts] of Object.entries(input.disaggregations)) {
    disaggregations[dimension] = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, published(v, input.aggregation)]));
  }
  return { grouping, status: 'ACCEPTED', value: published(input.value, input.aggregation), aggregation: input.aggregation, members: rows.length, disaggregations };
}

export function indicatorTimelines(c: ContractData): IndicatorTimeline[] {
  const timelines = new Map<string, IndicatorTimeline>();
  for (const period of c.periods) {
    const set = c.sets[period.code];
    if (!set) continue;
    for (const definition of set.indicators) {
      const timeline = timelines.get(definition.code) ?? { code: definition.code, definition, periods: [] };
      timeline.definition = definition;
      timeline.periods.push({
        period,
        setVersion: set.version,
        definition,
        targets: definition.targets.filter((t) => t.period === period.code).map((t) => ({ grouping: t.grouping, value: t.value })),
        actuals: c.groupings.map((g) => actualOf(c, definition, period, g.code)),
      });
      timelines.set(definition.code, timeline);
    }
  }
  return [...timelines.values()];
}
