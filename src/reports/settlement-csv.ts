import { CsvCell, CsvProfile, num, text, writeCsv } from 'src/reports/csv-writer';
import { REPORT_TEXT, ReportLang } from 'src/reports/report-text';
import type { SettlementStatus } from 'src/reports/settlement-status';
import { reportLines } from 'src/reports/settlement-view';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// The settlement as one CSV table (docs/reports.md). The first column says what a row is: LINE (one per
// settlement line), then TOTAL, ADJUSTMENT, ALLOCATION and EVALUATION rows that use the same columns
// (amounts always in `amount`), so the file stays one rectangular table a spreadsheet can filter.
// The document hash and the settlement's state are in a comment line on top, and every row ends with the
// same settlement columns (document hash, version, state, computed and approved at/by, superseded by), so
// a filtered or copied part of the file still says which settlement it comes from and whether it was approved.

export type CsvProfileName = 'it' | 'intl';

export interface SettlementCsvOptions {
  /** it: semicolon, decimal comma, UTF-8 BOM; intl: comma, decimal point, no BOM. Both CRLF. */
  profile: CsvProfileName;
  lang: ReportLang;
  /** The settlement's state and approval (not part of the document, see settlement-status.ts). */
  status: SettlementStatus;
}

export const CSV_PROFILES: Record<CsvProfileName, CsvProfile> = {
  it: { separator: ';', decimal: ',', bom: true },
  intl: { separator: ',', decimal: '.', bom: false },
};

const COLUMNS = [
  'record',
  'item',
  'indicator',
  'label',
  'measurementVersions',
  'baseline',
  'target',
  'actual',
  'achievement',
  'payoutFactor',
  'weight',
  'effectiveWeight',
  'applied',
  'amountBefore',
  'amount',
  'status',
  'reason',
  'documentHash',
  // Added after the document hash so that the earlier columns keep their positions (docs/reports.md).
  'settlementVersion',
  'settlementState',
  'computedAt',
  'computedBy',
  'approvedAt',
  'approvedBy',
  'supersededBy',
] as const;

type Column = (typeof COLUMNS)[number];
type Row = Partial<Record<Column, CsvCell>>;

/** The columns every row ends with: which settlement, and where it stands. */
function settlementColumns(doc: SettlementDocument, status: SettlementStatus): Row {
  return {
    documentHash: text(doc.manifest.documentHash),
    settlementVersion: num(String(doc.version)),
    settlementState: text(status.state),
    computedAt: text(doc.computedAt),
    computedBy: text(doc.computedBy),
    approvedAt: text(status.approvedAt),
    approvedBy: text(status.approvedBy),
    supersededBy: status.supersededBy === null ? null : num(String(status.supersededBy.version)),
  };
}

function settlementRows(doc: SettlementDocument, lang: ReportLang): Row[] {
  const t = REPORT_TEXT[lang];
  const r = doc.result;
  const lines: Row[] = reportLines(doc, lang).map(({ line, label, measurementVersions, applied }) => ({
    record: text('LINE'),
    item: text(line.termId),
    indicator: text(line.indicatorCode),
    label: text(label),
    measurementVersions: text(measurementVersions.join(' | ')),
    baseline: num(line.baseline),
    target: num(line.target),
    actual: num(line.actual),
    achievement: num(line.achievement),
    payoutFactor: num(line.payoutFactor),
    weight: num(line.weight),
    effectiveWeight: num(line.effectiveWeight),
    applied: text(applied.join(' | ')),
    amount: num(line.amount),
    status: text(line.status),
    reason: text(line.reason[lang]),
  }));
  const total = (item: string, label: string, amount: string | null, reason: string | null = null): Row => ({
    record: text('TOTAL'),
    item: text(item),
    label: text(label),
    amount: num(amount),
    reason: text(reason),
  });
  const totals: Row[] = [
    total('AT_RISK', t.totals.atRisk, r.atRisk),
    total('PREMIUM_EXACT', t.totals.premiumExact, r.rounding.exact),
    total('PREMIUM', t.totals.premium, r.premium, `${r.rounding.mode} ${r.rounding.to}`),
    total('PAYABLE', t.totals.payable, r.payable, r.phase),
    total('WITHHELD', t.totals.withheld, r.withheld),
  ];
  const adjustments: Row[] = r.adjustments.map((a) => ({
    record: text('ADJUSTMENT'),
    item: text(a.kind),
    label: text(t.adjustments[a.kind]),
    amountBefore: num(a.before),
    amount: num(a.after),
    reason: text(a.reason[lang]),
  }));
  const allocation: Row[] = r.allocation.map((a) => ({
    record: text('ALLOCATION'),
    item: text(a.memberId),
    label: text(a.name),
    weight: num(a.executionShare),
    amountBefore: num(a.exact),
    amount: num(a.amount),
  }));
  const evaluations: Row[] = r.evaluationPayments.map((e) => ({
    record: text('EVALUATION'),
    item: text(e.id),
    indicator: text(e.payer),
    label: text(e.label),
    weight: num(e.share),
    applied: text(e.applied.join(' | ')),
    amountBefore: num(e.exact),
    amount: num(e.amount),
    status: text(e.significant === null ? 'NO_EVALUATION' : e.significant ? 'SIGNIFICANT' : 'NOT_SIGNIFICANT'),
    reason: text(e.reason[lang]),
  }));
  return [...lines, ...totals, ...adjustments, ...allocation, ...evaluations];
}

/**
 * One CSV file of a settlement. Example (intl, en), Padova Case A, a draft (ids and hashes shortened; "…" after
 * the document hash: version, state, computed at, computed by, approved at, approved by, superseded by):
 *   # ancora.settlement/3 id=5b0c… version=1 documentHash=6c9d… state=DRAFT
 *   record,item,indicator,label,measurements (organisation v. version id),baseline,target,actual,…,amount,status,reason,document hash,settlement version,settlement state,…
 *   LINE,T1,IND-01,Share of non-public …,ETS-AURORA v2 7d2e…,8.0,12.0,11.0,0.75,0.75,0.20,0.2,,,4800,PAID,"paid: achievement 0.75 >= threshold 0.5, payout 0.75",6c9d…,1,DRAFT,2026-07-20T09:30:00.000Z,Maria Rossi (…),,,
 *   TOTAL,PREMIUM,,Premium,,,,,,,,,,,18960.00,,HALF_UP 0.01,6c9d…,1,DRAFT,…
 *   ALLOCATION,ETS-AURORA,,Cooperativa Sociale Aurora (fittizia),,,,,,,0.50,,,9480,9480.00,,,6c9d…,1,DRAFT,…
 */
export function renderSettlementCsv(doc: SettlementDocument, options: SettlementCsvOptions): Buffer {
  const headers = REPORT_TEXT[options.lang].columns;
  const header: CsvCell[] = COLUMNS.map((c) => text(headers[c]));
  const settlement = settlementColumns(doc, options.status);
  const rows = settlementRows(doc, options.lang).map((record) => {
    const row: Row = { ...record, ...settlement };
    return COLUMNS.map((c) => row[c] ?? null);
  });
  // The state is a code without spaces, so the comment line stays a list of key=value tokens.
  const comment = `${doc.format} id=${doc.id} version=${doc.version} documentHash=${doc.manifest.documentHash} state=${options.status.state}`;
  return writeCsv([header, ...rows], CSV_PROFILES[options.profile], [comment]);
}
