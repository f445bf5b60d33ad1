import ExcelJS from 'exceljs';
import { printHeader, renderSettlementXlsx } from 'src/reports/settlement-xlsx';
import { FIXTURE_APPROVED_AT, FIXTURE_APPROVER, FIXTURE_COMPUTED_AT, fixtureStatus, padovaCaseADocument } from 'src/reports/testing/settlement-document.fixture';
import { dosDateTime, fixZipTimestamps, zipEntryTimestamps } from 'src/reports/zip-timestamps';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// Padova Case A as a workbook, read back with exceljs as a spreadsheet would read it.

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer; at run time it takes a Node Buffer.
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (ws === undefined) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Only Date is faked: JSZip and exceljs stamp their output with `new Date()`. */
function atClock(iso: string): void {
  jest.useFakeTimers({ now: new Date(iso), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
}

const draft = fixtureStatus('DRAFT');

/** Column A -> column B of a key/value sheet (Totals, Manifest). */
function keyValues(ws: ExcelJS.Worksheet): Map<string, ExcelJS.Cell> {
  const byKey = new Map<string, ExcelJS.Cell>();
  ws.eachRow((row) => byKey.set(row.getCell(1).text, row.getCell(2)));
  return byKey;
}

describe('Settlement XLSX: lines, totals, allocation, inputs, measurements and manifest sheets', () => {
  const doc = padovaCaseADocument();
  afterEach(() => jest.useRealTimers());

  it('has the six sheets, named in the report language', async () => {
    expect((await load(await renderSettlementXlsx(doc, { lang: 'it', status: draft }))).worksheets.map((w) => w.name)).toEqual([
      'Righe',
      'Totali',
      'Ripartizione',
      'Input',
      'Misurazioni',
      'Manifest',
    ]);
    expect((await load(await renderSettlementXlsx(doc, { lang: 'en', status: draft }))).worksheets.map((w) => w.name)).toEqual([
      'Lines',
      'Totals',
      'Allocation',
      'Inputs',
      'Measurements',
      'Manifest',
    ]);
  });

  it('stores decimals as numbers formatted as written, money with two decimals', async () => {
    const wb = await load(await renderSettlementXlsx(doc, { lang: 'en', status: draft }));
    const lines = sheet(wb, 'Lines');
    expect(lines.getRow(1).getCell(14).value).toBe('amount');
    const t1 = lines.getRow(2);
    expect([t1.getCell(1).value, t1.getCell(2).value, t1.getCell(6).value, t1.getCell(7).value, t1.getCell(8).value]).toEqual(['T1', 'IND-01', 8, 12, 11]);
    expect([t1.getCell(6).numFmt, t1.getCell(9).numFmt]).toEqual(['#,##0.0', '#,##0.00']);
    expect(t1.getCell(14).value).toBe(4800);
    expect(t1.getCell(14).numFmt).toBe('#,##0.00');
    expect(t1.getCell(16).value).toBe('paid: achievement 0.75 >= threshold 0.5, payout 0.75');
    // IND-04 has no baseline: the cell is empty, not 0.
    expect(lines.getRow(5).getCell(6).value).toBeNull();

    const totals = sheet(wb, 'Totals');
    const byLabel = new Map<string, ExcelJS.Cell>();
    totals.eachRow((row) => byLabel.set(row.getCell(1).text, row.getCell(2)));
    expect(byLabel.get('Payable')?.value).toBe(18960);
    expect(byLabel.get('Payable')?.numFmt).toBe('#,##0.00');
    expect(byLabel.get('Withheld')?.value).toBe(13040);
    expect(byLabel.get('Weighted score')?.value).toBe(0.5925);

    const allocation = sheet(wb, 'Allocation');
    expect([2, 3, 4, 5].map((r) => [allocation.getRow(r).getCell(1).value, allocation.getRow(r).getCell(6).value])).toEqual([
      ['ETS-AURORA', 9480],
      ['ETS-BORGO-VIVO', 5688],
      ['ETS-CICLAMINO', 3792],
      ['Total', 18960],
    ]);
    expect(allocation.getRow(2).getCell(3).value).toBe('lead (mandataria)');
  });

  it('lists the inputs with measurement versions, and the manifest with every hash and how to verify', async () => {
    const wb = await load(await renderSettlementXlsx(doc, { lang: 'en', status: draft }));
    const measurements = sheet(wb, 'Measurements');
    expect(measurements.getRow(6).values).toEqual([undefined, 'IND-03', 'ETS-BORGO-VIVO', '7d2e0c55-0000-4000-8000-000000000005', 3, 360, 'no']);
    const inputs = sheet(wb, 'Inputs');
    expect(inputs.getRow(4).getCell(13).value).toBe(
      'ETS-AURORA v1 7d2e0c55-0000-4000-8000-000000000004\nETS-BORGO-VIVO v3 7d2e0c55-0000-4000-8000-000000000005\nETS-CICLAMINO v1 7d2e0c55-0000-4000-8000-000000000006',
    );
    const manifest = new Map<string, unknown>();
    sheet(wb, 'Manifest').eachRow((row) => manifest.set(row.getCell(1).text, row.getCell(2).value));
    expect(manifest.get('Document hash')).toBe(doc.manifest.documentHash);
    expect(manifest.get('Inputs hash')).toBe(doc.manifest.inputsHash);
    expect(manifest.get('Payment rules')).toBe('PD-SDC-R1, indicator-set version 3');
    expect(manifest.get('How to verify')).toContain(`npm run cli -- settlements:verify ${doc.id}`);
  });

  it('neutralises formula-like text, keeps negative decimals as numbers and notes the exact value beyond 15 digits', async () => {
    const hostile: SettlementDocument = structuredClone(doc);
    hostile.inputs.indicators[0].labelEn = '=HYPERLINK("http://evil.example","click")';
    hostile.result.lines[0].reason.en = '+cmd|calc';
    hostile.result.lines[0].baseline = '-0.5';
    hostile.result.lines[1].amount = '4800.1234567890123456';
    const bytes = await renderSettlementXlsx(hostile, { lang: 'en', status: draft });
    expect((await renderSettlementXlsx(hostile, { lang: 'en', status: draft })).equals(bytes)).toBe(true);
    const lines = sheet(await load(bytes), 'Lines');
    expect(lines.getRow(2).getCell(3).value).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(lines.getRow(2).getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(lines.getRow(2).getCell(16).value).toBe("'+cmd|calc");
    expect(lines.getRow(2).getCell(6).value).toBe(-0.5);
    const long = lines.getRow(3).getCell(14);
    expect(long.type).toBe(ExcelJS.ValueType.Number);
    expect(long.note).toBe('exact value (text): 4800.1234567890123456');
    expect(lines.getRow(2).getCell(14).note).toBeUndefined();
  });

  it('gives the same bytes whatever the clock says: workbook dates and zip entries carry computedAt', async () => {
    atClock('2031-03-04T05:06:07.000Z');
    const first = await renderSettlementXlsx(doc, { lang: 'it', status: draft });
    atClock('2032-11-12T13:14:15.000Z');
    const second = await renderSettlementXlsx(doc, { lang: 'it', status: draft });
    jest.useRealTimers();
    expect(second.equals(first)).toBe(true);

    const { time, date } = dosDateTime(FIXTURE_COMPUTED_AT);
    const stamps = zipEntryTimestamps(first);
    expect(stamps.map((s) => s.name)).toContain('xl/worksheets/sheet1.xml');
    expect(stamps.every((s) => s.central[0] === time && s.central[1] === date && s.local[0] === time && s.local[1] === date)).toBe(true);
    const wb = await load(first);
    expect([wb.creator, wb.created.toISOString(), wb.modified.toISOString()]).toEqual(['Ancora', FIXTURE_COMPUTED_AT, FIXTURE_COMPUTED_AT]);
  });

  it('needs the zip re-stamp: exceljs alone writes the clock into the zip entries', async () => {
    const write = async (iso: string) => {
      atClock(iso);
      const wb = new ExcelJS.Workbook();
      wb.created = wb.modified = new Date(FIXTURE_COMPUTED_AT);
      wb.addWorksheet('S').getCell('A1').value = 1;
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const a = await write('2031-03-04T05:06:07.000Z');
    const b = await write('2032-11-12T13:14:15.000Z');
    expect(b.equals(a)).toBe(false);
    expect(fixZipTimestamps(b, FIXTURE_COMPUTED_AT).equals(fixZipTimestamps(a, FIXTURE_COMPUTED_AT))).toBe(true);
    expect(dosDateTime('2026-07-20T09:30:00.000Z')).toEqual({ time: (9 << 11) | (30 << 5), date: (46 << 9) | (7 << 5) | 20 });
  });

  it('opens the Totals sheet with the state: a draft says it is not approved and every printed page is marked', async () => {
    const wb = await load(await renderSettlementXlsx(doc, { lang: 'it', status: draft }));
    const totals = sheet(wb, 'Totali');
    expect([totals.getRow(2).getCell(1).value, totals.getRow(2).getCell(2).value]).toEqual(['Stato', 'BOZZA — non approvata']);
    expect([totals.getRow(3).getCell(1).value, totals.getRow(3).getCell(2).value]).toEqual(['Versione', 1]);
    const manifest = keyValues(sheet(wb, 'Manifest'));
    expect(['Stato', 'Approvata il', 'Approvata da', 'Sostituita dalla versione'].map((k) => manifest.get(k)?.value ?? null)).toEqual(['DRAFT', null, null, null]);
    expect(manifest.get('Calcolata il')?.value).toBe(FIXTURE_COMPUTED_AT);
    for (const ws of wb.worksheets) expect(ws.headerFooter.oddHeader).toBe('&C&"-,Bold"&14BOZZA — non approvata / DRAFT — not approved');
    expect(wb.title).toBe('Rendiconto della liquidazione PD-SDC-2.0 RTI-A Y2 v1 (BOZZA — non approvata)');
  });

  it('says when and by whom an approved settlement was approved; the same document as a draft gives other bytes', async () => {
    const bytes = await renderSettlementXlsx(doc, { lang: 'en', status: fixtureStatus('APPROVED') });
    expect(bytes.equals(await renderSettlementXlsx(doc, { lang: 'en', status: draft }))).toBe(false);
    expect(bytes.equals(await renderSettlementXlsx(doc, { lang: 'en', status: fixtureStatus('APPROVED') }))).toBe(true);
    const wb = await load(bytes);
    const totals = keyValues(sheet(wb, 'Totals'));
    expect(totals.get('State')?.value).toBe(`APPROVED on 2026-07-22 08:15 UTC by ${FIXTURE_APPROVER}`);
    expect(totals.get('Payable')?.value).toBe(18960);
    const manifest = keyValues(sheet(wb, 'Manifest'));
    expect(['State', 'Approved at', 'Approved by', 'Superseded by version'].map((k) => manifest.get(k)?.value ?? null)).toEqual([
      'APPROVED',
      FIXTURE_APPROVED_AT,
      FIXTURE_APPROVER,
      null,
    ]);
    // The document hash is the same whatever the state: the state is not part of the document.
    expect(manifest.get('Document hash')?.value).toBe(doc.manifest.documentHash);
    // The approver's "&" is doubled, else Excel would read "& S" as a header code.
    expect(sheet(wb, 'Lines').headerFooter.oddHeader).toBe(`&CAPPROVED on 2026-07-22 08:15 UTC by ${FIXTURE_APPROVER.replace('&', '&&')}`);
    // Excel refuses a header over 255 characters: a long label is cut, even when every character is an "&".
    const long = printHeader({ ...fixtureStatus('APPROVED'), approvedBy: '&'.repeat(300) }, 'en');
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long.endsWith('&&…')).toBe(true);
  });

  it('says which version replaced a superseded settlement', async () => {
    const wb = await load(await renderSettlementXlsx(doc, { lang: 'en', status: fixtureStatus('SUPERSEDED') }));
    expect(keyValues(sheet(wb, 'Totals')).get('State')?.value).toBe(`SUPERSEDED by version 2 (approved on 2026-07-22 08:15 UTC by ${FIXTURE_APPROVER})`);
    const manifest = keyValues(sheet(wb, 'Manifest'));
    expect([manifest.get('State')?.value, manifest.get('Superseded by version')?.value]).toEqual(['SUPERSEDED', '2']);
    expect(sheet(wb, 'Totals').headerFooter.oddHeader).toBe('&C&"-,Bold"&14SOSTITUITA dalla v2 / SUPERSEDED by v2');
  });
});
