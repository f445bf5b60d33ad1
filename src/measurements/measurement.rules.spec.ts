import { checkMeasurementValues, MAX_SAMPLE_SIZE, MeasuredIndicator, notAssessableProblem } from 'src/measurements/measurement.rules';

// Padova's indicators as frozen in a binding version (examples/padova-sdc.md).
const IND_02: MeasuredIndicator = { code: 'IND-02', unit: 'COUNT', aggregation: 'SUM', minSampleSize: null, disaggregations: [], formula: null };
const IND_03: MeasuredIndicator = {
  code: 'IND-03',
  unit: 'COUNT',
  aggregation: 'UNIQUE',
  minSampleSize: null,
  disaggregations: [
    { dimension: 'target', values: ['OVER60', 'UNDER60'] },
    { dimension: 'needType', values: ['SOCIALITA', 'MOVIMENTO', 'CULTURA', 'SUPPORTO'] },
  ],
  formula: null,
};
const IND_04: MeasuredIndicator = { code: 'IND-04', unit: 'PERCENT', aggregation: 'NONE', minSampleSize: 200, disaggregations: [], formula: null };
const IND_05: MeasuredIndicator = {
  code: 'IND-05',
  unit: 'PERCENT',
  aggregation: 'NONE',
  minSampleSize: null,
  disaggregations: [],
  formula: { text: 'over60 conosciuti / residenti over60 * 100', numerator: 'over60 conosciuti', denominator: 'residenti over60' },
};
const SUMMED: MeasuredIndicator = { ...IND_03, code: 'IND-X', aggregation: 'SUM', disaggregations: [{ dimension: 'target', values: ['OVER60', 'UNDER60'] }] };

const codes = (r: ReturnType<typeof checkMeasurementValues>) => r.problems.map((p) => [p.code, p.field]);

describe('measured values against their indicator', () => {
  it('accepts a count and keeps the value as written', () => {
    expect(checkMeasurementValues(IND_02, { value: '11' })).toEqual({ problems: [], checked: { value: '11', notAssessable: false } });
  });

  it('refuses counts with decimals, negative counts and percentages above 100, naming the field under the prefix', () => {
    expect(codes(checkMeasurementValues(IND_02, { value: '10.5' }, 'items[2].'))).toEqual([['MEASUREMENT_VALUE_OUT_OF_RANGE', 'items[2].value']]);
    expect(checkMeasurementValues(IND_02, { value: '-1' }).problems[0].message).toBe('must be at least 0 (COUNT)');
    expect(codes(checkMeasurementValues(IND_04, { value: '100.1', sampleSize: 250 }))).toEqual([['MEASUREMENT_VALUE_OUT_OF_RANGE', 'value']]);
  });

  it('requires a value unless numerator and denominator give it', () => {
    expect(codes(checkMeasurementValues(IND_02, {}))).toEqual([['MEASUREMENT_VALUE_REQUIRED', 'value']]);
  });

  it('computes a percentage from numerator and denominator, half-up to 6 decimals without trailing zeros', () => {
    expect(checkMeasurementValues(IND_05, { numerator: '1740', denominator: '30000' }).checked).toEqual({ value: '5.8', notAssessable: false });
    expect(checkMeasurementValues(IND_05, { numerator: '1', denominator: '3' }).checked?.value).toBe('33.333333');
    expect(checkMeasurementValues(IND_05, { numerator: '2', denominator: '3' }).checked?.value).toBe('66.666667');
  });

  it('accepts a given value equal to the ratio at its own decimals and refuses any other', () => {
    expect(checkMeasurementValues(IND_05, { value: '5.80', numerator: '1740', denominator: '30000' }).checked?.value).toBe('5.80');
    expect(checkMeasurementValues(IND_05, { value: '66.67', numerator: '2', denominator: '3' }).checked?.value).toBe('66.67');
    const wrong = checkMeasurementValues(IND_05, { value: '5.9', numerator: '1740', denominator: '30000' });
    expect(codes(wrong)).toEqual([['MEASUREMENT_FORMULA_MISMATCH', 'value']]);
    expect(wrong.problems[0].message).toBe("must equal numerator / denominator x 100 = 5.8 at the value's 1 decimal places");
  });

  it('refuses numerator/denominator where the formula has none, one without the other, and a zero denominator', () => {
    expect(codes(checkMeasurementValues(IND_02, { value: '3', numerator: '3', denominator: '1' }))).toEqual([['MEASUREMENT_FORMULA_PARTS_NOT_APPLICABLE', 'numerator']]);
    expect(codes(checkMeasurementValues(IND_05, { numerator: '3' }))).toEqual([['MEASUREMENT_FORMULA_PARTS_INCOMPLETE', 'denominator']]);
    expect(checkMeasurementValues(IND_05, { numerator: '3' }).problems[0].message).toBe('must be given with the numerator');
    expect(checkMeasurementValues(IND_05, { denominator: '3' }).problems[0].message).toBe('must be given with the denominator');
    expect(codes(checkMeasurementValues(IND_05, { numerator: '3', denominator: '0' }))).toEqual([['MEASUREMENT_VALUE_OUT_OF_RANGE', 'denominator']]);
  });

  it('keeps a survey below its minimum sample, flagged not assessable, and requires the sample size', () => {
    expect(checkMeasurementValues(IND_04, { value: '82.5', sampleSize: 150 }).checked).toEqual({ value: '82.5', notAssessable: true });
    expect(checkMeasurementValues(IND_04, { value: '82.5', sampleSize: 200 }).checked).toEqual({ value: '82.5', notAssessable: false });
    expect(codes(checkMeasurementValues(IND_04, { value: '82.5' }))).toEqual([['MEASUREMENT_SAMPLE_SIZE_REQUIRED', 'sampleSize']]);
  });

  it('bounds the sample size to whole respondents from 0 to 1000000000 on every path (a database integer holds it)', () => {
    expect(MAX_SAMPLE_SIZE).toBe(1_000_000_000);
    expect(checkMeasurementValues(IND_04, { value: '82.5', sampleSize: 1_000_000_000 }).checked).toEqual({ value: '82.5', notAssessable: false });
    for (const sampleSize of [1_000_000_001, 3_000_000_000, 1e20, -1, 2.5]) {
      const r = checkMeasurementValues(IND_04, { value: '82.5', sampleSize });
      expect([r.checked, r.problems]).toEqual([null, [{ code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', field: 'sampleSize', message: 'must be a whole number of respondents from 0 to 1000000000' }]]);
    }
  });

  it('tells a value that is not a number at all from one out of range (a CSV cell reaches the rules unformatted)', () => {
    for (const value of ['15%', 'abc', '1.2.3', '']) {
      expect(codes(checkMeasurementValues(IND_04, { value, sampleSize: 250 }))).toEqual([['MEASUREMENT_VALUE_NOT_A_NUMBER', 'value']]);
    }
    expect(codes(checkMeasurementValues(IND_05, { numerator: 'x', denominator: '-3' }))).toEqual([
      ['MEASUREMENT_VALUE_NOT_A_NUMBER', 'numerator'],
      ['MEASUREMENT_VALUE_OUT_OF_RANGE', 'denominator'],
    ]);
    expect(codes(checkMeasurementValues(SUMMED, { value: '1', disaggregations: { target: { OVER60: '1', UNDER60: 'n/a' } } }))).toEqual([
      ['MEASUREMENT_VALUE_NOT_A_NUMBER', 'disaggregations.target.UNDER60'],
    ]);
  });

  it('adds up the parts of a SUM indicator exactly', () => {
    expect(checkMeasurementValues(SUMMED, { value: '1220', disaggregations: { target: { OVER60: '820', UNDER60: '400' } } }).problems).toEqual([]);
    const off = checkMeasurementValues(SUMMED, { value: '1221', disaggregations: { target: { OVER60: '820', UNDER60: '400' } } });
    expect(off.problems).toEqual([{ code: 'MEASUREMENT_DISAGGREGATION_MISMATCH', field: 'disaggregations.target', message: 'parts add up to 1220, not to the value 1221' }]);
  });

  it('places a de-duplicated UNIQUE total between the largest part and the sum of the parts', () => {
    const needs = { SOCIALITA: '700', MOVIMENTO: '400', CULTURA: '300', SUPPORTO: '100' };
    expect(checkMeasurementValues(IND_03, { value: '1200', disaggregations: { target: { OVER60: '820', UNDER60: '380' }, needType: needs } }).problems).toEqual([]);
    expect(checkMeasurementValues(IND_03, { value: '700', disaggregations: { needType: needs } }).problems).toEqual([]);
    expect(checkMeasurementValues(IND_03, { value: '1500', disaggregations: { needType: needs } }).problems).toEqual([]);
    expect(codes(checkMeasurementValues(IND_03, { value: '699', disaggregations: { needType: needs } }))).toEqual([['MEASUREMENT_DISAGGREGATION_MISMATCH', 'disaggregations.needType']]);
    expect(codes(checkMeasurementValues(IND_03, { value: '1501', disaggregations: { needType: needs } }))).toEqual([['MEASUREMENT_DISAGGREGATION_MISMATCH', 'disaggregations.needType']]);
  });

  it('allows only declared dimensions and values, each dimension complete', () => {
    const r = checkMeasurementValues(IND_03, { value: '10', disaggregations: { area: { Q1: '10' }, target: { OVER60: '10', ALTRO: '0' } } });
    expect(codes(r)).toEqual([
      ['MEASUREMENT_DISAGGREGATION_INVALID', 'disaggregations.area'],
      ['MEASUREMENT_DISAGGREGATION_INVALID', 'disaggregations.target.ALTRO'],
      ['MEASUREMENT_DISAGGREGATION_INVALID', 'disaggregations.target'],
    ]);
    expect(r.problems[2].message).toBe('must give every value of target; missing UNDER60');
    expect(codes(checkMeasurementValues(IND_03, { value: '10', disaggregations: { target: { OVER60: '9.5', UNDER60: '0.5' } } }))).toEqual([
      ['MEASUREMENT_VALUE_OUT_OF_RANGE', 'disaggregations.target.OVER60'],
      ['MEASUREMENT_VALUE_OUT_OF_RANGE', 'disaggregations.target.UNDER60'],
    ]);
  });
});

describe('a value reported NOT_ASSESSABLE (rule-set test cases, simulations)', () => {
  const survey = { code: 'IND-04', minSampleSize: 200 };

  it('stands below the minimum sample, without a sample, and for an indicator with no minimum', () => {
    expect(notAssessableProblem(survey, 199)).toBeNull();
    expect(notAssessableProblem(survey, undefined)).toBeNull();
    expect(notAssessableProblem({ code: 'IND-01', minSampleSize: null }, 5000)).toBeNull();
  });

  it('is refused at or above the minimum: a survey is judged on its sample', () => {
    expect(notAssessableProblem(survey, 200)).toBe('200 reaches the minimum sample of IND-04 (200): give the value it measured instead');
    expect(notAssessableProblem(survey, 350)).toBe('350 reaches the minimum sample of IND-04 (200): give the value it measured instead');
  });
});
