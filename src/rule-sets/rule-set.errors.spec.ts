import { DomainError } from 'src/common/errors/domain-error';
import { padovaContext, padovaRules } from 'src/rule-sets/padova-rule-set.fixture';
import { assertValidRuleSet } from 'src/rule-sets/rule-set.validation';

function caught(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('assertValidRuleSet: one 422 with the first problem as its code and every problem in details.fields', () => {
  it('passes a valid rule set', () => {
    expect(() => assertValidRuleSet(padovaRules(), padovaContext())).not.toThrow();
  });

  it('answers 422 with the first code and all problems, each with its own code, under the given path', () => {
    const rules = padovaRules();
    rules.terms[4].weight = '0.25';
    rules.terms[2].gate.condition.all[0].fact = 'IND-03.TARGET_GROUP.UNDER65.share';
    const e = caught(() => assertValidRuleSet(rules, padovaContext(), { at: 'paymentRules' }));
    expect([e.status, e.code, e.message]).toEqual([
      422,
      'RULE_SET_WEIGHTS_NOT_ONE',
      'The payment rules are not valid: paymentRules.terms: the weights of the weighted terms sum to 1.05, not exactly 1 (and 1 more)',
    ]);
    expect(e.details.fields).toEqual([
      { field: 'paymentRules.terms', message: 'the weights of the weighted terms sum to 1.05, not exactly 1', code: 'RULE_SET_WEIGHTS_NOT_ONE' },
      {
        field: 'paymentRules.terms[2].gate.condition.all[0].fact',
        message:
          'unknown fact "IND-03.TARGET_GROUP.UNDER65.share"; known facts under IND-03.TARGET_GROUP: ' +
          'IND-03.TARGET_GROUP.OVER60, IND-03.TARGET_GROUP.OVER60.share, IND-03.TARGET_GROUP.UNDER60, IND-03.TARGET_GROUP.UNDER60.share',
        code: 'RULE_CONDITION_UNKNOWN_FACT',
      },
    ]);
  });

  it('puts schema problems under the path too, and a whole-document problem at the path itself', () => {
    const e = caught(() => assertValidRuleSet('PD-SDC-R1', padovaContext(), { at: 'paymentRules' }));
    expect([e.status, e.code, e.details.fields]).toEqual([422, 'RULE_SET_SCHEMA_INVALID', [{ field: 'paymentRules', message: 'must be an object', code: 'RULE_SET_SCHEMA_INVALID' }]]);
  });
});
