import { dec } from 'src/common/decimal/decimal';
import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { roundAmount } from 'src/settlements/calculation/rounding';

// A contract may round its premium otherwise than half-up to the cent; the rounding still happens once.

describe('rounding configured per contract', () => {
  it.each([
    ['HALF_UP', '0.01', '18960.005', '18960.01'],
    ['HALF_EVEN', '0.01', '18960.005', '18960.00'],
    ['HALF_EVEN', '0.01', '18960.015', '18960.02'],
    ['DOWN', '0.01', '18960.009', '18960.00'],
    ['HALF_UP', '1', '18960.50', '18961.00'],
    ['DOWN', '1', '18960.99', '18960.00'],
  ] as const)('%s to %s: %s -> %s', (mode, to, exact, rounded) => {
    expect(roundAmount(dec(exact), { mode, to })).toBe(rounded);
  });

  it('refuses an unknown unit with a stable code', () => {
    expect(() => roundAmount(dec('1.005'), { mode: 'HALF_UP', to: '0.001' })).toThrow(expect.objectContaining({ code: 'SETTLEMENT_CALC_ROUNDING' }));
  });

  it('a premium of 1/3 of 100.00 rounds to 33.33 half-up and to 33.00 when the contract rounds down to the euro', () => {
    const term = { id: 'T', indicatorCode: 'X', direction: 'INCREASE' as const, baseline: '0', target: '3', measurement: { status: 'ACCEPTED' as const, value: '1' }, payout: { kind: 'LINEAR' as const, threshold: '0', cap: '1' }, weight: '1' };
    const input = grouping([term], { basis: { kind: 'AMOUNT', amount: '100.00' } });
    expect(settleGrouping(input).premium).toBe('33.33');
    const euro = settleGrouping({ ...input, rounding: { mode: 'DOWN', to: '1' } });
    expect([euro.premium, euro.rounding.mode, euro.rounding.to]).toEqual(['33.00', 'DOWN', '1']);
    expect(euro.allocation.map((a) => a.amount)).toEqual(['33.00']);
  });
});
