import { DataSource } from 'typeorm';
import { MIGRATIONS } from 'src/database/migrations';
import { SettlementRunContracts1764500000000 } from 'src/database/migrations/1764500000000-settlement-run-contracts';
import { insertRows } from 'src/database/migrations/migration-helpers';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { SettlementRunContractEntity } from 'src/settlements/settlement-run.entity';
import { atPreviousRelease } from 'test/support/migration-fixtures';
import { createTestDatabase, TestDatabase, testDialect } from 'test/support/test-database';

// Migration 1764500000000 on a database the previous release left: runs whose per-contract results are the
// JSON text column settlement_runs.results become rows of settlement_run_contracts, and `down` rebuilds the
// JSON. The old rows are written in raw SQL, since the entities describe the new schema. The contract ids
// name no contract: the results of contracts removed since are moved too (contract_id has no foreign key).

const NEW = MIGRATIONS.indexOf(SettlementRunContracts1764500000000);
const MUNICIPALITY = '00000000-0000-4000-8000-00000000a001';
const RUN = { done: '00000000-0000-4000-8000-00000000b001', empty: '00000000-0000-4000-8000-00000000b002', large: '00000000-0000-4000-8000-00000000b003' };
const AT = '2025-03-01T09:00:00.000Z';

type JsonResult = { contractId: string; contractCode: string; status: string; computed: number; problem: { code: string; message: string } | null };

const contract = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const LEGACY: Record<string, JsonResult[]> = {
  [RUN.done]: [
    { contractId: contract(1), contractCode: 'PD-SDC-2.0', status: 'SETTLED', computed: 2, problem: null },
    { contractId: contract(2), contractCode: 'PD-SDC-2.1', status: 'FAILED', computed: 0, problem: { code: 'SETTLEMENT_NO_BINDING_INDICATOR_SET', message: 'Contract PD-SDC-2.1 has no binding indicator set' } },
    { contractId: contract(3), contractCode: 'PD-SDC-1.9', status: 'SKIPPED', computed: 0, problem: { code: 'SETTLEMENT_ALREADY_APPROVED', message: 'Every grouping of Y2 is approved' } },
  ],
  [RUN.empty]: [],
  // More rows than one statement binds on SQLite (8 columns x 250 > 999 parameters).
  [RUN.large]: Array.from({ length: 250 }, (_, i) => ({ contractId: contract(100 + i), contractCode: `C-${String(i).padStart(4, '0')}`, status: 'SETTLED', computed: 1, problem: null })),
};

describe(`migration 1764500000000: settlement run results as rows (${testDialect()})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  /** The rows as the JSON they were made from. */
  const moved = async (): Promise<Record<string, JsonResult[]>> => {
    const rows = await dataSource.getRepository(SettlementRunContractEntity).find({ order: { runId: 'ASC', position: 'ASC' } });
    const byRun: Record<string, JsonResult[]> = Object.fromEntries(Object.keys(LEGACY).map((id) => [id, []]));
    for (const r of rows) {
      expect(r.position).toBe(byRun[r.runId].length);
      byRun[r.runId].push({ contractId: r.contractId, contractCode: r.contractCode, status: r.status, computed: r.computed, problem: r.problemCode === null ? null : { code: r.problemCode, message: r.problemMessage ?? '' } });
    }
    return byRun;
  };
  /** The columns, and the indexes as name, unique, partial on RUNNING (PostgreSQL restates the condition with casts). */
  const runColumns = async (): Promise<{ columns: string[]; indices: [string, boolean, boolean][] }> => {
    const runner = dataSource.createQueryRunner();
    try {
      const table = (await runner.getTable('settlement_runs'))!;
      return { columns: table.columns.map((c) => c.name), indices: table.indices.map((i): [string, boolean, boolean] => [i.name ?? '', i.isUnique, /status\)?(::text)? = 'RUNNING'/.test(i.where ?? '')]).sort() };
    } finally {
      await runner.release();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await atPreviousRelease(db, SettlementRunContracts1764500000000, async (previous, runner) => {
      await previous.getRepository(OrganisationEntity).insert({
        id: MUNICIPALITY, code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova', taxCode: null, legalForm: null, districtId: null, leadOrganisationId: null, createdAt: AT, updatedAt: AT,
      });
      const columns = ['id', 'municipality_id', 'period_code', 'status', 'total', 'done', 'settled', 'skipped', 'failed', 'results', 'problem_code', 'problem_message', 'started_by', 'started_by_label', 'started_at', 'finished_at', 'created_at', 'updated_at'];
      const run = (id: string, status: string, period: string, counts: number[]) => [id, MUNICIPALITY, period, status, ...counts, JSON.stringify(LEGACY[id]), null, null, 'u1', 'Laura Bianchi', AT, AT, AT, AT];
      await insertRows(runner, 'settlement_runs', columns, [
        run(RUN.done, 'DONE', 'Y2', [3, 3, 1, 1, 1]),
        run(RUN.empty, 'FAILED', 'Y3', [4, 0, 0, 0, 0]),
        run(RUN.large, 'DONE', 'Y4', [250, 250, 250, 0, 0]),
      ]);
    }, 'all');
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.dispose();
  });

  it('up: every result of every run becomes a row at its position in the run, its problem as code and message; the JSON column is gone, the indexes stay', async () => {
    // With the migrations after it (the entity reads their columns too).
    expect((await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(MIGRATIONS.slice(NEW).map((m) => m.name));
    expect(await moved()).toEqual(LEGACY);
    expect(await dataSource.getRepository(SettlementRunContractEntity).countBy({ runId: RUN.large })).toBe(250);
    const { columns, indices } = await runColumns();
    expect(columns).not.toContain('results');
    expect(indices).toEqual([
      ['ix_settlement_runs_municipality_id_started_at', false, false],
      ['uq_settlement_runs_running', true, true],
    ]);
    // The rest of each run is as it was.
    expect(await dataSource.query('SELECT id, status, done, settled, skipped, failed FROM settlement_runs ORDER BY id')).toEqual([
      { id: RUN.done, status: 'DONE', done: 3, settled: 1, skipped: 1, failed: 1 },
      { id: RUN.empty, status: 'FAILED', done: 0, settled: 0, skipped: 0, failed: 0 },
      { id: RUN.large, status: 'DONE', done: 250, settled: 250, skipped: 0, failed: 0 },
    ]);
  });

  it('down: each run\'s JSON is rebuilt from its rows as it was, NOT NULL again, and the table dropped; up again moves the same rows', async () => {
    for (let i = MIGRATIONS.length - 1; i >= NEW; i--) await dataSource.undoLastMigration({ transaction: 'each' });
    const runs = await dataSource.query<{ id: string; results: string }[]>('SELECT id, results FROM settlement_runs ORDER BY id');
    // Compared as text, first by length: a mismatch of the 250-result run would otherwise print 30 kB.
    const text = Object.fromEntries(Object.entries(LEGACY).map(([id, results]) => [id, JSON.stringify(results)]));
    expect(runs.map((r) => [r.id, r.results.length])).toEqual(Object.entries(text).map(([id, t]) => [id, t.length]));
    expect(Object.fromEntries(runs.map((r) => [r.id, r.results]))).toEqual(text);
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.hasTable('settlement_run_contracts')).toBe(false);
      expect((await runner.getTable('settlement_runs'))!.columns.find((c) => c.name === 'results')).toMatchObject({ type: 'text', isNullable: false });
    } finally {
      await runner.release();
    }

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await moved()).toEqual(LEGACY);
  });
});
