import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { rtiA } from 'src/settlements/calculation/padova-fixture';
import { Phase } from 'src/settlements/calculation/settlement.types';

const shadow = (achieved: boolean): Phase => ({
  mode: 'SHADOW',
  milestone: { label: 'complete baseline dataset for IND-01..05', achieved, amount: '32000.00' },
});

describe('Padova Y1 in shadow: the premium is computed and shown, the milestone is what is paid', () => {
  it('shows 18,960.00 but pays the milestone, 100% of the outcome share', () => {
    const s = settleGrouping({ ...rtiA(), phase: shadow(true) });
    expect([s.phase, s.premium, s.payable, s.withheld]).toEqual(['SHADOW', '18960.00', '32000.00', '0.00']);
    expect(s.adjustments.map((a) => [a.kind, a.before, a.after, a.reason.en])).toEqual([
      ['SHADOW', '18960.00', '0.00', 'shadow period: computed for information, not payable'],
      ['MILESTONE', '0.00', '32000.00', 'milestone reached: complete baseline dataset for IND-01..05'],
    ]);
    expect(s.allocation.map((a) => a.amount)).toEqual(['16000.00', '9600.00', '6400.00']);
  });

  it('pays nothing when the milestone is missed', () => {
    const s = settleGrouping({ ...rtiA(), phase: shadow(false) });
    expect([s.premium, s.payable, s.withheld]).toEqual(['18960.00', '0.00', '32000.00']);
    expect(s.adjustments[1].reason.it).toBe('traguardo non raggiunto: complete baseline dataset for IND-01..05');
  });

  it('pays nothing in a shadow year without a milestone', () => {
    const s = settleGrouping({ ...rtiA(), phase: { mode: 'SHADOW', milestone: null } });
    expect([s.payable, s.allocation.map((a) => a.amount)]).toEqual(['0.00', ['0.00', '0.00', '0.00']]);
  });
});
