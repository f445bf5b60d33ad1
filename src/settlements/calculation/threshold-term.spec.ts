import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { TermInput } from 'src/settlements/calculation/settlement.types';

// All or nothing: a fixed 5,000.00 if 300 people find work (baseline 200), nothing at 299.
const term = (actual: string): TermInput => ({
  id: 'JOBS',
  indicatorCode: 'IND-JOBS',
  direction: 'INCREASE',
  baseline: '200',
  target: '300',
  measurement: { status: 'ACCEPTED', value: actual },
  payout: { kind: 'THRESHOLD' },
  fixedAmount: '5000.00',
});

describe('Threshold term: a fixed amount if the target is reached, nothing otherwise', () => {
  it('pays the whole 5,000.00 exactly at the target', () => {
    const s = settleGrouping(grouping([term('300')], { basis: null }));
    expect([s.lines[0].payoutFactor, s.lines[0].amount, s.premium, s.atRisk, s.withheld]).toEqual(['1', '5000', '5000.00', '5000.00', '0.00']);
  });

  it('pays nothing one short of the target', () => {
    const s = settleGrouping(grouping([term('299')], { basis: null }));
    expect([s.lines[0].status, s.lines[0].achievement, s.lines[0].payoutFactor, s.premium, s.withheld]).toEqual([
      'BELOW_THRESHOLD',
      '0.99',
      '0',
      '0.00',
      '5000.00',
    ]);
    expect(s.lines[0].reason.en).toBe('not paid: achievement 0.99 below threshold 1');
  });
});
