import { DataSource } from 'typeorm';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from 'src/cli/cli';
import { describeDatabase } from 'src/config/database-description';
import { SettlementRunEntity } from 'src/settlements/settlement-run.entity';
import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { CliRun, runCliCaptured } from 'test/support/cli';

// `npm run cli -- settlements:*` on the service's database: compute a Padova period, verify every
// settlement to its hash, settle the municipality's portfolio, and refuse unknown codes with exit 1.

describe('CLI settlements (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;

  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(t.config, argv);

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
  });

  afterAll(async () => {
    await t.close();
  });

  it('computes Y2 drafts with the Padova amounts', async () => {
    const res = await cli('settlements:compute', '--contract', 'PD-SDC-2.0', '--period', 'Y2');
    expect(res.code).toBe(EXIT_OK);
    const lines = res.out.trim().split('\n').map((l) => l.split('\t').slice(0, 5));
    expect(lines).toEqual([
      ['RTI-A', 'v1', 'DRAFT', 'premium 18960.00', 'payable 18960.00'],
      ['RTI-B', 'v1', 'DRAFT', 'premium 20720.00', 'payable 20720.00'],
    ]);
  });

  it('verifies every settlement of the contract to its stored hash', async () => {
    const res = await cli('settlements:verify', '--contract', 'PD-SDC-2.0');
    expect(res.code).toBe(EXIT_OK);
    const lines = res.out.trim().split('\n');
    // By contract, period, grouping and version, named by their codes.
    expect(lines.slice(0, -1).map((l) => l.split('\t').slice(0, 6))).toEqual([
      ['OK', 'PD-SDC-2.0', 'Y2', 'RTI-A', 'v1', 'DRAFT'],
      ['OK', 'PD-SDC-2.0', 'Y2', 'RTI-B', 'v1', 'DRAFT'],
    ]);
    expect(lines.pop()).toBe('2 of 2 settlements recompute to their stored hashes');
    const one = await cli('settlements:verify', lines[0].split('\t')[6]);
    expect([one.code, one.out.trim().split('\n').pop()]).toEqual([EXIT_OK, '1 of 1 settlement recomputes to its stored hash']);
  });

  it('settles the portfolio of the municipality for Y2, one line per contract and its warnings under it, recorded as a run by the system', async () => {
    const res = await cli('settlements:portfolio', '--municipality', 'C-PADOVA', '--period', 'Y2', '--no-progress');
    // Warnings do not fail the run: Y2 is still open, and Padova case B's survey (IND-04) is not assessable.
    expect(res.code).toBe(EXIT_OK);
    expect(res.out).toBe(
      'SETTLED\tPD-SDC-2.0\t2 drafts\n' +
        'WARNING\tPD-SDC-2.0\tPERIOD_OPEN: Period Y2 is not closed: measurements can still be submitted, corrected and reviewed, and its drafts may change\n' +
        'WARNING\tPD-SDC-2.0\tMISSING_DATA: Terms settled by the missing-data policy (no accepted value, or not assessable) in period Y2: RTI-B 1 of 5\n' +
        '1 contract: 1 settled, 0 skipped, 0 failed, 1 with warnings\n',
    );
    const runs = await t.request('GET', `/api/v1/municipalities/${fx.municipalityId}/settlement-runs`, undefined, { as: fx.manager.apiKey });
    expect(runs.body.items).toEqual([expect.objectContaining({ status: 'DONE', periodCode: 'Y2', total: 1, done: 1, settled: 1, startedBy: 'system', problem: null })]);
    const run = await t.request('GET', `/api/v1/settlement-runs/${runs.body.items[0].id}`, undefined, { as: fx.manager.apiKey });
    expect(run.body.contracts).toEqual([expect.objectContaining({ contractCode: 'PD-SDC-2.0', status: 'SETTLED', computed: 2 })]);
    expect(run.body.contracts[0].warnings.map((w: { code: string }) => w.code)).toEqual(['PERIOD_OPEN', 'MISSING_DATA']);
  });

  it('once the period is closed, warns only of the term still settled on missing data', async () => {
    expect((await t.request('POST', `/api/v1/contract-periods/${fx.periodIds.Y2}/close`, {}, { as: fx.manager.apiKey })).status).toBe(200);
    const res = await cli('settlements:portfolio', '--municipality', 'C-PADOVA', '--period', 'Y2', '--no-progress');
    expect(res.code).toBe(EXIT_OK);
    expect(res.out.split('\n').filter((l) => l.startsWith('WARNING'))).toEqual([
      'WARNING\tPD-SDC-2.0\tMISSING_DATA: Terms settled by the missing-data policy (no accepted value, or not assessable) in period Y2: RTI-B 1 of 5',
    ]);
  });

  it('refuses a portfolio run while one of the municipality and period is RUNNING, with exit 1', async () => {
    // The CLI boots with the system clock: a run written now is live to it (one not written for a minute is not).
    const now = new Date().toISOString();
    const running = '00000000-0000-4000-8000-0000000000c1';
    await t.app.get(DataSource).getRepository(SettlementRunEntity).insert({
      id: running, municipalityId: fx.municipalityId, periodCode: 'Y2', status: 'RUNNING', total: 1, done: 0, settled: 0, skipped: 0, failed: 0,
      problemCode: null, problemMessage: null, startedBy: 'elsewhere', startedByLabel: 'elsewhere', startedAt: now, finishedAt: null, createdAt: now, updatedAt: now,
    });
    const res = await cli('settlements:portfolio', '--municipality', 'C-PADOVA', '--period', 'Y2', '--no-progress');
    expect({ code: res.code, out: res.out }).toEqual({ code: EXIT_REFUSED, out: '' });
    expect(res.err).toMatch(/^SETTLEMENT_RUN_IN_PROGRESS: /);
    await t.app.get(DataSource).getRepository(SettlementRunEntity).delete({ id: running });
  });

  it('refuses unknown contracts, periods and settlement ids with exit 1, naming the database it looked in', async () => {
    const where = `in ${describeDatabase(t.config.database)}`;
    expect(await cli('settlements:compute', '--contract', 'NOPE', '--period', 'Y2')).toEqual({ code: EXIT_REFUSED, out: '', err: `contract NOPE not found ${where}\n` });
    expect((await cli('settlements:compute', '--contract', 'PD-SDC-2.0', '--period', 'Y9')).err).toBe(`period Y9 of PD-SDC-2.0 not found ${where}; its periods: Y1, Y2, Y3\n`);
    expect(await cli('settlements:verify', '--contract', 'NOPE')).toEqual({ code: EXIT_REFUSED, out: '', err: `contract NOPE not found ${where}\n` });
    expect(await cli('settlements:verify', '00000000-0000-4000-8000-000000000000')).toEqual({
      code: EXIT_REFUSED,
      out: '',
      err: `settlement 00000000-0000-4000-8000-000000000000 not found ${where}\n`,
    });
    expect(await cli('settlements:portfolio', '--municipality', 'C-NOPE', '--period', 'Y2', '--no-progress')).toEqual({ code: EXIT_REFUSED, out: '', err: `municipality C-NOPE not found ${where}\n` });
    const portfolio = await cli('settlements:portfolio', '--municipality', 'C-PADOVA', '--period', 'Y9', '--no-progress');
    expect({ code: portfolio.code, out: portfolio.out }).toEqual({ code: EXIT_REFUSED, out: '' });
    expect(portfolio.err).toBe(`SETTLEMENT_PERIOD_NOT_FOUND: No contract of the municipality has a period Y9 ${where}\n`);
  });

  it('names a misspelt option, with the options the command takes, instead of a required one it hides', async () => {
    expect(await cli('settlements:compute', '--contrat', 'PD-SDC-2.0', '--period', 'Y2')).toEqual({
      code: EXIT_USAGE,
      out: '',
      err: "error: unknown option '--contrat' for settlements:compute (it takes --contract, --period)\n",
    });
    // A value that looks like an option is the value of the option before it.
    expect((await cli('settlements:verify', '--contract', '--x')).err).toBe(`contract --x not found in ${describeDatabase(t.config.database)}\n`);
  });
});
