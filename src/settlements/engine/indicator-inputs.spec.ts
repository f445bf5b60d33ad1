import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import { indicatorInput, MeasurementRow } from 'src/settlements/engine/indicator-inputs';

// How members' rows become one grouping value: a single row as is, counts summed with their parts, rates
// weighted by sample size (or denominator), surveys judged on the pooled sample, ambiguity refused.

function indicator(extra: Partial<IndicatorSnapshot>): IndicatorSnapshot {
  return {
    code: 'IND-X',
    labelIt: 'x',
    labelEn: null,
    node: 'N',
    unit: 'COUNT',
    direction: 'INCREASE',
    formula: null,
    instrument: null,
    dataOwner: null,
    frequency: 'ANNUAL',
    scope: 'PER_GROUPING',
    aggregation: 'SUM',
    minSampleSize: null,
    disaggregations: [],
    baselines: [{ grouping: 'RTI-A', value: '100' }, { grouping: null, value: '50' }],
    targets: [{ period: 'Y2', grouping: null, value: '120' }],
    denominators: [],
    ...extra,
  };
}

function row(organisation: string, value: string, extra: Partial<MeasurementRow> = {}): MeasurementRow {
  return { measurementId: `m-${organisation}`, version: 1, organisation, value, numerator: null, denominator: null, sampleSize: null, notAssessable: false, disaggregations: {}, ...extra };
}

describe('a grouping value from its members rows', () => {
  it('is MISSING without rows, with the grouping baseline and the contract-wide target', () => {
    expect(indicatorInput(indicator({}), 'Y2', 'RTI-A', [])).toMatchObject({ status: 'MISSING', value: null, baseline: '100', target: '120', sources: [] });
    expect(indicatorInput(indicator({}), 'Y2', 'RTI-B', []).baseline).toBe('50');
  });

  it('sums counts and their parts, listing every source row', () => {
    const v = indicatorInput(indicator({}), 'Y2', 'RTI-A', [
      row('ETS-B', '500', { disaggregations: { TARGET_GROUP: { OVER60: '400', UNDER60: '100' } } }),
      row('ETS-A', '710', { disaggregations: { TARGET_GROUP: { OVER60: '568', UNDER60: '142' } } }),
    ]);
    expect(v).toMatchObject({ status: 'ACCEPTED', value: '1210', aggregation: 'SUM', disaggregations: { TARGET_GROUP: { OVER60: '968', UNDER60: '242' } } });
    expect(v.sources.map((s) => s.organisation)).toEqual(['ETS-A', 'ETS-B']);
  });

  it('weighs a rate by sample size, and judges a survey on the pooled sample (120 + 80 = 200 >= 200)', () => {
    const survey = indicator({ unit: 'PERCENT', aggregation: 'NONE', minSampleSize: 200, direction: 'LEVEL' });
    const v = indicatorInput(survey, 'Y2', 'RTI-A', [row('ETS-A', '78.0', { sampleSize: 120, notAssessable: true }), row('ETS-B', '73.0', { sampleSize: 80, notAssessable: true })]);
    expect(v).toMatchObject({ status: 'ACCEPTED', value: '76', sampleSize: '200', aggregation: 'WEIGHTED_MEAN' });
    const small = indicatorInput(survey, 'Y2', 'RTI-A', [row('ETS-A', '78.0', { sampleSize: 100 }), row('ETS-B', '73.0', { sampleSize: 50 })]);
    expect([small.status, small.value, small.sampleSize]).toEqual(['NOT_ASSESSABLE', null, '150']);
  });

  it('weighs by denominators when there are no sample sizes (the pooled ratio)', () => {
    const rate = indicator({ unit: 'PERCENT', aggregation: 'NONE' });
    const v = indicatorInput(rate, 'Y2', 'RTI-A', [row('ETS-A', '10', { numerator: '100', denominator: '1000' }), row('ETS-B', '5', { numerator: '150', denominator: '3000' })]);
    expect(v.value).toBe('6.25');
  });

  it('refuses to average rates with nothing to weigh them by', () => {
    const rate = indicator({ unit: 'PERCENT', aggregation: 'NONE' });
    expect(() => indicatorInput(rate, 'Y2', 'RTI-A', [row('ETS-A', '10'), row('ETS-B', '5')])).toThrow(expect.objectContaining({ code: 'SETTLEMENT_AGGREGATION_AMBIGUOUS' }));
  });
});
