import { formatTimestamp } from 'src/reports/report-format';
import type { ReportLang } from 'src/reports/report-text';
import type { SettlementState } from 'src/settlements/settlement-document';

// Where a settlement stands, beside its document. The state and the approval are facts of the settlement's
// row, not of the hashed document (docs/decisions/0011-settlement-documents.md: the document never changes
// once written, approval included), so the renderings take them as a separate argument: the same document
// in the same state gives the same bytes, and a DRAFT's file never looks like the APPROVED one's.
//
//   DRAFT                                   -> "BOZZA — non approvata" / "DRAFT — not approved"
//   APPROVED 2026-07-22T08:15Z by L. Neri   -> "APPROVATA il 22/07/2026 08:15 UTC da L. Neri"
//   SUPERSEDED by v2                        -> "SOSTITUITA dalla versione 2 (approvata il … da …)"

export interface SettlementStatus {
  state: SettlementState;
  /** When the version was approved; null for a DRAFT. A SUPERSEDED version keeps its own approval. */
  approvedAt: string | null;
  /** The approver's label (as the settlement API shows it). */
  approvedBy: string | null;
  /** The approved version that replaced a SUPERSEDED one; null when not superseded (or not known). */
  supersededBy: { id: string; version: number } | null;
}

/** The mark every page of a DRAFT PDF carries, in both languages whatever the report's language. */
export const DRAFT_MARK = 'BOZZA — non approvata / DRAFT — not approved';

/** The mark on every page of a SUPERSEDED PDF: "SOSTITUITA dalla v2 / SUPERSEDED by v2". */
export function supersededMark(status: SettlementStatus): string {
  const by = status.supersededBy;
  return by === null ? 'SOSTITUITA / SUPERSEDED' : `SOSTITUITA dalla v${by.version} / SUPERSEDED by v${by.version}`;
}

/** The state in words, short: "BOZZA — non approvata", "APPROVED". */
export function stateWords(state: SettlementState, lang: ReportLang): string {
  return STATE_WORDS[lang][state];
}

const STATE_WORDS: Record<ReportLang, Record<SettlementState, string>> = {
  it: { DRAFT: 'BOZZA — non approvata', APPROVED: 'APPROVATA', SUPERSEDED: 'SOSTITUITA' },
  en: { DRAFT: 'DRAFT — not approved', APPROVED: 'APPROVED', SUPERSEDED: 'SUPERSEDED' },
};

function approval(status: SettlementStatus, lang: ReportLang): string | null {
  if (status.approvedAt === null) return null;
  const at = formatTimestamp(status.approvedAt, lang);
  const by = status.approvedBy ?? '?';
  return lang === 'it' ? `il ${at} da ${by}` : `on ${at} by ${by}`;
}

/** The state, and for a SUPERSEDED one the version that replaced it: "SOSTITUITA dalla versione 2". */
export function stateLine(status: SettlementStatus, lang: ReportLang): string {
  const words = stateWords(status.state, lang);
  if (status.state !== 'SUPERSEDED') return words;
  const by = status.supersededBy;
  if (lang === 'it') return `${words} ${by === null ? 'da una versione successiva' : `dalla versione ${by.version}`}`;
  return `${words} ${by === null ? 'by a later version' : `by version ${by.version}`}`;
}

/**
 * The state as one sentence in the report's language, with the approval, for the PDF's footer and the workbook:
 * "APPROVATA il 22/07/2026 08:15 UTC da Dott. Luca Neri (approver)", "SUPERSEDED by version 2 (approved on … by …)".
 */
export function statusSentence(status: SettlementStatus, lang: ReportLang): string {
  const line = stateLine(status, lang);
  const approved = approval(status, lang);
  if (approved === null) return line;
  if (status.state === 'APPROVED') return `${line} ${approved}`;
  return `${line} (${lang === 'it' ? 'approvata' : 'approved'} ${approved})`;
}
