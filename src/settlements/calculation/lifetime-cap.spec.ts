import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { rtiA } from 'src/settlements/calculation/padova-fixture';

describe('Lifetime cap: 80,000.00 over the contract, 67,000.00 already settled in Y1 and Y2', () => {
  it('pays only the 13,000.00 left of the 18,960.00 computed in Y3', () => {
    const s = settleGrouping({ ...rtiA(), lifetime: { cap: '80000.00', settledBefore: ['32000.00', '35000.00'] } });
    expect([s.premium, s.payable, s.withheld]).toEqual(['18960.00', '13000.00', '19000.00']);
    expect(s.adjustments).toEqual([
      {
        kind: 'LIFETIME_CAP',
        before: '18960.00',
        after: '13000.00',
        reason: {
          en: 'lifetime cap 80,000.00, already settled 67,000.00, remaining 13,000.00',
          it: "tetto per l'intera durata 80.000,00, già liquidato 67.000,00, residuo 13.000,00",
        },
      },
    ]);
    expect(s.allocation.map((a) => a.amount)).toEqual(['6500.00', '3900.00', '2600.00']);
  });

  it('pays nothing once the cap is used up, and never a negative amount', () => {
    const s = settleGrouping({ ...rtiA(), lifetime: { cap: '60000.00', settledBefore: ['32000.00', '35000.00'] } });
    expect(s.payable).toBe('0.00');
  });

  it('refuses an earlier amount that is not whole cents', () => {
    expect(() => settleGrouping({ ...rtiA(), lifetime: { cap: '80000.00', settledBefore: ['1.005'] } })).toThrow(
      expect.objectContaining({ code: 'SETTLEMENT_CALC_NOT_CENTS', field: 'lifetime.settledBefore[0]' }),
    );
  });
});
