import { DataSource, Table, TableColumn } from 'typeorm';
import { buildDataSourceOptions } from 'src/config/database-options';
import { MIGRATIONS } from 'src/database/migrations';
import { createTestDatabase, TestDatabase, testDialect } from 'test/support/test-database';

// docs/decisions/0003-migrations.md. The migrations are the only source of the schema (never
// `synchronize`), so this is the drift check: on a fresh database they must build exactly the tables
// and columns the entities describe, and undo themselves completely.

const BOOKKEEPING = new Set(['migrations', 'typeorm_metadata', 'sqlite_sequence']);

// Columns named *_id that deliberately carry no foreign key: the audit log and portfolio runs' results are
// history and must outlive the rows they speak of (a deleted contract keeps its audit trail).
const UNENFORCED_REFERENCES = new Set<string>([
  'audit_entries.organisation_id',
  'audit_entries.contract_id',
  'audit_entries.municipality_id',
  'audit_entries.object_id',
  'audit_entries.actor_id',
  // A portfolio run's results name the contracts as they were (with their code) and outlive them.
  'settlement_run_contracts.contract_id',
]);

async function userTables(dataSource: DataSource): Promise<Table[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const rows: { name: string }[] = await runner.query(
      dataSource.options.type === 'postgres'
        ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
        : `SELECT name FROM sqlite_master WHERE type = 'table'`,
    );
    const names = rows.map((r) => r.name).filter((name) => !BOOKKEEPING.has(name));
    const tables = names.length > 0 ? await runner.getTables(names) : [];
    return tables.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await runner.release();
  }
}

interface ColumnShape {
  type: string;
  length: string;
  nullable: boolean;
  primary: boolean;
  default: unknown;
}

const shapeText = (c: ColumnShape) =>
  `${c.type}${c.length ? `(${c.length})` : ''}${c.nullable ? ' null' : ' not null'}${c.primary ? ' primary' : ''}${c.default === undefined ? '' : ` default ${JSON.stringify(c.default)}`}`;

/**
 * Differences between the migrated schema and the entity metadata, in words: missing and extra tables
 * and columns, and each column's type, length, nullability, primary key and default, normalised by the
 * driver exactly as `synchronize` would compare them (`findChangedColumns`). Uniqueness and references
 * are checked by the tests below, because the migration realises them as named indexes and foreign keys.
 *
 * Not `createSchemaBuilder().log()` as such: the entities declare neither the migration's foreign keys
 * (they have no relations) nor its named indexes, so the builder always proposes to drop those, and on
 * SQLite it does so by rebuilding every table, which would hide a real column change in the noise.
 */
async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const driver = dataSource.driver;
  const tables = new Map((await userTables(dataSource)).map((t) => [t.name, t]));
  const drift: string[] = [];
  for (const metadata of dataSource.entityMetadatas) {
    const table = tables.get(metadata.tableName);
    tables.delete(metadata.tableName);
    if (!table) {
      drift.push(`table ${metadata.tableName} (${metadata.name}) is not created by any migration`);
      continue;
    }
    const columns = new Map(table.columns.map((c) => [c.name, c]));
    for (const column of metadata.columns) {
      const actual = columns.get(column.databaseName);
      columns.delete(column.databaseName);
      if (!actual) {
        drift.push(`column ${metadata.tableName}.${column.databaseName} (${metadata.name}.${column.propertyName}) is missing`);
        continue;
      }
      const wanted = shapeText({
        type: driver.normalizeType(column),
        length: column.length,
        nullable: column.isNullable,
        primary: column.isPrimary,
        default: driver.normalizeDefault(column),
      });
      const found = shapeText({ type: actual.type, length: actual.length, nullable: actual.isNullable, primary: actual.isPrimary, default: actual.default });
      if (wanted !== found) {
        drift.push(`column ${metadata.tableName}.${column.databaseName} is ${found}, ${metadata.name}.${column.propertyName} wants ${wanted}`);
      }
    }
    for (const extra of columns.values()) {
      drift.push(`column ${metadata.tableName}.${extra.name} exists but ${metadata.name} has no property for it`);
    }
  }
  for (const orphan of tables.keys()) {
    drift.push(`table ${orphan} has no entity (add it to src/database/entities.ts)`);
  }
  return drift.sort();
}

/** Columns named *_id without a foreign key. */
async function unenforcedReferences(dataSource: DataSource): Promise<string[]> {
  return (await userTables(dataSource)).flatMap((table) =>
    table.columns
      .filter((c) => c.name.endsWith('_id') && !UNENFORCED_REFERENCES.has(`${table.name}.${c.name}`))
      .filter((c) => !table.foreignKeys.some((fk) => fk.columnNames.length === 1 && fk.columnNames[0] === c.name))
      .map((c) => `${table.name}.${c.name}`),
  );
}

/** Entity uniques (`unique: true`, `@Unique`) with no unique index or constraint on exactly those columns. */
async function uniquesWithoutIndex(dataSource: DataSource): Promise<string[]> {
  const tables = new Map((await userTables(dataSource)).map((t) => [t.name, t]));
  return dataSource.entityMetadatas.flatMap((metadata) => {
    const table = tables.get(metadata.tableName);
    const present = [...(table?.indices.filter((i) => i.isUnique) ?? []), ...(table?.uniques ?? [])].map((u) =>
      [...u.columnNames].sort().join(','),
    );
    return metadata.uniques
      .map((u) => u.columns.map((c) => c.databaseName).sort().join(','))
      .filter((wanted) => !present.includes(wanted))
      .map((wanted) => `${metadata.tableName}(${wanted})`);
  });
}

describe(`migrations (${testDialect()})`, () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions(db.config));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.dispose();
  });

  it('start from an empty database', async () => {
    expect(await userTables(dataSource)).toEqual([]);
  });

  it('all run, in order, each recorded once', async () => {
    const executed = await dataSource.runMigrations({ transaction: 'each' });
    expect(executed.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await dataSource.runMigrations()).toEqual([]);
  });

  it('build exactly the tables and columns the entities describe', async () => {
    expect(await schemaDrift(dataSource)).toEqual([]);
    expect((await userTables(dataSource)).map((t) => t.name)).toEqual(dataSource.entityMetadatas.map((m) => m.tableName).sort());
  });

  it('enforce every *_id reference with a foreign key', async () => {
    expect(await unenforcedReferences(dataSource)).toEqual([]);
  });

  it('back every unique column of the entities with a unique index or constraint', async () => {
    expect(await uniquesWithoutIndex(dataSource)).toEqual([]);
  });

  if (testDialect() === 'postgres') {
    // On PostgreSQL the schema builder's own plan is readable: all it may want is to drop the foreign
    // keys and named indexes the entities do not declare, and to restate unique indexes as constraints.
    it('leave the schema builder nothing to do but those known, explained differences', async () => {
      const plan = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
      const known = [/^ALTER TABLE "\w+" DROP CONSTRAINT "FK_\w+"$/, /^DROP INDEX "public"\."(uq|ix)_\w+"$/, /^ALTER TABLE "\w+" ADD CONSTRAINT "UQ_\w+" UNIQUE \("\w+"\)$/];
      expect(plan.filter((q) => !known.some((re) => re.test(q)))).toEqual([]);
    });
  }

  it('undo one by one down to zero, leaving no tables, and run again cleanly', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    expect(await userTables(dataSource)).toEqual([]);
    expect(await dataSource.query('SELECT * FROM migrations')).toEqual([]);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await schemaDrift(dataSource)).toEqual([]);
  });

  it('report drift when the schema and the entities disagree (the checks can fail)', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.dropIndex('contracts', 'uq_contracts_code');
      const periodFk = (await runner.getTable('grouping_fees'))!.foreignKeys.find((fk) => fk.columnNames[0] === 'period_id')!;
      await runner.dropForeignKey('grouping_fees', periodFk);
      await runner.addColumn('organisations', new TableColumn({ name: 'colour', type: 'varchar', length: '16', isNullable: true }));
      await runner.changeColumn('organisations', 'name', new TableColumn({ name: 'name', type: 'varchar', length: '100' }));
      await runner.dropColumn('projects', 'department');
      await runner.createTable(new Table({ name: 'stray', columns: [{ name: 'id', type: 'integer', isPrimary: true }] }));
    } finally {
      await runner.release();
    }
    // PostgreSQL spells varchar "character varying".
    expect((await schemaDrift(dataSource)).map((d) => d.replaceAll('character varying', 'varchar'))).toEqual([
      'column organisations.colour exists but OrganisationEntity has no property for it',
      'column organisations.name is varchar(100) not null, OrganisationEntity.name wants varchar(300) not null',
      'column projects.department (ProjectEntity.department) is missing',
      'table stray has no entity (add it to src/database/entities.ts)',
    ]);
    expect(await unenforcedReferences(dataSource)).toEqual(['grouping_fees.period_id']);
    expect(await uniquesWithoutIndex(dataSource)).toEqual(['contracts(code)']);
  });
});
