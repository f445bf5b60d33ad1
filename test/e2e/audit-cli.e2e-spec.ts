import { DataSource } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { EXIT_OK, EXIT_REFUSED } from 'src/cli/cli';
import { FixedClock } from 'src/common/clock/clock';
import { RandomIdGenerator } from 'src/common/clock/id-generator';
import { AppConfig } from 'src/config/app-config';
import { buildDataSourceOptions } from 'src/config/database-options';
import { Database } from 'src/database/database';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';
import { TEST_NOW } from 'test/support/test-app';
import { testAppConfig } from 'test/support/test-config';
import { CliRun, runCliCaptured } from 'test/support/cli';

// `npm run cli -- audit:verify`, run in-process through runCli on its own database: exit 0 when the
// chain is intact, 1 with the first broken link on standard error.

describe('CLI audit:verify', () => {
  let db: TestDatabase;
  let config: AppConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testAppConfig(db.config);
  });

  afterAll(async () => {
    await db.dispose();
  });

  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(config, argv);

  /** Works on the CLI's database between runs (the CLI has closed its own connection by then). */
  async function withDataSource(work: (ds: DataSource) => Promise<void>): Promise<void> {
    const ds = new DataSource(buildDataSourceOptions(db.config));
    await ds.initialize();
    try {
      await work(ds);
    } finally {
      await ds.destroy();
    }
  }

  it('verifies an empty log (of a migrated, empty database)', async () => {
    await withDataSource((ds) => ds.runMigrations().then(() => undefined));
    expect(await cli('audit:verify')).toEqual({ code: EXIT_OK, out: 'audit chain intact: 0 entries, head at seq 0\n', err: '' });
  });

  it('exits 0 on an intact chain and 1 naming the first broken link after a row is edited', async () => {
    let thirdId = '';
    await withDataSource(async (ds) => {
      const database = new Database(ds);
      const audit = new AuditService(database, new FixedClock(TEST_NOW), new RandomIdGenerator());
      for (let n = 1; n <= 4; n++) {
        const entry = await database.transaction((m) =>
          audit.record(m, SYSTEM_PRINCIPAL, { action: 'update', objectType: 'contract', objectId: 'c-1', after: { n: String(n) } }),
        );
        if (n === 3) thirdId = entry.id;
      }
    });
    expect(await cli('audit:verify')).toEqual({ code: EXIT_OK, out: 'audit chain intact: 4 entries, head at seq 4\n', err: '' });

    await withDataSource((ds) => ds.query(`UPDATE audit_entries SET actor_label = 'Mallory' WHERE seq = 3`).then(() => undefined));
    expect(await cli('audit:verify')).toEqual({
      code: EXIT_REFUSED,
      out: '',
      err: [
        `audit chain BROKEN at seq 3 (entry ${thirdId}): HASH_MISMATCH: entry 3 was changed after it was written`,
        '  2 entries verified before the break; the chain head is at seq 4',
        '',
      ].join('\n'),
    });
  });

  it('exits 1 when the last entry was deleted', async () => {
    await withDataSource((ds) => ds.query('DELETE FROM audit_entries WHERE seq >= 3').then(() => undefined));
    expect(await cli('audit:verify')).toEqual({
      code: EXIT_REFUSED,
      out: '',
      err: [
        'audit chain BROKEN at seq 3: HEAD_MISMATCH: the chain head says entry 4 but the log ends at 2: entries were removed from the end',
        '  2 entries verified before the break; the chain head is at seq 4',
        '',
      ].join('\n'),
    });
  });
});
