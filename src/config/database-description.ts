import { DatabaseConfig } from 'src/config/app-config';

/**
 * The database a process works on, in words for people: `SQLite database data/ancora.sqlite`,
 * `PostgreSQL database ancora on db.example:5432`. Used where the service says where it listens and where
 * the CLI says where it looked, so an operator can tell that both use the same one. Never names the user
 * or the password of DATABASE_URL.
 */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') {
    return `SQLite database ${database.path}`;
  }
  const at = postgresLocation(database.url);
  if (at === null) return 'PostgreSQL database of DATABASE_URL';
  const where = `${at.host}:${at.port}`;
  return at.name === '' ? `PostgreSQL on ${where} (the user's default database)` : `PostgreSQL database ${at.name} on ${where}`;
}

/** Where a DATABASE_URL points (host, port, database name; `''` for the user's default database), or null when it is not a URL. */
export function postgresLocation(databaseUrl: string): { host: string; port: string; name: string } | null {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return null;
  }
  // pg's defaults: port 5432; a socket directory or host in ?host=; the user's own database without a path.
  return {
    host: decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost',
    port: url.port || '5432',
    name: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}
