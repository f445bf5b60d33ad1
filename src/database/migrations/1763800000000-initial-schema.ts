import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTables, decimal, dropTables, fk, id, index, int, ref, str, TableSpec, text, timestamps } from 'src/database/migrations/migration-helpers';


const TABLES: TableSpec[] = [
  {
    name: 'organisations',
    columns: [
      id(),
      str('code', 64),
      str('kind', 16),
      str('name', 300),
      str('tax_code', 32, true),
      str('legal_form', 32, true),
      ref('district_id', true),
      ref('lead_organisation_id', true),
      ...timestamps(),
    ],
    foreignKeys: [fk('district_id', 'organisations'), fk('lead_organisation_id', 'organisations')],
    indices: [index('organisations', ['code'], true), index('organisations', ['kind'])],
  },
  {
    name: 'projects',
    columns: [
      id(),
      str('code', 64),
      str('name', 300),
      ref('municipality_id'),
      str('department', 300, true),
      text('description'),
      text('work_areas', false),
      text('target_groups', false),
      ...timestamps(),
    ],
    foreignKeys: [fk('municipality_id', 'organisations')],
    indices: [index('projects', ['code'], true), index('projects', ['municipality_id'])],
  },
  {
    name: 'value_chain_nodes',
    columns: [
      id(),
      ref('project_id'),
      str('code', 64),
      str('level', 16),
      str('label_it', 500),
      str('label_en', 500, true),
      text('description'),
      decimal('quantity', true),
      str('unit', 16, true),
      decimal('monetary_value', true),
      str('funding_source', 16, true),
      int('position'),
      ...timestamps(),
    ],
    foreignKeys: [fk('project_id', 'projects', 'CASCADE')],
    indices: [index('value_chain_nodes', ['project_id', 'code'], true)],
  },
  {
    name: 'value_chain_links',
    columns: [id(), ref('project_id'), ref('from_node_id'), ref('to_node_id'), int('position')],
    foreignKeys: [
      fk('project_id', 'projects', 'CASCADE'),
      fk('from_node_id', 'value_chain_nodes', 'CASCADE'),
      fk('to_node_id', 'value_chain_nodes', 'CASCADE'),
    ],
    indices: [index('value_chain_links', ['from_node_id', 'to_node_id'], true), index('value_chain_links', ['project_id'])],
  },
  {
    name: 'reference_populations',
    columns: [
      id(),
      ref('project_id'),
      str('code', 64),
      str('label_it', 500),
      str('label_en', 500, true),
      str('area', 300, true),
      str('target_group', 64, true),
      str('reference_date', 10),
      str('source', 500),
      decimal('value'),
      int('position'),
      ...timestamps(),
    ],
    foreignKeys: [fk('project_id', 'projects', 'CASCADE')],
    indices: [index('reference_populations', ['project_id', 'code'], true)],
  },
  {
    name: 'contracts',
    columns: [
      id(),
      str('code', 64),
      str('title', 500),
      ref('project_id'),
      ref('municipality_id'),
      str('currency', 3),
      str('start_date', 10),
      str('end_date', 10),
      text('payment_rules'),
      ...timestamps(),
    ],
    foreignKeys: [fk('project_id', 'projects'), fk('municipality_id', 'organisations')],
    indices: [index('contracts', ['code'], true), index('contracts', ['project_id']), index('contracts', ['municipality_id'])],
  },
  {
    name: 'contract_periods',
    columns: [id(), ref('contract_id'), str('code', 64), str('start_date', 10), str('end_date', 10), str('phase', 64, true), int('position'), ...timestamps()],
    foreignKeys: [fk('contract_id', 'contracts', 'CASCADE')],
    indices: [index('contract_periods', ['contract_id', 'code'], true)],
  },
  {
    name: 'provider_groupings',
    columns: [id(), ref('contract_id'), str('code', 64), str('name', 300), str('type', 16), text('areas', false), int('position'), ...timestamps()],
    foreignKeys: [fk('contract_id', 'contracts', 'CASCADE')],
    indices: [index('provider_groupings', ['contract_id', 'code'], true)],
  },
  {
    name: 'grouping_members',
    columns: [id(), ref('grouping_id'), ref('organisation_id'), str('role', 16), decimal('execution_share'), int('position')],
    foreignKeys: [fk('grouping_id', 'provider_groupings', 'CASCADE'), fk('organisation_id', 'organisations')],
    indices: [index('grouping_members', ['grouping_id', 'organisation_id'], true), index('grouping_members', ['organisation_id'])],
  },
  {
    name: 'grouping_fees',
    columns: [id(), ref('grouping_id'), ref('period_id'), decimal('amount'), int('position')],
    foreignKeys: [fk('grouping_id', 'provider_groupings', 'CASCADE'), fk('period_id', 'contract_periods', 'CASCADE')],
    indices: [index('grouping_fees', ['grouping_id', 'period_id'], true)],
  },
  {
    name: 'indicators',
    columns: [
      id(),
      ref('contract_id'),
      ref('node_id'),
      str('code', 64),
      str('label_it', 500),
      str('label_en', 500, true),
      str('unit', 16),
      str('direction', 16),
      text('formula_text'),
      text('formula_numerator'),
      text('formula_denominator'),
      str('instrument', 500, true),
      str('data_owner', 16, true),
      str('frequency', 16),
      int('min_sample_size', true),
      text('disaggregations', false),
      str('scope', 16),
      str('aggregation', 16),
      int('position'),
      ...timestamps(),
    ],
    foreignKeys: [fk('contract_id', 'contracts', 'CASCADE'), fk('node_id', 'value_chain_nodes')],
    indices: [index('indicators', ['contract_id', 'code'], true), index('indicators', ['node_id'])],
  },
  {
    name: 'indicator_baselines',
    columns: [
      id(),
      ref('indicator_id'),
      ref('grouping_id', true),
      decimal('value', true),
      ref('established_in_period_id', true),
      str('reference', 64, true),
      text('note'),
      int('position'),
    ],
    foreignKeys: [
      fk('indicator_id', 'indicators', 'CASCADE'),
      fk('grouping_id', 'provider_groupings', 'CASCADE'),
      // SET NULL: PostgreSQL checks this reference while a contract's cascade is still removing the
      // baselines, so NO ACTION would refuse deleting a contract. Removing one period is guarded in the service.
      fk('established_in_period_id', 'contract_periods', 'SET NULL'),
    ],
    indices: [index('indicator_baselines', ['indicator_id'])],
  },
  {
    name: 'indicator_targets',
    columns: [id(), ref('indicator_id'), ref('period_id'), ref('grouping_id', true), decimal('value'), int('position')],
    foreignKeys: [
      fk('indicator_id', 'indicators', 'CASCADE'),
      fk('period_id', 'contract_periods', 'CASCADE'),
      fk('grouping_id', 'provider_groupings', 'CASCADE'),
    ],
    indices: [index('indicator_targets', ['indicator_id'])],
  },
  {
    name: 'indicator_denominators',
    columns: [id(), ref('indicator_id'), ref('grouping_id', true), ref('reference_population_id'), int('position')],
    foreignKeys: [
      fk('indicator_id', 'indicators', 'CASCADE'),
      fk('grouping_id', 'provider_groupings', 'CASCADE'),
      fk('reference_population_id', 'reference_populations'),
    ],
    indices: [index('indicator_denominators', ['indicator_id'])],
  },
];

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
