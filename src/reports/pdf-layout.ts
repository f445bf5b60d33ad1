// Drawing helpers for the PDF report on A4 with the standard Helvetica fonts (WinAnsi: à è é ì ò ù €
// print without embedding a font file): headings, key-value blocks, tables that break across pages and
// repeat their header. Positions are in PDF points; all text is already formatted by the caller.

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = { left: 42, right: 42, top: 42, bottom: 64 };
export const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;

export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', mono: 'Courier' };
export const INK = { text: '#1A1A1A', muted: '#5F6B76', accent: '#1F4E79', rule: '#C9D3DD', band: '#E8EEF4', zebra: '#F6F8FA' };

type Doc = PDFKit.PDFDocument;

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

export interface TableRow {
  cells: string[];
  /** A full-width line under the row (a reason), in a smaller grey font. */
  note?: string;
  bold?: boolean;
}

const PAD = 3;

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page when fewer than `height` points are left. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

/** A section title, kept on the same page as the first `keepWith` points of what follows. */
export function heading(doc: Doc, text: string, keepWith = 40): void {
  ensureSpace(doc, 36 + Math.min(keepWith, 420));
  doc.moveDown(0.8);
  const y = doc.y;
  doc.font(FONT.bold).fontSize(11).fillColor(INK.accent).text(text, MARGIN.left, y, { width: CONTENT_WIDTH });
  const after = doc.y + 2;
  doc.moveTo(MARGIN.left, after).lineTo(MARGIN.left + CONTENT_WIDTH, after).lineWidth(0.6).strokeColor(INK.accent).stroke();
  doc.x = MARGIN.left;
  doc.y = after + 5;
}

export function paragraph(doc: Doc, text: string, options: { size?: number; color?: string; font?: string } = {}): void {
  doc
    .font(options.font ?? FONT.regular)
    .fontSize(options.size ?? 8.5)
    .fillColor(options.color ?? INK.text)
    .text(text, MARGIN.left, doc.y, { width: CONTENT_WIDTH });
  doc.x = MARGIN.left;
}

/** Label / value pairs in two columns of pairs; `mono` values (hashes) in Courier. */
export function keyValues(doc: Doc, pairs: { label: string; value: string; mono?: boolean }[], labelWidth = 150): void {
  for (const p of pairs) {
    const valueWidth = CONTENT_WIDTH - labelWidth;
    doc.font(p.mono ? FONT.mono : FONT.regular).fontSize(p.mono ? 7.5 : 8.5);
    const h = Math.max(doc.heightOfString(p.value, { width: valueWidth }), 10) + 2.5;
    ensureSpace(doc, h);
    const y = doc.y;
    doc.font(FONT.bold).fontSize(8.5).fillColor(INK.muted).text(p.label, MARGIN.left, y, { width: labelWidth - 6 });
    doc
      .font(p.mono ? FONT.mono : FONT.regular)
      .fontSize(p.mono ? 7.5 : 8.5)
      .fillColor(INK.text)
      .text(p.value, MARGIN.left + labelWidth, y + (p.mono ? 1 : 0), { width: valueWidth });
    doc.y = y + h;
  }
  doc.x = MARGIN.left;
}

function rowHeight(doc: Doc, columns: Column[], cells: string[], font: string, size: number): number {
  doc.font(font).fontSize(size);
  return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i].width - 2 * PAD }))) + 2 * PAD;
}

function drawCells(doc: Doc, columns: Column[], cells: string[], y: number, font: string, size: number, color: string): void {
  let x = MARGIN.left;
  doc.font(font).fontSize(size).fillColor(color);
  cells.forEach((c, i) => {
    doc.text(c, x + PAD, y + PAD, { width: columns[i].width - 2 * PAD, align: columns[i].align ?? 'left' });
    x += columns[i].width;
  });
}

function drawHeader(doc: Doc, columns: Column[]): void {
  const headers = columns.map((c) => c.header);
  const h = rowHeight(doc, columns, headers, FONT.bold, 7.5);
  const y = doc.y;
  doc.rect(MARGIN.left, y, CONTENT_WIDTH, h).fill(INK.band);
  drawCells(doc, columns, headers, y, FONT.bold, 7.5, INK.accent);
  doc.y = y + h;
}

/** The height `table` will take for these rows (for keeping a short table with its heading). */
export function tableHeight(doc: Doc, columns: Column[], rows: TableRow[]): number {
  const head = rowHeight(doc, columns, columns.map((c) => c.header), FONT.bold, 7.5);
  return rows.reduce((sum, row) => {
    const h = rowHeight(doc, columns, row.cells, row.bold ? FONT.bold : FONT.regular, 8);
    doc.font(FONT.italic).fontSize(7.2);
    const note = row.note === undefined ? 0 : doc.heightOfString(row.note, { width: CONTENT_WIDTH - 2 * PAD - 10 }) + PAD;
    return sum + h + note;
  }, head);
}

/** A table with a repeated header, zebra rows and optional full-width notes under rows. */
export function table(doc: Doc, columns: Column[], rows: TableRow[]): void {
  ensureSpace(doc, 40);
  drawHeader(doc, columns);
  rows.forEach((row, index) => {
    const font = row.bold ? FONT.bold : FONT.regular;
    const h = rowHeight(doc, columns, row.cells, font, 8);
    doc.font(FONT.italic).fontSize(7.2);
    const noteHeight = row.note === undefined ? 0 : doc.heightOfString(row.note, { width: CONTENT_WIDTH - 2 * PAD - 10 }) + PAD;
    if (doc.y + h + noteHeight > bottom(doc)) {
      doc.addPage();
      drawHeader(doc, columns);
    }
    const y = doc.y;
    if (index % 2 === 1) doc.rect(MARGIN.left, y, CONTENT_WIDTH, h + noteHeight).fill(INK.zebra);
    drawCells(doc, columns, row.cells, y, font, 8, INK.text);
    if (row.note !== undefined) {
      doc.font(FONT.italic).fontSize(7.2).fillColor(INK.muted).text(row.note, MARGIN.left + PAD + 10, y + h - PAD + 1, { width: CONTENT_WIDTH - 2 * PAD - 10 });
    }
    const end = y + h + noteHeight;
    doc.moveTo(MARGIN.left, end).lineTo(MARGIN.left + CONTENT_WIDTH, end).lineWidth(0.4).strokeColor(INK.rule).stroke();
    doc.y = end;
  });
  doc.x = MARGIN.left;
  doc.moveDown(0.3);
}

/** A heading and its table, kept together when the table fits on one page. */
export function tableSection(doc: Doc, title: string, columns: Column[], rows: TableRow[]): void {
  heading(doc, title, tableHeight(doc, columns, rows));
  table(doc, columns, rows);
}

/** Key figures as boxes in one row: label above, amount below. */
export function figures(doc: Doc, items: { label: string; value: string; strong?: boolean }[]): void {
  const gap = 8;
  const w = (CONTENT_WIDTH - gap * (items.length - 1)) / items.length;
  const h = 40;
  ensureSpace(doc, h + 6);
  const y = doc.y;
  items.forEach((item, i) => {
    const x = MARGIN.left + i * (w + gap);
    doc.roundedRect(x, y, w, h, 3).lineWidth(0.6).fillAndStroke(item.strong ? INK.band : '#FFFFFF', INK.rule);
    doc.font(FONT.regular).fontSize(7.5).fillColor(INK.muted).text(item.label, x + 7, y + 6, { width: w - 14, lineBreak: false });
    doc.font(FONT.bold).fontSize(12.5).fillColor(item.strong ? INK.accent : INK.text).text(item.value, x + 7, y + 19, { width: w - 14, lineBreak: false });
  });
  doc.x = MARGIN.left;
  doc.y = y + h + 6;
}

/**
 * Writes the footer on every buffered page: three lines (verification, recomputation, the settlement's
 * state) and the page number; with a `mark` (a draft's "BOZZA — non approvata / DRAFT — not approved"), also
 * that mark across the page, one line per " / " part, large, diagonal and translucent so the page stays legible.
 */
export function footers(doc: Doc, lines: [string, string, string], page: (n: number, of: number) => string, mark: string | null = null): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make PDFKit open a new page.
    doc.page.margins.bottom = 0;
    if (mark !== null) watermark(doc, mark);
    const y = doc.page.height - 44;
    doc.moveTo(MARGIN.left, y - 5).lineTo(MARGIN.left + CONTENT_WIDTH, y - 5).lineWidth(0.4).strokeColor(INK.rule).stroke();
    doc.font(FONT.regular).fontSize(6.8).fillColor(INK.muted);
    doc.text(lines[0], MARGIN.left, y, { width: CONTENT_WIDTH - 70, lineBreak: false });
    doc.text(page(i - range.start + 1, range.count), MARGIN.left + CONTENT_WIDTH - 70, y, { width: 70, align: 'right', lineBreak: false });
    doc.text(lines[1], MARGIN.left, y + 9, { width: CONTENT_WIDTH, lineBreak: false });
    // One line whatever its length (an approver's label can be long): cut with an ellipsis.
    doc.font(FONT.bold).fillColor(INK.text).text(lines[2], MARGIN.left, y + 18, { width: CONTENT_WIDTH, height: 9, ellipsis: true });
    doc.page.margins.bottom = MARGIN.bottom;
  }
}

const MARK_INK = '#B3261E';

function watermark(doc: Doc, mark: string): void {
  const parts = mark.split(' / ');
  const size = 40;
  const cx = doc.page.width / 2;
  const cy = doc.page.height / 2;
  const width = doc.page.height;
  doc.save();
  doc.rotate(-50, { origin: [cx, cy] });
  doc.font(FONT.bold).fontSize(size).fillColor(MARK_INK).fillOpacity(0.13);
  parts.forEach((part, k) => {
    const y = cy - (parts.length * size * 1.2) / 2 + k * size * 1.2;
    doc.text(part, cx - width / 2, y, { width, align: 'center', lineBreak: false });
  });
  doc.restore();
}
