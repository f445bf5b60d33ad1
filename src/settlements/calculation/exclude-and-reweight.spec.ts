import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { rtiB } from 'src/settlements/calculation/padova-fixture';

describe('Case B under EXCLUDE_AND_REWEIGHT: the unassessable survey is excluded and the other weights renormalised', () => {
  const s = settleGrouping({ ...rtiB(), missingPolicy: 'EXCLUDE_AND_REWEIGHT' });

  it('excludes IND-04 and says its weight went to the other terms', () => {
    expect(s.lines[3]).toMatchObject({ status: 'EXCLUDED', weight: '0.15', effectiveWeight: '0', contribution: '0', amount: '0' });
    expect(s.lines[3].reason.en).toBe(
      'excluded: not assessable, sample 150 below minimum 200 (policy EXCLUDE_AND_REWEIGHT), its weight goes to the other terms',
    );
    expect(s.lines[3].reason.it).toBe(
      'escluso: non valutabile, campione 150 sotto il minimo 200 (politica EXCLUDE_AND_REWEIGHT), il suo peso passa agli altri termini',
    );
  });

  it('divides each remaining weight by 0.85 and pays 28,000 x 0.74 / 0.85 = 24,376.47', () => {
    expect(s.lines[0].effectiveWeight).toMatch(/^0\.23529411764705882352941176470588235294117647058/);
    expect(s.score).toMatch(/^0\.87058823529411764705882352941176470588235294117/);
    expect(s.premium).toBe('24376.47');
    expect(s.withheld).toBe('3623.53');
    // 14,625.882 / 9,750.588: the left-over cent goes to the larger remainder (Edera)
    expect(s.allocation.map((a) => a.amount)).toEqual(['14625.88', '9750.59']);
  });

  it('lets a term override the grouping policy', () => {
    const terms = rtiB().terms.map((t) => (t.id === 'T4' ? { ...t, missingPolicy: 'ZERO' as const } : t));
    const zero = settleGrouping({ ...rtiB(terms), missingPolicy: 'EXCLUDE_AND_REWEIGHT' });
    expect([zero.lines[3].status, zero.premium]).toEqual(['MISSING_ZERO', '20720.00']);
  });
});
