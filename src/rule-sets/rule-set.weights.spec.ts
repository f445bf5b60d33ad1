import { messagesOf, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

describe('weighted score: the weights of the weighted terms sum to exactly 1, and each term says how much it pays', () => {
  it('accepts Padova 0.20 + 0.15 + 0.30 + 0.15 + 0.20 and refuses 1.05, as exact decimals', () => {
    const rules = padovaRules();
    rules.terms[4].weight = '0.25';
    expect(messagesOf(rules)).toEqual([{ code: 'RULE_SET_WEIGHTS_NOT_ONE', field: 'terms', message: 'the weights of the weighted terms sum to 1.05, not exactly 1' }]);
  });

  it('is not fooled by floats: thirds written to 0.3333 do not make 1', () => {
    const rules = padovaRules();
    rules.terms = rules.terms.slice(0, 3);
    rules.terms.forEach((t: { weight: string }) => (t.weight = '0.3333'));
    rules.tests = [];
    expect(messagesOf(rules)).toEqual([{ code: 'RULE_SET_WEIGHTS_NOT_ONE', field: 'terms', message: 'the weights of the weighted terms sum to 0.9999, not exactly 1' }]);
    rules.terms[2].weight = '0.3334';
    expect(messagesOf(rules)).toEqual([]);
  });

  it('counts only weighted terms: fixed-amount terms stand beside them', () => {
    const rules = padovaRules();
    rules.terms[4] = { indicator: 'IND-05', payout: { kind: 'THRESHOLD' }, fixedAmount: '5000.00' };
    rules.terms[0].weight = '0.40';
    expect(problemsOf(rules)).toEqual([]);
  });

  it('needs exactly one of weight and fixedAmount, and neither on a price-per-unit term', () => {
    const rules = padovaRules();
    rules.terms[0].fixedAmount = '1000.00';
    delete rules.terms[1].weight;
    rules.terms[2] = { indicator: 'IND-03', payout: { kind: 'PRICE_PER_UNIT', unitPrice: '10.00' }, weight: '0.30' };
    expect(messagesOf(rules).filter((p) => p.code === 'RULE_SET_TERM_AMOUNT')).toEqual([
      { code: 'RULE_SET_TERM_AMOUNT', field: 'terms[0].fixedAmount', message: 'a term has either a weight or a fixedAmount, not both' },
      { code: 'RULE_SET_TERM_AMOUNT', field: 'terms[1]', message: 'needs a weight (share of the amount at risk) or a fixedAmount (in euros)' },
      { code: 'RULE_SET_TERM_AMOUNT', field: 'terms[2].weight', message: 'a price-per-unit term pays unitPrice per unit: it takes no weight or fixedAmount' },
    ]);
  });

  it('needs a basis to share among weighted terms', () => {
    const rules = padovaRules();
    delete rules.basis;
    delete rules.phases[0].milestone.share;
    rules.phases[0].milestone.amount = '10000.00';
    expect(problemsOf(rules)).toEqual([0, 1, 2, 3, 4].map((i) => ['RULE_SET_BASIS_REQUIRED', `terms[${i}].weight`]));
  });
});
