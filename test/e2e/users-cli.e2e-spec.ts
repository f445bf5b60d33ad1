import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { hashApiKey } from 'src/auth/api-key';
import { ApiKeyEntity, UserEntity } from 'src/auth/user.entity';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from 'src/cli/cli';
import { AppConfig } from 'src/config/app-config';
import { describeDatabase } from 'src/config/database-description';
import { createApp } from 'src/app/create-app';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';
import { testAppConfig } from 'test/support/test-config';
import { CliRun, runCliCaptured } from 'test/support/cli';

// `users:create-admin` run in-process through runCli on its own database, then the key it printed is
// used against the real HTTP application on the same database.

describe('CLI users:create-admin', () => {
  let db: TestDatabase;
  let config: AppConfig;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testAppConfig(db.config);
  });

  afterAll(async () => {
    await db.dispose();
  });

  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(config, argv);

  /** Boots the HTTP application on the same database, runs `work`, closes it. */
  async function withHttp<T>(work: (app: NestFastifyApplication) => Promise<T>): Promise<T> {
    const app = await createApp(config, false);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  }

  const KEY = /^ancora_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}\n$/;

  it('creates a platform administrator, prints its key once on standard output, and the key works', async () => {
    const res = await cli('users:create-admin', '--name', 'Maria Rossi', '--email', 'maria.rossi@example.org');
    expect(res.code).toBe(EXIT_OK);
    expect(res.out).toMatch(KEY);
    const key = res.out.trim();
    const prefix = key.slice(0, 15);
    expect(res.err).toMatch(new RegExp(`^Created platform administrator Maria Rossi \\(user id [0-9a-f-]{36}\\) with API key ${prefix}:\n`));
    expect(res.err).toContain('This key is shown only now and will not be shown again');
    expect(res.err).not.toContain(key);

    await withHttp(async (app) => {
      const ds = app.get(DataSource);
      const user = await ds.getRepository(UserEntity).findOneByOrFail({ email: 'maria.rossi@example.org' });
      expect(user).toMatchObject({ name: 'Maria Rossi', organisationId: null, roles: ['admin'], status: 'ACTIVE' });
      expect(await ds.getRepository(ApiKeyEntity).findOneByOrFail({ userId: user.id })).toMatchObject({ prefix, keyHash: hashApiKey(key), revokedAt: null });
      const audit = await ds.getRepository(AuditEntryEntity).find({ order: { seq: 'ASC' } });
      expect(audit.map((a) => [a.action, a.objectType, a.actorId])).toEqual([
        ['create', 'user', 'system'],
        ['create', 'api_key', 'system'],
      ]);

      const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-api-key': key } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ subject: user.id, platformAdmin: true, roles: ['admin'] });
      // The first admin creates the organisation the next admin will belong to.
      const org = await app.inject({
        method: 'POST',
        url: '/api/v1/organisations',
        headers: { 'x-api-key': key },
        payload: { code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova' },
      });
      expect(org.statusCode).toBe(201);
    });
  });

  it("creates an organisation's admin with --organisation", async () => {
    const res = await cli('users:create-admin', '--name', 'Paola Verdi', '--organisation', 'C-PADOVA');
    expect(res.code).toBe(EXIT_OK);
    expect(res.err).toMatch(/^Created administrator of C-PADOVA \(Comune di Padova\) Paola Verdi \(user id /);
    await withHttp(async (app) => {
      const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-api-key': res.out.trim() } });
      expect(me.json()).toMatchObject({ name: 'Paola Verdi', platformAdmin: false, roles: ['admin'], organisation: { code: 'C-PADOVA' } });
    });
  });

  it('refuses an unknown organisation, a taken email or a bad one, printing no key and creating nobody', async () => {
    const unknown = await cli('users:create-admin', '--name', 'X', '--organisation', 'C-NOWHERE');
    expect(unknown).toEqual({ code: EXIT_REFUSED, out: '', err: `administrator not created: no organisation with code C-NOWHERE in ${describeDatabase(config.database)}\n` });

    const taken = await cli('users:create-admin', '--name', 'Maria again', '--email', 'MARIA.ROSSI@example.org');
    expect(taken.code).toBe(EXIT_REFUSED);
    expect(taken.out).toBe('');
    expect(taken.err).toBe('administrator not created: USER_EMAIL_TAKEN: Another user has the email maria.rossi@example.org\n  email: already taken\n');

    const bad = await cli('users:create-admin', '--name', 'X', '--email', 'not-an-email');
    expect(bad.code).toBe(EXIT_REFUSED);
    expect(bad.out).toBe('');
    expect(bad.err).toBe('administrator not created:\n  --email: email must be an email\n');

    const usage = await cli('users:create-admin', '--email', 'x@example.org');
    expect(usage.code).toBe(EXIT_USAGE);
    expect(usage.err).toContain("required option '--name <name>' not specified");

    await withHttp(async (app) => {
      expect(await app.get(DataSource).getRepository(UserEntity).count()).toBe(2);
    });
  });
});
