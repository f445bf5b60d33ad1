import type { IndicatorHistory } from 'src/reports/indicator-chart';
import type { ReportLang } from 'src/reports/report-text';
import { indicatorLabel } from 'src/reports/settlement-view';
import type { SettlementDocument, SettlementState } from 'src/settlements/settlement-document';

// What the PDF charts for a grouping: per indicator, actual against baseline and target in every period of
// the contract up to the reported one, read from the settlements the grouping already has.
//
// Which settlement stands for an earlier period: its latest APPROVED version (what was paid), else its
// latest version (a draft is still the best reading of that period). The reported period is charted
// from the reported settlement itself, so the chart agrees with the table above it, even for an old
// version. Periods without any settlement are left out; an indicator a period's settlement does not know
// gets an empty point (the period keeps its place on the axis).
//
//   Y1: v1 APPROVED, v2 DRAFT      -> v1
//   Y2: v1 DRAFT (reported)        -> the reported settlement
//   Y3: v1 DRAFT                   -> left out (after the reported period)
//   IND-01 -> points Y1 (actual 8.0, baseline null, target null), Y2 (actual 11.0, baseline 8.0, target 15.0)

export interface SettlementVersionRef {
  periodPosition: number;
  version: number;
  state: SettlementState;
}

/** One settlement per period before `position`, in period order: the latest approved, else the latest version. */
export function earlierPeriodSettlements<T extends SettlementVersionRef>(rows: readonly T[], position: number): T[] {
  const chosen = new Map<number, T>();
  for (const row of rows) {
    if (row.periodPosition >= position) continue;
    const held = chosen.get(row.periodPosition);
    if (held === undefined || rank(row) > rank(held)) chosen.set(row.periodPosition, row);
  }
  return [...chosen.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

// Approved beats anything else; within the same kind the higher version wins.
function rank(row: SettlementVersionRef): number {
  return (row.state === 'APPROVED' ? 1_000_000 : 0) + row.version;
}

/** The history of each indicator of `reported`, from the earlier periods' documents (in order) and its own. */
export function groupingHistory(reported: SettlementDocument, earlier: readonly SettlementDocument[], lang: ReportLang): IndicatorHistory[] {
  const docs = [...earlier, reported];
  return reported.inputs.indicators.map((indicator) => ({
    code: indicator.code,
    label: indicatorLabel(indicator, lang),
    unit: indicator.unit,
    points: docs.map((doc) => {
      const seen = doc.inputs.indicators.find((i) => i.code === indicator.code);
      return { period: doc.inputs.period.code, actual: seen?.value ?? null, baseline: seen?.baseline ?? null, target: seen?.target ?? null };
    }),
  }));
}
