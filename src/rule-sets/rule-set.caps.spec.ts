import { messagesOf, padovaContext, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

// Padova: 10 % of the fee at risk, so 32,000.00 for RTI-A and 28,000.00 for RTI-B in every year.

describe('caps within the amount at risk', () => {
  it('accepts caps up to the smallest amount at risk: 28,000.00', () => {
    const rules = padovaRules();
    rules.groupingCap = '28000.00';
    rules.terms[2].cap = '8400.00';
    expect(problemsOf(rules)).toEqual([]);
  });

  it('names the first grouping and period whose amount at risk a cap exceeds', () => {
    const rules = padovaRules();
    rules.groupingCap = '30000.00';
    rules.terms[0].cap = '32000.01';
    expect(messagesOf(rules)).toEqual([
      {
        code: 'RULE_SET_CAP_ABOVE_AT_RISK',
        field: 'terms[0].cap',
        message: '32000.01 is above what RTI-A has at risk in Y1: 32000.00 (fee 320000.00 x 0.10); a term cap cannot be above the amount at risk',
      },
      {
        code: 'RULE_SET_CAP_ABOVE_AT_RISK',
        field: 'groupingCap',
        message: '30000.00 is above what RTI-B has at risk in Y1: 28000.00 (fee 280000.00 x 0.10); the grouping cap cannot be above the amount at risk',
      },
    ]);
  });

  it('checks a milestone paid as an amount against its own period only', () => {
    const rules = padovaRules();
    delete rules.phases[0].milestone.share;
    rules.phases[0].milestone.amount = '30000.00';
    const ctx = padovaContext();
    ctx.groupings[1].fees = [{ period: 'Y1', amount: '400000.00' }, ...ctx.groupings[1].fees.filter((f) => f.period !== 'Y1')];
    expect(problemsOf(rules, ctx)).toEqual([]);
    expect(messagesOf(rules)).toEqual([
      {
        code: 'RULE_SET_CAP_ABOVE_AT_RISK',
        field: 'phases[0].milestone.amount',
        message: '30000.00 is above what RTI-B has at risk in Y1: 28000.00 (fee 280000.00 x 0.10); a milestone pays at most the amount at risk',
      },
    ]);
  });

  it('uses the basis amount when the basis is a fixed amount', () => {
    const rules = padovaRules();
    rules.basis = { kind: 'AMOUNT', amount: '20000.00' };
    rules.groupingCap = '25000.00';
    expect(problemsOf(rules)).toEqual([['RULE_SET_CAP_ABOVE_AT_RISK', 'groupingCap']]);
  });

  it('needs a fee for every grouping and period when a share of the fee is at risk', () => {
    const ctx = padovaContext();
    ctx.groupings[0].fees = ctx.groupings[0].fees.filter((f) => f.period !== 'Y3');
    expect(messagesOf(padovaRules(), ctx)).toEqual([
      { code: 'RULE_SET_FEE_MISSING', field: 'basis', message: 'a share of the fee is at risk, but there is no fee for RTI-A in Y3: enter the fees first' },
    ]);
  });

  it('keeps floors below caps: the grouping floor and a term floor', () => {
    const rules = padovaRules();
    rules.groupingCap = '20000.00';
    rules.groupingFloor = '20000.01';
    rules.terms[1].cap = '1000.00';
    rules.terms[1].floor = '1500.00';
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_FLOOR_ABOVE_CAP', field: 'terms[1].floor', message: "1500.00 is above the term's cap 1000.00" },
      { code: 'RULE_SET_FLOOR_ABOVE_CAP', field: 'groupingFloor', message: '20000.01 is above the grouping cap 20000.00' },
    ]);
  });
});
