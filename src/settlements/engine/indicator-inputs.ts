import { Dec, dec } from 'src/common/decimal/decimal';
import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import type { IndicatorInput, MeasurementSource } from 'src/settlements/settlement-document';
import { commonWeight } from 'src/measurements/measurement.rules';
import { SettlementError } from 'src/settlements/settlements.errors';

// What one indicator is worth for one grouping and period, from the accepted measurement versions of
// its members (each member ETS reports its own row).
//
//   no accepted row                      -> MISSING
//   one row                              -> SINGLE: its value
//   counts (aggregation SUM or UNIQUE)   -> SUM: values, parts and sample sizes add up
//   rates and scores (aggregation NONE)  -> WEIGHTED_MEAN: sum(value_i x w_i) / sum(w_i), w = sample size
//                                           when every row has one, else the denominator (which gives the
//                                           pooled ratio); neither -> SETTLEMENT_AGGREGATION_AMBIGUOUS
//   a survey (minimum sample) whose pooled sample is below the minimum, or any other row flagged not
//   assessable                           -> NOT_ASSESSABLE
//
// Worked example (IND-04 satisfaction, NONE): Aurora 78.0 on n = 120, Borgo Vivo 73.0 on n = 80
//   -> (78.0 x 120 + 73.0 x 80) / 200 = 76, sample 200 (>= 200: assessable).

export interface MeasurementRow {
  measurementId: string;
  version: number;
  /** Code of the member organisation that submitted it. */
  organisation: string;
  value: string;
  numerator: string | null;
  denominator: string | null;
  sampleSize: number | null;
  notAssessable: boolean;
  disaggregations: Record<string, Record<string, string>>;
}

function rowFor<T extends { grouping: string | null }>(rows: readonly T[], grouping: string): T | undefined {
  return rows.find((r) => r.grouping === grouping) ?? rows.find((r) => r.grouping === null);
}

function combineParts(rows: readonly MeasurementRow[], weigh: (row: MeasurementRow) => Dec | null): Record<string, Record<string, string>> {
  const sums = new Map<string, Map<string, { total: Dec; weight: Dec }>>();
  for (const row of rows) {
    const w = weigh(row);
    for (const [dimension, parts] of Object.entries(row.disaggregations)) {
      const d = sums.get(dimension) ?? new Map<string, { total: Dec; weight: Dec }>();
      sums.set(dimension, d);
      for (const [category, value] of Object.entries(parts)) {
        const acc = d.get(category) ?? { total: new Dec(0), weight: new Dec(0) };
        d.set(category, { total: acc.total.plus(w === null ? dec(value) : dec(value).times(w)), weight: acc.weight.plus(w ?? 0) });
      }
    }
  }
  const out: Record<string, Record<string, string>> = {};
  for (const dimension of [...sums.keys()].sort()) {
    const parts = sums.get(dimension) ?? new Map<string, { total: Dec; weight: Dec }>();
    out[dimension] = {};
    for (const category of [...parts.keys()].sort()) {
      const acc = parts.get(category) ?? { total: new Dec(0), weight: new Dec(1) };
      out[dimension][category] = (weigh === noWeight || acc.weight.isZero() ? acc.total : acc.total.dividedBy(acc.weight)).toString();
    }
  }
  return out;
}

const noWeight = (): null => null;

export function indicatorInput(indicator: IndicatorSnapshot, period: string, grouping: string, rows: readonly MeasurementRow[]): IndicatorInput {
  const baseline = rowFor(indicator.baselines, grouping)?.value ?? null;
  const target = indicator.targets.find((t) => t.period === period && t.grouping === grouping)?.value ??
    indicator.targets.find((t) => t.period === period && t.grouping === null)?.value ??
    null;
  const sorted = [...rows].sort((a, b) => a.organisation.localeCompare(b.organisation));
  const sources: MeasurementSource[] = sorted.map((r) => ({
    measurementId: r.measurementId,
    version: r.version,
    organisation: r.organisation,
    value: r.value,
    notAssessable: r.notAssessable,
    sampleSize: r.sampleSize,
  }));
  const base: IndicatorInput = {
    code: indicator.code,
    labelIt: indicator.labelIt,
    labelEn: indicator.labelEn,
    unit: indicator.unit,
    direction: indicator.direction,
    minSampleSize: indicator.minSampleSize,
    baseline,
    target,
    status: 'MISSING',
    value: null,
    sampleSize: null,
    disaggregations: {},
    aggregation: 'NONE',
    sources,
  };
  if (sorted.length === 0) return base;

  const sizes = sorted.map((r) => r.sampleSize);
  const sampleSize = sizes.every((s) => s !== null) ? sizes.reduce<Dec>((acc, s) => acc.plus(s ?? 0), new Dec(0)) : null;
  let aggregation: IndicatorInput['aggregation'];
  let value: Dec;
  let disaggregations: Record<string, Record<string, string>>;
  if (sorted.length === 1) {
    aggregation = 'SINGLE';
    value = dec(sorted[0].value);
    disaggregations = combineParts(sorted, noWeight);
  } else if (indicator.aggregation !== 'NONE') {
    aggregation = 'SUM';
    value = sorted.reduce((acc, r) => acc.plus(dec(r.value)), new Dec(0));
    disaggregations = combineParts(sorted, noWeight);
  } else {
    const weightOf = commonWeight(sorted);
    if (weightOf === null) {
      throw new SettlementError(
        'SETTLEMENT_AGGREGATION_AMBIGUOUS',
        `${indicator.code} is a rate reported by ${sorted.length} members of ${grouping} without sample sizes or denominators to weigh them`,
        { fields: [{ field: indicator.code, message: 'report a sample size or a denominator with each member value, or one value for the grouping' }] },
      );
    }
    aggregation = 'WEIGHTED_MEAN';
    const total = sorted.reduce((acc, r) => acc.plus(weightOf(r)), new Dec(0));
    value = sorted.reduce((acc, r) => acc.plus(dec(r.value).times(weightOf(r))), new Dec(0)).dividedBy(total);
    disaggregations = combineParts(sorted, weightOf);
  }
  // A survey is judged on the grouping's pooled sample (each member's own flag only says its part fell short);
  // anything else flagged not assessable by a member stays so.
  const notAssessable =
    indicator.minSampleSize !== null ? sampleSize === null || sampleSize.lessThan(indicator.minSampleSize) : sorted.some((r) => r.notAssessable);
  return {
    ...base,
    status: notAssessable ? 'NOT_ASSESSABLE' : 'ACCEPTED',
    value: notAssessable ? null : value.toString(),
    sampleSize: sampleSize === null ? null : sampleSize.toString(),
    disaggregations: notAssessable ? {} : disaggregations,
    aggregation,
  };
}
