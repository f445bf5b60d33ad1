import { resolve } from 'node:path';
import { ConfigurationError, DEFAULT_SQLITE_PATH, loadConfig } from 'src/config/app-config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadConfig', () => {
  it('starts on the embedded SQLite with demo data, JSON logs and port 3000 when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'sqlite', path: DEFAULT_SQLITE_PATH },
      demoData: true,
      logLevel: 'info',
      logFormat: 'json',
      evidenceDir: resolve('data/evidence'),
      jwt: null,
    });
  });

  it('treats empty variables as unset and ignores variables it does not know', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '', NODE_ENV: 'production', PATH: '/bin' })).toEqual(loadConfig({}));
  });

  it('switches to PostgreSQL when DATABASE_URL is set, ignoring SQLITE_PATH', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://ancora@db:5432/ancora', SQLITE_PATH: '/tmp/x.sqlite' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://ancora@db:5432/ancora' });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/ancora' }).database.kind).toBe('postgres');
  });

  it('reads every variable it documents', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '0.0.0.0',
        SQLITE_PATH: '/var/lib/ancora/db.sqlite',
        DEMO_DATA: 'off',
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'pretty',
        JWT_SECRET: 'a-shared-secret-of-at-least-32-chars!',
        JWT_ISSUER: 'https://idp.comune.padova.it',
        JWT_AUDIENCE: 'ancora',
        EVIDENCE_DIR: '/var/lib/ancora/evidence',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      database: { kind: 'sqlite', path: '/var/lib/ancora/db.sqlite' },
      demoData: false,
      logLevel: 'debug',
      logFormat: 'pretty',
      evidenceDir: '/var/lib/ancora/evidence',
      jwt: {
        key: { kind: 'secret', secret: 'a-shared-secret-of-at-least-32-chars!' },
        issuer: 'https://idp.comune.padova.it',
        audience: 'ancora',
      },
    });
  });

  it('keeps evidence in data/evidence under the working directory unless EVIDENCE_DIR says otherwise', () => {
    expect(loadConfig({}).evidenceDir).toBe(resolve(process.cwd(), 'data/evidence'));
    expect(loadConfig({ EVIDENCE_DIR: 'files' }).evidenceDir).toBe(resolve(process.cwd(), 'files'));
    expect(() => loadConfig({ EVIDENCE_DIR: 'a\0b' })).toThrow('EVIDENCE_DIR must be a directory path');
  });

  it('takes a PEM public key for bearer tokens instead of a secret, but not both', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----';
    expect(loadConfig({ JWT_PUBLIC_KEY: pem }).jwt).toEqual({ key: { kind: 'public-key', pem }, issuer: null, audience: null });
    expect(() => loadConfig({ JWT_PUBLIC_KEY: pem, JWT_SECRET: 'x'.repeat(32) })).toThrow('Set JWT_SECRET or JWT_PUBLIC_KEY, not both');
    expect(() => loadConfig({ JWT_SECRET: 'too-short' })).toThrow('JWT_SECRET must be at least 32 characters');
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    [' on ', true],
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
  ])('reads DEMO_DATA=%j as %j', (value, expected) => {
    expect(loadConfig({ DEMO_DATA: value }).demoData).toBe(expected);
  });

  it.each(['abc', '3000.5', '-1', '65536', '1e3', '0x50', ' 80'])('rejects PORT=%j with one clear message', (port) => {
    expect(problemsOf({ PORT: port })).toEqual(['PORT must be a whole number from 0 to 65535']);
  });

  it('takes the open-data identifiers when set (the exports default them otherwise) and refuses malformed ones', () => {
    expect(loadConfig({}).iatiReportingOrgRef).toBeUndefined();
    expect(loadConfig({}).ocdsOcidPrefix).toBeUndefined();
    const config = loadConfig({ IATI_REPORTING_ORG_REF: 'IT-CF-00644060287', OCDS_OCID_PREFIX: 'ocds-a1b2c3-' });
    expect([config.iatiReportingOrgRef, config.ocdsOcidPrefix]).toEqual(['IT-CF-00644060287', 'ocds-a1b2c3-']);
    expect(problemsOf({ IATI_REPORTING_ORG_REF: 'IT CF/1' })).toEqual(['IATI_REPORTING_ORG_REF must be an IATI organisation identifier, without spaces, /, &, | or ?']);
    expect(problemsOf({ OCDS_OCID_PREFIX: 'ancora-' })).toEqual(['OCDS_OCID_PREFIX must start with ocds- followed by letters, digits or -, e.g. ocds-a1b2c3-']);
  });

  it('accepts the edges of the port range', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('rejects a DEMO_DATA that is not a boolean word', () => {
    expect(problemsOf({ DEMO_DATA: 'maybe' })).toEqual(['DEMO_DATA must be true or false']);
  });

  it('rejects an unknown LOG_LEVEL or LOG_FORMAT, listing the allowed values', () => {
    expect(problemsOf({ LOG_LEVEL: 'trace' })).toEqual([
      'LOG_LEVEL must be one of the following values: fatal, error, warn, info, debug, verbose',
    ]);
    expect(problemsOf({ LOG_FORMAT: 'xml' })).toEqual(['LOG_FORMAT must be one of the following values: json, pretty']);
  });

  it('rejects a DATABASE_URL that is not PostgreSQL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://db/ancora' })).toEqual([
      'DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite',
    ]);
  });

  it('reports every bad variable at once, in one readable message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'loud', DEMO_DATA: '?' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toBe(
      'Invalid configuration:\n' +
        '  - PORT must be a whole number from 0 to 65535\n' +
        '  - DEMO_DATA must be true or false\n' +
        '  - LOG_LEVEL must be one of the following values: fatal, error, warn, info, debug, verbose',
    );
  });
});
