import { Dec } from 'src/common/decimal/decimal';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { max, min, num, ONE, ZERO } from 'src/settlements/calculation/calculation-decimals';
import { Band, Direction, PayoutRule, Tier } from 'src/settlements/calculation/settlement.types';

// Achievement and payout factor of one term. Exact decimals, no rounding here.
//
//   INCREASE / DECREASE   a = (actual - baseline) / (target - baseline)   (DECREASE: target < baseline, same formula)
//   LEVEL                 a = actual / target
//   THRESHOLD             factor = 1 if a >= threshold (default 1) else 0
//   LINEAR, LEVEL_RATIO   a clamped to [0, cap]; factor = a if a >= threshold (inclusive) else 0
//   BANDS                 factor = factor of the last band whose `from` <= a (boundaries go up); none: 0
//   MARGINAL_TIERS        a clamped to [0, cap]; factor = sum of rate_i x (part of a inside tier i)
//
// Worked example (Padova Case A, IND-01, LINEAR threshold 0.5 cap 1.0):
//   a = (11.0 - 8.0) / (12.0 - 8.0) = 0.75 >= 0.5  ->  factor 0.75
// IND-02: a = (12 - 0) / (10 - 0) = 1.2, clamped to the cap  ->  factor 1

export interface AchievementResult {
  raw: Dec;
  clamped: Dec;
  factor: Dec;
  applied: string[];
}

export function rawAchievement(
  direction: Direction,
  baseline: string | null,
  target: string | null,
  actual: string,
  at: string,
): Dec {
  if (target === null) {
    throw new CalculationError('SETTLEMENT_CALC_TARGET_REQUIRED', `${at}: a target is required`, `${at}.target`);
  }
  const t = num(target, `${at}.target`);
  const x = num(actual, `${at}.actual`);
  if (direction === 'LEVEL') {
    if (t.isZero()) {
      throw new CalculationError('SETTLEMENT_CALC_TARGET_EQUALS_BASELINE', `${at}: a level target cannot be 0`, `${at}.target`);
    }
    return x.dividedBy(t);
  }
  if (baseline === null) {
    throw new CalculationError('SETTLEMENT_CALC_BASELINE_REQUIRED', `${at}: ${direction} needs a baseline`, `${at}.baseline`);
  }
  const b = num(baseline, `${at}.baseline`);
  const span = t.minus(b);
  if (span.isZero() || (direction === 'INCREASE' && span.isNegative()) || (direction === 'DECREASE' && span.greaterThan(ZERO))) {
    throw new CalculationError(
      'SETTLEMENT_CALC_TARGET_EQUALS_BASELINE',
      `${at}: the target must be ${direction === 'INCREASE' ? 'above' : 'below'} the baseline`,
      `${at}.target`,
    );
  }
  return x.minus(b).dividedBy(span);
}

/** The Padova achievement function: clamp to [0, cap], pay a only from the threshold (inclusive). */
export function achievement(
  direction: Direction,
  baseline: string | null,
  target: string | null,
  actual: string,
  rule: { threshold: string; cap: string } = { threshold: '0', cap: '1' },
  at = 'term',
): AchievementResult {
  const raw = rawAchievement(direction, baseline, target, actual, at);
  return linear(raw, rule, at);
}

function linear(raw: Dec, rule: { threshold: string; cap: string }, at: string): AchievementResult {
  const cap = num(rule.cap, `${at}.payout.cap`);
  const threshold = num(rule.threshold, `${at}.payout.threshold`);
  const applied: string[] = [];
  let clamped = raw;
  if (raw.greaterThan(cap)) {
    clamped = cap;
    applied.push(`ACHIEVEMENT_CAP ${rule.cap}`);
  } else if (raw.isNegative()) {
    clamped = ZERO;
    applied.push('ACHIEVEMENT_FLOOR 0');
  }
  const factor = clamped.greaterThanOrEqualTo(threshold) ? clamped : ZERO;
  return { raw, clamped, factor, applied };
}

/** Payout factor of a scored rule (every kind except PRICE_PER_UNIT) for a raw achievement. */
export function payoutFactor(
  rule: Exclude<PayoutRule, { kind: 'PRICE_PER_UNIT' }>,
  raw: Dec,
  at: string,
): AchievementResult {
  switch (rule.kind) {
    case 'THRESHOLD': {
      const threshold = num(rule.threshold ?? '1', `${at}.payout.threshold`);
      const clamped = max(raw, ZERO);
      return { raw, clamped, factor: raw.greaterThanOrEqualTo(threshold) ? ONE : ZERO, applied: [] };
    }
    case 'LINEAR':
    case 'LEVEL_RATIO':
      return linear(raw, rule, at);
    case 'BANDS':
      return { raw, clamped: max(raw, ZERO), factor: bandFactor(rule.bands, raw, at), applied: [] };
    case 'MARGINAL_TIERS':
      return marginal(rule.tiers, rule.cap, raw, at);
  }
}

function checkAscending(froms: Dec[], at: string): void {
  if (froms.length === 0) {
    throw new CalculationError('SETTLEMENT_CALC_INVALID_TABLE', `${at}: the table is empty`, at);
  }
  for (let i = 1; i < froms.length; i++) {
    if (!froms[i].greaterThan(froms[i - 1])) {
      throw new CalculationError('SETTLEMENT_CALC_INVALID_TABLE', `${at}[${i}].from must be above the previous row`, `${at}[${i}].from`);
    }
  }
}

function bandFactor(bands: Band[], a: Dec, at: string): Dec {
  const froms = bands.map((b, i) => num(b.from, `${at}.payout.bands[${i}].from`));
  checkAscending(froms, `${at}.payout.bands`);
  let factor = ZERO;
  bands.forEach((band, i) => {
    if (a.greaterThanOrEqualTo(froms[i])) factor = num(band.factor, `${at}.payout.bands[${i}].factor`);
  });
  return factor;
}

function marginal(tiers: Tier[], capText: string, raw: Dec, at: string): AchievementResult {
  const froms = tiers.map((t, i) => num(t.from, `${at}.payout.tiers[${i}].from`));
  checkAscending(froms, `${at}.payout.tiers`);
  const cap = num(capText, `${at}.payout.cap`);
  const applied: string[] = [];
  const clamped = raw.greaterThan(cap) ? cap : max(raw, ZERO);
  if (raw.greaterThan(cap)) applied.push(`ACHIEVEMENT_CAP ${capText}`);
  let factor = ZERO;
  tiers.forEach((tier, i) => {
    const end = i + 1 < tiers.length ? min(froms[i + 1], clamped) : clamped;
    const part = end.minus(froms[i]);
    if (part.greaterThan(ZERO)) factor = factor.plus(part.times(num(tier.rate, `${at}.payout.tiers[${i}].rate`)));
  });
  return { raw, clamped, factor, applied };
}

/** Units of outcome beyond the baseline, in the indicator's good direction (never negative). */
export function unitsAboveBaseline(direction: Direction, baseline: string | null, actual: string, at: string): Dec {
  const x = num(actual, `${at}.actual`);
  if (direction === 'LEVEL') return max(x, ZERO);
  if (baseline === null) {
    throw new CalculationError('SETTLEMENT_CALC_BASELINE_REQUIRED', `${at}: ${direction} needs a baseline`, `${at}.baseline`);
  }
  const b = num(baseline, `${at}.baseline`);
  return max(direction === 'INCREASE' ? x.minus(b) : b.minus(x), ZERO);
}
