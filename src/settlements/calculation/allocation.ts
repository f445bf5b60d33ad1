import { Dec } from 'src/common/decimal/decimal';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { cents, euros, num, ONE, ZERO } from 'src/settlements/calculation/calculation-decimals';
import { Allocation, MemberInput } from 'src/settlements/calculation/settlement.types';

// Whole-cent division of an amount that always adds up (largest remainder, Hamilton's method).
//
//   exact_i  = total x weight_i / sum(weights)
//   part_i   = exact_i floored to the cent
//   the k = (total - sum(part_i)) / 0.01 cents left over go one each to the largest remainders
//   (exact_i - part_i); ties go to the preferred index (the mandataria), then to input order.
//
// Worked example: 100.01 between two members at 0.50 each (the mandataria listed second):
//   exact 50.005 and 50.005, floors 50.00 and 50.00, 1 cent left, remainders tie at 0.005
//   -> the mandataria gets it: 50.00 / 50.01, total 100.01.
// Padova Case A: 18,960.00 x 0.50 / 0.30 / 0.20 = 9,480.00 / 5,688.00 / 3,792.00 (no cents left over).

const CENT = new Dec('0.01');

export interface Split {
  exact: Dec;
  amount: Dec;
}

export function largestRemainder(total: Dec, weights: Dec[], preferred: number | null): Split[] {
  const sum = weights.reduce((acc, w) => acc.plus(w), ZERO);
  if (weights.length === 0) return [];
  const exacts = weights.map((w) => (sum.isZero() ? ZERO : total.times(w).dividedBy(sum)));
  const parts = exacts.map((e) => e.toDecimalPlaces(2, Dec.ROUND_FLOOR));
  let left = total.minus(parts.reduce((acc, p) => acc.plus(p), ZERO));
  const order = exacts
    .map((e, i) => ({ i, rest: e.minus(parts[i]) }))
    .sort((x, y) => {
      const byRest = y.rest.comparedTo(x.rest);
      if (byRest !== 0) return byRest;
      if (x.i === preferred) return -1;
      if (y.i === preferred) return 1;
      return x.i - y.i;
    });
  for (let k = 0; left.greaterThanOrEqualTo(CENT); k = (k + 1) % order.length) {
    parts[order[k].i] = parts[order[k].i].plus(CENT);
    left = left.minus(CENT);
  }
  return exacts.map((exact, i) => ({ exact, amount: parts[i] }));
}

/** A grouping's premium among its members by execution share, ties to the mandataria. */
export function allocateToMembers(premium: string, members: MemberInput[], at = 'members'): Allocation[] {
  const total = euros(premium, 'premium');
  if (members.length === 0) return [];
  const shares = members.map((m, i) => num(m.executionShare, `${at}[${i}].executionShare`));
  const sum = shares.reduce((acc, s) => acc.plus(s), ZERO);
  if (!sum.equals(ONE) || shares.some((s) => s.lessThan(ZERO))) {
    throw new CalculationError('SETTLEMENT_CALC_SHARES_NOT_ONE', `execution shares sum to ${sum.toString()}, not 1`, at);
  }
  const leads = members.flatMap((m, i) => (m.lead ? [i] : []));
  if (leads.length !== 1) {
    throw new CalculationError('SETTLEMENT_CALC_NO_LEAD', `a grouping needs exactly one mandataria, found ${leads.length}`, at);
  }
  return largestRemainder(total, shares, leads[0]).map((split, i) => ({
    memberId: members[i].id,
    name: members[i].name,
    executionShare: members[i].executionShare,
    exact: split.exact.toString(),
    amount: cents(split.amount),
  }));
}
