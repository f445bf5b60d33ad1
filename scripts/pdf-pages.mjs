#!/usr/bin/env node
// Renders every page of a PDF to PNG and prints each page's text, to check a report by eye or in a test
// (docs/reports.md). mupdf is ESM-only, hence a plain Node script that Jest spawns rather than imports.
//
//   node scripts/pdf-pages.mjs report.pdf out/        -> out/page-1.png, out/page-2.png, ...
//   stdout: {"pages":[{"page":1,"width":595,"height":842,"png":"out/page-1.png","pngBytes":123456,"text":"..."}]}
//
// Options: --scale <n> (default 2, i.e. 144 dpi).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as mupdf from 'mupdf';

function usage(message) {
  process.stderr.write(`${message}\nusage: node scripts/pdf-pages.mjs <file.pdf> <outdir> [--scale <n>]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? Number(args.splice(scaleAt, 2)[1]) : 2;
if (!(scale > 0)) usage('--scale must be a positive number');
const [file, outdir] = args;
if (file === undefined || outdir === undefined) usage('missing arguments');

mkdirSync(outdir, { recursive: true });
const document = mupdf.Document.openDocument(readFileSync(file), 'application/pdf');
const pages = [];
for (let i = 0; i < document.countPages(); i++) {
  const page = document.loadPage(i);
  const [x0, y0, x1, y1] = page.getBounds();
  const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
  const png = pixmap.asPNG();
  const path = join(outdir, `page-${i + 1}.png`);
  writeFileSync(path, png);
  const text = page.toStructuredText('preserve-whitespace').asText();
  pages.push({ page: i + 1, width: Math.round(x1 - x0), height: Math.round(y1 - y0), png: path, pngBytes: png.length, text });
}
process.stdout.write(`${JSON.stringify({ pages })}\n`);
