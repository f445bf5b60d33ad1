import { allocateToMembers } from 'src/settlements/calculation/allocation';
import { euros, min, num, text } from 'src/settlements/calculation/calculation-decimals';
import type { Reasons } from 'src/settlements/calculation/reasons';
import { roundAmount } from 'src/settlements/calculation/rounding';
import { EvaluationPayerInput, EvaluationPayment, MemberInput, RoundingRule } from 'src/settlements/calculation/settlement.types';

// An evaluation-triggered payer (a foundation, a ministry fund) pays a share of the savings an evaluator
// certified, only when the evaluation record for the period says the impact is significant:
//
//   exact  = share x certified savings          (0 without a record, or when not significant)
//   amount = min(exact, cap), rounded once with the contract's rounding; allocated among the members
//
// Worked example: share 0.30 of certified savings 125,000.00 = 37,500.00, cap 25,000.00 -> 25,000.00.
// It is outside the municipality's premium: its caps, phases and pool cap do not apply to it.

export function settleEvaluationPayer(
  p: EvaluationPayerInput,
  at: string,
  members: MemberInput[],
  rounding: RoundingRule | undefined,
  reasons: Reasons,
): EvaluationPayment {
  const share = num(p.share, `${at}.share`);
  const cap = euros(p.cap, `${at}.cap`);
  const ev = p.evaluation;
  const base = { id: p.id, payer: p.payer, label: p.label, share: p.share, cap: p.cap, recordId: ev?.recordId ?? null };
  if (ev === null || !ev.significant) {
    const reason = ev === null ? reasons.evaluationMissing(p.label) : reasons.evaluationNotSignificant(p.label);
    return {
      ...base,
      significant: ev?.significant ?? null,
      certifiedSavings: ev?.certifiedSavings ?? null,
      exact: '0',
      amount: '0.00',
      applied: [],
      reason,
      allocation: allocateToMembers('0.00', members),
    };
  }
  const exact = share.times(euros(ev.certifiedSavings, `${at}.evaluation.certifiedSavings`));
  const capped = min(exact, cap);
  const amount = roundAmount(capped, rounding, `${at}.rounding`);
  const paid = reasons.evaluationPaid(p.label, p.share, ev.certifiedSavings);
  return {
    ...base,
    significant: true,
    certifiedSavings: ev.certifiedSavings,
    exact: text(exact),
    amount,
    applied: exact.greaterThan(cap) ? [`cap ${p.cap}`] : [],
    reason: exact.greaterThan(cap) ? reasons.capped(paid, p.cap) : paid,
    allocation: allocateToMembers(amount, members),
  };
}
