import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderSettlementPdf } from 'src/reports/settlement-pdf';
import { FIXTURE_APPROVER, fixtureStatus, padovaCaseADocument, padovaHistory, padovaReopenedDocument } from 'src/reports/testing/settlement-document.fixture';

// Padova Case A as the printable report: reproducible bytes, and what a reader sees on the rendered pages
// (text and PNGs through mupdf, run by scripts/pdf-pages.mjs because mupdf is ESM-only).

interface RenderedPage {
  page: number;
  width: number;
  height: number;
  png: string;
  pngBytes: number;
  text: string;
}

const SCRIPT = resolve(__dirname, '../../scripts/pdf-pages.mjs');

function pages(pdf: Buffer, dir: string, name: string): RenderedPage[] {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const out = execFileSync(process.execPath, [SCRIPT, file, join(dir, name)], { encoding: 'utf8', timeout: 60_000 });
  return (JSON.parse(out) as { pages: RenderedPage[] }).pages;
}

function atClock(iso: string): void {
  jest.useFakeTimers({ now: new Date(iso), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
}

const draft = fixtureStatus('DRAFT');

describe('Settlement PDF: a reproducible A4 report in Italian (English by choice) with vector charts', () => {
  const doc = padovaCaseADocument();
  let dir: string;
  let italian: Buffer;
  let english: Buffer;
  let italianPages: RenderedPage[];
  let englishPages: RenderedPage[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ancora-pdf-'));
    italian = await renderSettlementPdf(doc, { status: draft, history: padovaHistory('it') });
    english = await renderSettlementPdf(doc, { status: draft, lang: 'en', history: padovaHistory('en') });
    italianPages = pages(italian, dir, 'it');
    englishPages = pages(english, dir, 'en');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => jest.useRealTimers());

  it('gives the same bytes on every render, whatever the clock, and different bytes per language', async () => {
    atClock('2031-03-04T05:06:07.000Z');
    const again = await renderSettlementPdf(doc, { status: draft, lang: 'it', history: padovaHistory('it') });
    jest.useRealTimers();
    expect(again.equals(italian)).toBe(true);
    expect(english.equals(italian)).toBe(false);
    const raw = italian.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    // CreationDate and ModDate (indirect objects in the info dictionary): computedAt, no other date.
    expect(raw.match(/\(D:\d{14}Z\)/g)).toEqual(['(D:20260720093000Z)', '(D:20260720093000Z)']);
    expect(raw).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
    // Standard Helvetica, no embedded font file; charts drawn as paths, not pictures.
    expect(raw).toContain('/BaseFont /Helvetica');
    expect(raw).not.toContain('/FontFile');
    expect(raw).not.toContain('/Subtype /Image');
  });

  it('reads, in Italian, the contract, the premium 18.960,00, the allocation and accented words', () => {
    const text = italianPages.map((p) => p.text).join('\n');
    expect(text).toContain('Rendiconto della liquidazione');
    expect(text).toContain('PD-SDC-2.0');
    expect(text).toContain('Comune di Padova (C-PADOVA)');
    expect(text).toContain('RTI-A – RTI A – Quartieri Centro, Nord, Est');
    expect(text).toContain('Y2: 01/07/2025 – 30/06/2026');
    expect(text).toContain('PD-SDC-R1, versione 3 del set di indicatori');
    expect(text).toContain('18.960,00 €');
    expect(text).toContain('13.040,00 €');
    expect(text).toContain('9.480,00 €');
    expect(text).toContain('«Sviluppo di Comunità 2.0»');
    expect(text).toContain('Integrità e verifica');
    // Why the gate let the term pay: the condition and every comparison with the value it read.
    expect(text).toContain('Condizioni valutate (condizioni di pagamento, salvaguardie, traguardo)');
    expect(text).toContain('Condizione di pagamento G-UNDER60 – UNDER60 share >= 0.15: rispettata');
    // The trace in Italian words, the value read and the literal exactly as the document stores them.
    expect(text).toContain('tutte e 1: vero\nIND-03.TARGET_GROUP.UNDER60.share 0.2 >= 0.15: vero');
    expect(text).not.toContain('0.15 is true');
    expect(text).toContain('non pagato: raggiungimento 0,4 sotto la soglia 0,5');
    expect(text).not.toContain('18,960.00');
  });

  it('draws each indicator chart with its labels as vector text (IND-03 actual 1.210, legend Rilevato)', () => {
    const text = italianPages.map((p) => p.text).join('\n');
    expect(text).toContain('Andamento degli indicatori');
    for (const code of ['IND-01', 'IND-02', 'IND-03', 'IND-04', 'IND-05']) expect(text).toContain(code);
    expect(text).toContain('1.210');
    expect(text).toContain('Rilevato');
    expect(text).toContain('Baseline');
  });

  it('puts how to verify in the footer of every page, with the page number', () => {
    const rendered = italianPages;
    expect(rendered.length).toBeGreaterThanOrEqual(2);
    rendered.forEach((p, i) => {
      expect(p.text).toContain(`Verifica: hash SHA-256 del documento ${doc.manifest.documentHash}`);
      expect(p.text).toContain(`npm run cli -- settlements:verify ${doc.id}`);
      expect(p.text).toContain(`GET /api/v1/settlements/${doc.id}/verify`);
      expect(p.text).toContain(`Pagina ${i + 1} di ${rendered.length}`);
    });
  });

  it('reads, in English, 18,960.00 and English headings', () => {
    const rendered = englishPages;
    const text = rendered.map((p) => p.text).join('\n');
    expect(text).toContain('Settlement report');
    expect(text).toContain('€18,960.00');
    expect(text).toContain('not paid: achievement 0.4 below threshold 0.5');
    expect(text).toContain('all of 1 is true\nIND-03.TARGET_GROUP.UNDER60.share 0.2 >= 0.15 is true');
    expect(text).toContain('Indicators across periods');
    expect(text).toContain(`Page 1 of ${rendered.length}`);
    expect(text).not.toContain('18.960,00');
  });

  it('prints a rounded number of a reason as ~0,9203 (the standard fonts have no ≈) and measures the line as printed', async () => {
    const rounded = padovaCaseADocument();
    rounded.result.lines[0].reason.it = 'pagato: raggiungimento ≈0,9203 >= soglia 0,5';
    const text = pages(await renderSettlementPdf(rounded, { status: draft }), dir, 'rounded')
      .map((p) => p.text)
      .join('\n');
    expect(text).toContain('pagato: raggiungimento ~0,9203 >= soglia 0,5');
    expect(text).not.toContain('"H');
  });

  it('renders every page to a non-trivial A4 PNG', () => {
    for (const p of [...italianPages, ...englishPages]) {
      expect([p.width, p.height]).toEqual([595, 842]);
      expect(existsSync(p.png)).toBe(true);
      const png = readFileSync(p.png);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      // IHDR: 2x scale of A4 in points.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1191, 1684]);
      expect(p.pngBytes).toBe(png.length);
      expect(png.length).toBeGreaterThan(40_000);
    }
  });

  it('charts this period alone when no history is given', async () => {
    const single = await renderSettlementPdf(doc, { status: draft, lang: 'en' });
    const text = pages(single, dir, 'single').map((p) => p.text).join('\n');
    expect(text).toContain('Indicators across periods');
    expect(text).toContain('1,210');
    expect(single.equals(english)).toBe(false);
  });

  it('shows a reopened version: the reason, the grouping cap, the evaluation payment and the changes from v1', async () => {
    const v2 = await renderSettlementPdf(padovaReopenedDocument(), { status: draft });
    const text = pages(v2, dir, 'v2').map((p) => p.text).join('\n');
    expect(text).toContain('Motivo della riapertura');
    expect(text).toContain('Rettifica della misurazione IND-05 di ETS-AURORA (verbale del 02/09/2026)');
    expect(text).toContain('Tetto del raggruppamento');
    expect(text).toContain('23.440,00 €');
    expect(text).toContain('Pagamenti legati alla valutazione (fuori dal premio)');
    expect(text).toContain('Ripartizione: ETS-AURORA 4.000,00 €, ETS-BORGO-VIVO 2.400,00 €, ETS-CICLAMINO 1.600,00 €');
    expect(text).toContain('Variazioni rispetto alla versione precedente (v1)');
    expect(text).toContain('+1.040,00');
    expect(text).toContain('T5 · IND-05 · Quota di residenti over60');
    // The lines table names terms the same way, so two terms on one indicator can be told apart.
    expect(text).toContain('T1 · IND-01 · ');
    expect(text).not.toContain('Basi di calcolo');
  });

  it("says what both versions were computed on when it is given the replaced version's basis", async () => {
    const doc = padovaReopenedDocument();
    const previous = { indicatorSetVersion: doc.inputs.indicatorSet.version - 1, ruleSetHash: '0'.repeat(64) };
    const text = pages(await renderSettlementPdf(doc, { status: draft, previous }), dir, 'v2-basis').map((p) => p.text).join('\n');
    expect(text).toContain(`Basi di calcolo: set di indicatori v${previous.indicatorSetVersion}, ora v${doc.inputs.indicatorSet.version}; regole di pagamento cambiate`);
  });

  it('marks every page of a draft "BOZZA — non approvata / DRAFT — not approved", in both languages whatever the report\'s', () => {
    for (const rendered of [italianPages, englishPages]) {
      for (const p of rendered) {
        expect(p.text).toContain('BOZZA — non approvata\n\nDRAFT — not approved');
      }
    }
    italianPages.forEach((p) => expect(p.text).toContain('v1 · BOZZA — non approvata\n'));
    englishPages.forEach((p) => expect(p.text).toContain('v1 · DRAFT — not approved\n'));
    const header = italianPages[0].text;
    expect(header).toContain('Stato\nBOZZA — non approvata (DRAFT)');
    expect(header).toContain('Calcolata il\n20/07/2026 09:30 UTC');
    expect(header).not.toContain('Approvata il');
  });

  it('says on its header and on every page when and by whom an approved settlement was approved, without the draft mark', async () => {
    const approved = await renderSettlementPdf(doc, { status: fixtureStatus('APPROVED'), history: padovaHistory('it') });
    expect(approved.equals(italian)).toBe(false);
    atClock('2031-03-04T05:06:07.000Z');
    const again = await renderSettlementPdf(doc, { status: fixtureStatus('APPROVED'), history: padovaHistory('it') });
    jest.useRealTimers();
    expect(again.equals(approved)).toBe(true);
    const rendered = pages(approved, dir, 'approved');
    const text = rendered.map((p) => p.text).join('\n');
    expect(text).toContain(`Stato\nAPPROVATA (APPROVED)\nApprovata il\n22/07/2026 08:15 UTC\nApprovata da\n${FIXTURE_APPROVER}`);
    rendered.forEach((p) => expect(p.text).toContain(`v1 · APPROVATA il 22/07/2026 08:15 UTC da ${FIXTURE_APPROVER}`));
    expect(text).not.toContain('BOZZA');
    expect(text).not.toContain('DRAFT');
    // The figures and the hashes are the draft's: the state is not part of the document.
    expect(text).toContain('18.960,00 €');
    expect(text).toContain(`Verifica: hash SHA-256 del documento ${doc.manifest.documentHash}`);
  }, 30_000);

  it('marks every page of a superseded settlement with the version that replaced it', async () => {
    const rendered = pages(await renderSettlementPdf(doc, { lang: 'en', status: fixtureStatus('SUPERSEDED') }), dir, 'superseded');
    expect(rendered[0].text).toContain('State\nSUPERSEDED by version 2\nApproved at\n2026-07-22 08:15 UTC');
    for (const p of rendered) {
      expect(p.text).toContain('SOSTITUITA dalla v2\n\nSUPERSEDED by v2');
      expect(p.text).toContain(`v1 · SUPERSEDED by version 2 (approved on 2026-07-22 08:15 UTC by ${FIXTURE_APPROVER})`);
    }
    expect(rendered.map((p) => p.text).join('\n')).not.toContain('not approved');
  }, 30_000);
});
