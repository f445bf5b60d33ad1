import { messagesOf, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

const UNDER_IND03_TARGET_GROUP =
  'IND-03.TARGET_GROUP.OVER60, IND-03.TARGET_GROUP.OVER60.share, IND-03.TARGET_GROUP.UNDER60, IND-03.TARGET_GROUP.UNDER60.share';

describe("every indicator, fact and term a rule set names exists in the contract's current indicators", () => {
  it('refuses a term on an indicator the contract does not have', () => {
    const rules = padovaRules();
    rules.terms[1].indicator = 'IND-99';
    rules.terms[1].id = 'IND-02';
    expect(messagesOf(rules)).toEqual([{ code: 'RULE_SET_UNKNOWN_INDICATOR', field: 'terms[1].indicator', message: 'the contract has no indicator IND-99' }]);
  });

  it('refuses a condition on an unknown fact, at its path inside the condition', () => {
    const rules = padovaRules();
    rules.terms[2].gate.condition.all[0].fact = 'IND-03.TARGET_GROUP.UNDER65.share';
    rules.guardrails[0].condition = { any: [{ fact: 'IND-G1', operator: 'lessThan', value: { fact: 'IND-G2' } }] };
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_CONDITION_UNKNOWN_FACT', field: 'terms[2].gate.condition.all[0].fact', message: `unknown fact "IND-03.TARGET_GROUP.UNDER65.share"; known facts under IND-03.TARGET_GROUP: ${UNDER_IND03_TARGET_GROUP}` },
      { code: 'RULE_CONDITION_UNKNOWN_FACT', field: 'guardrails[0].condition.any[0].value.fact', message: 'unknown fact "IND-G2"; known facts begin with IND-01, IND-02, IND-03, IND-04, IND-05, IND-G1' },
    ]);
  });

  it('accepts every fact an indicator offers: value, accepted, baseline, target, sample size, parts and shares', () => {
    const rules = padovaRules();
    const facts = ['IND-04', 'IND-04.accepted', 'IND-04.target', 'IND-04.sampleSize', 'IND-01.baseline', 'IND-03.NEED_TYPE.CULTURA', 'IND-03.NEED_TYPE.CULTURA.share'];
    rules.guardrails[0].condition = { all: facts.map((fact) => ({ fact, operator: 'notEqual', value: fact.endsWith('.share') ? '0.5' : '1' })) };
    expect(problemsOf(rules)).toEqual([]);
  });

  it('gives terms unique ids (the indicator code when absent), so two terms on one indicator need ids', () => {
    const rules = padovaRules();
    rules.terms.push({ indicator: 'IND-01', payout: { kind: 'THRESHOLD' }, fixedAmount: '1000.00' });
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_DUPLICATE_ID', field: 'terms[5].indicator', message: 'term id IND-01 is already used by terms[0].indicator' },
    ]);
    rules.terms[5].id = 'IND-01-BONUS';
    expect(problemsOf(rules)).toEqual([]);
  });

  it('lets guardrails suspend only existing terms, by id, and gives guardrails unique ids', () => {
    const rules = padovaRules();
    rules.terms[2].id = 'T-PARTICIPANTS';
    rules.tests = [];
    rules.guardrails.push({ ...rules.guardrails[0], suspends: ['T-PARTICIPANTS', 'IND-02'] });
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_DUPLICATE_ID', field: 'guardrails[1].id', message: 'guardrail id IND-G1 is already used by guardrails[0].id' },
      { code: 'RULE_SET_UNKNOWN_TERM', field: 'guardrails[0].suspends[0]', message: 'no term has id IND-03' },
    ]);
  });
});
