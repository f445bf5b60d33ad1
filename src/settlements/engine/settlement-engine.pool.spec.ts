import fc from 'fast-check';
import { dec } from 'src/common/decimal/decimal';
import { padovaCaseADocument } from 'src/reports/testing/settlement-document.fixture';
import { computeSettlement, type InForceSettlement, poolShares, withPoolRequests } from 'src/settlements/engine/settlement-engine';
import type { SettlementInputs } from 'src/settlements/settlement-document';

// Issue 4: a pool cap across the groupings of a contract holds for what is in force, also after one grouping
// is reopened. Business scenario: Padova's two groupings share a pool of 30,000.00 (less than they ask
// together); both are settled and approved; RTI-B's data then improves and RTI-B is reopened while RTI-A's
// approved settlement stays in force. RTI-B may not be paid more than the pool leaves beside RTI-A's
// approved amount, until RTI-A is reopened too.

const CAP = '30000.00';

function groupings(feeB: string): SettlementInputs[] {
  const a = { ...padovaCaseADocument().inputs, pool: null };
  const b = { ...a, grouping: { ...a.grouping, code: 'RTI-B', name: 'RTI B', fee: feeB } };
  return [a, b];
}

const sum = (values: readonly string[]): string => values.reduce((acc, v) => acc.plus(dec(v)), dec('0')).toFixed(2);

describe('pool cap with approved settlements in force (reopening one grouping)', () => {
  const before = withPoolRequests(groupings('280000.00'), CAP);
  const first = before.map((i) => computeSettlement(i));
  const inForce: InForceSettlement[] = first.map((r, i) => ({ grouping: before[i].pool?.requests[i].grouping as string, settlementId: `s-${i}`, payable: r.payable }));

  it('splits the pool pro rata when the groupings ask for more than the cap, to the cent', () => {
    const requests = before[0].pool?.requests ?? [];
    expect(dec(sum(requests.map((r) => r.requested))).greaterThan(dec(CAP))).toBe(true);
    expect(sum(first.map((r) => r.payable))).toBe(CAP);
    expect(first.map((r) => r.adjustments.at(-1)?.kind)).toEqual(['POOL_CAP', 'POOL_CAP']);
    expect(before.every((i) => i.pool?.committed === undefined)).toBe(true);
  });

  it('lists nothing as committed while the approved settlements are the shares of the current requests: inputs and hashes stay the same', () => {
    const again = withPoolRequests(groupings('280000.00'), CAP, inForce);
    expect(again.map((i) => i.pool)).toEqual(before.map((i) => i.pool));
    expect(again.map((i) => computeSettlement(i).payable)).toEqual(first.map((r) => r.payable));
  });

  describe('RTI-B asks more after its data changed, RTI-A approved at its old share', () => {
    const after = withPoolRequests(groupings('400000.00'), CAP, inForce);
    const newShares = poolShares(CAP, after[0].pool?.requests ?? []);
    const reopenedB = computeSettlement(after[1]);

    it('RTI-B\'s inputs name RTI-A\'s approved settlement as committed; RTI-A\'s name RTI-B\'s (no grouping lists itself)', () => {
      expect(after[1].pool?.committed).toEqual([{ grouping: 'RTI-A', settlementId: 's-0', payable: first[0].payable }]);
      expect(after[0].pool?.committed).toEqual([{ grouping: 'RTI-B', settlementId: 's-1', payable: first[1].payable }]);
    });

    it('pays RTI-B only what the cap leaves beside RTI-A\'s approved amount, less than its new pro-rata share, and says why', () => {
      const remaining = dec(CAP).minus(dec(first[0].payable)).toFixed(2);
      expect(newShares[1].greaterThan(dec(remaining))).toBe(true);
      expect(reopenedB.payable).toBe(remaining);
      expect(sum([first[0].payable, reopenedB.payable])).toBe(CAP);
      expect(reopenedB.adjustments.slice(-2)).toEqual([
        expect.objectContaining({ kind: 'POOL_CAP', after: newShares[1].toFixed(2) }),
        {
          kind: 'POOL_COMMITTED',
          before: newShares[1].toFixed(2),
          after: remaining,
          reason: {
            en: `pool cap 30,000.00: other groupings hold ${fmt(first[0].payable, ',', '.')} (approved settlements in force included), limited to the remaining ${fmt(remaining, ',', '.')}`,
            it: `tetto complessivo 30.000,00: gli altri raggruppamenti ne impegnano ${fmt(first[0].payable, '.', ',')} (comprese le liquidazioni approvate in vigore), limitato al residuo ${fmt(remaining, '.', ',')}`,
          },
        },
      ]);
      expect(sum(reopenedB.allocation.map((m) => m.amount))).toBe(remaining);
      expect(reopenedB.withheld).toBe(dec(reopenedB.atRisk as string).minus(dec(remaining)).toFixed(2));
    });

    it('RTI-A reopened next gets its new, smaller share (it fits beside RTI-B\'s approved amount); then RTI-B reopened again gets its full share', () => {
      const reopenedA = computeSettlement(after[0]);
      expect(reopenedA.payable).toBe(newShares[0].toFixed(2));
      expect(reopenedA.adjustments.map((a) => a.kind)).not.toContain('POOL_COMMITTED');
      const approved = [
        { grouping: 'RTI-A', settlementId: 's-a2', payable: reopenedA.payable },
        { grouping: 'RTI-B', settlementId: 's-b2', payable: reopenedB.payable },
      ];
      expect(dec(sum(approved.map((s) => s.payable))).lessThanOrEqualTo(dec(CAP))).toBe(true);
      const last = withPoolRequests(groupings('400000.00'), CAP, approved);
      // RTI-A's approved amount is its share now: nothing is committed for RTI-B, which gets its share.
      expect(last[1].pool?.committed).toBeUndefined();
      const finalB = computeSettlement(last[1]);
      expect(finalB.payable).toBe(newShares[1].toFixed(2));
      expect(sum([reopenedA.payable, finalB.payable])).toBe(CAP);
    });
  });

  it('property: whatever the other grouping\'s approved amount in force (within the cap), approving this one keeps the pool within the cap, and never pays more than the share', () => {
    const cents = (min: number, max: number) => fc.integer({ min, max }).map((c) => dec(String(c)).dividedBy(100).toFixed(2));
    fc.assert(
      fc.property(cents(1_000_000, 60_000_000), cents(100, 6_000_000), fc.integer({ min: 0, max: 10_000 }), (feeB, cap, basisPoints) => {
        const held = dec(cap).times(dec(String(basisPoints))).dividedBy('10000').toDecimalPlaces(2, 1).toFixed(2);
        const inputs = withPoolRequests(groupings(feeB), cap, [{ grouping: 'RTI-A', settlementId: 's-a', payable: held }])[1];
        const share = poolShares(cap, inputs.pool?.requests ?? [])[1];
        const payable = dec(computeSettlement(inputs).payable);
        expect(payable.greaterThanOrEqualTo(0) && payable.lessThanOrEqualTo(share)).toBe(true);
        expect(payable.plus(dec(held)).lessThanOrEqualTo(dec(cap))).toBe(true);
      }),
      { numRuns: 60, seed: 20261122 },
    );
  });

  it('never pays below zero when the others already hold the whole cap', () => {
    const inputs = withPoolRequests(groupings('400000.00'), CAP, [{ grouping: 'RTI-A', settlementId: 's-x', payable: CAP }])[1];
    const result = computeSettlement(inputs);
    expect(result.payable).toBe('0.00');
    expect(result.allocation.every((m) => m.amount === '0.00')).toBe(true);
  });

  it('keeps a pool the groupings do not exceed unchanged, but still within what approved settlements leave', () => {
    const big = '100000.00';
    const fit = withPoolRequests(groupings('280000.00'), big);
    const asked = fit.map((i) => i.pool?.requests.find((r) => r.grouping === i.grouping.code)?.requested as string);
    expect(fit.map((i) => computeSettlement(i).payable)).toEqual(asked);
    // RTI-A approved at more than it now asks (its data got worse after approval): RTI-B keeps its whole request while it fits.
    const kept = dec(big).minus(dec(asked[1])).toFixed(2);
    const b = computeSettlement(withPoolRequests(groupings('280000.00'), big, [{ grouping: 'RTI-A', settlementId: 's-a', payable: kept }])[1]);
    expect([b.payable, b.adjustments.map((a) => a.kind)]).toEqual([asked[1], []]);
    const over = dec(kept).plus(dec('0.01')).toFixed(2);
    const squeezed = computeSettlement(withPoolRequests(groupings('280000.00'), big, [{ grouping: 'RTI-A', settlementId: 's-a', payable: over }])[1]);
    expect([squeezed.payable, squeezed.adjustments.map((a) => a.kind)]).toEqual([dec(asked[1]).minus(dec('0.01')).toFixed(2), ['POOL_COMMITTED']]);
  });
});

/** A money amount grouped by thousands, as reasons quote it. */
function fmt(amount: string, group: string, point: string): string {
  const [whole, cents] = dec(amount).toFixed(2).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${point}${cents}`;
}
