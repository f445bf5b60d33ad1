import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { createTables, dropTables, fk, index, insertRows, int, param, ref, str, TableSpec, text } from 'src/database/migrations/migration-helpers';

// A portfolio run's per-contract results as rows (docs/settlements.md) instead of one JSON text column that
// every save rewrote in full (a 10,000-contract run: about 100 rewrites of up to 1.5 MB): a save inserts only
// the results settled since the one before, and GET /settlement-runs/{id}/contracts pages them, by status.
// The rows of existing runs are made from their JSON, which `down` rebuilds. contract_id has no foreign key on
// purpose: a run's record names the contracts as they were (with their code) and outlives them, as the audit
// log does; a key would also make a contract that once failed in a run impossible to remove.
//
// On SQLite, TypeORM changes a column by copying the table and dropping the old one, and when it reverts a
// migration it turns foreign keys off inside the transaction, where SQLite ignores that: dropping
// settlement_runs would then delete every result through run_id's ON DELETE CASCADE. So settlement_runs is
// only ever changed while no foreign key points at it.
const TABLES: TableSpec[] = [
  {
    name: 'settlement_run_contracts',
    columns: [
      { ...ref('run_id'), isPrimary: true },
      { ...int('position'), isPrimary: true },
      ref('contract_id'),
      str('contract_code', 64),
      str('status', 16),
      int('computed'),
      str('problem_code', 64, true),
      text('problem_message'),
    ],
    foreignKeys: [fk('run_id', 'settlement_runs', 'CASCADE')],
    // A run's results by status in position order, for the filtered page (the primary key serves the rest).
    indices: [index('settlement_run_contracts', ['run_id', 'status', 'position'])],
  },
];

const COLUMNS = ['run_id', 'position', 'contract_id', 'contract_code', 'status', 'computed', 'problem_code', 'problem_message'];

/** An element of settlement_runs.results as 1764400000000 stored it (SettlementRunContractDto). */
interface JsonResult {
  contractId: string;
  contractCode: string;
  status: string;
  computed: number;
  problem: { code: string; message: string } | null;
}

interface ResultRow {
  contract_id: string;
  contract_code: string;
  status: string;
  computed: number;
  problem_code: string | null;
  problem_message: string | null;
}

export class SettlementRunContracts1764500000000 implements MigrationInterface {
  name = 'SettlementRunContracts1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES.map((t) => ({ ...t, foreignKeys: [] })));
    // One run at a time: each may hold a whole portfolio's results.
    for (const id of await runIds(queryRunner)) {
      const [{ results }] = (await queryRunner.query(`SELECT results FROM settlement_runs WHERE id = ${param(queryRunner, 1)}`, [id])) as { results: string }[];
      const rows = (JSON.parse(results) as JsonResult[]).map((r, position) => [
        id, position, r.contractId, r.contractCode, r.status, r.computed, r.problem?.code ?? null, r.problem?.message ?? null,
      ]);
      await insertRows(queryRunner, 'settlement_run_contracts', COLUMNS, rows);
    }
    await queryRunner.dropColumn('settlement_runs', 'results');
    for (const t of TABLES) await queryRunner.createForeignKeys(t.name, t.foreignKeys ?? []);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable('settlement_run_contracts');
    if (table) await queryRunner.dropForeignKeys(table, table.foreignKeys);
    // Nullable until every run has its JSON, then NOT NULL as 1764400000000 made it.
    await queryRunner.addColumn('settlement_runs', new TableColumn(text('results')));
    for (const id of await runIds(queryRunner)) {
      const rows = (await queryRunner.query(
        `SELECT ${COLUMNS.slice(2).join(', ')} FROM settlement_run_contracts WHERE run_id = ${param(queryRunner, 1)} ORDER BY position`,
        [id],
      )) as ResultRow[];
      const results: JsonResult[] = rows.map((r) => ({
        contractId: r.contract_id,
        contractCode: r.contract_code,
        status: r.status,
        computed: Number(r.computed),
        problem: r.problem_code === null ? null : { code: r.problem_code, message: r.problem_message ?? '' },
      }));
      await queryRunner.query(`UPDATE settlement_runs SET results = ${param(queryRunner, 1)} WHERE id = ${param(queryRunner, 2)}`, [JSON.stringify(results), id]);
    }
    await dropTables(queryRunner, TABLES);
    await queryRunner.changeColumn('settlement_runs', 'results', new TableColumn(text('results', false)));
  }
}

async function runIds(queryRunner: QueryRunner): Promise<string[]> {
  return ((await queryRunner.query('SELECT id FROM settlement_runs ORDER BY id')) as { id: string }[]).map((r) => r.id);
}
