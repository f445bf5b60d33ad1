import { messagesOf, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

function withPayout(payout: unknown): ReturnType<typeof padovaRules> {
  const rules = padovaRules();
  rules.terms[1].payout = payout;
  return rules;
}

describe('band and tier tables: from 0, strictly ascending, no gaps and no overlaps', () => {
  it('accepts a stepped table of bands whose factors stay within [0, 1] and never go down', () => {
    const bands = [
      { from: '0', factor: '0' },
      { from: '0.5', factor: '0.5' },
      { from: '0.8', factor: '0.8' },
      { from: '1', factor: '1' },
    ];
    expect(problemsOf(withPayout({ kind: 'BANDS', bands }))).toEqual([]);
  });

  it('refuses a table that does not start at 0 (achievements below it would fall in no band)', () => {
    expect(messagesOf(withPayout({ kind: 'BANDS', bands: [{ from: '0.5', factor: '1' }] }))).toEqual([
      { code: 'RULE_SET_TABLE_INVALID', field: 'terms[1].payout.bands[0].from', message: 'the first row must start at "0" (not 0.5), so every achievement falls in a row' },
    ]);
  });

  it('refuses rows out of order or repeated ("0.50" and "0.5" are the same boundary)', () => {
    const bands = [
      { from: '0', factor: '0' },
      { from: '0.5', factor: '0.5' },
      { from: '0.50', factor: '0.6' },
      { from: '0.4', factor: '0.7' },
    ];
    expect(problemsOf(withPayout({ kind: 'BANDS', bands }))).toEqual([
      ['RULE_SET_TABLE_INVALID', 'terms[1].payout.bands[2].from'],
      ['RULE_SET_TABLE_INVALID', 'terms[1].payout.bands[3].from'],
    ]);
  });

  it('refuses a band factor above 1 and a factor lower than the band below it', () => {
    const bands = [
      { from: '0', factor: '0.5' },
      { from: '0.5', factor: '0.4' },
      { from: '1', factor: '1.2' },
    ];
    expect(messagesOf(withPayout({ kind: 'BANDS', bands }))).toEqual([
      { code: 'RULE_SET_TABLE_INVALID', field: 'terms[1].payout.bands[1].factor', message: "0.4 is below the previous band's 0.5: more achievement never pays less" },
      { code: 'RULE_SET_TABLE_INVALID', field: 'terms[1].payout.bands[2].factor', message: '1.2 is above 1: a band pays at most the whole amount' },
    ]);
  });

  it('holds marginal tiers to the same table rules', () => {
    const tiers = [
      { from: '0', rate: '0.5' },
      { from: '0.5', rate: '1' },
    ];
    expect(problemsOf(withPayout({ kind: 'MARGINAL_TIERS', tiers, cap: '1' }))).toEqual([]);
    const broken = [
      { from: '0.1', rate: '0.5' },
      { from: '0.1', rate: '1' },
    ];
    expect(problemsOf(withPayout({ kind: 'MARGINAL_TIERS', tiers: broken, cap: '1' }))).toEqual([
      ['RULE_SET_TABLE_INVALID', 'terms[1].payout.tiers[0].from'],
      ['RULE_SET_TABLE_INVALID', 'terms[1].payout.tiers[1].from'],
    ]);
  });
});
