import { messagesOf, padovaRules } from 'src/rule-sets/padova-rule-set.fixture';

describe('linear and level-ratio terms: the threshold is not above the cap on achievement', () => {
  it('accepts threshold = cap (pays only on reaching the cap) and refuses a threshold the capped achievement never reaches', () => {
    const rules = padovaRules();
    rules.terms[0].payout = { kind: 'LINEAR', threshold: '1.0', cap: '1' };
    expect(messagesOf(rules)).toEqual([]);
    rules.terms[0].payout = { kind: 'LINEAR', threshold: '1.2', cap: '1.0' };
    rules.terms[3].payout = { kind: 'LEVEL_RATIO', threshold: '0.9', cap: '0.8' };
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_THRESHOLD_ABOVE_CAP', field: 'terms[0].payout.threshold', message: '1.2 is above the cap 1.0: the term could never pay' },
      { code: 'RULE_SET_THRESHOLD_ABOVE_CAP', field: 'terms[3].payout.threshold', message: '0.9 is above the cap 0.8: the term could never pay' },
    ]);
  });
});
