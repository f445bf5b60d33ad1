import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTables, dropTables, fk, id, index, int, ref, str, TableSpec, text, timestamps } from 'src/database/migrations/migration-helpers';

// Comments on proposal sheets and on indicator-set versions (co-definition). A comment goes with the
// object it is on; `seq` numbers the comments of one object, unique per object.
const TABLES: TableSpec[] = [
  {
    name: 'co_definition_comments',
    columns: [
      id(),
      ref('contract_id'),
      ref('proposal_id', true),
      ref('version_id', true),
      int('seq'),
      ref('reply_to_id', true),
      text('text', false),
      ref('organisation_id'),
      str('authored_by', 300),
      str('authored_by_label', 300),
      text('author_roles', false),
      ...timestamps(),
    ],
    foreignKeys: [
      fk('contract_id', 'contracts', 'CASCADE'),
      fk('proposal_id', 'indicator_proposals', 'CASCADE'),
      fk('version_id', 'indicator_set_versions', 'CASCADE'),
      fk('reply_to_id', 'co_definition_comments', 'CASCADE'),
      fk('organisation_id', 'organisations'),
    ],
    indices: [
      index('co_definition_comments', ['proposal_id', 'seq'], true),
      index('co_definition_comments', ['version_id', 'seq'], true),
      index('co_definition_comments', ['contract_id']),
      index('co_definition_comments', ['reply_to_id']),
      index('co_definition_comments', ['organisation_id']),
    ],
  },
];

export class Comments1764200000000 implements MigrationInterface {
  name = 'Comments1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
