import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { TermInput } from 'src/settlements/calculation/settlement.types';

// Stepped table on achievement: [0.5, 0.8) pays 0.4, [0.8, 1) pays 0.7, from 1 pays 1.
const term = (actual: string): TermInput => ({
  id: 'B',
  indicatorCode: 'IND-03',
  direction: 'INCREASE',
  baseline: '1000',
  target: '1500',
  measurement: { status: 'ACCEPTED', value: actual },
  payout: {
    kind: 'BANDS',
    bands: [
      { from: '0.5', factor: '0.4' },
      { from: '0.8', factor: '0.7' },
      { from: '1', factor: '1' },
    ],
  },
  weight: '1',
});

describe('Bands: a boundary value belongs to the upper band', () => {
  it.each([
    ['1249', '0.498', '0', '0.00'],
    ['1250', '0.5', '0.4', '4000.00'],
    ['1399', '0.798', '0.4', '4000.00'],
    ['1400', '0.8', '0.7', '7000.00'],
    ['1500', '1', '1', '10000.00'],
    ['1800', '1.6', '1', '10000.00'],
  ])('actual %s: achievement %s, factor %s, premium %s', (actual, a, factor, premium) => {
    const s = settleGrouping(grouping([term(actual)]));
    expect([s.lines[0].rawAchievement, s.lines[0].payoutFactor, s.premium]).toEqual([a, factor, premium]);
  });

  it('refuses a table whose rows are not ascending, naming the row', () => {
    const bad = term('1400');
    bad.payout = { kind: 'BANDS', bands: [{ from: '0.8', factor: '0.7' }, { from: '0.8', factor: '1' }] };
    expect(() => settleGrouping(grouping([bad]))).toThrow(expect.objectContaining({ code: 'SETTLEMENT_CALC_INVALID_TABLE', field: 'terms[0].payout.bands[1].from' }));
  });
});
