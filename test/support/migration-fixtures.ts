import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { buildDataSourceOptions } from 'src/config/database-options';
import { MIGRATIONS } from 'src/database/migrations';
import { TestDatabase } from 'test/support/test-database';

/**
 * A database as the release before `migration` left it, holding the rows `seed` writes (through the old
 * schema's DataSource, and a query runner for raw inserts), then opened with the migrations up to
 * `migration` (or all of them: `upTo: 'all'`) still to run. The caller runs them and destroys the DataSource.
 */
export async function atPreviousRelease(
  db: TestDatabase,
  migration: new () => MigrationInterface,
  seed: (previous: DataSource, runner: QueryRunner) => Promise<void>,
  upTo: 'this' | 'all' = 'this',
): Promise<DataSource> {
  const at = (MIGRATIONS as readonly unknown[]).indexOf(migration);
  if (at < 0) throw new Error(`${migration.name} is not in MIGRATIONS`);
  const previous = new DataSource({ ...buildDataSourceOptions(db.config), migrations: MIGRATIONS.slice(0, at) });
  await previous.initialize();
  try {
    await previous.runMigrations();
    const runner = previous.createQueryRunner();
    try {
      await seed(previous, runner);
    } finally {
      await runner.release();
    }
  } finally {
    await previous.destroy();
  }
  const dataSource = new DataSource(upTo === 'all' ? buildDataSourceOptions(db.config) : { ...buildDataSourceOptions(db.config), migrations: MIGRATIONS.slice(0, at + 1) });
  await dataSource.initialize();
  return dataSource;
}
