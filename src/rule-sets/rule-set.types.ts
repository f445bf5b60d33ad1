import type { TopLevelCondition } from 'src/rules/condition.types';
import type { MissingPolicy, PayoutRule } from 'src/settlements/calculation/settlement.types';

// The payment rule set of a contract (docs/rule-sets.md, contracts/schema/rule-set.schema.json): typed
// payment terms, conditions in json-rules-engine syntax over named decimal facts, and test cases. It is
// stored on the contract while drafted, frozen into the indicator-set version with the indicators and
// binding only when both sides approve that version. Every amount and number is a decimal string.

export const RULE_SET_FORMAT = 'ancora.rule-set/1';

/**
 * What a grouping may earn per period before weights and factors. SHARE_OF_FEE: the grouping's fee for
 * the period times `share` (Padova: 10 % of the fee is at risk). AMOUNT: a fixed amount per grouping and
 * period. Absent: only fixed-amount and price-per-unit terms.
 */
export type RuleSetBasis = { kind: 'SHARE_OF_FEE'; share: string } | { kind: 'AMOUNT'; amount: string };

/** Half-up to the cent unless a contract says otherwise; applied once, to each grouping's premium. */
export interface RuleSetRounding {
  mode: RoundingMode;
  /** The unit rounded to: "0.01" (cent) or "1" (whole euro). */
  to: '0.01' | '1';
}
export const ROUNDING_MODES = ['HALF_UP', 'HALF_EVEN', 'DOWN'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];
export const DEFAULT_ROUNDING: RuleSetRounding = { mode: 'HALF_UP', to: '0.01' };

/** A condition with the label a settlement line quotes ("UNDER60 share >= 0.15"). */
export interface LabelledCondition {
  label: string;
  condition: TopLevelCondition;
}

export interface RuleSetMilestone {
  label: string;
  /** When the milestone is reached; facts as for gates (e.g. `IND-01.accepted` equal "1"). */
  condition: TopLevelCondition;
  /** Paid when reached: a share of the basis (1.00 = the whole amount at risk) or a fixed amount. Exactly one. */
  share?: string;
  amount?: string;
}

/** Per period: LIVE (default for periods not listed) or SHADOW (computed and shown, not payable, optional milestone). */
export interface RuleSetPhase {
  period: string;
  mode: 'LIVE' | 'SHADOW';
  milestone?: RuleSetMilestone;
}

export interface RuleSetTerm {
  /** Unique within the rule set; guardrails name terms by it. Defaults to the indicator code. */
  id?: string;
  indicator: string;
  payout: PayoutRule;
  /** Exactly one of weight (share of the basis, weights sum to exactly 1) and fixedAmount, none for PRICE_PER_UNIT. */
  weight?: string;
  fixedAmount?: string;
  cap?: string;
  floor?: string;
  gate?: LabelledCondition;
  missingPolicy?: MissingPolicy;
}

export interface RuleSetGuardrail {
  id: string;
  label: string;
  /** The guardrail holds while this condition holds; when it does not, the named terms are suspended. */
  condition: TopLevelCondition;
  suspends: string[];
}

/**
 * A third party (e.g. a foundation) that pays a share of certified savings, only when an evaluator's
 * evaluation record for the period and grouping says the impact is significant; capped per period.
 */
export interface RuleSetEvaluationPayer {
  id: string;
  /** Code of the paying organisation. */
  payer: string;
  label: string;
  share: string;
  cap: string;
}

export interface RuleSetTestCase {
  name: string;
  period: string;
  grouping: string;
  /**
   * Measured values by indicator code: a value, or NOT_ASSESSABLE / MISSING; disaggregations optional.
   * Baselines, targets, fees and members come from the binding version and the contract.
   */
  measurements: Record<string, RuleSetTestMeasurement>;
  /** Certified evaluation records by payer id, when the rule set has evaluation payers. */
  evaluations?: Record<string, { significant: boolean; certifiedSavings: string }>;
  expect: { premium: string; payable: string; lines?: Record<string, string>; allocation?: Record<string, string> };
}

export type RuleSetTestMeasurement =
  | { value: string; disaggregations?: Record<string, Record<string, string>>; sampleSize?: number }
  | { status: 'NOT_ASSESSABLE'; sampleSize?: number }
  | { status: 'MISSING' };

export interface RuleSetDocument {
  format?: typeof RULE_SET_FORMAT;
  code: string;
  title?: string;
  /** The contract text the rule set implements (quoted). */
  textBasis?: string;
  basis?: RuleSetBasis;
  missingPolicy?: MissingPolicy;
  rounding?: RuleSetRounding;
  phases?: RuleSetPhase[];
  terms: RuleSetTerm[];
  guardrails?: RuleSetGuardrail[];
  /** Per grouping and period, in euros. */
  groupingCap?: string;
  groupingFloor?: string;
  /** Per grouping over the whole contract, in euros (earlier approved settlements count). */
  lifetimeCap?: string;
  /** Across all groupings of the contract per period; above it every grouping is reduced pro rata. */
  poolCap?: string;
  evaluationPayers?: RuleSetEvaluationPayer[];
  tests?: RuleSetTestCase[];
}

/** The term id used when `id` is absent. */
export function termId(term: RuleSetTerm): string {
  return term.id ?? term.indicator;
}
