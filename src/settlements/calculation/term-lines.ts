import { Dec } from 'src/common/decimal/decimal';
import { payoutFactor, rawAchievement, unitsAboveBaseline } from 'src/settlements/calculation/achievement';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { euros, exactMoney, max, min, num, text, ZERO } from 'src/settlements/calculation/calculation-decimals';
import type { Reasons } from 'src/settlements/calculation/reasons';
import { EvaluatedCheck, LineStatus, MissingPolicy, Reason, SettlementLine, TermInput } from 'src/settlements/calculation/settlement.types';

// One line per term: status, achievement and payout factor, then its exact amount.
//
//   weighted term     amount = basis x weight x factor / W   (W = sum of the weights not excluded; 1 normally)
//   fixed-amount term amount = fixedAmount x factor
//   price per unit    amount = units above baseline x unitPrice
//   then the term's cap (min) and, if it pays anything, its floor (max). Nothing is rounded here.
//
// Worked example (Padova Case A, IND-04, LEVEL_RATIO threshold 0.5, weight 0.15, basis 32,000.00):
//   a = 76.0 / 80.0 = 0.95, factor 0.95, contribution 0.15 x 0.95 = 0.1425, amount 32,000 x 0.1425 = 4,560

export interface TermEvaluation {
  term: TermInput;
  status: LineStatus;
  raw: Dec | null;
  clamped: Dec | null;
  factor: Dec;
  units: Dec | null;
  applied: string[];
  reason: Reason;
}

export function evaluateTerm(
  term: TermInput,
  at: string,
  defaultPolicy: MissingPolicy,
  suspendedBy: EvaluatedCheck | undefined,
  reasons: Reasons,
): TermEvaluation {
  const m = term.measurement;
  if (m.status === 'NO_TARGET') {
    return { term, status: 'NO_TARGET', raw: null, clamped: null, factor: ZERO, units: null, applied: ['NO_TARGET'], reason: reasons.noTarget() };
  }
  if (m.status !== 'ACCEPTED') {
    const policy = term.missingPolicy ?? defaultPolicy;
    const what = m.status === 'MISSING' ? reasons.noValue : reasons.notAssessable(m.sampleSize, m.minSampleSize);
    const status: LineStatus = policy === 'ZERO' ? 'MISSING_ZERO' : 'EXCLUDED';
    return { term, status, raw: null, clamped: null, factor: ZERO, units: null, applied: [`MISSING_DATA ${policy}`], reason: reasons.missing(what, policy) };
  }
  let ev: TermEvaluation;
  if (term.payout.kind === 'PRICE_PER_UNIT') {
    const units = unitsAboveBaseline(term.direction, term.baseline, m.value, at);
    const price = num(term.payout.unitPrice, `${at}.payout.unitPrice`);
    ev = {
      term,
      status: units.isZero() ? 'BELOW_THRESHOLD' : 'PAID',
      raw: null,
      clamped: null,
      factor: units,
      units,
      applied: [],
      reason: units.isZero() ? reasons.belowThreshold('0', null) : reasons.perUnit(text(units), price.toString()),
    };
  } else {
    const raw = targetOnly(term) ? targetReached(term, m.value, at) : rawAchievement(term.direction, term.baseline, term.target, m.value, at);
    const r = payoutFactor(term.payout, raw, at);
    const p = term.payout;
    const threshold = p.kind === 'THRESHOLD' ? (p.threshold ?? '1') : p.kind === 'LINEAR' || p.kind === 'LEVEL_RATIO' ? p.threshold : null;
    const paid = r.factor.greaterThan(ZERO);
    ev = {
      term,
      status: paid ? 'PAID' : 'BELOW_THRESHOLD',
      raw,
      clamped: r.clamped,
      factor: r.factor,
      units: null,
      applied: r.applied,
      reason: paid ? reasons.paid(text(r.clamped), text(r.factor), threshold) : reasons.belowThreshold(text(r.clamped), threshold),
    };
  }
  if (term.gate && !term.gate.holds) {
    return { ...ev, status: 'GATE_FAILED', factor: ZERO, applied: [...ev.applied, `GATE ${term.gate.id} FAILED`], reason: reasons.gateFailed(term.gate) };
  }
  if (term.gate) ev.applied.push(`GATE ${term.gate.id} HOLDS`);
  if (suspendedBy) {
    return { ...ev, status: 'SUSPENDED', factor: ZERO, applied: [...ev.applied, `GUARDRAIL ${suspendedBy.id} FAILED`], reason: reasons.suspended(suspendedBy) };
  }
  return ev;
}

/**
 * An all-or-nothing term at the default threshold asks only "was the target reached?", which needs no
 * baseline: with none (a new service), achievement is 1 when the actual is at or beyond the target in the
 * indicator's direction, else 0. Example: waiting days DECREASE, target 10, actual 9 -> 1 (paid).
 */
function targetOnly(term: TermInput): boolean {
  return term.payout.kind === 'THRESHOLD' && term.payout.threshold === undefined && term.baseline === null && term.direction !== 'LEVEL';
}

function targetReached(term: TermInput, actual: string, at: string): Dec {
  if (term.target === null) throw new CalculationError('SETTLEMENT_CALC_TARGET_REQUIRED', `${at}: a target is required`, `${at}.target`);
  const x = num(actual, `${at}.actual`);
  const t = num(term.target, `${at}.target`);
  const reached = term.direction === 'INCREASE' ? x.greaterThanOrEqualTo(t) : x.lessThanOrEqualTo(t);
  return reached ? new Dec(1) : ZERO;
}

/** Exact amount of an evaluated term, with its own cap and floor. */
export function termLine(ev: TermEvaluation, at: string, basis: Dec | null, totalWeight: Dec, reasons: Reasons): SettlementLine {
  const { term } = ev;
  const applied = [...ev.applied];
  let reason = ev.reason;
  let amount: Dec;
  let weight: string | null = null;
  let effectiveWeight: string | null = null;
  let contribution: string | null = null;
  if (term.weight !== undefined) {
    const w = num(term.weight, `${at}.weight`);
    weight = term.weight;
    const effective = ev.status === 'EXCLUDED' || totalWeight.isZero() ? ZERO : w.dividedBy(totalWeight);
    effectiveWeight = text(effective);
    const c = effective.times(ev.factor);
    contribution = text(c);
    if (basis === null) throw new CalculationError('SETTLEMENT_CALC_BASIS_REQUIRED', `${at}: a weighted term needs the grouping's basis`, 'basis');
    amount = basis.times(c);
  } else if (term.fixedAmount !== undefined) {
    amount = euros(term.fixedAmount, `${at}.fixedAmount`).times(ev.factor);
  } else if (term.payout.kind === 'PRICE_PER_UNIT') {
    amount = ev.factor.times(num(term.payout.unitPrice, `${at}.payout.unitPrice`));
  } else {
    throw new CalculationError('SETTLEMENT_CALC_TERM_AMOUNT', `${at}: a scored term needs a weight or a fixedAmount`, at);
  }
  if (term.cap !== undefined) {
    const cap = euros(term.cap, `${at}.cap`);
    if (amount.greaterThan(cap)) {
      amount = cap;
      applied.push(`TERM_CAP ${term.cap}`);
      reason = reasons.capped(reason, term.cap);
    }
  }
  if (term.floor !== undefined && amount.greaterThan(ZERO)) {
    const floor = euros(term.floor, `${at}.floor`);
    if (amount.lessThan(floor)) {
      amount = floor;
      applied.push(`TERM_FLOOR ${term.floor}`);
      reason = reasons.floored(reason, term.floor);
    }
  }
  return {
    termId: term.id,
    indicatorCode: term.indicatorCode,
    kind: term.payout.kind,
    direction: term.direction,
    baseline: term.baseline,
    target: term.target,
    actual: term.measurement.status === 'ACCEPTED' || term.measurement.status === 'NO_TARGET' ? term.measurement.value : null,
    status: ev.status,
    rawAchievement: ev.raw === null ? null : text(ev.raw),
    achievement: ev.clamped === null ? null : text(ev.clamped),
    payoutFactor: text(ev.factor),
    weight,
    effectiveWeight,
    contribution,
    amount: exactMoney(amount),
    applied,
    reason,
  };
}

/** The most a term can pay: used for "paid vs at risk". Null when open-ended (price per unit with no cap). */
export function termCeiling(term: TermInput, at: string, basis: Dec | null): Dec | null {
  const cap = term.cap === undefined ? null : euros(term.cap, `${at}.cap`);
  let most: Dec | null = null;
  if (term.weight !== undefined && basis !== null) most = basis.times(num(term.weight, `${at}.weight`)).times(maxFactor(term));
  if (term.fixedAmount !== undefined) most = euros(term.fixedAmount, `${at}.fixedAmount`).times(maxFactor(term));
  if (most === null) return cap;
  return cap === null ? most : min(most, cap);
}

function maxFactor(term: TermInput): Dec {
  switch (term.payout.kind) {
    case 'THRESHOLD':
      return new Dec(1);
    case 'LINEAR':
    case 'LEVEL_RATIO':
      return num(term.payout.cap, 'cap');
    case 'BANDS':
      return term.payout.bands.reduce((acc, b) => max(acc, num(b.factor, 'factor')), ZERO);
    case 'MARGINAL_TIERS': {
      const rule = term.payout;
      const cap = num(rule.cap, 'cap');
      return rule.tiers.reduce((acc, t, i) => {
        const end = i + 1 < rule.tiers.length ? min(num(rule.tiers[i + 1].from, 'from'), cap) : cap;
        const part = end.minus(num(t.from, 'from'));
        return part.greaterThan(ZERO) ? acc.plus(part.times(num(t.rate, 'rate'))) : acc;
      }, ZERO);
    }
    case 'PRICE_PER_UNIT':
      return ZERO;
  }
}
