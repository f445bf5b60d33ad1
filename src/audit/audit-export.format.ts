import { LinkStatus } from 'src/audit/audit-export.links';
import { neutraliseText, quoteField } from 'src/common/files/csv-text';

// Writing the audit export, piece by piece so entries can be streamed page by page.
// CSV: RFC 4180 (comma, CRLF, cells with a comma, quote, CR or LF in double quotes, quotes doubled),
// UTF-8 with a BOM so spreadsheets read accented names; the verification in leading `# ` lines; cells a
// spreadsheet would run as a formula (starting with = + - @ tab or CR) get a leading apostrophe:
//   csvCell('=HYPERLINK("x")') === `"'=HYPERLINK(""x"")"`     csvCell('Rossi, Paolo') === '"Rossi, Paolo"'

export const AUDIT_EXPORT_FORMAT = 'ancora.audit-export/1';
export const AUDIT_EXPORT_FORMATS = ['csv', 'json'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

const CRLF = '\r\n';
const BOM = '\uFEFF';

/** One exported entry, as in GET /audit plus the result of its link check. */
export interface ExportedEntryDocument {
  seq: number;
  id: string;
  occurredAt: string;
  actor: { id: string; label: string; organisationId: string | null; organisationCode: string | null; organisationName: string | null };
  action: string;
  object: { type: string; id: string };
  contractId: string | null;
  municipalityId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  prevHash: string;
  entryHash: string;
  link: LinkStatus;
}

export interface ExportBreak {
  seq: number;
  /** Null when the entry is missing, or hidden from a caller who may not verify the whole log. */
  id: string | null;
  reason: string;
  message: string;
}

export interface AuditExportVerification {
  /** The existing whole-log verification (AuditService.verify): a chain can only be verified whole. */
  wholeChain: { ok: boolean; entries: number; headSeq: number; firstBreak: ExportBreak | null };
  /** Each exported entry checked against its neighbours in the full chain (src/audit/audit-export.links.ts). */
  exportedEntries: { ok: boolean; entries: number; broken: number; firstBreak: ExportBreak | null };
}

/** What is exported: one contract's entries, or one municipality's. */
export type AuditExportSelection =
  | { kind: 'contract'; contractId: string; contractCode: string; municipalityId: string }
  | { kind: 'municipality'; municipalityId: string; municipalityCode: string };

/** The selection, up to the chain head read by the verification (later appends are not exported). */
export type AuditExportScope = AuditExportSelection & { upToSeq: number };

export interface AuditExportHeader {
  scope: AuditExportScope;
  exportedAt: string;
  verification: AuditExportVerification;
}

export const CSV_COLUMNS = [
  'seq',
  'id',
  'occurredAt',
  'actorId',
  'actorLabel',
  'actorOrganisationId',
  'actorOrganisationCode',
  'action',
  'objectType',
  'objectId',
  'contractId',
  'municipalityId',
  'beforeDigest',
  'afterDigest',
  'prevHash',
  'entryHash',
  'link',
] as const;

/** One CSV cell: formula triggers neutralised, then quoted when RFC 4180 requires it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  return quoteField(neutraliseText(String(value)), ',');
}

export function csvRow(cells: readonly (string | number | null)[]): string {
  return cells.map(csvCell).join(',') + CRLF;
}

/** Comment text stays on one line and in one spreadsheet cell: no separators, quotes or line breaks. */
function commentText(text: string): string {
  return text.replace(/[,;"\r\n\t]/g, ' ');
}

function describeBreak(b: ExportBreak | null): string {
  return b === null ? 'none' : `seq ${b.seq}${b.id === null ? '' : ` (entry ${b.id})`} ${b.reason}: ${b.message}`;
}

export function describeScope(scope: AuditExportScope): string {
  return scope.kind === 'contract'
    ? `contract ${scope.contractCode} (${scope.contractId}) up to seq ${scope.upToSeq}`
    : `municipality ${scope.municipalityCode} (${scope.municipalityId}) up to seq ${scope.upToSeq}`;
}

/** The BOM, the `# ` lines with the scope and the verification, and the header row. */
export function csvPreamble(h: AuditExportHeader): string {
  const v = h.verification;
  const lines = [
    `format: ${AUDIT_EXPORT_FORMAT}`,
    `scope: ${describeScope(h.scope)}`,
    `exportedAt: ${h.exportedAt}`,
    `wholeChain: ${v.wholeChain.ok ? 'INTACT' : 'BROKEN'} (every entry of the whole log recomputed in seq order) intactEntries=${v.wholeChain.entries} headSeq=${v.wholeChain.headSeq}`,
    `wholeChain.firstBreak: ${describeBreak(v.wholeChain.firstBreak)}`,
    `exportedEntries: ${v.exportedEntries.ok ? 'LINKED' : 'NOT LINKED'} (each exported entry recomputed and linked to entries seq-1 and seq+1 of the full chain) entries=${v.exportedEntries.entries} notLinked=${v.exportedEntries.broken}`,
    `exportedEntries.firstBreak: ${describeBreak(v.exportedEntries.firstBreak)}`,
  ];
  return BOM + lines.map((l) => `# ${commentText(l)}${CRLF}`).join('') + csvRow(CSV_COLUMNS);
}

export function csvEntry(e: ExportedEntryDocument): string {
  return csvRow([
    e.seq,
    e.id,
    e.occurredAt,
    e.actor.id,
    e.actor.label,
    e.actor.organisationId,
    e.actor.organisationCode,
    e.action,
    e.object.type,
    e.object.id,
    e.contractId,
    e.municipalityId,
    e.beforeDigest,
    e.afterDigest,
    e.prevHash,
    e.entryHash,
    e.link,
  ]);
}

/** JSON: `{ format, scope, exportedAt, verification, entries: [` ... entries one per line ... `]}`. */
export function jsonPreamble(h: AuditExportHeader): string {
  const head = JSON.stringify({ format: AUDIT_EXPORT_FORMAT, scope: h.scope, exportedAt: h.exportedAt, verification: h.verification });
  return `${head.slice(0, -1)},"entries":[`;
}

export function jsonEntry(e: ExportedEntryDocument, first: boolean): string {
  return `${first ? '\n' : ',\n'}${JSON.stringify(e)}`;
}

export function jsonEnd(anyEntries: boolean): string {
  return `${anyEntries ? '\n' : ''}]}\n`;
}

/** `ancora-audit-<code>-<date>-seq<upToSeq>.<format>`, the code reduced to file-name-safe characters. */
export function exportFileName(h: Pick<AuditExportHeader, 'scope' | 'exportedAt'>, format: AuditExportFormat): string {
  const code = (h.scope.kind === 'contract' ? h.scope.contractCode : h.scope.municipalityCode).replace(/[^A-Za-z0-9._-]/g, '_');
  return `ancora-audit-${code}-${h.exportedAt.slice(0, 10)}-seq${h.scope.upToSeq}.${format}`;
}
