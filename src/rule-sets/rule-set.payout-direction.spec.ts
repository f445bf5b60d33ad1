import { messagesOf, padovaContext, padovaRules } from 'src/rule-sets/padova-rule-set.fixture';

describe('a LEVEL_RATIO term names an indicator that holds a level', () => {
  it('accepts Padova IND-04 (satisfied participants, LEVEL) paid by level ratio', () => {
    const ctx = padovaContext();
    expect(ctx.indicators.find((i) => i.code === 'IND-04')?.direction).toBe('LEVEL');
    expect(messagesOf(padovaRules(), ctx)).toEqual([]);
  });

  it('refuses it on IND-01 (INCREASE), where achievement runs from the baseline and actual / target would be a lie', () => {
    const rules = padovaRules();
    rules.terms[0].payout = { kind: 'LEVEL_RATIO', threshold: '0.5', cap: '1.0' };
    expect(messagesOf(rules)).toEqual([
      {
        code: 'RULE_SET_PAYOUT_DIRECTION',
        field: 'terms[0].payout.kind',
        message: 'LEVEL_RATIO pays actual / target, for an indicator that holds a LEVEL; IND-01 is INCREASE: use LINEAR (baseline to target)',
      },
    ]);
  });

  it('refuses it on a DECREASE indicator too, and reports each term', () => {
    const ctx = padovaContext();
    const decrease = ctx.indicators.find((i) => i.code === 'IND-05');
    if (decrease === undefined) throw new Error('IND-05 not in the Padova context');
    decrease.direction = 'DECREASE';
    const rules = padovaRules();
    rules.terms[1].payout = { kind: 'LEVEL_RATIO', threshold: '0', cap: '1' };
    rules.terms[4].payout = { kind: 'LEVEL_RATIO', threshold: '0', cap: '1' };
    const problems = messagesOf(rules, ctx).filter((p) => p.code === 'RULE_SET_PAYOUT_DIRECTION');
    expect(problems.map((p) => [p.field, p.message.split(';')[1]])).toEqual([
      ['terms[1].payout.kind', ' IND-02 is INCREASE: use LINEAR (baseline to target)'],
      ['terms[4].payout.kind', ' IND-05 is DECREASE: use LINEAR (baseline to target)'],
    ]);
  });
});
