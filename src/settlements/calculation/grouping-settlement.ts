import { Dec } from 'src/common/decimal/decimal';
import { allocateToMembers } from 'src/settlements/calculation/allocation';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { euros, max, num, ONE, text, ZERO } from 'src/settlements/calculation/calculation-decimals';
import { settleEvaluationPayer } from 'src/settlements/calculation/evaluation-payer';
import { reasonsFor } from 'src/settlements/calculation/reasons';
import { DEFAULT_ROUNDING, roundAmount } from 'src/settlements/calculation/rounding';
import { Adjustment, CalculationOptions, EvaluatedCheck, GroupingInput, GroupingSettlement } from 'src/settlements/calculation/settlement.types';
import { evaluateTerm, termCeiling, termLine } from 'src/settlements/calculation/term-lines';

// What one grouping earns for one period.
//
//   basis     = fee x outcomeShare (or a fixed amount)
//   exact     = sum of the terms' exact amounts (weighted: basis x weight x factor / W)
//   exact     -> grouping cap (min) and floor (max)
//   premium   = exact rounded once (half-up to the cent unless the contract says otherwise)
//   payable   = premium (live) | milestone amount or 0 (shadow)   -> lifetime cap (min with cap - settled before)
//   withheld  = at risk - payable; allocation of the payable among members in whole cents
//
// Worked example (Padova Case A, RTI-A, Y2, live): basis 320,000.00 x 0.10 = 32,000
//   score = 0.20 x 0.75 + 0.15 x 1 + 0.30 x 0.5 + 0.15 x 0.95 + 0.20 x 0 = 0.5925
//   premium = 32,000 x 0.5925 = 18,960.00, withheld 13,040.00, split 9,480.00 / 5,688.00 / 3,792.00

function moneyText(v: Dec): string {
  return v.decimalPlaces() <= 2 ? v.toFixed(2) : v.toString();
}

function basisAmount(input: GroupingInput): Dec | null {
  const b = input.basis;
  if (b === null) return null;
  return b.kind === 'AMOUNT' ? euros(b.amount, 'basis.amount') : euros(b.fee, 'basis.fee').times(num(b.share, 'basis.share'));
}

function checkTerms(input: GroupingInput): void {
  const weighted = input.terms.filter((t) => t.weight !== undefined);
  input.terms.forEach((t, i) => {
    const amounts = (t.weight !== undefined ? 1 : 0) + (t.fixedAmount !== undefined ? 1 : 0);
    const expected = t.payout.kind === 'PRICE_PER_UNIT' ? 0 : 1;
    if (amounts !== expected) {
      throw new CalculationError(
        'SETTLEMENT_CALC_TERM_AMOUNT',
        expected === 0 ? 'a price-per-unit term takes no weight or fixedAmount' : 'a term needs exactly one of weight and fixedAmount',
        `terms[${i}]`,
      );
    }
  });
  if (weighted.length > 0) {
    const sum = weighted.reduce((acc, t, i) => acc.plus(num(t.weight ?? '', `terms[${i}].weight`)), ZERO);
    if (!sum.equals(ONE)) {
      throw new CalculationError('SETTLEMENT_CALC_WEIGHTS_NOT_ONE', `the weights sum to ${sum.toString()}, not exactly 1`, 'terms');
    }
  }
}

function suspensions(input: GroupingInput): Map<string, EvaluatedCheck> {
  const ids = new Set(input.terms.map((t) => t.id));
  const suspended = new Map<string, EvaluatedCheck>();
  input.guardrails.forEach((g, i) => {
    g.suspends.forEach((id, j) => {
      if (!ids.has(id)) throw new CalculationError('SETTLEMENT_CALC_UNKNOWN_TERM', `guardrail ${g.check.id} names no term ${id}`, `guardrails[${i}].suspends[${j}]`);
      if (!g.check.holds && !suspended.has(id)) suspended.set(id, g.check);
    });
  });
  return suspended;
}

export function settleGrouping(input: GroupingInput, options: CalculationOptions = {}): GroupingSettlement {
  const reasons = reasonsFor(options);
  checkTerms(input);
  const basis = basisAmount(input);
  const suspended = suspensions(input);
  const evaluations = input.terms.map((t, i) => evaluateTerm(t, `terms[${i}]`, input.missingPolicy, suspended.get(t.id), reasons));
  // EXCLUDE_AND_REWEIGHT: W is the sum of the weights still in play; each weight becomes w / W.
  const totalWeight = evaluations.reduce(
    (acc, ev, i) => (ev.term.weight !== undefined && ev.status !== 'EXCLUDED' ? acc.plus(num(ev.term.weight, `terms[${i}].weight`)) : acc),
    ZERO,
  );
  const lines = evaluations.map((ev, i) => termLine(ev, `terms[${i}]`, basis, totalWeight, reasons));
  const hasWeighted = lines.some((l) => l.weight !== null);
  const score = hasWeighted ? text(lines.reduce((acc, l) => acc.plus(l.contribution === null ? ZERO : num(l.contribution, 'contribution')), ZERO)) : null;

  const adjustments: Adjustment[] = [];
  let exact = lines.reduce((acc, l) => acc.plus(num(l.amount, 'amount')), ZERO);
  const ceilings = input.terms.map((t, i) => termCeiling(t, `terms[${i}]`, basis));
  let atRisk: Dec | null = ceilings.some((c) => c === null) ? null : ceilings.reduce<Dec>((acc, c) => acc.plus(c ?? ZERO), ZERO);
  if (input.cap !== undefined) {
    const cap = euros(input.cap, 'cap');
    if (exact.greaterThan(cap)) {
      adjustments.push({ kind: 'GROUPING_CAP', before: text(exact), after: input.cap, reason: reasons.groupingCap(input.cap) });
      exact = cap;
    }
    atRisk = atRisk === null || atRisk.greaterThan(cap) ? cap : atRisk;
  }
  if (input.floor !== undefined) {
    const floor = euros(input.floor, 'floor');
    if (exact.lessThan(floor)) {
      adjustments.push({ kind: 'GROUPING_FLOOR', before: text(exact), after: input.floor, reason: reasons.groupingFloor(input.floor) });
      exact = floor;
    }
  }
  const rounding = input.rounding ?? DEFAULT_ROUNDING;
  const premium = roundAmount(exact, rounding);
  let payable = new Dec(premium);

  if (input.phase.mode === 'SHADOW') {
    adjustments.push({ kind: 'SHADOW', before: premium, after: '0.00', reason: reasons.shadow() });
    payable = ZERO;
    const ms = input.phase.milestone;
    if (ms !== null) {
      const amount = ms.achieved ? euros(ms.amount, 'phase.milestone.amount') : ZERO;
      adjustments.push({ kind: 'MILESTONE', before: '0.00', after: amount.toFixed(2), reason: reasons.milestone(ms.label, ms.achieved) });
      payable = amount;
    }
  }
  if (input.lifetime !== undefined) {
    const cap = euros(input.lifetime.cap, 'lifetime.cap');
    const before = input.lifetime.settledBefore.reduce((acc, v, i) => acc.plus(euros(v, `lifetime.settledBefore[${i}]`)), ZERO);
    const remaining = max(cap.minus(before), ZERO);
    if (payable.greaterThan(remaining)) {
      const reason = reasons.lifetimeCap(input.lifetime.cap, before.toFixed(2), remaining.toFixed(2));
      adjustments.push({ kind: 'LIFETIME_CAP', before: payable.toFixed(2), after: remaining.toFixed(2), reason });
      payable = remaining;
    }
  }
  const payableText = payable.toFixed(2);
  return {
    groupingCode: input.groupingCode,
    phase: input.phase.mode,
    score,
    atRisk: atRisk === null ? null : moneyText(atRisk),
    premium,
    payable: payableText,
    withheld: atRisk === null ? null : moneyText(max(atRisk.minus(payable), ZERO)),
    rounding: { point: 'PREMIUM', mode: rounding.mode, to: rounding.to, exact: text(exact), rounded: premium },
    adjustments,
    lines,
    allocation: allocateToMembers(payableText, input.members),
    evaluationPayments: (input.evaluationPayers ?? []).map((p, i) => settleEvaluationPayer(p, `evaluationPayers[${i}]`, input.members, input.rounding, reasons)),
  };
}
