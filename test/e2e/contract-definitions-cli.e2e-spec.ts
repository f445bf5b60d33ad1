import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from 'src/cli/cli';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { buildDataSourceOptions } from 'src/config/database-options';
import { describeDatabase } from 'src/config/database-description';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';
import { testAppConfig } from 'test/support/test-config';
import { CliRun, runCliCaptured } from 'test/support/cli';

// The CLI is run in-process through runCli (what dist/src/cli/main.js calls) on its own temporary
// database (SQLite by default, PostgreSQL with ANCORA_TEST_DB=postgres), booting the real AppModule.

const CONTRACTS = join(__dirname, '..', '..', 'contracts');
const PADOVA = join(CONTRACTS, 'examples', 'padova-sdc-2.0.json');
const BERGAMO = join(CONTRACTS, 'examples', 'bergamo-elderly-platform.json');

describe('CLI contracts:import and contracts:export', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'ancora-cli-'));
    config = testAppConfig(db.config, { demoData: true });
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.dispose();
  });

  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(config, argv);

  it('boots on an empty database without loading the demo data, even with demoData set', async () => {
    // Migrated and empty, as a service started without the demo leaves it (the CLI exports only from a database that is there).
    const ds = new DataSource(buildDataSourceOptions(db.config));
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();
    const res = await cli('contracts:export', 'PD-SDC-2.0');
    expect(res.code).toBe(EXIT_REFUSED);
    expect(res.err).toBe(`contract PD-SDC-2.0 not exported: CONTRACT_NOT_FOUND: No contract with code PD-SDC-2.0 in ${describeDatabase(db.config)}\n`);
  });

  it('imports documents and prints what it created', async () => {
    const res = await cli('contracts:import', PADOVA, BERGAMO);
    expect(res.err).toBe('');
    expect(res.code).toBe(EXIT_OK);
    expect(res.out).toContain(`${PADOVA}: imported contract PD-SDC-2.0 (id `);
    expect(res.out).toContain('  organisations created: C-PADOVA, ETS-AURORA, ETS-BORGO-VIVO, ETS-CICLAMINO, ETS-DELTA, ETS-EDERA; reused: none');
    expect(res.out).toContain('  value chain: 18 nodes, 32 links; 2 reference populations');
    expect(res.out).toContain('  3 periods; 2 groupings with 5 members and 6 fees');
    expect(res.out).toContain('  6 indicators with 11 baselines, 20 targets and 2 denominators');
    expect(res.out).toContain(`${BERGAMO}: imported contract BG-ABITARE-LA-CURA-2025 (id `);
    expect(res.out).toContain('2 of 2 documents imported');
  });

  it('exports a contract by code to standard output and to a file, equal to the imported document', async () => {
    const stdout = await cli('contracts:export', 'PD-SDC-2.0');
    expect(stdout.code).toBe(EXIT_OK);
    expect(stdout.out).toBe(readFileSync(PADOVA, 'utf8'));

    const file = join(dir, 'bergamo.json');
    const toFile = await cli('contracts:export', 'BG-ABITARE-LA-CURA-2025', '--out', file);
    expect(toFile.code).toBe(EXIT_OK);
    expect(toFile.out).toBe(`Exported contract BG-ABITARE-LA-CURA-2025 to ${file}\n`);
    expect(canonicalize(JSON.parse(readFileSync(file, 'utf8')))).toBe(canonicalize(JSON.parse(readFileSync(BERGAMO, 'utf8'))));
  });

  it('exits non-zero with the error code and the field details when a document is refused', async () => {
    const shares = join(CONTRACTS, 'invalid', 'GROUPING_SHARES_NOT_ONE.json');
    const refused = await cli('contracts:import', shares);
    expect(refused.code).toBe(EXIT_REFUSED);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(
      `${shares}: not imported: GROUPING_SHARES_NOT_ONE: The execution shares sum to 0.9, not exactly 1\n` +
        '  contract.groupings[0].members: execution shares sum to 0.9, not 1\n',
    );

    const again = await cli('contracts:import', PADOVA);
    expect(again.code).toBe(EXIT_REFUSED);
    expect(again.err).toContain('CONTRACT_DEFINITION_PROJECT_EXISTS: A project with code PD-SDC-2.0 already exists\n  project.code: already exists\n');

    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ "schemaVersion": ');
    const broken = await cli('contracts:import', notJson, shares);
    expect(broken.code).toBe(EXIT_REFUSED);
    expect(broken.err).toContain(`${notJson}: not imported: cannot read a JSON document`);
    expect(broken.out).toBe('0 of 2 documents imported\n');
  });

  it('exits non-zero for an unknown contract code and for wrong usage', async () => {
    const missing = await cli('contracts:export', 'NOPE');
    expect(missing.code).toBe(EXIT_REFUSED);
    expect(missing.err).toBe(`contract NOPE not exported: CONTRACT_NOT_FOUND: No contract with code NOPE in ${describeDatabase(db.config)}\n`);

    const usage = await cli('contracts:import');
    expect(usage.code).toBe(EXIT_USAGE);
    expect(usage.err).toContain("missing required argument 'file'");

    const unknown = await cli('contracts:delete');
    expect(unknown.code).toBe(EXIT_USAGE);
  });
});
