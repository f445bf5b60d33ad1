import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AppConfig, DatabaseConfig } from 'src/config/app-config';

// A fresh database for one bench run, removed afterwards: a SQLite file in a temporary directory, or with
// BENCH_DB=postgres a new PostgreSQL database next to DATABASE_URL (default as in test/support/test-database.ts).

export const DEFAULT_BENCH_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  dialect: 'sqlite' | 'postgres';
  config: AppConfig;
  dispose(): Promise<void>;
}

function appConfig(database: DatabaseConfig, dir: string): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    database,
    demoData: false,
    logLevel: 'error',
    logFormat: 'json',
    evidenceDir: join(dir, 'evidence'),
    jwt: null,
  };
}

export async function createBenchDatabase(dialect: 'sqlite' | 'postgres'): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'ancora-bench-'));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    return { dialect, config: appConfig({ kind: 'sqlite', path: join(dir, 'bench.sqlite') }, dir), dispose: () => Promise.resolve(removeDir()) };
  }
  const adminUrl = process.env.DATABASE_URL ?? DEFAULT_BENCH_PG_URL;
  const name = `ancora_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    config: appConfig({ kind: 'postgres', url: url.toString() }, dir),
    dispose: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      removeDir();
    },
  };
}
