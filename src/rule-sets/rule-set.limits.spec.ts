import { MAX_CONDITION_DEPTH } from 'src/rules/condition.types';
import { messagesOf, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

describe('size limits: 100 terms, 50 guardrails, 200 tests, 256 KiB of canonical JSON, conditions 8 deep and 200 nodes', () => {
  it('refuses 101 terms, 51 guardrails and 201 tests with RULE_SET_TOO_LARGE', () => {
    const rules = padovaRules();
    rules.terms = Array.from({ length: 101 }, (_, i) => ({ id: `T${i}`, indicator: 'IND-02', payout: { kind: 'THRESHOLD' }, fixedAmount: '1.00' }));
    rules.guardrails = Array.from({ length: 51 }, (_, i) => ({ ...rules.guardrails[0], id: `G${i}`, suspends: ['T0'] }));
    rules.tests = Array.from({ length: 201 }, (_, i) => ({ ...rules.tests[0], name: `case ${i}` }));
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_TOO_LARGE', field: 'terms', message: 'must have at most 100 items' },
      { code: 'RULE_SET_TOO_LARGE', field: 'guardrails', message: 'must have at most 50 items' },
      { code: 'RULE_SET_TOO_LARGE', field: 'tests', message: 'must have at most 200 items' },
    ]);
  });

  it('accepts exactly 100 terms', () => {
    const rules = padovaRules();
    rules.terms = Array.from({ length: 100 }, (_, i) => ({ id: `T${i}`, indicator: 'IND-02', payout: { kind: 'THRESHOLD' }, fixedAmount: '1.00' }));
    rules.guardrails[0].suspends = ['T0'];
    rules.tests = [];
    expect(problemsOf(rules)).toEqual([]);
  });

  it('refuses more than 256 KiB of canonical JSON before anything else', () => {
    const rules = padovaRules();
    rules.textBasis = 'è'.repeat(128 * 1024); // two bytes each in UTF-8
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_TOO_LARGE', field: '(document)', message: expect.stringMatching(/^is \d+ bytes of canonical JSON; a rule set may have at most 262144 \(256 KiB\)$/) },
    ]);
    rules.textBasis = 'e'.repeat(128 * 1024); // under the size limit: now the schema speaks
    expect(problemsOf(rules)).toEqual([['RULE_SET_SCHEMA_INVALID', 'textBasis']]);
  });

  it('takes depth and size limits of conditions from the condition rules', () => {
    const rules = padovaRules();
    let deep: unknown = { fact: 'IND-G1', operator: 'greaterThan', value: '10' };
    for (let i = 0; i < MAX_CONDITION_DEPTH; i++) deep = { all: [deep] };
    rules.guardrails[0].condition = deep;
    expect(problemsOf(rules)).toEqual([['RULE_CONDITION_TOO_DEEP', `guardrails[0].condition${'.all[0]'.repeat(MAX_CONDITION_DEPTH)}`]]);
    rules.guardrails[0].condition = { any: Array.from({ length: 200 }, () => ({ fact: 'IND-G1', operator: 'greaterThan', value: '10' })) };
    expect(problemsOf(rules)).toEqual([['RULE_CONDITION_TOO_LARGE', 'guardrails[0].condition']]);
  });
});
