import { settleContractPeriod } from 'src/settlements/calculation/contract-period-settlement';
import { rtiA, rtiB } from 'src/settlements/calculation/padova-fixture';

describe('Pool cap 35,000.00 across RTI-A (Case A) and RTI-B (Case B): pro-rata reduction in whole cents', () => {
  const s = settleContractPeriod([rtiA(), rtiB()], '35000.00');

  it('reduces 18,960.00 + 20,720.00 = 39,680.00 to exactly 35,000.00', () => {
    expect(s.groupings.map((g) => [g.groupingCode, g.premium, g.payable, g.withheld])).toEqual([
      ['RTI-A', '18960.00', '16723.79', '15276.21'],
      ['RTI-B', '20720.00', '18276.21', '9723.79'],
    ]);
    expect(s.totals).toEqual({ premium: '39680.00', payable: '35000.00', withheld: '25000.00', atRisk: '60000.00' });
    expect(s.groupings[0].adjustments).toEqual([
      {
        kind: 'POOL_CAP',
        before: '18960.00',
        after: '16723.79',
        reason: {
          en: 'pool cap 35,000.00 across groupings (requested 39,680.00): reduced pro rata',
          it: 'tetto complessivo 35.000,00 tra i raggruppamenti (richiesto 39.680,00): ridotto in proporzione',
        },
      },
    ]);
  });

  it('reallocates each reduced premium among the members so it still adds up', () => {
    expect(s.groupings[0].allocation.map((a) => a.amount)).toEqual(['8361.89', '5017.14', '3344.76']);
    expect(s.groupings[1].allocation.map((a) => a.amount)).toEqual(['10965.73', '7310.48']);
  });

  it('leaves the amounts alone under the Padova cap of 60,000.00', () => {
    const free = settleContractPeriod([rtiA(), rtiB()], '60000.00');
    expect(free.groupings.map((g) => [g.payable, g.adjustments.length])).toEqual([
      ['18960.00', 0],
      ['20720.00', 0],
    ]);
    expect(free.totals.payable).toBe('39680.00');
  });
});
