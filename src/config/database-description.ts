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
  let url: URL;
  try {
    url = new URL(database.url);
  } catch {
    return 'PostgreSQL database of DATABASE_URL';
  }
  // pg's defaults: port 5432; a socket directory or host in ?host=; the user's own database without a path.
  const host = decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost';
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const where = `${host}:${url.port || '5432'}`;
  return name === '' ? `PostgreSQL on ${where} (the user's default database)` : `PostgreSQL database ${name} on ${where}`;
}
