import type { LineStatus } from 'src/settlements/calculation/settlement.types';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// What a portfolio run tells the contract manager about a contract it settled, beside its result: the drafts
// are right (missing data is settled by the rule set's policy), but made from a period that may not be ready.
// Warnings never fail a contract or change an amount; derived from what the run already holds (the drafts it
// just built, the period's closure read once per batch), never by a query per contract.
//
// Example: Y2 still open, RTI-A with no accepted measurement, RTI-B without IND-05 ->
//   PERIOD_OPEN               "Period Y2 is not closed: ..."
//   NO_ACCEPTED_MEASUREMENTS  groupings [{ grouping: RTI-A, terms: 5, onMissingData: 5 }]
//   MISSING_DATA              groupings [{ grouping: RTI-B, terms: 5, onMissingData: 1 }]

export const SETTLEMENT_RUN_WARNING_CODES = ['PERIOD_OPEN', 'NO_ACCEPTED_MEASUREMENTS', 'MISSING_DATA'] as const;
export type SettlementRunWarningCode = (typeof SETTLEMENT_RUN_WARNING_CODES)[number];

/** A grouping a warning is about: its terms, and how many were settled by the missing-data policy. */
export interface SettlementRunWarningGrouping {
  grouping: string;
  terms: number;
  onMissingData: number;
}

export interface SettlementRunWarning {
  code: SettlementRunWarningCode;
  message: string;
  /** The drafted groupings concerned, in contract order; empty for PERIOD_OPEN (the contract's period). */
  groupings: SettlementRunWarningGrouping[];
}

/** Lines the missing-data policy settled: MISSING_DATA ZERO pays 0.00, EXCLUDE_AND_REWEIGHT leaves the term out. */
const ON_MISSING_DATA: ReadonlySet<LineStatus> = new Set<LineStatus>(['MISSING_ZERO', 'EXCLUDED']);

/** What of a draft the warnings read. */
export type DraftedDocument = {
  inputs: { grouping: Pick<SettlementDocument['inputs']['grouping'], 'code'>; indicators: Pick<SettlementDocument['inputs']['indicators'][number], 'sources'>[] };
  result: { lines: Pick<SettlementDocument['result']['lines'][number], 'status'>[] };
};

/**
 * The warnings of a contract a run settled, from the drafts it wrote (approved groupings, left alone, are not
 * among them) and whether the period is closed. NO_ACCEPTED_MEASUREMENTS: groupings none of whose indicators
 * has an accepted measurement; MISSING_DATA: the other groupings with a term settled by the missing-data
 * policy (no accepted value, or one not assessable).
 */
export function runWarnings(periodCode: string, periodClosed: boolean, drafted: readonly DraftedDocument[]): SettlementRunWarning[] {
  const warnings: SettlementRunWarning[] = [];
  if (!periodClosed) {
    warnings.push({
      code: 'PERIOD_OPEN',
      message: `Period ${periodCode} is not closed: measurements can still be submitted, corrected and reviewed, and its drafts may change`,
      groupings: [],
    });
  }
  const empty: SettlementRunWarningGrouping[] = [];
  const partial: SettlementRunWarningGrouping[] = [];
  for (const doc of drafted) {
    const g = { grouping: doc.inputs.grouping.code, terms: doc.result.lines.length, onMissingData: doc.result.lines.filter((l) => ON_MISSING_DATA.has(l.status)).length };
    if (doc.inputs.indicators.every((i) => i.sources.length === 0)) empty.push(g);
    else if (g.onMissingData > 0) partial.push(g);
  }
  if (empty.length > 0) {
    warnings.push({
      code: 'NO_ACCEPTED_MEASUREMENTS',
      message: `No accepted measurement for ${empty.map((g) => g.grouping).join(', ')} in period ${periodCode}: ${
        empty.length === 1 ? 'its draft is' : 'their drafts are'
      } made without any measured value`,
      groupings: empty,
    });
  }
  if (partial.length > 0) {
    warnings.push({
      code: 'MISSING_DATA',
      message: `Terms settled by the missing-data policy (no accepted value, or not assessable) in period ${periodCode}: ${partial
        .map((g) => `${g.grouping} ${g.onMissingData} of ${g.terms}`)
        .join(', ')}`,
      groupings: partial,
    });
  }
  return warnings;
}
