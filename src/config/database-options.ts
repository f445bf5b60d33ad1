import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from 'src/config/app-config';
import { ENTITIES } from 'src/database/entities';
import { MIGRATIONS } from 'src/database/migrations';

/** The one builder of database options, shared by the app, the CLI, tests and ormconfig.ts. */
export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (database.kind === 'postgres') {
    return { ...common, type: 'postgres', url: database.url, poolSize: 10 };
  }
  if (database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
  return {
    ...common,
    type: 'sqlite',
    database: database.path,
    // WAL lets readers in other processes (the CLI, a backup) work while the service writes.
    enableWAL: database.path !== ':memory:',
    busyErrorRetry: 100,
    // TypeORM calls sqlite3's verbose(), which wraps every call to capture a stack trace; our errors carry
    // their own codes, so hand it the plain module (measured in bench/: a large share of small queries).
    driver: { verbose: (): unknown => sqlite3 },
  };
}
