import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { IndicatorHistory, renderIndicatorChartSvg } from 'src/reports/indicator-chart';
import { A4, CONTENT_WIDTH, ensureSpace, figures, FONT, footers, heading, INK, keyValues, MARGIN, paragraph, table, tableSection, TableRow } from 'src/reports/pdf-layout';
import { formatDate, formatDecimal, formatMoney, formatOptional, formatTimestamp } from 'src/reports/report-format';
import { conditionTraceText } from 'src/reports/condition-trace-text';
import { printableText } from 'src/reports/pdf-text';
import { REPORT_TEXT, ReportLang, ReportText } from 'src/reports/report-text';
import { DRAFT_MARK, SettlementStatus, stateLine, stateWords, statusSentence, supersededMark } from 'src/reports/settlement-status';
import { reportLines, ruleSetDescription, termTitle } from 'src/reports/settlement-view';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// The printable settlement report (docs/reports.md): A4, Italian by default, Helvetica (no font files),
// charts as vector graphics (vega-lite -> SVG -> PDF paths). Reproducible: the info dictionary's dates are
// the settlement's computedAt and PDFKit derives the trailer ID from that dictionary (an MD5 of its
// entries, which include the document hash and the state), so the same settlement in the same state gives
// the same bytes. The state is not the document's (settlement-status.ts): the header says it with the
// approval, every page's footer repeats it, and a DRAFT or SUPERSEDED report is marked across every page.

export type { IndicatorHistory } from 'src/reports/indicator-chart';

export interface SettlementPdfOptions {
  /** The settlement's state and approval. */
  status: SettlementStatus;
  /** Default Italian. */
  lang?: ReportLang;
  /** Per indicator, the grouping's actual, baseline and target across periods; default: this period only. */
  history?: IndicatorHistory[];
  /** For a reopened settlement: what the version it replaces was computed on, so the delta can say whether the rules changed. */
  previous?: PreviousBasis;
}

/** The indicator-set version and rule set a settlement was computed on. */
export interface PreviousBasis {
  indicatorSetVersion: number;
  ruleSetHash: string;
}

/** The one-period history a settlement carries by itself (used when the caller has no earlier periods). */
export function historyFromDocument(doc: SettlementDocument, lang: ReportLang): IndicatorHistory[] {
  return doc.inputs.indicators.map((i) => ({
    code: i.code,
    label: lang === 'en' && i.labelEn !== null ? i.labelEn : i.labelIt,
    unit: i.unit,
    points: [{ period: doc.inputs.period.code, actual: i.value, baseline: i.baseline, target: i.target }],
  }));
}

function currency(value: string | null, doc: SettlementDocument, lang: ReportLang): string {
  if (value === null) return '–';
  const amount = formatMoney(value, lang);
  const code = doc.inputs.contract.currency;
  if (code !== 'EUR') return `${amount} ${code}`;
  return lang === 'it' ? `${amount} €` : `€${amount}`;
}

const STATE_INK: Record<SettlementStatus['state'], string> = { DRAFT: '#B3261E', APPROVED: '#1E6B34', SUPERSEDED: '#8A5A00' };

/** "BOZZA — non approvata (DRAFT)": the code too where the words are not it (it is what the CSV and the API say). */
function stateWithCode(status: SettlementStatus, lang: ReportLang): string {
  const line = stateLine(status, lang);
  return line.startsWith(status.state) ? line : `${line} (${status.state})`;
}

function header(pdf: PDFKit.PDFDocument, doc: SettlementDocument, status: SettlementStatus, t: ReportText, lang: ReportLang): void {
  const { contract, period, grouping, indicatorSet } = doc.inputs;
  const corner = { x: MARGIN.left + CONTENT_WIDTH - 150, width: 150, align: 'right' as const };
  pdf.font(FONT.bold).fontSize(17).fillColor(INK.accent).text(t.pdf.title, MARGIN.left, MARGIN.top, { width: CONTENT_WIDTH - 150 });
  pdf
    .font(FONT.regular)
    .fontSize(8.5)
    .fillColor(INK.muted)
    .text(`${t.pdf.draft} ${doc.version} · ${formatTimestamp(doc.computedAt, lang)}`, corner.x, MARGIN.top + 4, { width: corner.width, align: corner.align });
  pdf.font(FONT.bold).fontSize(9).fillColor(STATE_INK[status.state]).text(stateWords(status.state, lang), corner.x, MARGIN.top + 15, { width: corner.width, align: corner.align });
  pdf.font(FONT.regular).fontSize(10).fillColor(INK.text).text(contract.title, MARGIN.left, MARGIN.top + 28, { width: CONTENT_WIDTH });
  pdf.moveDown(0.6);
  const m = t.manifest;
  const approval =
    status.approvedAt === null
      ? []
      : [
          { label: m.approvedAt, value: formatTimestamp(status.approvedAt, lang) },
          { label: m.approvedBy, value: status.approvedBy ?? '?' },
        ];
  keyValues(pdf, [
    { label: m.municipality, value: `${contract.municipality.name} (${contract.municipality.code})` },
    { label: m.contract, value: contract.code },
    { label: m.grouping, value: `${grouping.code} – ${grouping.name}` },
    { label: m.period, value: `${period.code}: ${formatDate(period.startDate, lang)} – ${formatDate(period.endDate, lang)}` },
    { label: m.ruleSet, value: ruleSetDescription(doc, lang) },
    { label: m.indicatorSet, value: `${indicatorSet.version}` },
    { label: m.indicatorSetHash, value: indicatorSet.contentHash, mono: true },
    { label: m.documentHash, value: doc.manifest.documentHash, mono: true },
    { label: m.computedBy, value: doc.computedBy },
    { label: m.computedAt, value: formatTimestamp(doc.computedAt, lang) },
    { label: m.state, value: stateWithCode(status, lang) },
    ...approval,
    ...(doc.reopenReason === null ? [] : [{ label: m.reopenReason, value: doc.reopenReason }]),
  ]);
}

function summary(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const r = doc.result;
  heading(pdf, t.pdf.summary);
  figures(pdf, [
    { label: t.totals.atRisk, value: currency(r.atRisk, doc, lang) },
    { label: t.totals.premium, value: currency(r.premium, doc, lang) },
    { label: t.totals.payable, value: currency(r.payable, doc, lang), strong: true },
    { label: t.totals.withheld, value: currency(r.withheld, doc, lang) },
  ]);
  paragraph(
    pdf,
    `${t.totals.score}: ${formatOptional(r.score, lang)}  ·  ${t.totals.phase}: ${t.phase[r.phase]}  ·  ` +
      `${t.totals.rounding}: ${t.rounding[r.rounding.mode]}, ${formatDecimal(r.rounding.to, lang)} (${r.rounding.mode})`,
    { color: INK.muted },
  );
}

function lines(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const c = t.columns;
  heading(pdf, t.pdf.lines);
  const rows: TableRow[] = reportLines(doc, lang).map(({ line, measurementVersions, applied }) => {
    const note = [
      line.reason[lang],
      applied.length > 0 ? `${t.pdf.applied}: ${applied.join(', ')}` : null,
      measurementVersions.length > 0 ? `${t.pdf.measurements}: ${measurementVersions.map(shortVersion).join(', ')}` : null,
    ];
    return {
      cells: [
        termTitle(doc, line.termId, lang),
        formatOptional(line.baseline, lang),
        formatOptional(line.target, lang),
        formatOptional(line.actual, lang),
        formatOptional(line.achievement, lang),
        formatDecimal(line.payoutFactor, lang),
        formatOptional(line.effectiveWeight, lang),
        formatMoney(line.amount, lang),
        t.status[line.status],
      ],
      note: note.filter((n): n is string => n !== null).join('  ·  '),
    };
  });
  const right = 'right' as const;
  table(
    pdf,
    [
      { header: c.indicator, width: 165 },
      { header: c.baseline, width: 42, align: right },
      { header: c.target, width: 40, align: right },
      { header: t.pdf.cols.actual, width: 42, align: right },
      { header: t.pdf.cols.achievement, width: 44, align: right },
      { header: t.pdf.cols.payoutFactor, width: 36, align: right },
      { header: t.pdf.cols.effectiveWeight, width: 44, align: right },
      { header: t.pdf.cols.amount, width: 52, align: right },
      { header: c.status, width: 46.28 },
    ],
    rows,
  );
  paragraph(pdf, t.pdf.linesNote, { size: 7.2, color: INK.muted, font: FONT.italic });
}

/** "ETS-AURORA v2 7d2e0c55-..." -> "ETS-AURORA v2 (7d2e0c55)": the full ids are in the CSV and XLSX. */
function shortVersion(v: string): string {
  const [org, version, id] = v.split(' ');
  return `${org} ${version} (${id.slice(0, 8)})`;
}

function totals(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const r = doc.result;
  const row = (label: string, value: string | null, bold = false): TableRow => ({ cells: [label, currency(value, doc, lang)], bold });
  tableSection(
    pdf,
    t.pdf.totals,
    [
      { header: t.columns.key, width: CONTENT_WIDTH - 120 },
      { header: t.columns.amount, width: 120, align: 'right' },
    ],
    [
      row(t.totals.atRisk, r.atRisk),
      { cells: [t.totals.premiumExact, formatDecimal(r.rounding.exact, lang)] },
      row(`${t.totals.premium} (${t.rounding[r.rounding.mode]}, ${formatDecimal(r.rounding.to, lang)})`, r.premium),
      row(t.totals.payable, r.payable, true),
      row(t.totals.withheld, r.withheld),
    ],
  );
  if (r.adjustments.length === 0) {
    heading(pdf, t.pdf.adjustments);
    paragraph(pdf, t.pdf.noAdjustments, { color: INK.muted });
  } else {
    tableSection(
      pdf,
      t.pdf.adjustments,
      [
        { header: t.columns.item, width: CONTENT_WIDTH - 240 },
        { header: t.columns.amountBefore, width: 120, align: 'right' },
        { header: t.columns.amount, width: 120, align: 'right' },
      ],
      r.adjustments.map((a) => ({ cells: [t.adjustments[a.kind], currency(a.before, doc, lang), currency(a.after, doc, lang)], note: a.reason[lang] })),
    );
  }
}

function allocation(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const c = t.columns;
  const members = new Map(doc.inputs.grouping.members.map((m) => [m.code, m]));
  const rows: TableRow[] = doc.result.allocation.map((a) => ({
    cells: [`${a.name} (${a.memberId})`, members.get(a.memberId)?.lead ? t.lead : t.nonLead, formatDecimal(a.executionShare, lang), formatDecimal(a.exact, lang), currency(a.amount, doc, lang)],
  }));
  rows.push({ cells: [t.pdf.total, '', '', '', currency(doc.result.payable, doc, lang)], bold: true });
  tableSection(
    pdf,
    t.pdf.allocation,
    [
      { header: c.member, width: 241.28 },
      { header: c.role, width: 60 },
      { header: c.executionShare, width: 60, align: 'right' },
      { header: c.exact, width: 70, align: 'right' },
      { header: c.amount, width: 80, align: 'right' },
    ],
    rows,
  );
}

function evaluationPayments(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const payments = doc.result.evaluationPayments;
  if (payments.length === 0) return;
  const c = t.columns;
  tableSection(
    pdf,
    t.pdf.evaluationPayments,
    [
      { header: c.payer, width: 191.28 },
      { header: c.significant, width: 60 },
      { header: c.certifiedSavings, width: 80, align: 'right' },
      { header: c.share, width: 40, align: 'right' },
      { header: c.cap, width: 70, align: 'right' },
      { header: c.amount, width: 70, align: 'right' },
    ],
    payments.map((e) => ({
      cells: [
        `${e.label} (${e.payer})`,
        e.significant === null ? '–' : e.significant ? t.yes : t.no,
        currency(e.certifiedSavings, doc, lang),
        formatDecimal(e.share, lang),
        currency(e.cap, doc, lang),
        currency(e.amount, doc, lang),
      ],
      note: [e.reason[lang], ...(e.allocation.length > 0 ? [`${t.pdf.allocationShort}: ${e.allocation.map((a) => `${a.memberId} ${currency(a.amount, doc, lang)}`).join(', ')}`] : [])].join('  ·  '),
    })),
  );
}

function delta(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText, lang: ReportLang, previous: PreviousBasis | undefined): void {
  const d = doc.delta;
  if (d === null) return;
  const signed = (v: string) => (v.startsWith('-') || /^0(\.0*)?$/.test(v) ? '' : '+') + formatMoney(v, lang);
  const row = (label: string, x: { before: string; after: string; change: string }): TableRow => ({
    cells: [label, formatMoney(x.before, lang), formatMoney(x.after, lang), signed(x.change)],
  });
  const nameOf = new Map(doc.inputs.grouping.members.map((m) => [m.code, m.name]));
  tableSection(
    pdf,
    `${t.pdf.delta} (v${d.previousVersion})`,
    [
      { header: t.columns.item, width: CONTENT_WIDTH - 270 },
      { header: t.pdf.before, width: 90, align: 'right' },
      { header: t.pdf.after, width: 90, align: 'right' },
      { header: t.pdf.change, width: 90, align: 'right' },
    ],
    [
      row(t.totals.premium, d.premium),
      row(t.totals.payable, d.payable),
      ...d.lines.map((l) => row(termTitle(doc, l.termId, lang), l)),
      ...d.allocation.map((a) => row(`${nameOf.get(a.member) ?? a.member} (${a.member})`, a)),
    ],
  );
  if (previous !== undefined) {
    const before = { version: previous.indicatorSetVersion, rulesHash: previous.ruleSetHash };
    const after = { version: doc.inputs.indicatorSet.version, rulesHash: doc.manifest.ruleSetHash };
    paragraph(pdf, t.pdf.deltaBasis(before, after), { size: 7.5, color: INK.muted });
  }
}

/** Each gate, guardrail and milestone the settlement evaluated, with its comparisons as the document records them. */
function conditions(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText, lang: ReportLang): void {
  const list = doc.result.conditions;
  if (list.length === 0) return;
  heading(pdf, t.pdf.conditions);
  paragraph(pdf, t.pdf.conditionsNote, { size: 7.5, color: INK.muted });
  for (const c of list) {
    ensureSpace(pdf, 30);
    pdf.moveDown(0.4);
    paragraph(pdf, `${t.pdf.conditionKinds[c.kind]} ${c.id} – ${c.label}: ${c.holds ? t.pdf.holds : t.pdf.fails}`, { font: FONT.bold });
    paragraph(pdf, c.trace.map((entry) => conditionTraceText(entry, lang)).join('\n'), { font: FONT.mono, size: 7, color: INK.muted });
  }
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (m === null) throw new Error('chart SVG without a size');
  return { width: Number(m[1]), height: Number(m[2]) };
}

async function charts(pdf: PDFKit.PDFDocument, history: IndicatorHistory[], t: ReportText, lang: ReportLang): Promise<void> {
  if (history.length === 0) return;
  const svgs = await Promise.all(history.map((h) => renderIndicatorChartSvg(h, lang)));
  heading(pdf, t.pdf.charts, 200);
  paragraph(pdf, t.pdf.chartNote, { size: 7.5, color: INK.muted });
  pdf.moveDown(0.4);
  const gap = 14;
  const w = (CONTENT_WIDTH - gap) / 2;
  for (let i = 0; i < svgs.length; i += 2) {
    const pair = svgs.slice(i, i + 2).map((svg, k) => ({ svg, h: history[i + k], size: svgSize(svg) }));
    const chartHeight = Math.max(...pair.map((p) => (w * p.size.height) / p.size.width));
    ensureSpace(pdf, chartHeight + 34);
    const y = pdf.y;
    pair.forEach((p, k) => {
      const x = MARGIN.left + k * (w + gap);
      pdf.font(FONT.bold).fontSize(8.5).fillColor(INK.text).text(p.h.code, x, y, { width: w, lineBreak: false });
      pdf.font(FONT.regular).fontSize(7.5).fillColor(INK.muted).text(p.h.label, x, y + 11, { width: w, height: 18, ellipsis: true });
      // svg-to-pdfkit draws at the SVG's own size (in points with assumePt): scale it to the column.
      const scale = w / p.size.width;
      pdf.save().translate(x, y + 30).scale(scale);
      SVGtoPDF(pdf, p.svg, 0, 0, { width: p.size.width, height: p.size.height, assumePt: true });
      pdf.restore();
    });
    pdf.x = MARGIN.left;
    pdf.y = y + 30 + chartHeight + 10;
  }
}

function integrity(pdf: PDFKit.PDFDocument, doc: SettlementDocument, t: ReportText): void {
  const m = t.manifest;
  heading(pdf, t.pdf.hashes, 190);
  keyValues(pdf, [
    { label: m.id, value: `${doc.id} (v${doc.version}, ${doc.format})` },
    { label: m.algorithm, value: `${doc.manifest.algorithm}, ${m.canonicalization} ${doc.manifest.canonicalization}` },
    { label: m.documentHash, value: doc.manifest.documentHash, mono: true },
    { label: m.inputsHash, value: doc.manifest.inputsHash, mono: true },
    { label: m.ruleSetHash, value: doc.manifest.ruleSetHash, mono: true },
    { label: m.resultHash, value: doc.manifest.resultHash, mono: true },
    { label: m.indicatorSetHash, value: doc.inputs.indicatorSet.contentHash, mono: true },
    { label: m.verify, value: t.verify.how(doc.id) },
  ]);
}

/** The PDF bytes; the same document, state, language and history give the same bytes. */
export async function renderSettlementPdf(doc: SettlementDocument, options: SettlementPdfOptions): Promise<Buffer> {
  const lang = options.lang ?? 'it';
  const { status } = options;
  const t = REPORT_TEXT[lang];
  const at = new Date(doc.computedAt);
  const { contract, grouping, period } = doc.inputs;
  const pdf = printableText(new PDFDocument({
    size: [A4.width, A4.height],
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: lang === 'it' ? 'it-IT' : 'en-GB',
    displayTitle: true,
    info: {
      // The title bar of a viewer shows it (displayTitle), so the state is in it.
      Title: `${t.pdf.title} – ${contract.code} ${grouping.code} ${period.code} v${doc.version} (${stateWords(status.state, lang)})`,
      Author: contract.municipality.name,
      Subject: `${contract.title} – ${grouping.name}`,
      Keywords: `sha256:${doc.manifest.documentHash}`,
      Creator: 'Ancora',
      Producer: 'Ancora (PDFKit)',
      CreationDate: at,
      ModDate: at,
    },
  }));
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  header(pdf, doc, status, t, lang);
  summary(pdf, doc, t, lang);
  lines(pdf, doc, t, lang);
  totals(pdf, doc, t, lang);
  allocation(pdf, doc, t, lang);
  evaluationPayments(pdf, doc, t, lang);
  conditions(pdf, doc, t, lang);
  delta(pdf, doc, t, lang, options.previous);
  await charts(pdf, options.history ?? historyFromDocument(doc, lang), t, lang);
  integrity(pdf, doc, t);
  const mark = status.state === 'APPROVED' ? null : status.state === 'DRAFT' ? DRAFT_MARK : supersededMark(status);
  footers(pdf, [...t.verify.footer(doc.manifest.documentHash, doc.id), `v${doc.version} · ${statusSentence(status, lang)}`], t.verify.page, mark);
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}
