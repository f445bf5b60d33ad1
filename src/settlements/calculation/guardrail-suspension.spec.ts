import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { rtiA } from 'src/settlements/calculation/padova-fixture';
import { GuardrailInput } from 'src/settlements/calculation/settlement.types';

const hours = (actual: string, holds: boolean): GuardrailInput => ({
  check: { id: 'IND-G1', label: 'IND-G1 hours per participant >= 10', holds, actual, threshold: '10' },
  suspends: ['T3'],
});

describe('Guardrail: fewer than 10 hours per participant suspends the volume indicator IND-03', () => {
  it('suspends IND-03 (Case A data, 8.5 hours) and pays 14,160.00', () => {
    const s = settleGrouping({ ...rtiA(), guardrails: [hours('8.5', false)] });
    expect(s.lines[2]).toMatchObject({ status: 'SUSPENDED', achievement: '0.5', payoutFactor: '0', amount: '0' });
    expect(s.lines[2].applied).toEqual(['GATE G-UNDER60 HOLDS', 'GUARDRAIL IND-G1 FAILED']);
    expect(s.lines[2].reason).toEqual({
      en: "suspended: guardrail 'IND-G1 hours per participant >= 10' failed, actual 8.5",
      it: "sospeso: salvaguardia 'IND-G1 hours per participant >= 10' non rispettata, valore 8,5",
    });
    expect(s.lines.filter((l) => l.status === 'SUSPENDED')).toHaveLength(1);
    expect(s.premium).toBe('14160.00');
  });

  it('changes nothing when the guardrail holds (12 hours)', () => {
    expect(settleGrouping({ ...rtiA(), guardrails: [hours('12', true)] }).premium).toBe('18960.00');
  });

  it('refuses a guardrail that names no term', () => {
    const bad = { ...hours('8.5', false), suspends: ['T9'] };
    expect(() => settleGrouping({ ...rtiA(), guardrails: [bad] })).toThrow(
      expect.objectContaining({ code: 'SETTLEMENT_CALC_UNKNOWN_TERM', field: 'guardrails[0].suspends[0]' }),
    );
  });
});
