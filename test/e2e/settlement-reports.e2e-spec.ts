import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 5, "Done when": an auditor downloads every format of a Padova settlement (RTI-A, Y2, Case A: premium
// 18,960.00) as an attachment; the same settlement gives the same bytes every time; the Italian CSV opens
// with decimal commas; the PDF reads the contract and the premium and charts Y1 and Y2; an ETS of the other
// grouping cannot get it; bad query values are refused with the field named.

interface Download {
  status: number;
  headers: Record<string, unknown>;
  bytes: Buffer;
}

interface RenderedPage {
  page: number;
  width: number;
  height: number;
  png: string;
  pngBytes: number;
  text: string;
}

/** The text of the PDF's charts section ("Andamento degli indicatori" up to the integrity section). */
function chartSection(text: string): string {
  const start = text.indexOf('Andamento degli indicatori');
  const end = text.indexOf('Integrità e verifica');
  if (start < 0 || end < start) throw new Error('no charts section in the PDF');
  return text.slice(start, end);
}

const PDF_PAGES = resolve(__dirname, '../../scripts/pdf-pages.mjs');

/** RTI-A's Y1 (shadow year): the values that become the baselines. */
const PADOVA_Y1_A = {
  'IND-01': { value: '8.0' },
  'IND-02': { value: '0' },
  'IND-03': { value: '1100', disaggregations: { TARGET_GROUP: { OVER60: '900', UNDER60: '200' } } },
  'IND-04': { value: '74.0', sampleSize: 230 },
  'IND-05': { value: '5.0' },
  'IND-G1': { value: '11' },
};

describe('settlement reports: GET /api/v1/settlements/:id/report (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  let dir: string;
  let a: SettlementEntity;
  let b: SettlementEntity;

  async function download(id: string, query: string, as: string): Promise<Download> {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/settlements/${id}/report${query}`, headers: { 'x-api-key': as } });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
  }

  function pages(pdf: Buffer, name: string): RenderedPage[] {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    const out = execFileSync(process.execPath, [PDF_PAGES, file, join(dir, name)], { encoding: 'utf8', timeout: 60_000 });
    return (JSON.parse(out) as { pages: RenderedPage[] }).pages;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ancora-reports-'));
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y1', 'RTI-A', PADOVA_Y1_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
    for (const period of ['Y1', 'Y2']) {
      const res = await t.request('POST', `/api/v1/contracts/${fx.contractId}/periods/${fx.periodIds[period]}/settlements`, {}, { as: fx.manager.apiKey });
      if (res.status !== 201) throw new Error(`compute ${period} failed: ${res.status} ${res.text}`);
    }
    const repo = t.app.get(DataSource).getRepository(SettlementEntity);
    a = await repo.findOneByOrFail({ contractId: fx.contractId, periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-A'] });
    b = await repo.findOneByOrFail({ contractId: fx.contractId, periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-B'] });
  });

  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['', 'application/json', 'json'],
    ['?format=json', 'application/json', 'json'],
    ['?format=csv', 'text/csv; charset=utf-8', 'csv'],
    ['?format=csv&profile=intl&lang=en', 'text/csv; charset=utf-8', 'intl.en.csv'],
    ['?format=csv&profile=intl', 'text/csv; charset=utf-8', 'intl.csv'],
    ['?format=json&lang=en', 'application/json', 'json'],
    ['?format=xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['?format=pdf', 'application/pdf', 'pdf'],
    ['?format=pdf&lang=en', 'application/pdf', 'en.pdf'],
    ['?format=xlsx&lang=en', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'en.xlsx'],
  ])('%s downloads as an attachment (%s) and gives the same bytes the second time', async (query, contentType, extension) => {
    const first = await download(a.id, query, fx.auditor.apiKey);
    expect(first.status).toBe(200);
    const name = `settlement-PD-SDC-2.0-RTI-A-Y2-v1.${extension}`;
    expect(first.headers['content-type']).toBe(contentType);
    expect(first.headers['content-disposition']).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    expect(first.headers['content-length']).toBe(String(first.bytes.length));
    expect(first.bytes.length).toBeGreaterThan(1000);
    const second = await download(a.id, query, fx.manager.apiKey);
    expect(second.status).toBe(200);
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it('JSON is the stored canonical document itself, whose hash the manifest names', async () => {
    const res = await download(a.id, '?format=json', fx.auditor.apiKey);
    expect(res.bytes.toString('utf8')).toBe(a.document);
    expect((JSON.parse(a.document) as { manifest: { documentHash: string } }).manifest.documentHash).toBe(a.documentHash);
  });

  it('the Italian CSV opens with a BOM, semicolons and decimal commas; the international one with commas and points', async () => {
    const it = (await download(a.id, '?format=csv', fx.auditor.apiKey)).bytes;
    expect([...it.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const itLines = it.toString('utf8').slice(1).split('\r\n');
    expect(itLines[0]).toBe(`# ancora.settlement/3 id=${a.id} version=1 documentHash=${a.documentHash} state=DRAFT`);
    expect(itLines[1].split(';')[0]).toBe('record');
    const premium = itLines.find((l) => l.startsWith('TOTAL;PREMIUM;'));
    expect(premium?.split(';')).toContain('18960,00');
    expect(premium?.endsWith(`;${a.documentHash};1;DRAFT;${a.computedAt};${a.computedByLabel};;;`)).toBe(true);

    const intl = (await download(a.id, '?format=csv&profile=intl', fx.auditor.apiKey)).bytes;
    expect(intl[0]).toBe('#'.charCodeAt(0));
    const intlPremium = intl.toString('utf8').split('\r\n').find((l) => l.startsWith('TOTAL,PREMIUM,'));
    expect(intlPremium?.split(',')).toContain('18960.00');
  });

  it('the XLSX workbook has the manifest with the document hash and the premium as a number', async () => {
    const bytes = (await download(a.id, '?format=xlsx&lang=en', fx.auditor.apiKey)).bytes;
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Lines', 'Totals', 'Allocation', 'Inputs', 'Measurements', 'Manifest']);
    const cells = (sheet: string): unknown[] => {
      const values: unknown[] = [];
      workbook.getWorksheet(sheet)?.eachRow((row) => values.push(...(row.values as unknown[])));
      return values;
    };
    expect(cells('Manifest')).toContain(a.documentHash);
    expect(cells('Totals')).toContain(18960);
  });

  it('the PDF reads the contract and the premium and charts every indicator across Y1 and Y2', async () => {
    const pdf = (await download(a.id, '?format=pdf', fx.auditor.apiKey)).bytes;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const rendered = pages(pdf, 'rti-a-y2');
    const text = rendered.map((p) => p.text).join('\n');
    expect(text).toContain('Rendiconto della liquidazione');
    expect(text).toContain('PD-SDC-2.0');
    expect(text).toContain('18.960,00 €');
    expect(text).toContain(`Verifica: hash SHA-256 del documento ${a.documentHash}`);
    expect(text).toContain('Andamento degli indicatori');
    // One chart per indicator of the settlement (the guardrail IND-G1 included), each with Y1 and Y2 on its axis.
    const charts = chartSection(text);
    expect(charts.match(/^IND-[0-9G]+$/gm)).toEqual(['IND-01', 'IND-02', 'IND-03', 'IND-04', 'IND-05', 'IND-G1']);
    expect(charts.match(/^Y1\nY2$/gm)).toHaveLength(6);
    for (const p of rendered) {
      expect([p.width, p.height]).toEqual([595, 842]);
      const png = readFileSync(p.png);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(p.pngBytes).toBeGreaterThan(40_000);
    }
    const english = pages((await download(a.id, '?format=pdf&lang=en', fx.auditor.apiKey)).bytes, 'rti-a-y2-en').map((p) => p.text).join('\n');
    expect(english).toContain('€18,960.00');
    expect(english).toContain('Indicators across periods');
  });

  it('the Y1 PDF charts Y1 alone: later periods are not part of an earlier report', async () => {
    const y1 = await t.app.get(DataSource).getRepository(SettlementEntity).findOneByOrFail({ periodId: fx.periodIds.Y1, groupingId: fx.groupingIds['RTI-A'] });
    const text = pages((await download(y1.id, '?format=pdf', fx.auditor.apiKey)).bytes, 'rti-a-y1').map((p) => p.text).join('\n');
    const charts = chartSection(text);
    expect(charts.match(/^Y1·?$/gm)).toHaveLength(6);
    expect(charts).not.toContain('Y2');
  });

  it("an ETS lead reads its own grouping's report and gets 404 for the other grouping's", async () => {
    const own = await download(b.id, '?format=csv', fx.leads['RTI-B'].apiKey);
    expect(own.status).toBe(200);
    const other = await download(a.id, '?format=pdf', fx.leads['RTI-B'].apiKey);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.bytes.toString('utf8'))).toMatchObject({ code: 'SETTLEMENT_NOT_FOUND' });
    const unknown = await download('00000000-0000-4000-8000-000000000000', '', fx.auditor.apiKey);
    expect([unknown.status, (JSON.parse(unknown.bytes.toString('utf8')) as { code: string }).code]).toEqual([404, 'SETTLEMENT_NOT_FOUND']);
    const anonymous = await t.request('GET', `/api/v1/settlements/${a.id}/report`, undefined, { as: null });
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['?format=docx', 'format', 'isIn', 'format must be one of the following values: json, csv, xlsx, pdf'],
    ['?lang=fr', 'lang', 'isIn', 'lang must be one of the following values: it, en'],
    ['?format=csv&profile=us', 'profile', 'isIn', 'profile must be one of the following values: it, intl'],
    ['?color=red', 'color', 'whitelistValidation', 'color is not a known field'],
  ])('%s is refused with 400 naming %s', async (query, field, code, message) => {
    const res = await t.request('GET', `/api/v1/settlements/${a.id}/report${query}`, undefined, { as: fx.auditor.apiKey });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields).toEqual([{ field, code, message }]);
  });

  it('a DRAFT and an APPROVED download of one settlement differ and each says its state; a SUPERSEDED one names its successor; the JSON stays the document', async () => {
    // RTI-B, so the other tests' RTI-A stays as they expect it.
    const repo = t.app.get(DataSource).getRepository(SettlementEntity);
    const get = async (id: string, query: string): Promise<Buffer> => {
      const res = await download(id, query, fx.auditor.apiKey);
      expect(res.status).toBe(200);
      return res.bytes;
    };
    const csv = async (id: string): Promise<string[]> => (await get(id, '?format=csv&profile=intl&lang=en')).toString('utf8').split('\r\n');
    const totalsState = async (id: string): Promise<unknown> => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await get(id, '?format=xlsx&lang=en')) as unknown as ArrayBuffer);
      let state: unknown = null;
      workbook.getWorksheet('Totals')?.eachRow((row) => {
        if (row.getCell(1).value === 'State') state = row.getCell(2).value;
      });
      return state;
    };
    const pdfText = async (id: string, name: string): Promise<string[]> => pages(await get(id, '?format=pdf&lang=en'), name).map((p) => p.text);
    const formats = ['?format=csv', '?format=csv&profile=intl&lang=en', '?format=xlsx', '?format=pdf&lang=en', '?format=json'];

    const asDraft: Buffer[] = [];
    for (const f of formats) asDraft.push(await get(b.id, f));
    expect((await csv(b.id))[0]).toBe(`# ancora.settlement/3 id=${b.id} version=1 documentHash=${b.documentHash} state=DRAFT`);
    expect(await totalsState(b.id)).toBe('DRAFT — not approved');
    const draftPdf = await pdfText(b.id, 'rti-b-draft');
    for (const page of draftPdf) expect(page).toContain('BOZZA — non approvata\n\nDRAFT — not approved');

    const approved = await t.request('POST', `/api/v1/settlements/${b.id}/approve`, { documentHash: b.documentHash }, { as: fx.approver.apiKey });
    expect(approved.status).toBe(200);
    const row = await repo.findOneByOrFail({ id: b.id });
    expect([row.state, row.approvedByLabel, row.documentHash]).toEqual(['APPROVED', 'Dott. Luca Neri (approver)', b.documentHash]);
    const asApproved: Buffer[] = [];
    for (const f of formats) asApproved.push(await get(b.id, f));
    // Every rendering differs from the draft's; the JSON is the stored document, whose hash approval does not change.
    expect(formats.map((f, i) => [f, asApproved[i].equals(asDraft[i])])).toEqual(formats.map((f) => [f, f === '?format=json']));
    expect(asApproved[4].toString('utf8')).toBe(row.document);
    const lines = await csv(b.id);
    expect(lines[0]).toBe(`# ancora.settlement/3 id=${b.id} version=1 documentHash=${b.documentHash} state=APPROVED`);
    const tail = `,${b.documentHash},1,APPROVED,${b.computedAt},${b.computedByLabel},${row.approvedAt},Dott. Luca Neri (approver),`;
    expect(lines.filter((l) => /^[A-Z]+,/.test(l)).every((l) => l.endsWith(tail))).toBe(true);
    expect(await totalsState(b.id)).toBe(`APPROVED on ${row.approvedAt?.slice(0, 10)} ${row.approvedAt?.slice(11, 16)} UTC by Dott. Luca Neri (approver)`);
    const approvedPdf = await pdfText(b.id, 'rti-b-approved');
    for (const page of approvedPdf) expect(page).toContain(`v1 · APPROVED on ${row.approvedAt?.slice(0, 10)} ${row.approvedAt?.slice(11, 16)} UTC by Dott. Luca Neri (approver)`);
    expect(approvedPdf.join('\n')).not.toContain('not approved');

    // Reopened and the new version approved: version 1 is SUPERSEDED by version 2, and says so.
    const reopened = await t.request('POST', `/api/v1/settlements/${b.id}/reopen`, { reason: 'Verifica dei dati' }, { as: fx.secondApprover.apiKey });
    expect(reopened.status).toBe(201);
    const v2 = await t.request('POST', `/api/v1/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, { as: fx.approver.apiKey });
    expect(v2.status).toBe(200);
    expect((await repo.findOneByOrFail({ id: b.id })).state).toBe('SUPERSEDED');
    const superseded = await csv(b.id);
    expect(superseded[0]).toBe(`# ancora.settlement/3 id=${b.id} version=1 documentHash=${b.documentHash} state=SUPERSEDED`);
    expect(superseded.filter((l) => /^[A-Z]+,/.test(l)).every((l) => l.endsWith(`,${row.approvedAt},Dott. Luca Neri (approver),2`))).toBe(true);
    const supersededPdf = await pdfText(b.id, 'rti-b-superseded');
    for (const page of supersededPdf) expect(page).toContain('SOSTITUITA dalla v2\n\nSUPERSEDED by v2');
    expect((await get(b.id, '?format=json')).equals(asDraft[4])).toBe(true);
    // Three PDFs laid out and rendered, a dozen downloads: more than the default 5 s.
  }, 60_000);

  it("a reopened version's PDF names each changed line by its code and the indicator's label, not the code twice", async () => {
    const approved = await t.request('POST', `/api/v1/settlements/${a.id}/approve`, { documentHash: a.documentHash }, { as: fx.approver.apiKey });
    expect(approved.status).toBe(200);
    const reopened = await t.request('POST', `/api/v1/settlements/${a.id}/reopen`, { reason: 'Verifica dei dati' }, { as: fx.secondApprover.apiKey });
    expect(reopened.status).toBe(201);
    // Padova's terms have no id of their own: each line's termId is its indicator code.
    expect((reopened.body.document.delta.lines as { termId: string }[]).map((l) => l.termId)).toEqual(['IND-01', 'IND-02', 'IND-03', 'IND-04', 'IND-05']);
    const section = (text: string, from: string, to: string): string => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
    const italian = pages((await download(reopened.body.id, '?format=pdf', fx.auditor.apiKey)).bytes, 'rti-a-y2-v2')
      .map((p) => p.text)
      .join('\n');
    const delta = section(italian, 'Variazioni rispetto alla versione precedente (v1)', 'Andamento degli indicatori');
    expect(delta).toContain('IND-01 · Quota di risorse non pubbliche');
    expect(delta).toContain('IND-05 · Quota di residenti over60');
    expect(delta).not.toMatch(/IND-0\d · IND-0\d/);
    // What both versions were computed on: the same indicator set and rules, so the change is in the data.
    expect(delta).toContain('Basi di calcolo: set di indicatori v1, lo stesso; regole di pagamento invariate.');
    const english = pages((await download(reopened.body.id, '?format=pdf&lang=en', fx.auditor.apiKey)).bytes, 'rti-a-y2-v2-en')
      .map((p) => p.text)
      .join('\n');
    expect(section(english, 'Changes from the previous version (v1)', 'Indicators across periods')).toContain('IND-01 · Share of non-public resources');
  });

  it('a shadow line says NO_TARGET in its status, not among the gates and caps applied (CSV, XLSX, PDF)', async () => {
    const y1 = await t.app.get(DataSource).getRepository(SettlementEntity).findOneByOrFail({ periodId: fx.periodIds.Y1, groupingId: fx.groupingIds['RTI-A'] });
    // The document keeps what the calculator wrote (it is hashed); the reports show it as the line's status.
    const lines = (JSON.parse(y1.document) as { result: { lines: { status: string; applied: string[] }[] } }).result.lines;
    expect(lines.map((l) => [l.status, l.applied])).toEqual(Array(5).fill(['NO_TARGET', ['NO_TARGET']]));

    const csv = (await download(y1.id, '?format=csv&profile=intl&lang=en', fx.auditor.apiKey)).bytes.toString('utf8').split('\r\n');
    // RFC 4180 fields: labels and reasons with commas are quoted (enough to find the columns; doubled quotes are dropped).
    const fields = (line: string): string[] => {
      const out = [''];
      let quoted = false;
      for (const ch of line) {
        if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) out.push('');
        else out[out.length - 1] += ch;
      }
      return out;
    };
    const header = fields(csv[1]);
    const rows = csv.filter((l) => l.startsWith('LINE,')).map(fields);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => [r[header.indexOf('gates and caps applied')], r[header.indexOf('status')]])).toEqual(Array(5).fill(['', 'NO_TARGET']));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(y1.id, '?format=xlsx&lang=en', fx.auditor.apiKey)).bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Lines');
    const headers = sheet?.getRow(1).values as unknown[];
    const cell = (row: number, name: string): unknown => sheet?.getRow(row).getCell(headers.indexOf(name)).value ?? null;
    expect([2, 3, 4, 5, 6].map((r) => [cell(r, 'gates and caps applied'), cell(r, 'status')])).toEqual(Array(5).fill([null, 'NO_TARGET']));

    const pdf = pages((await download(y1.id, '?format=pdf&lang=en', fx.auditor.apiKey)).bytes, 'rti-a-y1-en').map((p) => p.text).join('\n');
    expect(pdf).toContain('no target');
    expect(pdf).not.toContain('NO_TARGET');
    // Why the shadow year paid its milestone: the condition and each comparison it made.
    expect(pdf).toContain('Milestone milestone – complete baseline dataset for IND-01..05: holds');
    expect(pdf).toContain('all of 5 is true');
    expect(pdf).toContain('IND-05.accepted 1 = 1 is true');
  });

  it('a malformed id is refused with 400', async () => {
    const res = await t.request('GET', '/api/v1/settlements/not-a-uuid/report', undefined, { as: fx.auditor.apiKey });
    expect(res.status).toBe(400);
  });
});
