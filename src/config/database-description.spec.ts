import { describeDatabase } from 'src/config/database-description';

describe('describeDatabase', () => {
  it('names a SQLite file as configured', () => {
    expect(describeDatabase({ kind: 'sqlite', path: 'data/ancora.sqlite' })).toBe('SQLite database data/ancora.sqlite');
  });

  it('names a PostgreSQL database by name, host and port, never by user or password', () => {
    const text = describeDatabase({ kind: 'postgres', url: 'postgres://ancora:s3cret-pw@127.0.0.1:5432/test?sslmode=require' });
    expect(text).toBe('PostgreSQL database test on 127.0.0.1:5432');
    expect(text).not.toMatch(/s3cret|ancora/);
  });

  it("fills in pg's defaults: port 5432, a socket host in ?host=, the user's own database", () => {
    expect(describeDatabase({ kind: 'postgres', url: 'postgresql://u:p%40ss@db.example/my%20db' })).toBe('PostgreSQL database my db on db.example:5432');
    expect(describeDatabase({ kind: 'postgres', url: 'postgres:///ancora?host=/var/run/postgresql' })).toBe('PostgreSQL database ancora on /var/run/postgresql:5432');
    expect(describeDatabase({ kind: 'postgres', url: 'postgres://u:pw@db.example:6543' })).toBe("PostgreSQL on db.example:6543 (the user's default database)");
  });

  it('says DATABASE_URL rather than echo a URL it cannot parse (it may hold a password)', () => {
    expect(describeDatabase({ kind: 'postgres', url: 'postgres://u:pw@[bad' })).toBe('PostgreSQL database of DATABASE_URL');
  });
});
