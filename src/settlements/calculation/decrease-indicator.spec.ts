import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { TermInput } from 'src/settlements/calculation/settlement.types';

// Lower is better: emergency admissions of over-75s from 120 (baseline) to 90 (target), linear from 0.5.
const term = (actual: string): TermInput => ({
  id: 'D',
  indicatorCode: 'IND-ADMISSIONS',
  direction: 'DECREASE',
  baseline: '120',
  target: '90',
  measurement: { status: 'ACCEPTED', value: actual },
  payout: { kind: 'LINEAR', threshold: '0.5', cap: '1.0' },
  weight: '1',
});

describe('A DECREASE indicator uses the same formula with the sign reversed', () => {
  it.each([
    ['130', '-0.33333333333333333333333333333333333333333333333333', '0', '0', '0.00'],
    ['106', '0.46666666666666666666666666666666666666666666666667', '0.46666666666666666666666666666666666666666666666667', '0', '0.00'],
    ['105', '0.5', '0.5', '0.5', '5000.00'],
    ['99', '0.7', '0.7', '0.7', '7000.00'],
    ['80', '1.3333333333333333333333333333333333333333333333333', '1', '1', '10000.00'],
  ])('actual %s: raw %s, achievement %s, factor %s, premium %s', (actual, raw, a, factor, premium) => {
    const s = settleGrouping(grouping([term(actual)]));
    expect([s.lines[0].rawAchievement, s.lines[0].achievement, s.lines[0].payoutFactor, s.premium]).toEqual([raw, a, factor, premium]);
  });

  it('refuses a DECREASE target above the baseline', () => {
    const bad = { ...term('100'), target: '130' };
    expect(() => settleGrouping(grouping([bad]))).toThrow(expect.objectContaining({ code: 'SETTLEMENT_CALC_TARGET_EQUALS_BASELINE', field: 'terms[0].target' }));
  });
});
