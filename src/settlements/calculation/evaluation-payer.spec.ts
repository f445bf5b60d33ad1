import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping, RTI_A_MEMBERS } from 'src/settlements/calculation/padova-fixture';
import { EvaluationPayerInput } from 'src/settlements/calculation/settlement.types';

// Bergamo: Regione Lombardia pays 40 % of the certified savings on avoided emergency visits, capped at
// 150,000.00, only when the independent evaluation finds a significant impact. It is paid outside the
// municipality's premium and allocated among the members like it.

const region = (evaluation: EvaluationPayerInput['evaluation']): EvaluationPayerInput => ({
  id: 'REG-BG-01',
  payer: 'REG-LOMBARDIA',
  label: 'Regione Lombardia',
  share: '0.40',
  cap: '150000.00',
  evaluation,
});

describe('evaluation-triggered payer', () => {
  it('pays 40 % of 120,000.00 certified = 48,000.00 when significant, split 50/30/20', () => {
    const s = settleGrouping(grouping([], { basis: null, members: RTI_A_MEMBERS, evaluationPayers: [region({ significant: true, certifiedSavings: '120000.00', recordId: 'r1' })] }));
    const p = s.evaluationPayments[0];
    expect([p.exact, p.amount, p.recordId]).toEqual(['48000', '48000.00', 'r1']);
    expect(p.allocation.map((a) => a.amount)).toEqual(['24000.00', '14400.00', '9600.00']);
    expect(s.premium).toBe('0.00');
  });

  it('caps at 150,000.00 (40 % of 500,000.00 = 200,000.00) and says so', () => {
    const p = settleGrouping(grouping([], { basis: null, evaluationPayers: [region({ significant: true, certifiedSavings: '500000.00', recordId: 'r2' })] })).evaluationPayments[0];
    expect([p.amount, p.applied]).toEqual(['150000.00', ['cap 150000.00']]);
    expect(p.reason.en).toBe('paid by Regione Lombardia: evaluation found a significant impact, 0.40 of certified savings 500,000.00; capped at 150,000.00');
    expect(p.reason.it).toBe('pagato da Regione Lombardia: la valutazione ha rilevato un impatto significativo, 0,40 dei risparmi certificati 500.000,00; limitato a 150.000,00');
  });

  it('pays nothing without a significant finding, and nothing without a record, each with its reason', () => {
    const no = settleGrouping(grouping([], { basis: null, evaluationPayers: [region({ significant: false, certifiedSavings: '90000.00', recordId: 'r3' })] })).evaluationPayments[0];
    expect([no.amount, no.reason.it]).toEqual(['0.00', 'non pagato da Regione Lombardia: la valutazione non ha rilevato un impatto significativo']);
    const none = settleGrouping(grouping([], { basis: null, evaluationPayers: [region(null)] })).evaluationPayments[0];
    expect([none.amount, none.significant, none.reason.en]).toEqual(['0.00', null, 'not paid by Regione Lombardia: no evaluation record for the period']);
  });
});
