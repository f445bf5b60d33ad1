import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { caseATerms, rtiA } from 'src/settlements/calculation/padova-fixture';

describe('A weighted score needs weights that sum to exactly 1', () => {
  it('refuses 0.20 + 0.15 + 0.30 + 0.15 + 0.19 = 0.99', () => {
    const terms = caseATerms().map((t) => (t.id === 'T5' ? { ...t, weight: '0.19' } : t));
    expect(() => settleGrouping(rtiA(terms))).toThrow(expect.objectContaining({ code: 'SETTLEMENT_CALC_WEIGHTS_NOT_ONE', field: 'terms' }));
  });

  it('refuses a scored term with both a weight and a fixed amount', () => {
    const terms = caseATerms().map((t) => (t.id === 'T5' ? { ...t, fixedAmount: '100.00' } : t));
    expect(() => settleGrouping(rtiA(terms))).toThrow(expect.objectContaining({ code: 'SETTLEMENT_CALC_TERM_AMOUNT', field: 'terms[4]' }));
  });
});
