import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { TermInput } from 'src/settlements/calculation/settlement.types';

// Marginal tiers on achievement: the first half of the way pays at rate 0.5, the second half at 1.5,
// beyond the target at 0.2, with achievement capped at 1.5.
const term = (actual: string): TermInput => ({
  id: 'M',
  indicatorCode: 'IND-05',
  direction: 'INCREASE',
  baseline: '5.0',
  target: '7.0',
  measurement: { status: 'ACCEPTED', value: actual },
  payout: {
    kind: 'MARGINAL_TIERS',
    cap: '1.5',
    tiers: [
      { from: '0', rate: '0.5' },
      { from: '0.5', rate: '1.5' },
      { from: '1', rate: '0.2' },
    ],
  },
  weight: '1',
});

describe('Marginal tiers: each slice of achievement pays at its own rate', () => {
  it.each([
    ['5.0', '0', '0.00'], // nothing achieved
    ['5.5', '0.125', '1250.00'], // 0.25 x 0.5
    ['6.0', '0.25', '2500.00'], // 0.5 x 0.5
    ['6.5', '0.625', '6250.00'], // 0.25 + 0.25 x 1.5
    ['7.0', '1', '10000.00'], // 0.25 + 0.5 x 1.5: the target pays the whole basis
    ['8.0', '1.1', '11000.00'], // a = 1.5: 1 + 0.5 x 0.2
    ['9.0', '1.1', '11000.00'], // a = 2, capped at 1.5
  ])('actual %s pays factor %s, premium %s', (actual, factor, premium) => {
    const s = settleGrouping(grouping([term(actual)]));
    expect([s.lines[0].payoutFactor, s.premium]).toEqual([factor, premium]);
  });
});
