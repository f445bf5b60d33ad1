import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { createTables, decimal, dropTables, fk, id, index, int, ref, str, TableSpec, text, timestamps } from 'src/database/migrations/migration-helpers';

// Measurements from the ETS, their versions and reviews, idempotency keys of submissions, period closures
// and evidence files (issue 3, section 3).
const TABLES: TableSpec[] = [
  {
    name: 'measurements',
    columns: [id(), ref('contract_id'), ref('period_id'), ref('grouping_id'), ref('organisation_id'), str('indicator_code', 64), str('status', 16), int('version'), ...timestamps()],
    foreignKeys: [
      fk('contract_id', 'contracts', 'CASCADE'),
      fk('period_id', 'contract_periods'),
      fk('grouping_id', 'provider_groupings'),
      fk('organisation_id', 'organisations'),
    ],
    indices: [
      // One measurement per indicator, period, grouping and submitting member (PostgreSQL names stop at 63 characters).
      new TableIndex({ name: 'uq_measurements_subject', columnNames: ['period_id', 'grouping_id', 'organisation_id', 'indicator_code'], isUnique: true }),
      index('measurements', ['contract_id']),
      index('measurements', ['grouping_id']),
      index('measurements', ['organisation_id']),
    ],
  },
  {
    name: 'measurement_versions',
    columns: [
      id(),
      ref('measurement_id'),
      int('version'),
      ref('indicator_set_version_id'),
      decimal('value'),
      decimal('numerator', true),
      decimal('denominator', true),
      int('sample_size', true),
      str('not_assessable', 5),
      text('disaggregations', false),
      text('method_notes'),
      text('correction_reason'),
      str('created_by', 300),
      str('submitted_at', 32, true),
      str('review_outcome', 16, true),
      text('review_reason'),
      str('reviewed_by', 300, true),
      str('reviewed_at', 32, true),
      ...timestamps(),
    ],
    foreignKeys: [fk('measurement_id', 'measurements', 'CASCADE'), fk('indicator_set_version_id', 'indicator_set_versions')],
    indices: [index('measurement_versions', ['measurement_id', 'version'], true)],
  },
  {
    name: 'measurement_idempotency_keys',
    columns: [id(), str('caller_scope', 320), str('idempotency_key', 200), str('request_hash', 64), int('response_status'), text('response_body', false), ...timestamps()],
    indices: [index('measurement_idempotency_keys', ['caller_scope', 'idempotency_key'], true)],
  },
  {
    name: 'period_closures',
    columns: [
      id(),
      ref('period_id'),
      ref('contract_id'),
      str('closed_at', 32),
      str('closed_by', 300),
      str('reopened_at', 32, true),
      str('reopened_by', 300, true),
      text('reopen_reason'),
      ...timestamps(),
    ],
    foreignKeys: [fk('period_id', 'contract_periods'), fk('contract_id', 'contracts', 'CASCADE')],
    indices: [index('period_closures', ['period_id']), index('period_closures', ['contract_id'])],
  },
  {
    name: 'measurement_evidence',
    columns: [
      id(),
      ref('measurement_id'),
      int('measurement_version'),
      str('storage_name', 64),
      str('original_name', 255),
      str('content_type', 100),
      int('size_bytes'),
      str('sha256', 64),
      str('uploaded_by', 300),
      ...timestamps(),
    ],
    foreignKeys: [fk('measurement_id', 'measurements', 'CASCADE')],
    indices: [index('measurement_evidence', ['measurement_id']), index('measurement_evidence', ['storage_name'], true)],
  },
];

export class Measurements1764100000000 implements MigrationInterface {
  name = 'Measurements1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
