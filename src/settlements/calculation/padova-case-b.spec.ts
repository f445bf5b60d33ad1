import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { rtiB } from 'src/settlements/calculation/padova-fixture';

describe('Padova Case B: RTI-B, Y2, survey not assessable, missing-data policy ZERO', () => {
  const s = settleGrouping(rtiB());

  it('pays nothing for the survey and keeps its weight in the denominator', () => {
    const survey = s.lines[3];
    expect(survey).toMatchObject({
      indicatorCode: 'IND-04',
      status: 'MISSING_ZERO',
      actual: null,
      achievement: null,
      payoutFactor: '0',
      weight: '0.15',
      effectiveWeight: '0.15',
      contribution: '0',
      amount: '0',
      applied: ['MISSING_DATA ZERO'],
    });
    expect(survey.reason).toEqual({
      en: 'not paid: not assessable, sample 150 below minimum 200 (policy ZERO)',
      it: 'non pagato: non valutabile, campione 150 sotto il minimo 200 (politica ZERO)',
    });
  });

  it('scores 0.74 and pays 20,720.00, split 12,432.00 / 8,288.00', () => {
    expect(s.lines.map((l) => l.contribution)).toEqual(['0.2', '0.09', '0.3', '0', '0.15']);
    expect(s.lines[0].rawAchievement).toBe('1.125');
    expect(s.score).toBe('0.74');
    expect(s.premium).toBe('20720.00');
    expect(s.payable).toBe('20720.00');
    expect(s.withheld).toBe('7280.00');
    expect(s.allocation.map((a) => [a.memberId, a.amount])).toEqual([
      ['delta', '12432.00'],
      ['edera', '8288.00'],
    ]);
  });
});
