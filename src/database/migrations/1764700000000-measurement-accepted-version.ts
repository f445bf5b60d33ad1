import { MigrationInterface, QueryRunner } from 'typeorm';

// The version of a measurement that counts (docs/measurements.md, "Correcting an accepted value"): the last
// accepted one stays in force while a correction of it is submitted, reviewed or returned, so `status =
// 'ACCEPTED'` at `version` no longer says what settlement reads. Null while no version was ever accepted;
// filled for the measurements accepted before, whose accepted version is their current one.
//
// Plain ALTER TABLE, valid SQL on both databases, instead of the Table API: on SQLite TypeORM adds and drops a
// column by copying the table, and measurement_versions and measurement_evidence point at measurements with
// ON DELETE CASCADE, so a copy made while reverting (foreign keys cannot be turned off inside its
// transaction, docs/decisions/0003-migrations.md) would delete every version and file record. SQLite adds
// and (from 3.35) drops a column in place.
export class MeasurementAcceptedVersion1764700000000 implements MigrationInterface {
  name = 'MeasurementAcceptedVersion1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "measurements" ADD COLUMN "accepted_version" integer NULL');
    await queryRunner.query(`UPDATE "measurements" SET "accepted_version" = "version" WHERE "status" = 'ACCEPTED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The schema before reads a measurement as counting only when its current version is ACCEPTED: one with
    // a correction pending would silently stop counting in settlements and open data. Refuse instead.
    const pending = (await queryRunner.query(
      `SELECT "id" FROM "measurements" WHERE "accepted_version" IS NOT NULL AND ("status" <> 'ACCEPTED' OR "accepted_version" <> "version") ORDER BY "id"`,
    )) as { id: string }[];
    if (pending.length > 0) {
      const shown = pending.slice(0, 10).map((r) => r.id).join(', ');
      throw new Error(
        `Cannot revert MeasurementAcceptedVersion1764700000000: ${pending.length} measurement(s) have a correction of an accepted value pending ` +
          `(${shown}${pending.length > 10 ? ', ...' : ''}), which the schema before would read as not accepted. Accept or correct them first.`,
      );
    }
    await queryRunner.query('ALTER TABLE "measurements" DROP COLUMN "accepted_version"');
  }
}
