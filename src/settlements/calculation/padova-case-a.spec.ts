import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { rtiA } from 'src/settlements/calculation/padova-fixture';

describe('Padova Case A: RTI-A, Y2, partial achievement, gate passes', () => {
  const s = settleGrouping(rtiA());

  it('scores 0.5925 line by line, with the threshold inclusive and the cap applied', () => {
    expect(s.lines.map((l) => [l.indicatorCode, l.achievement, l.payoutFactor, l.weight, l.contribution, l.amount, l.status])).toEqual([
      ['IND-01', '0.75', '0.75', '0.20', '0.15', '4800', 'PAID'],
      ['IND-02', '1', '1', '0.15', '0.15', '4800', 'PAID'],
      ['IND-03', '0.5', '0.5', '0.30', '0.15', '4800', 'PAID'],
      ['IND-04', '0.95', '0.95', '0.15', '0.1425', '4560', 'PAID'],
      ['IND-05', '0.4', '0', '0.20', '0', '0', 'BELOW_THRESHOLD'],
    ]);
    expect(s.lines[1].rawAchievement).toBe('1.2');
    expect(s.lines[1].applied).toEqual(['ACHIEVEMENT_CAP 1.0']);
    expect(s.lines[2].applied).toEqual(['GATE G-UNDER60 HOLDS']);
    expect(s.score).toBe('0.5925');
  });

  it('pays 18,960.00 of 32,000.00 at risk and withholds 13,040.00, rounding once', () => {
    expect(s.atRisk).toBe('32000.00');
    expect(s.premium).toBe('18960.00');
    expect(s.payable).toBe('18960.00');
    expect(s.withheld).toBe('13040.00');
    expect(s.rounding).toEqual({ point: 'PREMIUM', mode: 'HALF_UP', to: '0.01', exact: '18960', rounded: '18960.00' });
    expect(s.adjustments).toEqual([]);
  });

  it('splits 50/30/20 into 9,480.00 / 5,688.00 / 3,792.00', () => {
    expect(s.allocation.map((a) => [a.memberId, a.amount])).toEqual([
      ['aurora', '9480.00'],
      ['borgo', '5688.00'],
      ['ciclamino', '3792.00'],
    ]);
  });

  it('explains each euro in English and Italian', () => {
    expect(s.lines[0].reason).toEqual({
      en: 'paid: achievement 0.75 >= threshold 0.5, payout 0.75',
      it: 'pagato: raggiungimento 0,75 >= soglia 0,5, quota 0,75',
    });
    expect(s.lines[4].reason).toEqual({
      en: 'not paid: achievement 0.4 below threshold 0.5',
      it: 'non pagato: raggiungimento 0,4 sotto la soglia 0,5',
    });
  });

  it('keeps the decimal strings as computed in the reasons of format-1 documents, and changes nothing else', () => {
    const plain = settleGrouping(rtiA(), { reasons: 'PLAIN' });
    expect(plain.lines[0].reason.it).toBe('pagato: raggiungimento 0.75 >= soglia 0.5, quota 0.75');
    const withoutReasons = (r: typeof s) => JSON.parse(JSON.stringify(r, (key, value: unknown) => (key === 'reason' ? undefined : value))) as unknown;
    expect(withoutReasons(plain)).toEqual(withoutReasons(s));
  });
});
