import type { GroupingSettlement, ReasonStyle } from 'src/settlements/calculation/settlement.types';
import type { RoundingRule } from 'src/settlements/calculation/settlement.types';

// The settlement document: what one provider grouping earns for one period of a contract, with every
// input it was computed from, so that anyone can recompute it to the cent (docs/settlements.md).
// Stored as RFC 8785 canonical JSON; the manifest holds the SHA-256 of the canonical JSON of `inputs`,
// of the rule set and of `result`, and `documentHash` covers the whole document except the manifest's
// own documentHash. Reports (CSV, XLSX, PDF) are renderings of this document.

// Formats: the same fields; they differ only in how reasons are written (calculation/reasons.ts). A stored
// document recomputes with the reason style of its own format, so documents of every format verify forever.
//   ancora.settlement/1  decimal strings as computed: "raggiungimento 1.0555555555555555555555555555555555555555555555556"
//   ancora.settlement/2  numbers for people: "raggiungimento ≈1,0556", "limitato a 150.000,00"
//   ancora.settlement/3  and words in each reason's language: "campione non riportato", "nessun valore per IND-G1"
//                        where format 2 wrote "campione ?" and "; no value for IND-G1" (built from now on)
export const SETTLEMENT_FORMATS = ['ancora.settlement/1', 'ancora.settlement/2', 'ancora.settlement/3'] as const;
export type SettlementFormat = (typeof SETTLEMENT_FORMATS)[number];

/** The format of the documents built now. */
export const SETTLEMENT_FORMAT = 'ancora.settlement/3' satisfies SettlementFormat;

const REASON_STYLES: Record<SettlementFormat, ReasonStyle> = {
  'ancora.settlement/1': 'PLAIN',
  'ancora.settlement/2': 'LOCALISED',
  'ancora.settlement/3': 'TRANSLATED',
};

export function reasonStyleOf(format: SettlementFormat): ReasonStyle {
  return REASON_STYLES[format];
}

export type SettlementState = 'DRAFT' | 'APPROVED' | 'SUPERSEDED';

/** One accepted measurement version that went into an indicator's value for the grouping. */
export interface MeasurementSource {
  measurementId: string;
  version: number;
  organisation: string;
  value: string;
  notAssessable: boolean;
  sampleSize: number | null;
}

/** An indicator as the settlement saw it for this grouping and period. */
export interface IndicatorInput {
  code: string;
  labelIt: string;
  labelEn: string | null;
  unit: string;
  direction: 'INCREASE' | 'DECREASE' | 'LEVEL';
  minSampleSize: number | null;
  baseline: string | null;
  target: string | null;
  /** ACCEPTED: value from the sources (aggregated over members); MISSING: no accepted value; NOT_ASSESSABLE. */
  status: 'ACCEPTED' | 'MISSING' | 'NOT_ASSESSABLE';
  value: string | null;
  sampleSize: string | null;
  disaggregations: Record<string, Record<string, string>>;
  /** How member rows were combined: SINGLE, SUM, RATIO (sum of numerators / sum of denominators), WEIGHTED_MEAN (by sample size). */
  aggregation: 'SINGLE' | 'SUM' | 'RATIO' | 'WEIGHTED_MEAN' | 'NONE';
  sources: MeasurementSource[];
}

export interface SettlementInputs {
  contract: { code: string; title: string; currency: string; municipality: { code: string; name: string } };
  period: { code: string; startDate: string; endDate: string; position: number };
  grouping: { code: string; name: string; fee: string | null; members: { code: string; name: string; executionShare: string; lead: boolean }[] };
  indicatorSet: { version: number; contentHash: string };
  /** The rule set as frozen in the binding version (hash in the manifest). */
  ruleSet: unknown;
  rounding: RoundingRule;
  indicators: IndicatorInput[];
  /** The facts the conditions saw (decimal strings by name). */
  facts: Record<string, string>;
  /** Evaluation records by evaluation-payer id. */
  evaluations: Record<string, { recordId: string; significant: boolean; certifiedSavings: string }>;
  /** Payable amounts of this grouping's earlier approved settlements (lifetime cap). */
  settledBefore: { period: string; settlementId: string; payable: string }[];
  /**
   * The pool: every grouping's requested (pre-pool) payable this period, in contract order; `committed`
   * (only when there is one) lists the other groupings whose approved settlement in force pays them other
   * than their share of these requests (one of them was reopened after data changed): what they keep.
   */
  pool: { cap: string; requests: { grouping: string; requested: string }[]; committed?: PoolCommitment[] } | null;
}

/** Another grouping's approved settlement in force, whose payable is not its share of the current pool requests. */
export interface PoolCommitment {
  grouping: string;
  settlementId: string;
  payable: string;
}

/** Condition traces, one per gate, guardrail and milestone, as the compiled evaluator produced them. */
export interface ConditionTrace {
  kind: 'GATE' | 'GUARDRAIL' | 'MILESTONE';
  id: string;
  label: string;
  holds: boolean;
  trace: string[];
}

export interface SettlementDelta {
  /** The version this one replaces. */
  previousId: string;
  previousVersion: number;
  premium: { before: string; after: string; change: string };
  payable: { before: string; after: string; change: string };
  lines: { termId: string; before: string; after: string; change: string }[];
  allocation: { member: string; before: string; after: string; change: string }[];
}

export interface SettlementResult extends GroupingSettlement {
  conditions: ConditionTrace[];
}

export interface SettlementManifest {
  algorithm: 'SHA-256';
  canonicalization: 'RFC 8785';
  inputsHash: string;
  ruleSetHash: string;
  resultHash: string;
  /** Of the whole document, with this field left out. */
  documentHash: string;
}

export interface SettlementDocument {
  format: SettlementFormat;
  id: string;
  version: number;
  /** Reason given when this version reopened an approved one. */
  reopenReason: string | null;
  computedAt: string;
  computedBy: string;
  inputs: SettlementInputs;
  result: SettlementResult;
  delta: SettlementDelta | null;
  manifest: SettlementManifest;
}
