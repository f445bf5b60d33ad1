import { Dec, dec } from 'src/common/decimal/decimal';
import type { Problems, RuleSetContext } from 'src/rule-sets/rule-set.problems';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';

// Caps within the amount at risk. The amount at risk of a grouping in a period is its basis: fee x share
// (SHARE_OF_FEE; the fee must exist for every grouping and period) or the fixed amount (AMOUNT). A term's
// cap, the grouping cap and a milestone's payment must not exceed it in any grouping-period that has one
// (the first offending grouping and period is named); the grouping floor must not exceed the grouping cap.
//
// Example (Padova, share 0.10): at risk is 32,000.00 for RTI-A and 28,000.00 for RTI-B in every year, so a
// groupingCap of "30000.00" gives RULE_SET_CAP_ABOVE_AT_RISK at `groupingCap`:
//   "30000.00 is above what RTI-B has at risk in Y1: 28000.00 (fee 280000.00 x 0.10)".

interface AtRisk {
  grouping: string;
  period: string;
  amount: Dec;
  how: string;
}

function amountsAtRisk(rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): AtRisk[] {
  const basis = rules.basis;
  if (basis === undefined) return [];
  const found: AtRisk[] = [];
  const missing: string[] = [];
  for (const g of ctx.groupings) {
    for (const period of ctx.periods) {
      if (basis.kind === 'AMOUNT') {
        found.push({ grouping: g.code, period, amount: dec(basis.amount), how: 'the basis amount' });
        continue;
      }
      const fee = g.fees.find((f) => f.period === period);
      if (fee === undefined) {
        missing.push(`${g.code} in ${period}`);
        continue;
      }
      found.push({ grouping: g.code, period, amount: dec(fee.amount).times(dec(basis.share)), how: `fee ${fee.amount} x ${basis.share}` });
    }
  }
  if (missing.length > 0) {
    problems.add('RULE_SET_FEE_MISSING', 'basis', `a share of the fee is at risk, but there is no fee for ${missing.join(', ')}: enter the fees first`);
  }
  return found;
}

function money(v: Dec): string {
  return v.decimalPlaces() <= 2 ? v.toFixed(2) : v.toFixed();
}

export function checkMoney(rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): void {
  const atRisk = amountsAtRisk(rules, ctx, problems);
  const within = (amount: string, field: string, what: string, periods?: string): void => {
    const over = atRisk.find((r) => (periods === undefined || r.period === periods) && dec(amount).greaterThan(r.amount));
    if (over !== undefined) {
      problems.add(
        'RULE_SET_CAP_ABOVE_AT_RISK',
        field,
        `${amount} is above what ${over.grouping} has at risk in ${over.period}: ${money(over.amount)} (${over.how}); ${what}`,
      );
    }
  };
  (rules.phases ?? []).forEach((phase, i) => {
    const amount = phase.milestone?.amount;
    if (amount !== undefined) within(amount, `phases[${i}].milestone.amount`, 'a milestone pays at most the amount at risk', phase.period);
  });
  rules.terms.forEach((term, i) => {
    if (term.cap !== undefined) within(term.cap, `terms[${i}].cap`, 'a term cap cannot be above the amount at risk');
  });
  if (rules.groupingCap !== undefined) within(rules.groupingCap, 'groupingCap', 'the grouping cap cannot be above the amount at risk');
  if (rules.groupingCap !== undefined && rules.groupingFloor !== undefined && dec(rules.groupingFloor).greaterThan(dec(rules.groupingCap))) {
    problems.add('RULE_SET_FLOOR_ABOVE_CAP', 'groupingFloor', `${rules.groupingFloor} is above the grouping cap ${rules.groupingCap}`);
  }
}
