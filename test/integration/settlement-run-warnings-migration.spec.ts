import { DataSource } from 'typeorm';
import { SettlementRunWarnings1764600000000 } from 'src/database/migrations/1764600000000-settlement-run-warnings';
import { insertRows } from 'src/database/migrations/migration-helpers';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { toSettlementRunContract } from 'src/settlements/dto/settlement.dto';
import { SettlementRunContractEntity } from 'src/settlements/settlement-run.entity';
import { atPreviousRelease } from 'test/support/migration-fixtures';
import { createTestDatabase, TestDatabase, testDialect } from 'test/support/test-database';

// Migration 1764600000000 on a database the previous release left: the results of runs recorded before
// warnings keep every row and read as having none; `down` drops the column and keeps the rows. On SQLite
// adding the column copies settlement_run_contracts, which must not lose a row or its run's key.

const MUNICIPALITY = '00000000-0000-4000-8000-00000000a001';
const RUN = '00000000-0000-4000-8000-00000000b001';
const AT = '2025-03-01T09:00:00.000Z';
const COLUMNS = ['run_id', 'position', 'contract_id', 'contract_code', 'status', 'computed', 'problem_code', 'problem_message'];
const RESULTS = [
  [RUN, 0, '00000000-0000-4000-8000-000000000001', 'PD-SDC-2.0', 'SETTLED', 2, null, null],
  [RUN, 1, '00000000-0000-4000-8000-000000000002', 'PD-SDC-2.1', 'FAILED', 0, 'SETTLEMENT_NO_BINDING_INDICATOR_SET', 'No binding indicator set'],
];

describe(`migration 1764600000000: warnings of settlement run results (${testDialect()})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await atPreviousRelease(db, SettlementRunWarnings1764600000000, async (previous, runner) => {
      await previous.getRepository(OrganisationEntity).insert({
        id: MUNICIPALITY, code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova', taxCode: null, legalForm: null, districtId: null, leadOrganisationId: null, createdAt: AT, updatedAt: AT,
      });
      const columns = ['id', 'municipality_id', 'period_code', 'status', 'total', 'done', 'settled', 'skipped', 'failed', 'problem_code', 'problem_message', 'started_by', 'started_by_label', 'started_at', 'finished_at', 'created_at', 'updated_at'];
      await insertRows(runner, 'settlement_runs', columns, [[RUN, MUNICIPALITY, 'Y2', 'DONE', 2, 2, 1, 0, 1, null, null, 'u1', 'Laura Bianchi', AT, AT, AT, AT]]);
      await insertRows(runner, 'settlement_run_contracts', COLUMNS, RESULTS);
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.dispose();
  });

  it('up: the results recorded before read as they were, with no warnings', async () => {
    expect((await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['SettlementRunWarnings1764600000000']);
    const rows = await dataSource.getRepository(SettlementRunContractEntity).find({ order: { position: 'ASC' } });
    expect(rows.map((r) => r.warnings)).toEqual([null, null]);
    expect(rows.map(toSettlementRunContract)).toEqual([
      { contractId: RESULTS[0][2], contractCode: 'PD-SDC-2.0', status: 'SETTLED', computed: 2, problem: null, warnings: [] },
      { contractId: RESULTS[1][2], contractCode: 'PD-SDC-2.1', status: 'FAILED', computed: 0, problem: { code: 'SETTLEMENT_NO_BINDING_INDICATOR_SET', message: 'No binding indicator set' }, warnings: [] },
    ]);
  });

  it('down: the column is gone, every result and its link to the run stay', async () => {
    await dataSource.getRepository(SettlementRunContractEntity).update({ runId: RUN, position: 0 }, { warnings: '[{"code":"PERIOD_OPEN","message":"Period Y2 is not closed","groupings":[]}]' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    const runner = dataSource.createQueryRunner();
    try {
      const table = (await runner.getTable('settlement_run_contracts'))!;
      expect(table.columns.map((c) => c.name)).not.toContain('warnings');
      expect(table.foreignKeys.map((k) => [k.columnNames, k.referencedTableName, k.onDelete])).toEqual([[['run_id'], 'settlement_runs', 'CASCADE']]);
    } finally {
      await runner.release();
    }
    expect(await dataSource.query(`SELECT ${COLUMNS.join(', ')} FROM settlement_run_contracts ORDER BY position`)).toEqual(
      RESULTS.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]]))),
    );
  });
});
