import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTables, decimal, dropTables, fk, id, index, int, ref, str, TableSpec, text, timestamps } from 'src/database/migrations/migration-helpers';

// Settlements (one row per version per contract, period and grouping; the document is canonical JSON)
// and the evaluators' records that trigger evaluation payers. Settlements keep their contract: a contract
// with settlements cannot be deleted (FK NO ACTION -> CONTRACT_IN_USE).
// Actors are user ids or token subjects with a label, as elsewhere (not keys into users).
const TABLES: TableSpec[] = [
  {
    name: 'settlements',
    columns: [
      id(),
      ref('contract_id'),
      ref('period_id'),
      ref('grouping_id'),
      int('version'),
      str('state', 16),
      text('document', false),
      str('document_hash', 64),
      ref('indicator_set_version_id'),
      decimal('premium'),
      decimal('payable'),
      str('computed_by', 300),
      str('computed_by_label', 300),
      str('computed_at', 32),
      str('approved_by', 300, true),
      str('approved_by_label', 300, true),
      str('approved_at', 32, true),
      ref('previous_id', true),
      str('reopened_by', 300, true),
      text('reopen_reason'),
      ...timestamps(),
    ],
    foreignKeys: [
      fk('contract_id', 'contracts'),
      fk('period_id', 'contract_periods'),
      fk('grouping_id', 'provider_groupings'),
      fk('indicator_set_version_id', 'indicator_set_versions'),
      fk('previous_id', 'settlements'),
    ],
    indices: [
      index('settlements', ['contract_id', 'period_id', 'grouping_id', 'version'], true),
      index('settlements', ['period_id']),
      index('settlements', ['grouping_id']),
      index('settlements', ['indicator_set_version_id']),
      index('settlements', ['previous_id']),
    ],
  },
  {
    name: 'evaluation_records',
    columns: [
      id(),
      ref('contract_id'),
      ref('period_id'),
      ref('grouping_id'),
      str('payer_key', 64),
      str('significant', 5),
      decimal('certified_savings'),
      text('method', false),
      str('recorded_by', 300),
      str('recorded_by_label', 300),
      ...timestamps(),
    ],
    foreignKeys: [
      fk('contract_id', 'contracts', 'CASCADE'),
      fk('period_id', 'contract_periods', 'CASCADE'),
      fk('grouping_id', 'provider_groupings', 'CASCADE'),
    ],
    indices: [
      index('evaluation_records', ['contract_id', 'period_id', 'grouping_id', 'payer_key']),
      index('evaluation_records', ['period_id']),
      index('evaluation_records', ['grouping_id']),
    ],
  },
];

export class Settlements1764300000000 implements MigrationInterface {
  name = 'Settlements1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
