import { QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

// Dialect-neutral on purpose (docs/decisions/0003-migrations.md): only varchar, text and integer columns,
// built through TypeORM's Table API so SQLite and PostgreSQL get the same schema from the same code.
export const id = (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true });
export const ref = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
export const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
export const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
export const decimal = (name: string, nullable = false): TableColumnOptions => str(name, 64, nullable);
export const timestamps = (): TableColumnOptions[] => [str('created_at', 32), str('updated_at', 32)];
// NO ACTION rather than RESTRICT: checked at the end of the statement, so deleting a contract can cascade
// through its periods and indicators in any order while a row still referenced from outside is refused.
export const fk = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' | 'NO ACTION' = 'NO ACTION'): TableForeignKey =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete });
export const index = (table: string, columns: string[], unique = false): TableIndex =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`, columnNames: columns, isUnique: unique });

export interface TableSpec {
  name: string;
  columns: TableColumnOptions[];
  foreignKeys?: TableForeignKey[];
  indices?: TableIndex[];
}


// Landed migrations call these: extend them, never change what an existing helper produces.
export async function createTables(queryRunner: QueryRunner, tables: readonly TableSpec[]): Promise<void> {
  for (const spec of tables) {
    await queryRunner.createTable(new Table({ name: spec.name, columns: spec.columns, foreignKeys: spec.foreignKeys, indices: spec.indices }));
  }
}

export async function dropTables(queryRunner: QueryRunner, tables: readonly TableSpec[]): Promise<void> {
  for (const spec of [...tables].reverse()) {
    await queryRunner.dropTable(spec.name);
  }
}

/** The placeholder of a raw query's n-th parameter (from 1): `$n` on PostgreSQL, `?` on SQLite. */
export const param = (queryRunner: QueryRunner, n: number): string => (queryRunner.connection.options.type === 'postgres' ? `$${n}` : '?');

// SQLite before 3.32 binds at most 999 parameters per statement (PostgreSQL 65,535).
const MAX_PARAMETERS = 999;

/** Inserts rows (values in `columns` order) in as many statements as keep each under MAX_PARAMETERS. */
export async function insertRows(queryRunner: QueryRunner, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMETERS / columns.length);
  const names = columns.map((c) => `"${c}"`).join(', ');
  for (let start = 0; start < rows.length; start += perStatement) {
    const part = rows.slice(start, start + perStatement);
    const tuples = part.map((_, r) => `(${columns.map((_c, c) => param(queryRunner, r * columns.length + c + 1)).join(', ')})`);
    await queryRunner.query(`INSERT INTO "${table}" (${names}) VALUES ${tuples.join(', ')}`, part.flat());
  }
}
