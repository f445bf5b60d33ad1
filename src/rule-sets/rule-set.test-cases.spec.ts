import { checkMeasurementValues } from 'src/measurements/measurement.rules';
import { messagesOf, padovaContext, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

describe("a rule set's test cases name only what the contract and the rule set hold (running them is the test runner's)", () => {
  it('accepts Padova Cases A, B and D', () => {
    const rules = padovaRules();
    expect(rules.tests.map((t: { period: string; grouping: string; expect: { premium: string } }) => [t.period, t.grouping, t.expect.premium])).toEqual([
      ['Y2', 'RTI-A', '18960.00'],
      ['Y2', 'RTI-B', '20720.00'],
      ['Y2', 'RTI-A', '14160.00'],
    ]);
    expect(problemsOf(rules)).toEqual([]);
  });

  it('refuses an unknown period, grouping, indicator, disaggregation, payer and term, each at its path', () => {
    const rules = padovaRules();
    const test = rules.tests[0];
    test.period = 'Y4';
    test.grouping = 'RTI-C';
    test.measurements['IND-99'] = { value: '3' };
    test.measurements['IND-03'].disaggregations.AGE = { OVER80: '10' };
    test.measurements['IND-03'].disaggregations.TARGET_GROUP.OVER65 = '10';
    test.evaluations = { 'FOND-X': { significant: true, certifiedSavings: '1000.00' } };
    test.expect.lines['IND-06'] = '0';
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_UNKNOWN_PERIOD', field: 'tests[0].period', message: 'the contract has no period Y4' },
      { code: 'RULE_SET_UNKNOWN_GROUPING', field: 'tests[0].grouping', message: 'the contract has no grouping RTI-C' },
      {
        code: 'RULE_SET_UNKNOWN_DISAGGREGATION',
        field: 'tests[0].measurements.IND-03.disaggregations.TARGET_GROUP.OVER65',
        message: 'is not a value of dimension TARGET_GROUP (OVER60, UNDER60)',
      },
      { code: 'RULE_SET_UNKNOWN_DISAGGREGATION', field: 'tests[0].measurements.IND-03.disaggregations.AGE', message: 'IND-03 has no dimension AGE (it has TARGET_GROUP, NEED_TYPE)' },
      { code: 'RULE_SET_UNKNOWN_INDICATOR', field: 'tests[0].measurements.IND-99', message: 'the contract has no indicator IND-99' },
      { code: 'RULE_SET_UNKNOWN_EVALUATION_PAYER', field: 'tests[0].evaluations.FOND-X', message: 'the rule set has no evaluation payer FOND-X' },
      { code: 'RULE_SET_UNKNOWN_TERM', field: 'tests[0].expect.lines.IND-06', message: 'no term has id IND-06' },
    ]);
  });

  it("expects an allocation only to the grouping's own members, naming them", () => {
    const rules = padovaRules();
    rules.tests[2].expect.allocation['ETS-SOL'] = '1.00'; // no such organisation in the contract
    rules.tests[0].expect.allocation['ETS-DELTA'] = '0'; // a member of RTI-B, not of RTI-A
    expect(messagesOf(rules)).toEqual([
      {
        code: 'RULE_SET_UNKNOWN_MEMBER',
        field: 'tests[0].expect.allocation.ETS-DELTA',
        message: 'ETS-DELTA is not a member of RTI-A (its members: ETS-AURORA, ETS-BORGO-VIVO, ETS-CICLAMINO)',
      },
      {
        code: 'RULE_SET_UNKNOWN_MEMBER',
        field: 'tests[2].expect.allocation.ETS-SOL',
        message: 'ETS-SOL is not a member of RTI-A (its members: ETS-AURORA, ETS-BORGO-VIVO, ETS-CICLAMINO)',
      },
    ]);
  });

  it('reports only the unknown grouping of a case, not its allocation', () => {
    const rules = padovaRules();
    rules.tests[1].grouping = 'RTI-C';
    expect(problemsOf(rules)).toEqual([['RULE_SET_UNKNOWN_GROUPING', 'tests[1].grouping']]);
  });

  it("needs a survey's value with its sample size, as a measurement does; below the minimum it is a not-assessable case", () => {
    const rules = padovaRules();
    rules.tests[0].measurements['IND-04'] = { value: '76.0' };
    const refused = messagesOf(rules);
    expect(refused).toEqual([
      { code: 'RULE_SET_SAMPLE_SIZE_REQUIRED', field: 'tests[0].measurements.IND-04.sampleSize', message: 'is required: IND-04 is a survey with a minimum sample of 200' },
    ]);
    // The same words a real measurement of IND-04 without its sample size is refused with.
    const measured = checkMeasurementValues({ code: 'IND-04', unit: 'PERCENT', aggregation: 'NONE', minSampleSize: 200, disaggregations: [], formula: null }, { value: '76.0' });
    expect(measured.problems).toEqual([{ code: 'MEASUREMENT_SAMPLE_SIZE_REQUIRED', field: 'sampleSize', message: refused[0].message }]);

    rules.tests[0].measurements['IND-04'] = { value: '76.0', sampleSize: 150 };
    rules.tests[0].measurements['IND-01'] = { value: '11.0' }; // not a survey: no sample size needed
    expect(problemsOf(rules)).toEqual([]);
  });

  it('gives test cases unique names', () => {
    const rules = padovaRules();
    rules.tests[2].name = rules.tests[0].name;
    expect(problemsOf(rules)).toEqual([['RULE_SET_DUPLICATE_ID', 'tests[2].name']]);
  });

  it('takes a measurement as a value, as not assessable with its sample, or as missing, and nothing else', () => {
    const rules = padovaRules();
    const m = rules.tests[1].measurements;
    m['IND-01'] = { status: 'MISSING' };
    expect(problemsOf(rules)).toEqual([]);
    m['IND-01'] = { status: 'MISSING', sampleSize: 3 };
    m['IND-02'] = { status: 'NOT_ASSESSABLE', value: '6' };
    m['IND-05'] = { value: 5.5 };
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'tests[1].measurements.IND-01.sampleSize', message: 'is not a known field' },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'tests[1].measurements.IND-02.value', message: 'is not a known field' },
      {
        code: 'RULE_SET_SCHEMA_INVALID',
        field: 'tests[1].measurements.IND-05.value',
        message: 'must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values',
      },
    ]);
  });

  it('holds a value to the rules of a real measurement: parts that do not add up, a dimension missing categories, a value out of range', () => {
    const rules = padovaRules();
    const ctx = padovaContext();
    // IND-02 (a SUM count) disaggregated by SEX, for this case only.
    ctx.indicators.find((i) => i.code === 'IND-02')!.disaggregations = [{ dimension: 'SEX', values: ['F', 'M'] }];
    const m = rules.tests[0].measurements;
    m['IND-01'] = { value: '101.0' }; // a PERCENT
    m['IND-02'] = { value: '12', disaggregations: { SEX: { F: '5', M: '6' } } };
    m['IND-03'] = { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '968', UNDER60: '200' }, NEED_TYPE: { SOCIALITA: '600', CULTURA: '610' } } };
    const refused = messagesOf(rules, ctx);
    expect(refused).toEqual([
      { code: 'RULE_SET_VALUE_OUT_OF_RANGE', field: 'tests[0].measurements.IND-01.value', message: expect.stringContaining('100') },
      { code: 'RULE_SET_DISAGGREGATION_MISMATCH', field: 'tests[0].measurements.IND-02.disaggregations.SEX', message: 'parts add up to 11, not to the value 12' },
      {
        code: 'RULE_SET_DISAGGREGATION_MISMATCH',
        field: 'tests[0].measurements.IND-03.disaggregations.TARGET_GROUP',
        message: 'the de-duplicated value 1210 must lie between the largest part 968 and the sum of the parts 1168',
      },
      {
        code: 'RULE_SET_DISAGGREGATION_INCOMPLETE',
        field: 'tests[0].measurements.IND-03.disaggregations.NEED_TYPE',
        message: 'must give every value of NEED_TYPE; missing MOVIMENTO, SUPPORTO',
      },
    ]);
    // The words, and the fields, a real measurement of the same values is refused with; only the code's prefix differs.
    const asMeasured = (code: string, values: { value: string; disaggregations?: Record<string, Record<string, string>> }) => {
      const ind = ctx.indicators.find((i) => i.code === code)!;
      const indicator = { code, unit: ind.unit, aggregation: ind.aggregation, minSampleSize: ind.minSampleSize, disaggregations: ind.disaggregations, formula: null };
      return checkMeasurementValues(indicator, values, `tests[0].measurements.${code}.`).problems.map((p) => [p.field, p.message, p.code]);
    };
    expect([...asMeasured('IND-01', m['IND-01']), ...asMeasured('IND-02', m['IND-02']), ...asMeasured('IND-03', m['IND-03'])]).toEqual(
      refused.map((p) => [
        p.field,
        p.message,
        { RULE_SET_VALUE_OUT_OF_RANGE: 'MEASUREMENT_VALUE_OUT_OF_RANGE', RULE_SET_DISAGGREGATION_MISMATCH: 'MEASUREMENT_DISAGGREGATION_MISMATCH', RULE_SET_DISAGGREGATION_INCOMPLETE: 'MEASUREMENT_DISAGGREGATION_INVALID' }[
          p.code as string
        ],
      ]),
    );

    m['IND-01'] = { value: '100.0' };
    m['IND-02'] = { value: '12', disaggregations: { SEX: { F: '6', M: '6' } } };
    m['IND-03'] = { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '968', UNDER60: '242' }, NEED_TYPE: { SOCIALITA: '600', MOVIMENTO: '0', CULTURA: '610', SUPPORTO: '0' } } };
    expect(messagesOf(rules, ctx)).toEqual([]);
  });

  it('takes a survey as not assessable only with a sample below its minimum (at it, the engine would assess it as 0)', () => {
    const rules = padovaRules();
    const m = rules.tests[1].measurements; // Case B: IND-04 not assessable with 150 of 200
    m['IND-04'] = { status: 'NOT_ASSESSABLE', sampleSize: 200 };
    expect(messagesOf(rules)).toEqual([
      {
        code: 'RULE_SET_SAMPLE_REACHES_MINIMUM',
        field: 'tests[1].measurements.IND-04.sampleSize',
        message: '200 reaches the minimum sample of IND-04 (200): give the value it measured instead',
      },
    ]);
    m['IND-04'] = { status: 'NOT_ASSESSABLE', sampleSize: 199 };
    expect(problemsOf(rules)).toEqual([]);
    m['IND-04'] = { status: 'NOT_ASSESSABLE' }; // no sample given: not assessable for another reason, as a what-if allows
    expect(problemsOf(rules)).toEqual([]);
  });
});
