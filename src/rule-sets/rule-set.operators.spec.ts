import { messagesOf, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

function gate(...leaves: unknown[]): ReturnType<typeof padovaRules> {
  const rules = padovaRules();
  rules.terms[2].gate.condition = { all: leaves };
  return rules;
}

describe('operators fit the types of the facts they compare', () => {
  it('compares an .accepted fact only with equal or notEqual, against "0" or "1"', () => {
    expect(problemsOf(gate({ fact: 'IND-03.accepted', operator: 'equal', value: '1' }, { fact: 'IND-04.accepted', operator: 'notEqual', value: '0' }))).toEqual([]);
    expect(messagesOf(gate({ fact: 'IND-03.accepted', operator: 'greaterThan', value: '0.5' }))).toEqual([
      {
        code: 'RULE_SET_OPERATOR_TYPE',
        field: 'terms[2].gate.condition.all[0].operator',
        message: 'IND-03.accepted is "1" or "0" (accepted or not): use equal or notEqual, not greaterThan',
      },
      {
        code: 'RULE_SET_OPERATOR_TYPE',
        field: 'terms[2].gate.condition.all[0].value',
        message: 'IND-03.accepted is "1" (an accepted value exists) or "0": compare it with "1" or "0", not "0.5"',
      },
    ]);
  });

  it('compares a .share fact only with a fraction within [0, 1]', () => {
    expect(problemsOf(gate({ fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThanInclusive', value: '1' }))).toEqual([]);
    expect(messagesOf(gate({ fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThanInclusive', value: '15' }))).toEqual([
      {
        code: 'RULE_SET_OPERATOR_TYPE',
        field: 'terms[2].gate.condition.all[0].value',
        message: 'a share is a fraction between 0 and 1 (0.15 is 15 %): 15 is outside it',
      },
    ]);
  });

  it('compares facts with facts only of the same kind, and never an .accepted fact', () => {
    const shares = { fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThan', value: { fact: 'IND-03.TARGET_GROUP.OVER60.share' } };
    const values = { fact: 'IND-05', operator: 'greaterThan', value: { fact: 'IND-05.baseline' } };
    expect(problemsOf(gate(shares, values))).toEqual([]);
    const mixed = { fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThan', value: { fact: 'IND-03.TARGET_GROUP.UNDER60' } };
    const accepted = { fact: 'IND-03.accepted', operator: 'equal', value: { fact: 'IND-04.accepted' } };
    expect(messagesOf(gate(mixed, accepted))).toEqual([
      {
        code: 'RULE_SET_OPERATOR_TYPE',
        field: 'terms[2].gate.condition.all[0].value',
        message: 'compares a share (between 0 and 1) with a measured value: compare a fact only with one of the same kind',
      },
      {
        code: 'RULE_SET_OPERATOR_TYPE',
        field: 'terms[2].gate.condition.all[1].value',
        message: 'an .accepted fact is compared only with "0" or "1", never with another fact',
      },
    ]);
  });

  it('checks leaves nested under any and not too', () => {
    const rules = padovaRules();
    rules.guardrails[0].condition = { any: [{ not: { fact: 'IND-G1.accepted', operator: 'lessThan', value: '1' } }] };
    expect(problemsOf(rules)).toEqual([['RULE_SET_OPERATOR_TYPE', 'guardrails[0].condition.any[0].not.operator']]);
  });
});
