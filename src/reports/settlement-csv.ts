import { CsvCell, CsvProfile, num, text, writeCsv } from 'src/reports/csv-writer';
import { REPORT_TEXT, ReportLang } from 'src/reports/report-text';
import { reportLines } from 'src/reports/settlement-view';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// The settlement as one CSV table (docs/reports.md). The first column says what a row is: LINE (one per
// settlement line), then TOTAL, ADJUSTMENT, ALLOCATION and EVALUATION rows that use the same columns
// (amounts always in `amount`), so the file stays one rectangular table a spreadsheet can filter.
// The document hash is in a comment line on top and in the last column of every row.

export type CsvProfileName = 'it' | 'intl';

export interface SettlementCsvOptions {
  /** it: semicolon, decimal comma, UTF-8 BOM; intl: comma, decimal point, no BOM. Both CRLF. */
  profile: CsvProfileName;
  lang: ReportLang;
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
] as const;

type Column = (typeof COLUMNS)[number];
type Row = Partial<Record<Column, CsvCell>>;

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
 * One CSV file of a settlement. Example (intl, en), Padova Case A (ids and hashes shortened):
 *   # ancora.settlement/2 id=5b0c… version=1 documentHash=6c9d…
 *   record,item,indicator,label,measurements (organisation v. version id),baseline,target,actual,…,amount,status,reason,document hash
 *   LINE,T1,IND-01,Share of non-public …,ETS-AURORA v2 7d2e…,8.0,12.0,11.0,0.75,0.75,0.20,0.2,,,4800,PAID,"paid: achievement 0.75 >= threshold 0.5, payout 0.75",6c9d…
 *   TOTAL,PREMIUM,,Premium,,,,,,,,,,,18960.00,,HALF_UP 0.01,6c9d…
 *   ALLOCATION,ETS-AURORA,,Cooperativa Sociale Aurora (fittizia),,,,,,,0.50,,,9480,9480.00,,,6c9d…
 */
export function renderSettlementCsv(doc: SettlementDocument, options: SettlementCsvOptions): Buffer {
  const headers = REPORT_TEXT[options.lang].columns;
  const hash = doc.manifest.documentHash;
  const header: CsvCell[] = COLUMNS.map((c) => text(headers[c]));
  const rows = settlementRows(doc, options.lang).map((row) => COLUMNS.map((c) => (c === 'documentHash' ? text(hash) : (row[c] ?? null))));
  const comment = `${doc.format} id=${doc.id} version=${doc.version} documentHash=${hash}`;
  return writeCsv([header, ...rows], CSV_PROFILES[options.profile], [comment]);
}
