import { Dec } from 'src/common/decimal/decimal';
import { allocateToMembers, largestRemainder } from 'src/settlements/calculation/allocation';
import { euros, num, ZERO } from 'src/settlements/calculation/calculation-decimals';
import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { type Reasons, reasonsFor } from 'src/settlements/calculation/reasons';
import { CalculationOptions, ContractPeriodSettlement, GroupingInput, GroupingSettlement } from 'src/settlements/calculation/settlement.types';

// Every grouping of a contract for one period, then the pool cap across them.
//
//   requested = sum of the groupings' payable amounts
//   if requested > poolCap: payable_i = poolCap x payable_i / requested, in whole cents by largest
//   remainder (ties in input order), so the reduced amounts add up to poolCap exactly;
//   each grouping's allocation to its members is then redone on its reduced amount.
//
// Worked example: RTI-A 18,960.00 + RTI-B 20,720.00 = 39,680.00 > pool cap 35,000.00
//   RTI-A 35,000 x 18,960 / 39,680 = 16,723.79032...  -> 16,723.79
//   RTI-B 35,000 x 20,720 / 39,680 = 18,276.20967...  -> 18,276.21 (larger remainder)  total 35,000.00

export function settleContractPeriod(groupings: GroupingInput[], poolCap: string | null, options: CalculationOptions = {}): ContractPeriodSettlement {
  let results = groupings.map((g) => settleGrouping(g, options));
  if (poolCap !== null) results = applyPoolCap(results, groupings, poolCap, reasonsFor(options));
  const sum = (pick: (g: GroupingSettlement) => string | null): string | null =>
    results.some((g) => pick(g) === null) ? null : results.reduce((acc, g) => acc.plus(num(pick(g) ?? '0', 'total')), ZERO).toFixed(2);
  return {
    poolCap,
    groupings: results,
    totals: {
      premium: sum((g) => g.premium) ?? '0.00',
      payable: sum((g) => g.payable) ?? '0.00',
      withheld: sum((g) => g.withheld),
      atRisk: sum((g) => g.atRisk),
    },
  };
}

function applyPoolCap(results: GroupingSettlement[], inputs: GroupingInput[], poolCapText: string, reasons: Reasons): GroupingSettlement[] {
  const cap = euros(poolCapText, 'poolCap');
  const payables = results.map((r) => new Dec(r.payable));
  const requested = payables.reduce((acc, p) => acc.plus(p), ZERO);
  if (!requested.greaterThan(cap)) return results;
  const reduced = largestRemainder(cap, payables, null);
  return results.map((r, i) => {
    const after = reduced[i].amount;
    const withheld = r.atRisk === null ? null : num(r.atRisk, 'atRisk').minus(after);
    return {
      ...r,
      payable: after.toFixed(2),
      withheld: withheld === null ? null : withheld.decimalPlaces() <= 2 ? withheld.toFixed(2) : withheld.toString(),
      adjustments: [
        ...r.adjustments,
        { kind: 'POOL_CAP', before: r.payable, after: after.toFixed(2), reason: reasons.poolCap(poolCapText, requested.toFixed(2)) },
      ],
      allocation: allocateToMembers(after.toFixed(2), inputs[i].members),
    };
  });
}
