import { join } from 'node:path';
import { demoCredentialsFile } from 'src/demo/demo-credentials';

describe('where the demo keys are written: one file per database, never another database\'s', () => {
  it('puts them next to the SQLite file, or in the directory given', () => {
    expect(demoCredentialsFile({ kind: 'sqlite', path: 'data/ancora.sqlite' })).toBe(join('data', 'demo-credentials.json'));
    expect(demoCredentialsFile({ kind: 'sqlite', path: '/srv/ancora/own.sqlite' })).toBe('/srv/ancora/demo-credentials.json');
    expect(demoCredentialsFile({ kind: 'sqlite', path: 'data/ancora.sqlite' }, '/tmp/x')).toBe('/tmp/x/demo-credentials.json');
  });

  it('names a PostgreSQL database\'s file after its host, port and name, so the SQLite demo keys stay', () => {
    expect(demoCredentialsFile({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' })).toBe(join('data', 'demo-credentials.postgres-127.0.0.1-5432-test.json'));
    expect(demoCredentialsFile({ kind: 'postgres', url: 'postgres://u:secret@db.example/ancora' })).toBe(join('data', 'demo-credentials.postgres-db.example-5432-ancora.json'));
    expect(demoCredentialsFile({ kind: 'postgres', url: 'postgres://u@db.example:6543/ancora' }, '/tmp/x')).toBe('/tmp/x/demo-credentials.postgres-db.example-6543-ancora.json');
  });

  it('keeps the file name to safe characters and never puts the password in it', () => {
    const file = demoCredentialsFile({ kind: 'postgres', url: 'postgres://u:p%2Fss@h/my%20db%2F..%2Fx' });
    expect(file).toBe(join('data', 'demo-credentials.postgres-h-5432-my_db_.._x.json'));
    expect(file).not.toContain('p/ss');
    expect(demoCredentialsFile({ kind: 'postgres', url: 'postgres://u@h' })).toBe(join('data', 'demo-credentials.postgres-h-5432-default.json'));
    expect(demoCredentialsFile({ kind: 'postgres', url: 'not a url' })).toBe(join('data', 'demo-credentials.postgres-unnamed.json'));
  });
});
