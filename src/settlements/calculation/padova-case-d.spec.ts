import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { caseATerms, rtiA } from 'src/settlements/calculation/padova-fixture';

describe('Padova Case D: as Case A, but the UNDER60 share is 0.12 and the multi-target gate fails', () => {
  const s = settleGrouping(rtiA(caseATerms('0.12')));

  it('pays nothing for IND-03 and says why, in both languages', () => {
    const line = s.lines[2];
    expect(line).toMatchObject({ indicatorCode: 'IND-03', status: 'GATE_FAILED', achievement: '0.5', payoutFactor: '0', contribution: '0', amount: '0' });
    expect(line.applied).toEqual(['GATE G-UNDER60 FAILED']);
    expect(line.reason).toEqual({
      en: "not paid: gate 'UNDER60 share >= 0.15' failed, actual 0.12",
      it: "non pagato: condizione 'UNDER60 share >= 0.15' non soddisfatta, valore 0,12",
    });
  });

  it('scores 0.4425 and pays 14,160.00, withholding 17,840.00', () => {
    expect(s.score).toBe('0.4425');
    expect(s.premium).toBe('14160.00');
    expect(s.withheld).toBe('17840.00');
    expect(s.allocation.map((a) => a.amount)).toEqual(['7080.00', '4248.00', '2832.00']);
  });
});
