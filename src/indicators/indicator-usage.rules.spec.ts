import { factNames, paymentRuleReferences, removedCategoryReferences, UsageIndicator } from 'src/indicators/indicator-usage.rules';

const ind = (code: string, disaggregations: UsageIndicator['disaggregations'] = []): UsageIndicator => ({ code, disaggregations });
const IND03 = ind('IND-03', [{ dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] }]);
const IND04 = ind('IND-04');
const IND05 = ind('IND-05');
const ALL = [IND03, IND04, IND05];

describe('where payment rules name an indicator (deleting it is refused while they do)', () => {
  const rules = {
    phases: [
      { period: 'Y1', mode: 'SHADOW', milestone: { label: 'm', condition: { all: [{ fact: 'IND-03.accepted', operator: 'equal', value: '1' }, { fact: 'IND-05.accepted', operator: 'equal', value: '1' }] } } },
    ],
    terms: [
      { indicator: 'IND-03', gate: { label: 'g', condition: { all: [{ fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThanInclusive', value: '0.15' }] } } },
      { indicator: 'IND-04', gate: { label: 'g', condition: { any: [{ not: { fact: 'IND-04', operator: 'lessThan', value: { fact: 'IND-03.target' } } }] } } },
    ],
    guardrails: [{ id: 'G', label: 'g', condition: { all: [{ fact: 'IND-05', operator: 'greaterThan', value: '0' }] }, suspends: ['IND-04'] }],
    tests: [{ name: 'a', measurements: { 'IND-03': { value: '1' }, 'IND-04': { status: 'MISSING' } } }, { name: 'b', measurements: { 'IND-04': { value: '2' } } }],
  };

  it('lists a term, every condition fact (also a compared fact) and every test case, with their paths', () => {
    expect(paymentRuleReferences(rules, IND03, ALL)).toEqual([
      'paymentRules.phases[0].milestone.condition.all[0].fact',
      'paymentRules.terms[0].indicator',
      'paymentRules.terms[0].gate.condition.all[0].fact',
      'paymentRules.terms[1].gate.condition.any[0].not.value.fact',
      'paymentRules.tests[0].measurements.IND-03',
    ]);
    expect(paymentRuleReferences(rules, IND04, ALL)).toEqual([
      'paymentRules.terms[1].indicator',
      'paymentRules.terms[1].gate.condition.any[0].not.fact',
      'paymentRules.tests[0].measurements.IND-04',
      'paymentRules.tests[1].measurements.IND-04',
    ]);
    // A guardrail suspending IND-04's term names the term, not the indicator.
    expect(paymentRuleReferences(rules, IND05, ALL)).toEqual([
      'paymentRules.phases[0].milestone.condition.all[1].fact',
      'paymentRules.guardrails[0].condition.all[0].fact',
    ]);
  });

  it('an indicator the rules do not name, and no rules at all, give nothing', () => {
    expect(paymentRuleReferences(rules, ind('IND-G1'), [...ALL, ind('IND-G1')])).toEqual([]);
    expect(paymentRuleReferences(null, IND03, ALL)).toEqual([]);
  });

  it('reads stored rules whatever their shape: what is not where a rule set has it is not a reference', () => {
    expect(paymentRuleReferences({ terms: 'IND-03', tests: [null, { measurements: ['IND-03'] }], guardrails: [{ condition: { all: 'IND-03' } }] }, IND03, ALL)).toEqual([]);
    expect(paymentRuleReferences([{ indicator: 'IND-03' }], IND03, ALL)).toEqual([]);
  });

  it('a fact of a disaggregation value removed since the rules were saved still names its indicator', () => {
    expect(factNames('IND-03.TARGET_GROUP.OVER80.share', IND03, ALL)).toBe(true);
    expect(factNames('IND-03X', IND03, ALL)).toBe(false);
  });

  it('with dotted codes a fact belongs to the indicator offering it, else to the longest code it starts with', () => {
    const short = ind('IND', [{ dimension: 'A', values: ['X'] }]);
    const long = ind('IND.A');
    expect(factNames('IND.A.X', short, [short, long])).toBe(true);
    expect(factNames('IND.A.X', long, [short, long])).toBe(false);
    expect(factNames('IND.A.accepted', long, [short, long])).toBe(true);
    expect(factNames('IND.A.accepted', short, [short, long])).toBe(false);
    expect(factNames('IND.A.B.target', long, [short, long])).toBe(true);
    expect(factNames('IND.B.target', short, [short, long])).toBe(true);
  });
});

describe('which disaggregation categories an edit drops that the payment rules name (refused while they do)', () => {
  const IND03 = ind('IND-03', [
    { dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] },
    { dimension: 'NEED_TYPE', values: ['SOCIALITA', 'MOVIMENTO'] },
  ]);
  const rules = {
    terms: [{ indicator: 'IND-03', gate: { label: 'g', condition: { all: [{ fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThanInclusive', value: '0.15' }] } } }],
    guardrails: [{ id: 'G', label: 'g', condition: { any: [{ fact: 'IND-03.accepted', operator: 'equal', value: { fact: 'IND-03.TARGET_GROUP.UNDER60' } }] } }],
    tests: [{ name: 'a', measurements: { 'IND-03': { value: '10', disaggregations: { TARGET_GROUP: { OVER60: '8', UNDER60: '2' } } } } }],
  };
  const cat = (dimension: string, value: string) => ({ dimension, value });

  it('dropping UNDER60 names the gate fact, the compared fact and the test case part', () => {
    expect(removedCategoryReferences(rules, IND03, [IND03.disaggregations[1], { dimension: 'TARGET_GROUP', values: ['OVER60'] }], [IND03])).toEqual({
      categories: [cat('TARGET_GROUP', 'UNDER60')],
      facts: ['IND-03.TARGET_GROUP.UNDER60.share', 'IND-03.TARGET_GROUP.UNDER60'],
      paths: [
        'paymentRules.terms[0].gate.condition.all[0].fact',
        'paymentRules.guardrails[0].condition.any[0].value.fact',
        'paymentRules.tests[0].measurements.IND-03.disaggregations.TARGET_GROUP.UNDER60',
      ],
    });
  });

  it('dropping the whole dimension names both its categories; dropping OVER60 (and NEED_TYPE) only the test case', () => {
    expect(removedCategoryReferences(rules, IND03, [IND03.disaggregations[1]], [IND03]).categories).toEqual([cat('TARGET_GROUP', 'OVER60'), cat('TARGET_GROUP', 'UNDER60')]);
    expect(removedCategoryReferences(rules, IND03, [{ dimension: 'TARGET_GROUP', values: ['UNDER60'] }], [IND03])).toEqual({
      categories: [cat('TARGET_GROUP', 'OVER60')],
      facts: [],
      paths: ['paymentRules.tests[0].measurements.IND-03.disaggregations.TARGET_GROUP.OVER60'],
    });
  });

  it('dropping what nothing names, reordering and adding give nothing', () => {
    const none = { categories: [], facts: [], paths: [] };
    expect(removedCategoryReferences(rules, IND03, [IND03.disaggregations[0]], [IND03])).toEqual(none);
    expect(removedCategoryReferences(rules, IND03, [{ dimension: 'TARGET_GROUP', values: ['UNDER60', 'OVER60', 'UNDER18'] }], [IND03])).toEqual(none);
    expect(removedCategoryReferences(null, IND03, [], [IND03])).toEqual(none);
  });

  it('a fact another indicator still offers (dotted codes) is not dropped', () => {
    const short = ind('IND', [{ dimension: 'A', values: ['X'] }]);
    const long = ind('IND.A', [{ dimension: 'X', values: ['Y'] }]);
    // IND.A offers IND.A.X.Y, not IND.A.X: dropping IND's A.X breaks the rule.
    expect(removedCategoryReferences({ terms: [{ indicator: 'IND', gate: { condition: { all: [{ fact: 'IND.A.X' }] } } }] }, short, [], [short, long]).paths).toEqual([
      'paymentRules.terms[0].gate.condition.all[0].fact',
    ]);
    const shadow = ind('IND.A', [{ dimension: 'B', values: ['C'] }]);
    // IND.A's B.C is also IND's A.B.C: IND dropping it leaves the fact valid.
    const withB = ind('IND', [{ dimension: 'A.B', values: ['C'] }]);
    expect(removedCategoryReferences({ terms: [{ indicator: 'IND', gate: { condition: { all: [{ fact: 'IND.A.B.C' }] } } }] }, withB, [], [withB, shadow]).paths).toEqual([]);
  });
});
