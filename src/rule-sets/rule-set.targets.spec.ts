import { messagesOf, padovaContext, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

// Decision (docs/rule-sets.md): a scored term (every kind but PRICE_PER_UNIT computes achievement against a
// target) needs a target for every grouping in every LIVE period; SHADOW periods may lack them, as Padova's
// Y1, whose targets are set once the baseline year is over. A grouping's own target wins; a contract-wide
// one (no grouping) stands for every grouping.

describe('targets and baselines the terms will need are in the contract', () => {
  it('accepts Padova: targets in Y2 and Y3, Y1 in shadow without targets', () => {
    expect(problemsOf(padovaRules())).toEqual([]);
  });

  it('refuses a LIVE period without targets, listing what is missing', () => {
    const rules = padovaRules();
    rules.phases[0] = { period: 'Y1', mode: 'LIVE' };
    expect(messagesOf(rules).map((p) => [p.code, p.field, p.message])).toEqual([
      [
        'RULE_SET_TARGET_MISSING',
        'terms[0].indicator',
        'IND-01 has no target for RTI-A in Y1, RTI-B in Y1: a LINEAR term needs one in every LIVE period (mark a period SHADOW in phases, or add the targets)',
      ],
      ['RULE_SET_TARGET_MISSING', 'terms[1].indicator', expect.stringContaining('IND-02 has no target for RTI-A in Y1, RTI-B in Y1')],
      ['RULE_SET_TARGET_MISSING', 'terms[2].indicator', expect.stringContaining('IND-03 has no target for RTI-A in Y1, RTI-B in Y1')],
      ['RULE_SET_TARGET_MISSING', 'terms[3].indicator', expect.stringContaining('IND-04 has no target for RTI-A in Y1, RTI-B in Y1: a LEVEL_RATIO term')],
      ['RULE_SET_TARGET_MISSING', 'terms[4].indicator', expect.stringContaining('IND-05 has no target for RTI-A in Y1, RTI-B in Y1')],
    ]);
  });

  it('takes a contract-wide target for every grouping', () => {
    const ctx = padovaContext();
    ctx.indicators[3].targets = [
      { period: 'Y2', grouping: null, value: '80.0' },
      { period: 'Y3', grouping: null, value: '80.0' },
    ];
    const rules = padovaRules();
    rules.terms[3].payout = { kind: 'BANDS', bands: [{ from: '0', factor: '0' }, { from: '0.9', factor: '1' }] };
    expect(problemsOf(rules, ctx)).toEqual([]);
    ctx.indicators[3].targets = ctx.indicators[3].targets.filter((t) => t.period !== 'Y3');
    expect(problemsOf(rules, ctx)).toEqual([['RULE_SET_TARGET_MISSING', 'terms[3].indicator']]);
  });

  it('needs a baseline value for every grouping to pay a price per unit beyond it', () => {
    const rules = padovaRules();
    rules.terms = [...rules.terms, { id: 'IND-02-EXTRA', indicator: 'IND-02', payout: { kind: 'PRICE_PER_UNIT', unitPrice: '250.00' } }];
    expect(problemsOf(rules)).toEqual([]);
    const ctx = padovaContext();
    ctx.indicators[1].baselines = [{ grouping: 'RTI-A', value: '0' }, { grouping: 'RTI-B', value: null }];
    expect(messagesOf(rules, ctx)).toEqual([
      { code: 'RULE_SET_BASELINE_MISSING', field: 'terms[5].indicator', message: 'IND-02 has no baseline value for RTI-B: price per unit pays the units beyond it' },
    ]);
    ctx.indicators[1].baselines.push({ grouping: null, value: '2' });
    expect(problemsOf(rules, ctx)).toEqual([]);
  });

  it('counts a LEVEL indicator paid per unit from zero, without a baseline', () => {
    const rules = padovaRules();
    rules.terms = [...rules.terms, { id: 'SATISFIED', indicator: 'IND-04', payout: { kind: 'PRICE_PER_UNIT', unitPrice: '10.00' } }];
    expect(problemsOf(rules)).toEqual([]);
  });
});
