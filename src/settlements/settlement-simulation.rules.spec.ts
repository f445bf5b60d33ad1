import type { MeasuredIndicator } from 'src/measurements/measurement.rules';
import { hypotheticalProblems, mergeProblems, repeatedPeriods, type HypotheticalEntry, type SimulationFrame } from 'src/settlements/settlement-simulation.rules';

// Padova's binding version 1 as far as the checks need it (contracts/examples/padova-sdc-2.0.json).
const IND_02: MeasuredIndicator = { code: 'IND-02', unit: 'COUNT', aggregation: 'SUM', minSampleSize: null, disaggregations: [], formula: null };
const IND_03: MeasuredIndicator = {
  code: 'IND-03',
  unit: 'COUNT',
  aggregation: 'UNIQUE',
  minSampleSize: null,
  disaggregations: [
    { dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] },
    { dimension: 'NEED_TYPE', values: ['SOCIALITA', 'MOVIMENTO', 'CULTURA', 'SUPPORTO'] },
  ],
  formula: null,
};
const IND_04: MeasuredIndicator = { code: 'IND-04', unit: 'PERCENT', aggregation: 'NONE', minSampleSize: 200, disaggregations: [], formula: null };
const SUMMED: MeasuredIndicator = { ...IND_03, code: 'IND-S', aggregation: 'SUM', disaggregations: [{ dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] }] };

const FRAME: SimulationFrame = {
  contractCode: 'PD-SDC-2.0',
  groupings: ['RTI-A', 'RTI-B'],
  version: 1,
  indicators: [IND_02, IND_03, IND_04, SUMMED],
  payers: [],
};

const check = (entries: HypotheticalEntry[], frame: SimulationFrame = FRAME) => hypotheticalProblems(entries, frame).map((p) => [p.code, p.field, p.message]);

describe('hypothetical measurements of a simulation', () => {
  it('accepts Case D for RTI-A: a count, parts that lie between the largest and their sum, a survey with its sample', () => {
    const entry = {
      grouping: 'RTI-A',
      measurements: {
        'IND-02': { value: '12' },
        'IND-03': { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '1065', UNDER60: '145' } } },
        'IND-04': { value: '76.0', sampleSize: 240 },
      },
    };
    expect(check([entry, { grouping: 'RTI-B', measurements: { 'IND-04': { status: 'NOT_ASSESSABLE', sampleSize: 150 } } }])).toEqual([]);
  });

  it('an unknown grouping is named with the contract groupings, a second entry for one grouping is refused', () => {
    expect(check([{ grouping: 'RTI-NOR', measurements: {} }, { grouping: 'RTI-A', measurements: {} }, { grouping: 'RTI-A', measurements: {} }])).toEqual([
      ['SETTLEMENT_GROUPING_NOT_IN_CONTRACT', 'hypothetical[0].grouping', 'RTI-NOR is not a grouping of contract PD-SDC-2.0 (it has RTI-A, RTI-B)'],
      ['SETTLEMENT_SIMULATION_INVALID', 'hypothetical[2].grouping', "RTI-A appears twice (also hypothetical[1]): give each grouping's measurements in one entry"],
    ]);
  });

  it('parts follow the rules of a real measurement: declared dimensions and categories, all of them, adding up', () => {
    const problems = check([
      {
        grouping: 'RTI-A',
        measurements: {
          'IND-03': { value: '1210', disaggregations: { TARGT: { OVER60: '1065', UNDER60: '145' }, NEED_TYPE: { SOCIALITA: '1210', SPORT: '1' } } },
          'IND-S': { value: '100', disaggregations: { TARGET_GROUP: { OVER60: '60', UNDER60: '30' } } },
        },
      },
    ]);
    expect(problems).toEqual([
      ['MEASUREMENT_DISAGGREGATION_INVALID', 'hypothetical[0].measurements.IND-03.disaggregations.TARGT', 'IND-03 has no dimension TARGT (it has TARGET_GROUP, NEED_TYPE)'],
      ['MEASUREMENT_DISAGGREGATION_INVALID', 'hypothetical[0].measurements.IND-03.disaggregations.NEED_TYPE.SPORT', 'is not a value of dimension NEED_TYPE (SOCIALITA, MOVIMENTO, CULTURA, SUPPORTO)'],
      ['MEASUREMENT_DISAGGREGATION_INVALID', 'hypothetical[0].measurements.IND-03.disaggregations.NEED_TYPE', 'must give every value of NEED_TYPE; missing MOVIMENTO, CULTURA, SUPPORTO'],
      ['MEASUREMENT_DISAGGREGATION_MISMATCH', 'hypothetical[0].measurements.IND-S.disaggregations.TARGET_GROUP', 'parts add up to 90, not to the value 100'],
    ]);
  });

  it('unknown indicators, the wrong shape (reported where the measurement comes), a survey without its sample and one assessable by its sample are each reported at their field', () => {
    const problems = check([
      {
        grouping: 'RTI-B',
        measurements: {
          'IND-99': { value: '3' },
          'IND-02': { value: 12, sampleSize: 1.5 },
          'IND-03': { status: 'NOT_ASSESSABLE', value: '3' },
          'IND-04': { value: '76.0' },
        },
      },
      { grouping: 'RTI-A', measurements: { 'IND-04': { status: 'NOT_ASSESSABLE', sampleSize: 240 } }, evaluations: { FOUNDATION: { significant: true, certifiedSavings: '10.00' } } },
    ]);
    expect(problems.map(([code, field]) => [code, field])).toEqual([
      ['MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION', 'hypothetical[0].measurements.IND-99'],
      ['SETTLEMENT_SIMULATION_INVALID', 'hypothetical[0].measurements.IND-02.value'],
      ['SETTLEMENT_SIMULATION_INVALID', 'hypothetical[0].measurements.IND-02.sampleSize'],
      ['SETTLEMENT_SIMULATION_INVALID', 'hypothetical[0].measurements.IND-03.value'],
      ['MEASUREMENT_SAMPLE_SIZE_REQUIRED', 'hypothetical[0].measurements.IND-04.sampleSize'],
      ['SETTLEMENT_SIMULATION_INVALID', 'hypothetical[1].measurements.IND-04.sampleSize'],
      ['SETTLEMENT_EVALUATION_PAYER_UNKNOWN', 'hypothetical[1].evaluations.FOUNDATION'],
    ]);
    expect(problems[1][2]).toMatch(/JSON numbers are not accepted/);
    expect(problems[3][2]).toBe('is not a known field');
    expect(problems[0][2]).toBe('IND-99 is not an indicator of binding version 1 (it has IND-02, IND-03, IND-04, IND-S)');
    expect(problems[5][2]).toBe('240 reaches the minimum sample of IND-04 (200): give the value it measured instead');
    expect(problems[6][2]).toBe('the rule set has no evaluation payers');
  });

  it('a map refused as a whole (more than 20 evaluations) is reported once at the map, its entries not looked up', () => {
    const evaluations = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`P${i}`, { significant: true, certifiedSavings: '1.00' }]));
    expect(check([{ grouping: 'RTI-A', measurements: {}, evaluations }])).toEqual([
      ['SETTLEMENT_SIMULATION_INVALID', 'hypothetical[0].evaluations', 'must NOT have more than 20 properties'],
    ]);
  });

  it('a problem found in two periods is reported once', () => {
    const entries = [{ grouping: 'RTI-X', measurements: { 'IND-99': { value: '1' } } }];
    const merged = mergeProblems([hypotheticalProblems(entries, FRAME), hypotheticalProblems(entries, { ...FRAME, version: 2 })]);
    expect(merged.map((p) => p.field)).toEqual(['hypothetical[0].grouping', 'hypothetical[0].measurements.IND-99']);
  });
});

describe('periods asked for in a simulation', () => {
  it('each repeat is refused at its own field, naming the first time the period was asked', () => {
    expect(repeatedPeriods(['y1', 'y2', 'y1', 'y3', 'y1', 'y2'])).toEqual([
      { field: 'periodIds[2]', code: 'arrayUnique', message: 'periodIds[2] repeats periodIds[0]: each period is simulated once' },
      { field: 'periodIds[4]', code: 'arrayUnique', message: 'periodIds[4] repeats periodIds[0]: each period is simulated once' },
      { field: 'periodIds[5]', code: 'arrayUnique', message: 'periodIds[5] repeats periodIds[1]: each period is simulated once' },
    ]);
  });

  it('distinct periods, in any order, are no problem', () => {
    expect(repeatedPeriods(['y3', 'y1', 'y2'])).toEqual([]);
    expect(repeatedPeriods(['y1'])).toEqual([]);
  });
});
