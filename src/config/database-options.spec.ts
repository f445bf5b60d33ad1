import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataSourceOptions } from 'src/config/database-options';
import { ENTITIES } from 'src/database/entities';
import { MIGRATIONS } from 'src/database/migrations';

describe('buildDataSourceOptions', () => {
  it('never synchronizes: the schema comes from the migrations only, on both databases', () => {
    for (const options of [
      buildDataSourceOptions({ kind: 'sqlite', path: ':memory:' }),
      buildDataSourceOptions({ kind: 'postgres', url: 'postgres://db/ancora' }),
    ]) {
      expect(options).toMatchObject({ synchronize: false, migrationsTableName: 'migrations', entities: ENTITIES, migrations: MIGRATIONS });
    }
  });

  it('creates the SQLite file directory and turns on WAL for a file database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ancora-options-'));
    try {
      const path = join(dir, 'nested', 'ancora.sqlite');
      const options = buildDataSourceOptions({ kind: 'sqlite', path });
      expect(options).toMatchObject({ type: 'sqlite', database: path, enableWAL: true });
      expect(existsSync(join(dir, 'nested'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an in-memory SQLite without WAL', () => {
    expect(buildDataSourceOptions({ kind: 'sqlite', path: ':memory:' })).toMatchObject({ database: ':memory:', enableWAL: false });
  });

  it('passes the PostgreSQL URL through with a connection pool', () => {
    expect(buildDataSourceOptions({ kind: 'postgres', url: 'postgres://u@h:5432/d' })).toMatchObject({
      type: 'postgres',
      url: 'postgres://u@h:5432/d',
      poolSize: 10,
    });
  });
});
