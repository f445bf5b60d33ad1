import { checkMeasurementValues } from 'src/measurements/measurement.rules';
import { messagesOf, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

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
        message: 'TARGET_GROUP of IND-03 has no value OVER65 (it has OVER60, UNDER60)',
      },
      { code: 'RULE_SET_UNKNOWN_DISAGGREGATION', field: 'tests[0].measurements.IND-03.disaggregations.AGE', message: 'IND-03 is not disaggregated by AGE' },
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
});
