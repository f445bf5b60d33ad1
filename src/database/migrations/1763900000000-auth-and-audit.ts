import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTables, dropTables, fk, id, index, int, ref, str, TableSpec, text, timestamps } from 'src/database/migrations/migration-helpers';

const TABLES: TableSpec[] = [
  {
    name: 'users',
    columns: [id(), ref('organisation_id', true), str('name', 300), str('email', 320, true), text('roles', false), str('status', 16), ...timestamps()],
    foreignKeys: [fk('organisation_id', 'organisations')],
    indices: [index('users', ['email'], true), index('users', ['organisation_id'])],
  },
  {
    name: 'api_keys',
    columns: [id(), ref('user_id'), str('name', 200), str('prefix', 32), str('key_hash', 64), str('expires_at', 32, true), str('revoked_at', 32, true), ...timestamps()],
    foreignKeys: [fk('user_id', 'users', 'CASCADE')],
    indices: [index('api_keys', ['prefix'], true), index('api_keys', ['user_id'])],
  },
  {
    name: 'contract_grants',
    columns: [id(), ref('contract_id'), ref('organisation_id'), ...timestamps()],
    foreignKeys: [fk('contract_id', 'contracts', 'CASCADE'), fk('organisation_id', 'organisations')],
    indices: [index('contract_grants', ['contract_id', 'organisation_id'], true), index('contract_grants', ['organisation_id'])],
  },
  {
    // Append-only and self-contained: no foreign keys, so deleting a contract never touches its history.
    name: 'audit_entries',
    columns: [
      id(),
      int('seq'),
      str('occurred_at', 32),
      str('actor_id', 300),
      str('actor_label', 300),
      ref('organisation_id', true),
      str('action', 64),
      str('object_type', 64),
      str('object_id', 64),
      ref('contract_id', true),
      ref('municipality_id', true),
      str('before_digest', 64, true),
      str('after_digest', 64, true),
      str('prev_hash', 64),
      str('entry_hash', 64),
    ],
    indices: [index('audit_entries', ['seq'], true), index('audit_entries', ['contract_id']), index('audit_entries', ['municipality_id'])],
  },
  {
    name: 'audit_chain_head',
    columns: [{ ...str('id', 16), isPrimary: true }, int('seq'), str('hash', 64)],
  },
];

export class AuthAndAudit1763900000000 implements MigrationInterface {
  name = 'AuthAndAudit1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTables(queryRunner, TABLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropTables(queryRunner, TABLES);
  }
}
