import { DataSource } from 'typeorm';
import { MeasurementAcceptedVersion1764700000000 } from 'src/database/migrations/1764700000000-measurement-accepted-version';
import { insertRows } from 'src/database/migrations/migration-helpers';
import { MeasurementEntity } from 'src/measurements/measurement.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { atPreviousRelease } from 'test/support/migration-fixtures';
import { createTestDatabase, TestDatabase, testDialect } from 'test/support/test-database';

// Migration 1764700000000 on a database the previous release left: measurements accepted before count at
// their current version (accepted_version = version), the others have none. `down` refuses while a
// correction of an accepted value is pending (the schema before would stop counting that value) and else
// drops the column keeping every measurement, version and evidence row: on SQLite a table copy of
// measurements would cascade to them. The old rows are written in raw SQL, the entity describes the new schema.

const AT = '2026-01-15T10:00:00.000Z';
const SET_VERSION = '00000000-0000-4000-8000-00000000c001';
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
// [measurement, status, current version, review outcome of each version]
const MEASUREMENTS: [string, string, number, (string | null)[]][] = [
  [id(1), 'ACCEPTED', 1, ['ACCEPTED']],
  [id(2), 'ACCEPTED', 2, ['RETURNED', 'ACCEPTED']],
  [id(3), 'SUBMITTED', 1, [null]],
  [id(4), 'RETURNED', 1, ['RETURNED']],
  [id(5), 'DRAFT', 1, [null]],
];
const VERSION_COLUMNS = [
  'id', 'measurement_id', 'version', 'indicator_set_version_id', 'value', 'numerator', 'denominator', 'sample_size', 'not_assessable', 'disaggregations',
  'method_notes', 'correction_reason', 'created_by', 'submitted_at', 'review_outcome', 'review_reason', 'reviewed_by', 'reviewed_at', 'created_at', 'updated_at',
];
const versionRow = (measurementId: string, version: number, outcome: string | null): unknown[] => [
  `${measurementId.slice(0, -3)}${version}${measurementId.slice(-2)}`, measurementId, version, SET_VERSION, String(10 + version), null, null, null, 'false', '{}',
  null, version > 1 ? 'corretto' : null, 'u1', AT, outcome, outcome === 'RETURNED' ? 'manca il registro' : null, outcome ? 'u2' : null, outcome ? AT : null, AT, AT,
];

describe(`migration 1764700000000: the accepted version of measurements (${testDialect()})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let fx: ContractFixture;

  const acceptedVersions = async () => (await dataSource.getRepository(MeasurementEntity).find({ order: { id: 'ASC' } })).map((x) => [x.id, x.status, x.version, x.acceptedVersion]);
  const count = async (table: string): Promise<number> => Number((await dataSource.query<{ n: string | number }[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const columns = async (): Promise<string[]> => {
    const runner = dataSource.createQueryRunner();
    try {
      return (await runner.getTable('measurements'))!.columns.map((c) => c.name);
    } finally {
      await runner.release();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await atPreviousRelease(db, MeasurementAcceptedVersion1764700000000, async (previous, runner) => {
      fx = await seedContract(previous);
      await insertRows(
        runner,
        'indicator_set_versions',
        ['id', 'contract_id', 'version', 'state', 'content', 'content_hash', 'reason', 'minute', 'effective_from_period_id', 'created_by', 'created_by_label', 'bound_at', 'created_at', 'updated_at'],
        [[SET_VERSION, fx.contractId, 1, 'BINDING', '{}', 'x'.repeat(64), null, null, fx.periodIds.Y1, 'u1', 'Laura Bianchi', AT, AT, AT]],
      );
      const organisation = fx.etsIds.AURORA;
      await insertRows(
        runner,
        'measurements',
        ['id', 'contract_id', 'period_id', 'grouping_id', 'organisation_id', 'indicator_code', 'status', 'version', 'created_at', 'updated_at'],
        MEASUREMENTS.map(([mid, status, version], i) => [mid, fx.contractId, fx.periodIds.Y2, fx.groupingIds['RTI-A'], organisation, `IND-0${i + 1}`, status, version, AT, AT]),
      );
      await insertRows(runner, 'measurement_versions', VERSION_COLUMNS, MEASUREMENTS.flatMap(([mid, , , outcomes]) => outcomes.map((o, i) => versionRow(mid, i + 1, o))));
      await insertRows(
        runner,
        'measurement_evidence',
        ['id', 'measurement_id', 'measurement_version', 'storage_name', 'original_name', 'content_type', 'size_bytes', 'sha256', 'uploaded_by', 'created_at', 'updated_at'],
        [[id(901), id(1), 1, 'stored-1', 'registro.pdf', 'application/pdf', 10, 'a'.repeat(64), 'u1', AT, AT]],
      );
    });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.dispose();
  });

  it('up: the measurements accepted before count at their current version, the others have no accepted version', async () => {
    expect((await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['MeasurementAcceptedVersion1764700000000']);
    expect(await acceptedVersions()).toEqual([
      [id(1), 'ACCEPTED', 1, 1],
      [id(2), 'ACCEPTED', 2, 2],
      [id(3), 'SUBMITTED', 1, null],
      [id(4), 'RETURNED', 1, null],
      [id(5), 'DRAFT', 1, null],
    ]);
  });

  it('down: refused while a correction of an accepted value is pending, and nothing changes', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await insertRows(runner, 'measurement_versions', VERSION_COLUMNS, [versionRow(id(1), 2, null)]);
    } finally {
      await runner.release();
    }
    await dataSource.getRepository(MeasurementEntity).update({ id: id(1) }, { status: 'SUBMITTED', version: 2 });
    await expect(dataSource.undoLastMigration({ transaction: 'each' })).rejects.toThrow(
      `Cannot revert MeasurementAcceptedVersion1764700000000: 1 measurement(s) have a correction of an accepted value pending (${id(1)})`,
    );
    expect(await columns()).toContain('accepted_version');
    expect((await acceptedVersions())[0]).toEqual([id(1), 'SUBMITTED', 2, 1]);
  });

  it('down: once no correction is pending, drops the column and keeps every measurement, version and evidence row; up again fills it the same', async () => {
    await dataSource.query(`DELETE FROM measurement_versions WHERE measurement_id = '${id(1)}' AND version = 2`);
    await dataSource.getRepository(MeasurementEntity).update({ id: id(1) }, { status: 'ACCEPTED', version: 1 });
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await columns()).not.toContain('accepted_version');
    expect([await count('measurements'), await count('measurement_versions'), await count('measurement_evidence')]).toEqual([5, 6, 1]);
    expect(await dataSource.query(`SELECT id, status, version FROM measurements ORDER BY id`)).toEqual(MEASUREMENTS.map(([mid, status, version]) => ({ id: mid, status, version })));

    await dataSource.runMigrations({ transaction: 'each' });
    expect((await acceptedVersions()).map((r) => r[3])).toEqual([1, 2, null, null, null]);
  });
});
