import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { TermInput } from 'src/settlements/calculation/settlement.types';

// Rate card: 850.00 per participant in sustained work above a baseline of 40, at most 25,000.00.
const term = (actual: string): TermInput => ({
  id: 'P',
  indicatorCode: 'IND-WORK',
  direction: 'INCREASE',
  baseline: '40',
  target: null,
  measurement: { status: 'ACCEPTED', value: actual },
  payout: { kind: 'PRICE_PER_UNIT', unitPrice: '850.00' },
  cap: '25000.00',
});

describe('Price per outcome above a baseline, with a cap on the term', () => {
  it('pays 850.00 for each of the 17 outcomes above the baseline', () => {
    const s = settleGrouping(grouping([term('57')], { basis: null }));
    expect([s.lines[0].payoutFactor, s.lines[0].amount, s.premium, s.atRisk, s.withheld]).toEqual(['17', '14450', '14450.00', '25000.00', '10550.00']);
    expect(s.lines[0].reason).toEqual({ en: 'paid: 17 units above baseline x 850.00', it: 'pagato: 17 unità oltre la baseline x 850,00' });
  });

  it('stops at the cap of 25,000.00 and says so', () => {
    const s = settleGrouping(grouping([term('80')], { basis: null }));
    expect([s.lines[0].amount, s.premium, s.withheld]).toEqual(['25000', '25000.00', '0.00']);
    expect(s.lines[0].applied).toEqual(['TERM_CAP 25000.00']);
    expect(s.lines[0].reason.en).toBe('paid: 40 units above baseline x 850.00; capped at 25,000.00');
  });

  it('pays nothing at or below the baseline', () => {
    const s = settleGrouping(grouping([term('35')], { basis: null }));
    expect([s.lines[0].status, s.lines[0].amount, s.premium]).toEqual(['BELOW_THRESHOLD', '0', '0.00']);
  });
});
