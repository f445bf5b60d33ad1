import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { TermInput } from 'src/settlements/calculation/settlement.types';

// Bergamo's milestone terms: a new service has no baseline, so "waiting days at or below 10" is asked of
// the target alone; a LINEAR term in the same position still needs a baseline.

function waitingDays(actual: string, extra: Partial<TermInput> = {}): TermInput {
  return {
    id: 'BG-05',
    indicatorCode: 'BG-05',
    direction: 'DECREASE',
    baseline: null,
    target: '10',
    measurement: { status: 'ACCEPTED', value: actual },
    payout: { kind: 'THRESHOLD' },
    fixedAmount: '10000.00',
    ...extra,
  };
}

describe('a threshold term without a baseline', () => {
  it('pays the fixed amount when the actual reaches the target in the indicator direction (9 days <= 10)', () => {
    const s = settleGrouping(grouping([waitingDays('9')], { basis: null }));
    expect([s.lines[0].status, s.lines[0].rawAchievement, s.premium]).toEqual(['PAID', '1', '10000.00']);
  });

  it('pays nothing at 11 days, with the threshold reason', () => {
    const s = settleGrouping(grouping([waitingDays('11')], { basis: null }));
    expect([s.lines[0].status, s.premium, s.lines[0].reason.en]).toEqual(['BELOW_THRESHOLD', '0.00', 'not paid: achievement 0 below threshold 1']);
  });

  it('still needs a baseline for a LINEAR term', () => {
    expect(() => settleGrouping(grouping([waitingDays('9', { payout: { kind: 'LINEAR', threshold: '0.5', cap: '1' } })], { basis: null }))).toThrow(
      expect.objectContaining({ code: 'SETTLEMENT_CALC_BASELINE_REQUIRED' }),
    );
  });
});
