import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { DatabaseConfig } from 'src/config/app-config';
import { describeDatabase } from 'src/config/database-description';

// Booting the application creates and migrates whatever database it is given: right for the service and
// for the commands that may start an installation (contracts:import, users:create-admin), wrong for those
// that read or settle what the service stored. Run without the service's SQLITE_PATH or DATABASE_URL, they
// would work on a new, empty database and answer only "not found". So before booting, they ask for a
// database that is there: the SQLite file exists, or the PostgreSQL database already has Ancora's tables.

/** Why the CLI will not open this database (a sentence for the operator), or null when it may go on. */
export async function databaseProblem(database: DatabaseConfig, mayCreate: boolean): Promise<string | null> {
  if (database.kind === 'sqlite') {
    if (mayCreate || database.path === ':memory:' || existsSync(database.path)) {
      return null;
    }
    return `no SQLite database at ${database.path}: set SQLITE_PATH (or DATABASE_URL) to the service's database`;
  }
  // Connecting here also answers at once for a server that is not there, where the application would retry
  // for half a minute.
  const client = new Client({ connectionString: database.url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a connection lost after the check is not this check's concern
  try {
    await client.connect();
    if (mayCreate) {
      return null;
    }
    const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('migrations') IS NOT NULL AS present");
    return rows[0]?.present === true
      ? null
      : `${describeDatabase(database)} holds no Ancora data (it has no migrations table): set DATABASE_URL to the service's database`;
  } catch (error) {
    const message = (error as { message?: unknown } | null)?.message;
    return `cannot open ${describeDatabase(database)}: ${typeof message === 'string' ? message : String(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
