import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { buildDataSourceOptions } from 'src/config/database-options';
import { isUniqueViolation } from 'src/database/database';
import { SettlementDraftsService } from 'src/settlements/settlement-drafts.service';
import { SettlementPortfolio } from 'src/settlements/settlement-portfolio';
import { interruptStale, RUN_STALE_AFTER_MS } from 'src/settlements/settlement-run.records';
import { SettlementRunContractEntity, SettlementRunEntity } from 'src/settlements/settlement-run.entity';
import { SettlementRunsService } from 'src/settlements/settlement-runs.service';
import { acceptMeasurements, ExampleContract, exampleDocument, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { testDialect } from 'test/support/test-database';

// Portfolio runs as jobs, at the service on a real database: what only shows while a run is in flight.
// A contract's settling is held inside its transaction by a promise the test releases, so the moments
// are fixed: a second start while the first settles, an unexpected error, a shutdown mid-run.

/** Padova's contract with Y2 accepted for both RTIs, and a second contract of Padova with no binding set. */
async function padovaPortfolio(t: TestApp): Promise<ExampleContract> {
  const fx = await importExample(t, 'padova-sdc-2.0.json');
  await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
  await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
  const second = exampleDocument('padova-sdc-2.0.json') as { project: { code: string }; contract: { code: string } };
  second.project.code = 'PD-SDC-2.1';
  second.contract.code = 'PD-SDC-2.1';
  const res = await t.request('POST', '/api/v1/contract-definitions', second);
  if (res.status !== 201) throw new Error(`second contract: ${res.status} ${res.text}`);
  return fx;
}

/** Holds the next draft written (inside its contract's transaction) until released; `arrived` once it is reached. */
function holdNextDrafts(t: TestApp): { arrived: Promise<void>; release: () => void } {
  const drafts = t.app.get(SettlementDraftsService);
  const original = drafts.writeDrafts.bind(drafts);
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  jest.spyOn(drafts, 'writeDrafts').mockImplementationOnce(async (...args) => {
    reached();
    await gate;
    return original(...args);
  });
  return { arrived, release };
}

/**
 * The next run writes after every contract, as it does after the last of each batch of 200, and `between`
 * sees the database after each write, before the next contract is settled.
 */
function writeAfterEachContract(t: TestApp, between: (written: number) => Promise<void>): void {
  const portfolio = t.app.get(SettlementPortfolio);
  const original = portfolio.settle.bind(portfolio);
  let written = 0;
  jest.spyOn(portfolio, 'settle').mockImplementationOnce((p, targets, listener) =>
    original(p, targets, {
      stopped: () => listener.stopped(),
      settled: async (result) => {
        await listener.settled(result, true);
        await between(++written);
      },
    }),
  );
}

async function ended(runs: SettlementRunsService, id: string): Promise<Awaited<ReturnType<SettlementRunsService['get']>>> {
  for (let i = 0; i < 200; i++) {
    const run = await runs.get(SYSTEM_PRINCIPAL, id);
    if (run.status !== 'RUNNING') return run;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${id} still RUNNING`);
}

describe(`settlement runs in flight (${testDialect()})`, () => {
  let t: TestApp;
  let fx: ExampleContract;
  let runs: SettlementRunsService;

  beforeAll(async () => {
    t = await createTestApp();
    fx = await padovaPortfolio(t);
    runs = t.app.get(SettlementRunsService);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses a second start of the municipality and period while the first is settling (409 naming it); the first ends DONE', async () => {
    const held = holdNextDrafts(t);
    const first = await runs.start(SYSTEM_PRINCIPAL, fx.municipalityId, 'Y2');
    await held.arrived;
    const second = runs.start(SYSTEM_PRINCIPAL, fx.municipalityId, 'Y2').then(
      () => 'started',
      (e: unknown) => e,
    );
    // SQLite queues every transaction on one mutex: the second start runs once the held contract commits,
    // before the first run writes anything more. PostgreSQL answers it while the contract is still held.
    if (testDialect() === 'sqlite') held.release();
    expect(await second).toMatchObject({ code: 'SETTLEMENT_RUN_IN_PROGRESS', status: 409, details: { runId: first.id } });
    held.release();
    expect(await ended(runs, first.id)).toMatchObject({ status: 'DONE', total: 2, done: 2, settled: 1, failed: 1 });
    expect(await t.app.get(DataSource).getRepository(SettlementRunEntity).countBy({ municipalityId: fx.municipalityId })).toBe(1);
  });

  it('an unexpected error marks the run FAILED (INTERNAL_ERROR, without the error\'s text), rejecting nothing unhandled; run() records it and throws it', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const drafts = t.app.get(SettlementDraftsService);
      jest.spyOn(drafts, 'writeDrafts').mockRejectedValue(new Error('SQLITE_IOERR: disk I/O error at /srv/ancora/secret.sqlite'));
      const started = await runs.start(SYSTEM_PRINCIPAL, fx.municipalityId, 'Y2');
      const failed = await ended(runs, started.id);
      expect(failed).toMatchObject({ status: 'FAILED', total: 2, done: 0, contracts: [], finishedAt: TEST_NOW.toISOString(), problem: { code: 'INTERNAL_ERROR' } });
      expect(failed.problem?.message).toMatch(/^An unexpected error stopped the run after 0 of 2 contracts/);
      expect(failed.problem?.message).not.toMatch(/secret|SQLITE/);

      await expect(runs.run(SYSTEM_PRINCIPAL, fx.municipalityId, 'Y2')).rejects.toThrow('disk I/O error');
      const rows = await t.app.get(DataSource).getRepository(SettlementRunEntity).find({ where: { municipalityId: fx.municipalityId, status: 'FAILED' } });
      expect(rows).toHaveLength(2);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('holds at most one RUNNING run per municipality and period in the database itself (uq_settlement_runs_running)', async () => {
    const repo = t.app.get(DataSource).getRepository(SettlementRunEntity);
    const row = (id: string, status: SettlementRunEntity['status']): SettlementRunEntity => ({
      id, municipalityId: fx.municipalityId, periodCode: 'Y9', status, total: 0, done: 0, settled: 0, skipped: 0, failed: 0, problemCode: null,
      problemMessage: null, startedBy: 'test', startedByLabel: 'test', startedAt: TEST_NOW.toISOString(), finishedAt: null, createdAt: TEST_NOW.toISOString(), updatedAt: TEST_NOW.toISOString(),
    });
    await repo.insert(row('00000000-0000-4000-8000-000000000901', 'RUNNING'));
    await repo.insert(row('00000000-0000-4000-8000-000000000902', 'DONE'));
    const refused = await repo.insert(row('00000000-0000-4000-8000-000000000903', 'RUNNING')).then(() => null, (e: unknown) => e);
    expect(isUniqueViolation(refused)).toBe(true);
    await repo.delete({ periodCode: 'Y9' });
  });

  it('inserts with each write only the results settled since the one before, in the transaction of the counts: the rows so far are there while it runs', async () => {
    const ds = t.app.get(DataSource);
    const seen: unknown[] = [];
    writeAfterEachContract(t, async () => {
      const row = await ds.getRepository(SettlementRunEntity).findOneByOrFail({ municipalityId: fx.municipalityId, status: 'RUNNING' });
      const rows = await ds.getRepository(SettlementRunContractEntity).find({ where: { runId: row.id }, order: { position: 'ASC' } });
      seen.push({ done: row.done, settled: row.settled, failed: row.failed, rows: rows.map((r) => [r.position, r.contractCode, r.status, r.computed, r.problemCode]) });
    });
    const run = await runs.run(SYSTEM_PRINCIPAL, fx.municipalityId, 'Y2');
    const first = [0, 'PD-SDC-2.0', 'SETTLED', 2, null];
    const second = [1, 'PD-SDC-2.1', 'FAILED', 0, 'SETTLEMENT_NO_BINDING_INDICATOR_SET'];
    expect(seen).toEqual([
      { done: 1, settled: 1, failed: 0, rows: [first] },
      { done: 2, settled: 1, failed: 1, rows: [first, second] },
    ]);
    // The last write (DONE) had nothing new to insert; the run reads its results back from the rows.
    expect(await ds.getRepository(SettlementRunContractEntity).countBy({ runId: run.id })).toBe(2);
    expect(run).toMatchObject({ status: 'DONE', done: 2 });
    expect(run.contracts.map((c) => [c.contractCode, c.status, c.computed, c.problem?.code ?? null])).toEqual([first.slice(1), second.slice(1)]);
  });

  it('inserts nothing once another process has marked the run INTERRUPTED: the results written before stay, the run stops as stored', async () => {
    const ds = t.app.get(DataSource);
    writeAfterEachContract(t, async (written) => {
      // After the first contract's write, another process takes this one for dead (its clock a minute ahead).
      if (written === 1) expect(await ds.transaction((m) => interruptStale(m, new Date(t.clock.now().getTime() + RUN_STALE_AFTER_MS + 1), []))).toHaveLength(1);
    });
    const run = await runs.run(SYSTEM_PRINCIPAL, fx.municipalityId, 'Y2');
    expect(run).toMatchObject({ status: 'INTERRUPTED', total: 2, done: 1, settled: 1, failed: 0, problem: { code: 'SETTLEMENT_RUN_INTERRUPTED' } });
    expect(run.problem?.message).toMatch(/^The process running it stopped/);
    expect(run.contracts.map((c) => [c.contractCode, c.status])).toEqual([['PD-SDC-2.0', 'SETTLED']]);
    const rows = await ds.getRepository(SettlementRunContractEntity).find({ where: { runId: run.id }, order: { position: 'ASC' } });
    expect(rows.map((r) => [r.position, r.contractCode, r.status])).toEqual([[0, 'PD-SDC-2.0', 'SETTLED']]);
    expect(await ds.getRepository(SettlementRunEntity).findOneByOrFail({ id: run.id })).toMatchObject({ status: 'INTERRUPTED', done: 1, failed: 0 });
  });

  it('on shutdown, a run in flight stops after its current contract and is recorded INTERRUPTED before the database closes', async () => {
    const u = await createTestApp();
    const ux = await padovaPortfolio(u);
    const held = holdNextDrafts(u);
    const run = await u.app.get(SettlementRunsService).start(SYSTEM_PRINCIPAL, ux.municipalityId, 'Y2');
    await held.arrived;
    const errors = jest.spyOn(Logger.prototype, 'error');
    const closing = u.app.close();
    held.release();
    await closing;
    expect(errors).not.toHaveBeenCalled();

    const ds = new DataSource(buildDataSourceOptions(u.config.database));
    await ds.initialize();
    const row = await ds.getRepository(SettlementRunEntity).findOneByOrFail({ id: run.id });
    const results = await ds.getRepository(SettlementRunContractEntity).find({ where: { runId: run.id }, order: { position: 'ASC' } });
    await ds.destroy();
    expect(row).toMatchObject({ status: 'INTERRUPTED', total: 2, done: 1, settled: 1, problemCode: 'SETTLEMENT_RUN_INTERRUPTED', finishedAt: TEST_NOW.toISOString() });
    expect(row.problemMessage).toBe('The service stopped after 1 of 2 contracts: start the run again to settle the rest (settled contracts are redrafted or skipped)');
    expect(results.map((c) => [c.position, c.contractCode, c.status])).toEqual([[0, 'PD-SDC-2.0', 'SETTLED']]);
    // Closes the application again (nothing left to do) and drops its database.
    await u.close();
  });
});
