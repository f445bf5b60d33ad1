import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { EXIT_CONFIG, EXIT_OK, EXIT_REFUSED } from 'src/cli/cli';
import { AppConfig } from 'src/config/app-config';
import { buildDataSourceOptions } from 'src/config/database-options';
import { describeDatabase } from 'src/config/database-description';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';
import { testAppConfig } from 'test/support/test-config';
import { CliRun, runCliCaptured } from 'test/support/cli';

// The CLI works on the database it is given, which must be the service's. Commands that read or settle
// stored data refuse a database that is not there (no SQLite file; a PostgreSQL database without Ancora's
// tables) instead of creating and migrating an empty one and answering "not found"; those that may start an
// installation (contracts:import, users:create-admin) create it. "Not found" answers name the database.

const PADOVA = join(__dirname, '..', '..', 'contracts', 'examples', 'padova-sdc-2.0.json');

describe('CLI: which database it opens', () => {
  let db: TestDatabase;
  let config: AppConfig;

  beforeEach(async () => {
    db = await createTestDatabase();
    config = testAppConfig(db.config);
  });

  afterEach(async () => {
    await db.dispose();
  });

  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(config, argv);

  /** Whether anything was written: the SQLite file (or anything beside it), or Ancora's tables on PostgreSQL. */
  async function databaseWritten(): Promise<boolean> {
    if (db.config.kind === 'sqlite') {
      return readdirSync(dirname(db.config.path)).length > 0;
    }
    const ds = new DataSource(buildDataSourceOptions(db.config));
    await ds.initialize();
    try {
      return await ds.createQueryRunner().hasTable('migrations');
    } finally {
      await ds.destroy();
    }
  }

  const READING_COMMANDS: string[][] = [
    ['settlements:compute', '--contract', 'PD-SDC-2.0', '--period', 'Y3'],
    ['settlements:verify', '--contract', 'PD-SDC-2.0'],
    ['settlements:portfolio', '--municipality', 'C-PADOVA', '--period', 'Y3', '--no-progress'],
    ['reports:write', '--municipality', 'C-PADOVA', '--period', 'Y3', '--out', join('/nonexistent', 'reports'), '--no-progress'],
    ['audit:verify'],
    ['audit:export', '--contract', 'PD-SDC-2.0', '--format', 'csv', '--out', join('/nonexistent', 'audit.csv')],
    ['contracts:export', 'PD-SDC-2.0'],
    ['users:create-admin', '--name', 'Paola Verdi', '--organisation', 'C-PADOVA'],
  ];

  it('refuses to read or settle a database that is not there, with exit 78, creating nothing', async () => {
    const expected =
      db.config.kind === 'sqlite'
        ? `no SQLite database at ${db.config.path}: set SQLITE_PATH (or DATABASE_URL) to the service's database\n`
        : `${describeDatabase(db.config)} holds no Ancora data (it has no migrations table): set DATABASE_URL to the service's database\n`;
    for (const argv of READING_COMMANDS) {
      expect({ argv, ...(await cli(...argv)) }).toEqual({ argv, code: EXIT_CONFIG, out: '', err: expected });
    }
    expect(await databaseWritten()).toBe(false);
  });

  it('starts a database with contracts:import, and then answers what it has not got naming that database', async () => {
    const imported = await cli('contracts:import', PADOVA);
    expect({ code: imported.code, err: imported.err }).toEqual({ code: EXIT_OK, err: '' });
    expect(await databaseWritten()).toBe(true);

    const where = `in ${describeDatabase(db.config)}`;
    expect(await cli('settlements:compute', '--contract', 'PD-SDC-2.1', '--period', 'Y3')).toEqual({ code: EXIT_REFUSED, out: '', err: `contract PD-SDC-2.1 not found ${where}\n` });
    expect(await cli('settlements:compute', '--contract', 'PD-SDC-2.0', '--period', 'Y9')).toEqual({ code: EXIT_REFUSED, out: '', err: `period Y9 of PD-SDC-2.0 not found ${where}; its periods: Y1, Y2, Y3\n` });
    expect(await cli('contracts:export', 'NOPE')).toEqual({ code: EXIT_REFUSED, out: '', err: `contract NOPE not exported: CONTRACT_NOT_FOUND: No contract with code NOPE ${where}\n` });
    expect(await cli('settlements:verify', '--contract', 'PD-SDC-2.0')).toEqual({ code: EXIT_OK, out: '0 of 0 settlements recompute to their stored hashes\n', err: '' });
  });

  it('creates the first administrator on a database that is not there yet', async () => {
    const res = await cli('users:create-admin', '--name', 'Maria Rossi');
    expect(res.code).toBe(EXIT_OK);
    expect(res.out).toMatch(/^ancora_/);
    expect(await databaseWritten()).toBe(true);
  });

  it('says so at once when PostgreSQL cannot be reached, without the password', async () => {
    config = testAppConfig({ kind: 'postgres', url: 'postgres://ancora:s3cret-pw@127.0.0.1:1/ancora' });
    for (const argv of [['audit:verify'], ['contracts:import', PADOVA]]) {
      const res = await cli(...argv);
      expect({ code: res.code, out: res.out }).toEqual({ code: EXIT_CONFIG, out: '' });
      expect(res.err).toMatch(/^cannot open PostgreSQL database ancora on 127\.0\.0\.1:1: connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
    }
  });

  it('lists in --help what it does and which database it works on', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(EXIT_OK);
    const description = help.out.split('\n\nOptions:')[0].replace(/\s+/g, ' ');
    expect(description).toBe(
      'Usage: ancora [options] [command] Ancora command line, run on the machine as the system (no API key): import and export contract documents, ' +
        'create an administrator with its first API key, compute and verify settlements (of a contract, or of every contract of a municipality), ' +
        'write period reports, verify and export the audit log',
    );
    for (const command of ['contracts:import', 'contracts:export', 'users:create-admin', 'settlements:compute', 'settlements:verify', 'settlements:portfolio', 'reports:write', 'audit:verify', 'audit:export']) {
      expect(help.out).toContain(`\n  ${command} `);
    }
    expect(help.out).toContain("It works on the database of SQLITE_PATH (default data/ancora.sqlite) or DATABASE_URL: give it the service's.\n");
    expect(await databaseWritten()).toBe(false);
  });
});
