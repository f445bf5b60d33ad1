import ExcelJS from 'exceljs';
import { neutraliseText } from 'src/common/files/csv-text';
import { numberFormatFor, significantDigits, toSpreadsheetNumber } from 'src/reports/report-format';
import { REPORT_TEXT, ReportLang, ReportText } from 'src/reports/report-text';
import { DRAFT_MARK, SettlementStatus, stateWords, statusSentence, supersededMark } from 'src/reports/settlement-status';
import { measurementVersion, reportLines, ruleSetDescription } from 'src/reports/settlement-view';
import { fixZipTimestamps } from 'src/reports/zip-timestamps';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// The settlement as a workbook (docs/reports.md): Lines, Totals, Allocation, Inputs, Measurements and
// Manifest sheets (names in the report's language). Decimals are numbers with a format that shows them
// as written (money '#,##0.00'); text is neutralised as in the CSV. The settlement's state opens the
// Totals sheet, is in the Manifest, and heads every printed page. Reproducible: workbook dates are
// the settlement's computedAt and the zip entries are re-stamped with it (src/reports/zip-timestamps.ts).

export interface SettlementXlsxOptions {
  lang: ReportLang;
  /** The settlement's state and approval (not part of the document, see settlement-status.ts). */
  status: SettlementStatus;
}

export const MONEY_FORMAT = '#,##0.00';
// Excel keeps 15 significant digits; beyond that the exact decimal goes into a note on the cell.
const EXACT_DIGITS = 15;

type Cell = { text: string } | { decimal: string; format?: string } | { integer: number } | null;

const text = (v: string | null): Cell => (v === null ? null : { text: v });
const decimal = (v: string | null, format?: string): Cell => (v === null ? null : { decimal: v, format });
const money = (v: string | null): Cell => decimal(v, MONEY_FORMAT);

function put(cell: ExcelJS.Cell, value: Cell, lang: ReportLang): void {
  if (value === null) return;
  if ('text' in value) {
    if (value.text === '') return;
    cell.value = neutraliseText(value.text);
    if (value.text.includes('\n')) cell.alignment = { wrapText: true, vertical: 'top' };
  } else if ('integer' in value) {
    cell.value = value.integer;
  } else {
    cell.value = toSpreadsheetNumber(value.decimal);
    cell.numFmt = value.format ?? numberFormatFor(value.decimal);
    if (significantDigits(value.decimal) > EXACT_DIGITS) {
      cell.note = `${REPORT_TEXT[lang].columns.exactText}: ${value.decimal}`;
    }
  }
}

function table(ws: ExcelJS.Worksheet, headers: string[], rows: Cell[][], lang: ReportLang, widths: number[]): void {
  const start = ws.rowCount + 1;
  const head = ws.getRow(start);
  headers.forEach((h, i) => put(head.getCell(i + 1), { text: h }, lang));
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
  rows.forEach((row, r) => row.forEach((c, i) => put(ws.getRow(start + 1 + r).getCell(i + 1), c, lang)));
  widths.forEach((w, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(col.width ?? 0, w);
  });
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  return wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
}

/**
 * What heads every printed page: the bilingual DRAFT (or SUPERSEDED) mark in bold, else the approval. In an
 * Excel header `&` starts a code, so a literal one (an approver's label) is doubled; Excel refuses a header
 * over 255 characters, so a long sentence is cut first (120, at most 240 once doubled).
 */
export function printHeader(status: SettlementStatus, lang: ReportLang): string {
  if (status.state === 'APPROVED') {
    const sentence = statusSentence(status, lang);
    const cut = sentence.length > 120 ? `${sentence.slice(0, 119)}…` : sentence;
    return `&C${cut.replace(/&/g, '&&')}`;
  }
  const mark = status.state === 'DRAFT' ? DRAFT_MARK : supersededMark(status);
  return `&C&"-,Bold"&14${mark}`;
}

function linesSheet(wb: ExcelJS.Workbook, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const c = t.columns;
  const ws = sheet(wb, t.sheets.lines);
  const rows = reportLines(doc, lang).map(({ line, label, unit, measurementVersions, applied }) => [
    text(line.termId),
    text(line.indicatorCode),
    text(label),
    text(unit),
    text(measurementVersions.join('\n')),
    decimal(line.baseline),
    decimal(line.target),
    decimal(line.actual),
    decimal(line.achievement),
    decimal(line.payoutFactor),
    decimal(line.weight),
    decimal(line.effectiveWeight),
    text(applied.join('\n')),
    money(line.amount),
    text(line.status),
    text(line.reason[lang]),
  ]);
  const headers = [c.item, c.indicator, c.label, c.unit, c.measurementVersions, c.baseline, c.target, c.actual, c.achievement, c.payoutFactor, c.weight, c.effectiveWeight, c.applied, c.amount, c.status, c.reason];
  table(ws, headers, rows, lang, [8, 10, 50, 10, 40, 10, 10, 12, 12, 12, 8, 10, 24, 14, 16, 60]);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
}

function totalsSheet(wb: ExcelJS.Workbook, doc: SettlementDocument, status: SettlementStatus, t: ReportText, lang: ReportLang): void {
  const r = doc.result;
  const ws = sheet(wb, t.sheets.totals);
  table(
    ws,
    [t.columns.key, t.columns.value],
    [
      // Where the settlement stands first: a draft's figures are not what will be paid.
      [text(t.manifest.state), text(statusSentence(status, lang))],
      [text(t.manifest.version), { integer: doc.version }],
      [text(t.totals.score), decimal(r.score)],
      [text(t.totals.atRisk), money(r.atRisk)],
      [text(t.totals.premiumExact), decimal(r.rounding.exact)],
      [text(t.totals.premium), money(r.premium)],
      [text(t.totals.payable), money(r.payable)],
      [text(t.totals.withheld), money(r.withheld)],
      [text(t.totals.phase), text(`${r.phase}: ${t.phase[r.phase]}`)],
      [text(t.totals.rounding), text(`${r.rounding.mode} ${r.rounding.to} (${t.rounding[r.rounding.mode]})`)],
    ],
    lang,
    [44, 60],
  );
  ws.addRow([]);
  const h = t.columns;
  const adjustments = r.adjustments.map((a) => [text(a.kind), text(t.adjustments[a.kind]), money(a.before), money(a.after), text(a.reason[lang])]);
  table(ws, [t.pdf.adjustments, h.label, h.amountBefore, h.amount, h.reason], adjustments.length > 0 ? adjustments : [[text(t.none)]], lang, [44, 60, 16, 16, 60]);
  if (r.evaluationPayments.length > 0) {
    ws.addRow([]);
    const rows = r.evaluationPayments.map((e) => [
      text(e.id),
      text(e.payer),
      text(e.label),
      text(e.significant === null ? '' : e.significant ? t.yes : t.no),
      money(e.certifiedSavings),
      decimal(e.share),
      money(e.cap),
      decimal(e.exact),
      money(e.amount),
      text(e.reason[lang]),
    ]);
    table(ws, [t.pdf.evaluationPayments, h.payer, h.label, h.significant, h.certifiedSavings, h.share, h.cap, h.exact, h.amount, h.reason], rows, lang, []);
  }
}

function allocationSheet(wb: ExcelJS.Workbook, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const ws = sheet(wb, t.sheets.allocation);
  const members = new Map(doc.inputs.grouping.members.map((m) => [m.code, m]));
  const rows = doc.result.allocation.map((a) => [
    text(a.memberId),
    text(a.name),
    text(members.get(a.memberId)?.lead ? t.lead : t.nonLead),
    decimal(a.executionShare),
    decimal(a.exact),
    money(a.amount),
  ]);
  rows.push([text(t.pdf.total), null, null, null, null, money(doc.result.payable)]);
  table(ws, [t.columns.member, t.columns.name, t.columns.role, t.columns.executionShare, t.columns.exact, t.columns.amount], rows, lang, [18, 44, 20, 18, 18, 16]);
}

function inputsSheet(wb: ExcelJS.Workbook, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const h = t.columns;
  const ws = sheet(wb, t.sheets.inputs);
  const rows = doc.inputs.indicators.map((i) => [
    text(i.code),
    text(i.labelIt),
    text(i.labelEn),
    text(i.unit),
    text(i.direction),
    decimal(i.baseline),
    decimal(i.target),
    text(i.status),
    decimal(i.value),
    decimal(i.sampleSize),
    i.minSampleSize === null ? null : { integer: i.minSampleSize },
    text(i.aggregation),
    text(i.sources.map(measurementVersion).join('\n')),
  ]);
  const headers = [h.indicator, `${h.label} (it)`, `${h.label} (en)`, h.unit, h.direction, h.baseline, h.target, h.status, h.value, h.sampleSize, `${h.sampleSize} min.`, h.aggregation, h.measurementVersions];
  table(ws, headers, rows, lang, [10, 50, 50, 10, 10, 10, 10, 14, 12, 10, 10, 14, 50]);
  ws.addRow([]);
  const facts = Object.keys(doc.inputs.facts)
    .sort()
    .map((k) => [text(k), decimal(doc.inputs.facts[k])]);
  table(ws, [h.fact, h.value], facts, lang, []);
}

function measurementsSheet(wb: ExcelJS.Workbook, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const h = t.columns;
  const ws = sheet(wb, t.sheets.measurements);
  const rows = doc.inputs.indicators.flatMap((i) =>
    i.sources.map((s) => [
      text(i.code),
      text(s.organisation),
      text(s.measurementId),
      { integer: s.version },
      decimal(s.value),
      text(s.notAssessable ? t.yes : t.no),
      s.sampleSize === null ? null : { integer: s.sampleSize },
    ]),
  );
  table(ws, [h.indicator, h.organisation, h.measurementId, h.version, h.value, h.notAssessable, h.sampleSize], rows, lang, [10, 18, 40, 10, 12, 14, 12]);
}

function manifestSheet(wb: ExcelJS.Workbook, doc: SettlementDocument, status: SettlementStatus, t: ReportText, lang: ReportLang): void {
  const m = t.manifest;
  const { contract, period, grouping, indicatorSet } = doc.inputs;
  const ws = sheet(wb, t.sheets.manifest);
  const rows: [string, string][] = [
    [m.format, doc.format],
    [m.id, doc.id],
    [m.version, String(doc.version)],
    [m.computedAt, doc.computedAt],
    [m.computedBy, doc.computedBy],
    // The state and approval are the settlement's, not the document's: no hash below covers them.
    [m.state, status.state],
    [m.approvedAt, status.approvedAt ?? ''],
    [m.approvedBy, status.approvedBy ?? ''],
    [m.supersededBy, status.supersededBy === null ? '' : String(status.supersededBy.version)],
    [m.reopenReason, doc.reopenReason ?? ''],
    [m.municipality, `${contract.municipality.code} – ${contract.municipality.name}`],
    [m.contract, `${contract.code} – ${contract.title}`],
    [m.period, `${period.code} (${period.startDate} – ${period.endDate})`],
    [m.grouping, `${grouping.code} – ${grouping.name}`],
    [m.ruleSet, ruleSetDescription(doc, lang)],
    [m.indicatorSet, String(indicatorSet.version)],
    [m.indicatorSetHash, indicatorSet.contentHash],
    [m.algorithm, doc.manifest.algorithm],
    [m.canonicalization, doc.manifest.canonicalization],
    [m.inputsHash, doc.manifest.inputsHash],
    [m.ruleSetHash, doc.manifest.ruleSetHash],
    [m.resultHash, doc.manifest.resultHash],
    [m.documentHash, doc.manifest.documentHash],
    [m.verify, t.verify.how(doc.id)],
  ];
  table(ws, [t.columns.key, t.columns.value], rows.map(([k, v]) => [text(k), text(v)]), lang, [34, 100]);
  ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
}

/** The workbook bytes: the same document in the same state gives the same bytes, whatever the clock says. */
export async function renderSettlementXlsx(doc: SettlementDocument, options: SettlementXlsxOptions): Promise<Buffer> {
  const { lang, status } = options;
  const t = REPORT_TEXT[lang];
  const at = new Date(doc.computedAt);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Ancora';
  wb.lastModifiedBy = 'Ancora';
  wb.created = at;
  wb.modified = at;
  wb.title = `${t.pdf.title} ${doc.inputs.contract.code} ${doc.inputs.grouping.code} ${doc.inputs.period.code} v${doc.version} (${stateWords(status.state, lang)})`;
  wb.keywords = `sha256:${doc.manifest.documentHash}`;
  linesSheet(wb, doc, t, lang);
  totalsSheet(wb, doc, status, t, lang);
  allocationSheet(wb, doc, t, lang);
  inputsSheet(wb, doc, t, lang);
  measurementsSheet(wb, doc, t, lang);
  manifestSheet(wb, doc, status, t, lang);
  const header = printHeader(status, lang);
  for (const ws of wb.worksheets) ws.headerFooter = { oddHeader: header };
  const bytes = await wb.xlsx.writeBuffer();
  return fixZipTimestamps(Buffer.from(bytes), doc.computedAt);
}
