// Inputs and outputs of the settlement maths. Every decimal is a string (docs/decisions/0001-decimals.md).
// Conditions (gates, guardrails) arrive already evaluated by the rules compiler: this folder never
// evaluates json-rules-engine conditions.

export type Direction = 'INCREASE' | 'DECREASE' | 'LEVEL';
export type MissingPolicy = 'ZERO' | 'EXCLUDE_AND_REWEIGHT';

/**
 * An evaluated condition: e.g. { label: "UNDER60 share >= 0.15", holds: false, actual: "0.12", threshold: "0.15" }.
 * `actual` is the fact's exact value; the reason rounds it for reading (reasons.ts).
 */
export interface EvaluatedCheck {
  id: string;
  /** As the rule set's author wrote it. */
  label: string;
  /** Facts the condition needs that had no value, so it could not hold (reasons name them). */
  missing?: string[];
  holds: boolean;
  actual: string | null;
  threshold: string | null;
}

export type Measurement =
  | { status: 'ACCEPTED'; value: string }
  | { status: 'MISSING' }
  | { status: 'NOT_ASSESSABLE'; sampleSize: string | null; minSampleSize: string | null }
  /** Measured, but the period has no target (or baseline) to measure it against, e.g. the shadow year that sets the baselines. */
  | { status: 'NO_TARGET'; value: string };

export interface Band {
  /** Lower bound of achievement, inclusive: a boundary belongs to the upper band. */
  from: string;
  factor: string;
}

export interface Tier {
  /** Lower bound of achievement for this tier; the tier ends where the next one starts (or at the cap). */
  from: string;
  rate: string;
}

export type PayoutRule =
  | { kind: 'THRESHOLD'; threshold?: string } // factor 1 when a >= threshold (default 1: target reached)
  | { kind: 'LINEAR'; threshold: string; cap: string }
  | { kind: 'LEVEL_RATIO'; threshold: string; cap: string }
  | { kind: 'BANDS'; bands: Band[] }
  | { kind: 'MARGINAL_TIERS'; tiers: Tier[]; cap: string }
  | { kind: 'PRICE_PER_UNIT'; unitPrice: string };

export type PayoutKind = PayoutRule['kind'];

export interface TermInput {
  id: string;
  indicatorCode: string;
  direction: Direction;
  baseline: string | null;
  target: string | null;
  measurement: Measurement;
  payout: PayoutRule;
  /** Share of the grouping's basis (weighted score). Exactly one of weight / fixedAmount, none for PRICE_PER_UNIT. */
  weight?: string;
  /** A fixed amount paid in proportion to the payout factor. */
  fixedAmount?: string;
  /** Cap and floor on the term's amount, in euros. The floor applies only to a term that pays something. */
  cap?: string;
  floor?: string;
  gate?: EvaluatedCheck;
  missingPolicy?: MissingPolicy;
}

export interface GuardrailInput {
  check: EvaluatedCheck;
  /** Term ids suspended when the guardrail does not hold. */
  suspends: string[];
}

export type Basis =
  | { kind: 'SHARE_OF_FEE'; fee: string; share: string } // Padova: fee x outcomeShare
  | { kind: 'AMOUNT'; amount: string };

export type Phase =
  | { mode: 'LIVE' }
  | { mode: 'SHADOW'; milestone: { label: string; achieved: boolean; amount: string } | null };

export interface MemberInput {
  id: string;
  name: string;
  executionShare: string;
  lead: boolean;
}

export interface GroupingInput {
  groupingCode: string;
  basis: Basis | null;
  terms: TermInput[];
  missingPolicy: MissingPolicy;
  guardrails: GuardrailInput[];
  phase: Phase;
  /** Cap and floor on the grouping's premium for the period, in euros. */
  cap?: string;
  floor?: string;
  /** Lifetime cap of the contract for this grouping, with the amounts already settled in earlier periods. */
  lifetime?: { cap: string; settledBefore: string[] };
  members: MemberInput[];
  /** The premium's one rounding point; half-up to the cent when absent. */
  rounding?: RoundingRule;
  /** Third parties paying a share of certified savings when an evaluation says the impact is significant. */
  evaluationPayers?: EvaluationPayerInput[];
}

export type RoundingMode = 'HALF_UP' | 'HALF_EVEN' | 'DOWN';

export interface RoundingRule {
  mode: RoundingMode;
  /** The unit rounded to: "0.01" or "1". */
  to: string;
}

/** An evaluation-triggered payer with the evaluation record for the period (null when none was entered). */
export interface EvaluationPayerInput {
  id: string;
  payer: string;
  label: string;
  share: string;
  cap: string;
  evaluation: { significant: boolean; certifiedSavings: string; recordId: string } | null;
}

export interface EvaluationPayment {
  id: string;
  payer: string;
  label: string;
  significant: boolean | null;
  certifiedSavings: string | null;
  share: string;
  cap: string;
  /** share x certified savings, exact, before the cap. */
  exact: string;
  /** Rounded once with the contract's rounding, after the cap. */
  amount: string;
  recordId: string | null;
  applied: string[];
  reason: Reason;
  allocation: Allocation[];
}

export interface Reason {
  en: string;
  it: string;
}

/**
 * How reasons are written (reasons.ts): PLAIN as documents of format ancora.settlement/1 did, LOCALISED
 * as ancora.settlement/2 did, TRANSLATED for ancora.settlement/3. Only the reason texts depend on it,
 * never an amount.
 */
export type ReasonStyle = 'PLAIN' | 'LOCALISED' | 'TRANSLATED';

export interface CalculationOptions {
  /** TRANSLATED (the style of the documents built now) unless told. */
  reasons?: ReasonStyle;
}

export type LineStatus = 'PAID' | 'BELOW_THRESHOLD' | 'GATE_FAILED' | 'SUSPENDED' | 'MISSING_ZERO' | 'EXCLUDED' | 'NO_TARGET';

export interface SettlementLine {
  termId: string;
  indicatorCode: string;
  kind: PayoutKind;
  direction: Direction;
  baseline: string | null;
  target: string | null;
  actual: string | null;
  status: LineStatus;
  /** Achievement as computed, before any clamp; then clamped to [0, cap]. */
  rawAchievement: string | null;
  achievement: string | null;
  payoutFactor: string;
  weight: string | null;
  /** The weight after EXCLUDE_AND_REWEIGHT renormalisation (equal to weight when nothing was excluded). */
  effectiveWeight: string | null;
  contribution: string | null;
  /** Exact amount, not rounded: the premium is rounded once, on the grouping's total. */
  amount: string;
  applied: string[];
  reason: Reason;
}

export type AdjustmentKind = 'GROUPING_CAP' | 'GROUPING_FLOOR' | 'SHADOW' | 'MILESTONE' | 'LIFETIME_CAP' | 'POOL_CAP' | 'POOL_COMMITTED';

export interface Adjustment {
  kind: AdjustmentKind;
  before: string;
  after: string;
  reason: Reason;
}

export interface Rounding {
  point: 'PREMIUM';
  mode: RoundingMode;
  to: string;
  exact: string;
  rounded: string;
}

export interface Allocation {
  memberId: string;
  name: string;
  executionShare: string;
  exact: string;
  amount: string;
}

export interface GroupingSettlement {
  groupingCode: string;
  phase: Phase['mode'];
  /** Weighted score over the weighted terms (null when there are none). */
  score: string | null;
  /** The most this grouping could earn this period (null when an uncapped price-per-unit term makes it open). */
  atRisk: string | null;
  /** The computed premium, rounded once half-up to the cent (shown even in shadow). */
  premium: string;
  payable: string;
  /** atRisk - payable (null when atRisk is null). */
  withheld: string | null;
  rounding: Rounding;
  adjustments: Adjustment[];
  lines: SettlementLine[];
  allocation: Allocation[];
  /** Paid by third parties, outside the premium and its caps. */
  evaluationPayments: EvaluationPayment[];
}

export interface ContractPeriodSettlement {
  poolCap: string | null;
  groupings: GroupingSettlement[];
  totals: { premium: string; payable: string; withheld: string | null; atRisk: string | null };
}
