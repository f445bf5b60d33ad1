import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTables, dropTables, fk, id, index, int, ref, str, TableSpec, text, timestamps } from 'src/database/migrations/migration-helpers';

// Co-definition of indicators: proposal sheets (schede), their links to the final indicators, and the
// versioned, approved indicator sets. Everything goes with its contract when the contract is deleted.
const TABLES: TableSpec[] = [
  {
    name: 'indicator_proposals',
    columns: [
      id(),
      ref('contract_id'),
      ref('organisation_id'),
      str('authored_by', 300),
      str('authored_by_label', 300),
      str('state', 16),
      text('answers', false),
      text('dimensions', false),
      text('metrics', false),
      text('instruments', false),
      str('submitted_at', 32, true),
      ...timestamps(),
    ],
    foreignKeys: [fk('contract_id', 'contracts', 'CASCADE'), fk('organisation_id', 'organisations')],
    indices: [index('indicator_proposals', ['contract_id']), index('indicator_proposals', ['organisation_id'])],
  },
  {
    name: 'indicator_proposal_links',
    columns: [id(), int('position'), ref('indicator_id'), ref('proposal_id')],
    foreignKeys: [fk('indicator_id', 'indicators', 'CASCADE'), fk('proposal_id', 'indicator_proposals', 'CASCADE')],
    indices: [index('indicator_proposal_links', ['indicator_id', 'proposal_id'], true), index('indicator_proposal_links', ['proposal_id'])],
  },
  {
    name: 'indicator_set_versions',
    columns: [
      id(),
      ref('contract_id'),
      int('version'),
      str('state', 16),
      text('content', false),
      str('content_hash', 64),
      text('reason'),
      text('minute'),
      ref('effective_from_period_id'),
      str('created_by', 300),
      str('created_by_label', 300),
      str('bound_at', 32, true),
      ...timestamps(),
    ],
    foreignKeys: [fk('contract_id', 'contracts', 'CASCADE'), fk('effective_from_period_id', 'contract_periods')],
    indices: [index('indicator_set_versions', ['contract_id', 'version'], true), index('indicator_set_versions', ['effective_from_period_id'])],
  },
  {
    name: 'indicator_set_approvals',
    columns: [
      id(),
      ref('version_id'),
      str('side', 16),
      ref('grouping_id', true),
      str('side_key', 80),
      str('content_hash', 64),
      ref('organisation_id'),
      str('approved_by', 300),
      str('approved_by_label', 300),
      ...timestamps(),
    ],
    foreignKeys: [fk('version_id', 'indicator_set_versions', 'CASCADE'), fk('grouping_id', 'provider_groupings'), fk('organisation_id', 'organisations')],
    indices: [
      index('indicator_set_approvals', ['version_id', 'side_key'], true),
      index('indicator_set_approvals', ['grouping_id']),
      index('indicator_set_approvals', ['organisation_id']),
    ],
  },
];

export class CoDefinition1764000000000 implements MigrationInterface {
  name = 'CoDefinition1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
