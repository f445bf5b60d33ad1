import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DatabaseConfig } from 'src/config/app-config';
import { buildDataSourceOptions } from 'src/config/database-options';

/**
 * A fresh, real database per test file: a temporary SQLite file by default, or, with
 * ANCORA_TEST_DB=postgres, a new PostgreSQL database created next to DATABASE_URL (dropped afterwards).
 */
export interface TestDatabase {
  config: DatabaseConfig;
  dispose(): Promise<void>;
}

export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.ANCORA_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDialect() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ancora-test-'));
    return {
      config: { kind: 'sqlite', path: join(dir, 'test.sqlite') },
      dispose: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const adminUrl = process.env.DATABASE_URL ?? DEFAULT_TEST_PG_URL;
  const name = `ancora_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    dispose: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A migrated DataSource on a fresh database, for integration tests below the HTTP layer. */
export async function createMigratedDataSource(): Promise<{ dataSource: DataSource; dispose: () => Promise<void> }> {
  const db = await createTestDatabase();
  const dataSource = new DataSource(buildDataSourceOptions(db.config));
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    dataSource,
    dispose: async () => {
      await dataSource.destroy();
      await db.dispose();
    },
  };
}
