import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { createTables, dropTables, fk, id, index, int, ref, str, TableSpec, text, timestamps } from 'src/database/migrations/migration-helpers';

// Portfolio settlement runs as jobs (docs/settlements.md): one row per run with its counts and the
// per-contract results so far (JSON text), written while it runs. At most one RUNNING run per municipality
// and period: a partial unique index (same SQL on SQLite and PostgreSQL) holds even across processes.
// Actors are user ids or token subjects with a label, as elsewhere (not keys into users).
const TABLES: TableSpec[] = [
  {
    name: 'settlement_runs',
    columns: [
      id(),
      ref('municipality_id'),
      str('period_code', 64),
      str('status', 16),
      int('total'),
      int('done'),
      int('settled'),
      int('skipped'),
      int('failed'),
      text('results', false),
      str('problem_code', 64, true),
      text('problem_message'),
      str('started_by', 300),
      str('started_by_label', 300),
      str('started_at', 32),
      str('finished_at', 32, true),
      ...timestamps(),
    ],
    foreignKeys: [fk('municipality_id', 'organisations')],
    indices: [
      index('settlement_runs', ['municipality_id', 'started_at']),
      new TableIndex({ name: 'uq_settlement_runs_running', columnNames: ['municipality_id', 'period_code'], isUnique: true, where: "status = 'RUNNING'" }),
    ],
  },
];

export class SettlementRuns1764400000000 implements MigrationInterface {
  name = 'SettlementRuns1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
