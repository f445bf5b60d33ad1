import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from 'src/cli/cli';
import { describeDatabase } from 'src/config/database-description';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { CliRun, runCliCaptured } from 'test/support/cli';

// `npm run cli -- reports:write`: the period report of a municipality, every grouping's latest settlement
// of every contract that has the period, in every format, with an index; the same files the endpoint serves.

describe('CLI reports:write (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  let out: string;
  let rows: SettlementEntity[];

  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(t.config, argv);

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'ancora-reports-cli-')), 'Y2 report');
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
    const res = await t.request('POST', `/api/v1/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, { as: fx.manager.apiKey });
    if (res.status !== 201) throw new Error(`compute failed: ${res.status} ${res.text}`);
    rows = await t.app.get(DataSource).getRepository(SettlementEntity).find({ where: { contractId: fx.contractId }, order: { premium: 'ASC' } });
  });

  afterAll(async () => {
    await t.close();
    rmSync(join(out, '..'), { recursive: true, force: true });
  });

  it('writes every format of every grouping into a folder per contract, with index.csv', async () => {
    const res = await cli('reports:write', '--municipality', 'C-PADOVA', '--period', 'Y2', '--out', out, '--no-progress');
    expect(res).toEqual({ code: EXIT_OK, out: `PD-SDC-2.0\t2 settlements\n2 settlements of 1 contract written to ${out} (index.csv)\n`, err: '' });
    expect(readdirSync(out).sort()).toEqual(['PD-SDC-2.0', 'index.csv']);
    const names = (g: string): string[] => ['json', 'csv', 'intl.csv', 'xlsx', 'pdf'].map((ext) => `settlement-PD-SDC-2.0-${g}-Y2-v1.${ext}`);
    expect(readdirSync(join(out, 'PD-SDC-2.0')).sort()).toEqual([...names('RTI-A'), ...names('RTI-B')].sort());

    const [a, b] = rows; // RTI-A 18960.00, RTI-B 20720.00
    const files = (g: string): string => names(g).map((n) => `PD-SDC-2.0/${n}`).join(' | ');
    expect(readFileSync(join(out, 'index.csv'), 'utf8')).toBe(
      [
        'contract,grouping,version,state,premium,payable,document hash,files',
        `PD-SDC-2.0,RTI-A,1,DRAFT,18960.00,18960.00,${a.documentHash},${files('RTI-A')}`,
        `PD-SDC-2.0,RTI-B,1,DRAFT,20720.00,20720.00,${b.documentHash},${files('RTI-B')}`,
        '',
      ].join('\r\n'),
    );
    expect(readFileSync(join(out, 'PD-SDC-2.0', names('RTI-A')[0]), 'utf8')).toBe(a.document);
    expect(readFileSync(join(out, 'PD-SDC-2.0', names('RTI-B')[1]), 'utf8')).toMatch(/^\uFEFF# ancora\.settlement\/3 .*\r\n.*;/);
    // Every file but the JSON (the document itself) says the settlement's state, as the index does.
    expect(readFileSync(join(out, 'PD-SDC-2.0', names('RTI-B')[1]), 'utf8').split('\r\n')[0]).toBe(`\uFEFF# ancora.settlement/3 id=${b.id} version=1 documentHash=${b.documentHash} state=DRAFT`);
  });

  it('writes the same bytes the endpoint serves, in the language asked for', async () => {
    const res = await cli('reports:write', '--municipality', 'C-PADOVA', '--period', 'Y2', '--out', out, '--lang', 'en', '--no-progress');
    expect(res.code).toBe(EXIT_OK);
    const a = rows[0];
    for (const [query, name] of [
      ['?format=pdf&lang=en', 'en.pdf'],
      ['?format=xlsx&lang=en', 'en.xlsx'],
      ['?format=csv&profile=intl&lang=en', 'intl.en.csv'],
      ['?format=csv&lang=en', 'en.csv'],
      ['?format=json', 'json'],
    ]) {
      const served = await t.app.inject({ method: 'GET', url: `/api/v1/settlements/${a.id}/report${query}`, headers: { 'x-api-key': fx.auditor.apiKey } });
      expect(served.statusCode).toBe(200);
      expect(readFileSync(join(out, 'PD-SDC-2.0', `settlement-PD-SDC-2.0-RTI-A-Y2-v1.${name}`)).equals(served.rawPayload)).toBe(true);
    }
    // The English files sit beside the Italian ones written before: nothing was overwritten but the JSON (no language).
    const italianPdf = await t.app.inject({ method: 'GET', url: `/api/v1/settlements/${a.id}/report?format=pdf`, headers: { 'x-api-key': fx.auditor.apiKey } });
    expect(readFileSync(join(out, 'PD-SDC-2.0', 'settlement-PD-SDC-2.0-RTI-A-Y2-v1.pdf')).equals(italianPdf.rawPayload)).toBe(true);
    expect(readdirSync(join(out, 'PD-SDC-2.0')).filter((n) => n.startsWith('settlement-PD-SDC-2.0-RTI-A-'))).toHaveLength(9);
  });

  it('refuses an unknown municipality or period with exit 1, naming the database it looked in, and writes nothing', async () => {
    const elsewhere = join(out, '..', 'not-written');
    const where = `in ${describeDatabase(t.config.database)}`;
    expect(await cli('reports:write', '--municipality', 'C-NOPE', '--period', 'Y2', '--out', elsewhere)).toEqual({
      code: EXIT_REFUSED,
      out: '',
      err: `REPORT_MUNICIPALITY_NOT_FOUND: Municipality C-NOPE not found ${where}\n`,
    });
    expect(await cli('reports:write', '--municipality', 'C-PADOVA', '--period', 'Y9', '--out', elsewhere)).toEqual({
      code: EXIT_REFUSED,
      out: '',
      err: `REPORT_PERIOD_NOT_FOUND: No contract of C-PADOVA has a period Y9 ${where}\n`,
    });
    expect(readdirSync(join(out, '..'))).toEqual(['Y2 report']);
    expect((await cli('reports:write', '--municipality', 'C-PADOVA', '--period', 'Y2', '--out', elsewhere, '--lang', 'fr')).code).toBe(EXIT_USAGE);
  });
});
