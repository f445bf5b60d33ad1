import fc from 'fast-check';
import { Dec, dec, roundToCents } from 'src/common/decimal/decimal';
import { allocateToMembers } from 'src/settlements/calculation/allocation';
import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { grouping } from 'src/settlements/calculation/padova-fixture';
import { Direction, MemberInput, PayoutRule, TermInput } from 'src/settlements/calculation/settlement.types';

// Seeded, so a failure reproduces; every value is built as a decimal string from integers.
const params = { seed: 20260115, numRuns: 300 };
const tenths = (n: number) => new Dec(n).dividedBy(10).toString();
const euros = (centsValue: number) => new Dec(centsValue).dividedBy(100).toFixed(2);

const rules: PayoutRule[] = [
  { kind: 'LINEAR', threshold: '0.5', cap: '1.0' },
  { kind: 'LINEAR', threshold: '0', cap: '1.2' },
  { kind: 'THRESHOLD' },
  { kind: 'BANDS', bands: [{ from: '0.3', factor: '0.2' }, { from: '0.6', factor: '0.6' }, { from: '1', factor: '1' }] },
  { kind: 'MARGINAL_TIERS', cap: '1.5', tiers: [{ from: '0', rate: '0.5' }, { from: '0.5', rate: '1.5' }, { from: '1', rate: '0.2' }] },
];

function term(direction: Direction, baseline: string, target: string, actual: string, payout: PayoutRule): TermInput {
  return { id: 'T', indicatorCode: 'IND', direction, baseline, target, measurement: { status: 'ACCEPTED', value: actual }, payout, weight: '1' };
}

describe('Settlement properties', () => {
  it('never pays less when the actual improves (INCREASE and DECREASE, every scored kind)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Direction>('INCREASE', 'DECREASE'),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: -500, max: 2500 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(...rules),
        (direction, b, span, x, step, rule) => {
          const baseline = tenths(b);
          const target = tenths(direction === 'INCREASE' ? b + span : b - span);
          const worse = tenths(x);
          const better = tenths(direction === 'INCREASE' ? x + step : x - step);
          const pay = (actual: string) => dec(settleGrouping(grouping([term(direction, baseline, target, actual, rule)])).payable);
          return pay(better).greaterThanOrEqualTo(pay(worse));
        },
      ),
      params,
    );
  });

  it('keeps every term within its cap and the grouping within its cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 100000 }),
        fc.integer({ min: 0, max: 5000000 }),
        fc.integer({ min: 0, max: 5000000 }),
        (units, price, termCap, groupCap) => {
          const t: TermInput = {
            id: 'P',
            indicatorCode: 'IND',
            direction: 'INCREASE',
            baseline: '0',
            target: null,
            measurement: { status: 'ACCEPTED', value: String(units) },
            payout: { kind: 'PRICE_PER_UNIT', unitPrice: euros(price) },
            cap: euros(termCap),
          };
          const s = settleGrouping(grouping([t], { basis: null, cap: euros(groupCap) }));
          return dec(s.lines[0].amount).lessThanOrEqualTo(dec(euros(termCap))) && dec(s.payable).lessThanOrEqualTo(dec(euros(groupCap)));
        },
      ),
      params,
    );
  });

  it('allocates exactly the premium, in whole cents, for any shares that sum to 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10000000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 9999 }), { maxLength: 6 }),
        fc.nat(6),
        (premiumCents, cuts, leadPick) => {
          const points = [0, ...[...cuts].sort((a, b) => a - b), 10000];
          const members: MemberInput[] = points.slice(1).map((p, i) => ({
            id: `m${i}`,
            name: `m${i}`,
            executionShare: new Dec(p - points[i]).dividedBy(10000).toString(),
            lead: i === leadPick % (points.length - 1),
          }));
          const premium = euros(premiumCents);
          const split = allocateToMembers(premium, members);
          const sum = split.reduce((acc, a) => acc.plus(dec(a.amount)), new Dec(0));
          return sum.equals(dec(premium)) && split.every((a) => dec(a.amount).decimalPlaces() <= 2 && dec(a.amount).greaterThanOrEqualTo(0));
        },
      ),
      params,
    );
  });

  it('rounds the premium once, half-up, from the exact sum of the lines (not from rounded lines)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 2, maxLength: 2 }),
        fc.integer({ min: 1, max: 99999999 }),
        (w, actuals, basisCents) => {
          const weights = [new Dec(w).dividedBy(100).toString(), new Dec(100 - w).dividedBy(100).toString()];
          const terms = actuals.map((a, i) => ({
            ...term('INCREASE', '0', '1000', tenths(a), { kind: 'LINEAR', threshold: '0', cap: '1' }),
            id: `T${i}`,
            weight: weights[i],
          }));
          const s = settleGrouping(grouping(terms, { basis: { kind: 'AMOUNT', amount: euros(basisCents) } }));
          const exact = s.lines.reduce((acc, l) => acc.plus(dec(l.amount)), new Dec(0));
          return (
            dec(s.rounding.exact).equals(exact) && s.premium === roundToCents(exact) && s.rounding.rounded === s.premium && s.payable === s.premium
          );
        },
      ),
      params,
    );
  });
});
