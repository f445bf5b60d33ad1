import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { digestOf } from 'src/audit/audit.chain';
import { hashApiKey } from 'src/auth/api-key';
import { ApiKeyEntity } from 'src/auth/user.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp, TEST_NOW } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// API keys: shown once, stored as SHA-256 with a visible prefix, listed without secrets, revocable;
// everyone manages their own, admins those of the users they administer.

describe('API keys', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let anna: TestUser; // ETS member of Aurora
  let bruno: TestUser; // ETS member of Delta
  let padovaAdmin: TestUser;
  let auroraAdmin: TestUser;
  const now = TEST_NOW.toISOString();

  beforeAll(async () => {
    t = await createTestApp();
    pd = await seedContract(t.app);
    const ds = t.app.get(DataSource);
    anna = await insertTestUser(ds, { name: 'Anna (Aurora)', roles: ['ets_member'], organisationId: pd.etsIds.AURORA }, now);
    bruno = await insertTestUser(ds, { name: 'Bruno (Delta)', roles: ['ets_member'], organisationId: pd.etsIds.DELTA }, now);
    padovaAdmin = await insertTestUser(ds, { name: 'Paola (admin Padova)', roles: ['admin'], organisationId: pd.municipalityId }, now);
    auroraAdmin = await insertTestUser(ds, { name: 'Aldo (admin Aurora)', roles: ['admin'], organisationId: pd.etsIds.AURORA }, now);
  });

  afterAll(async () => {
    await t.close();
  });

  const keys = () => t.app.get(DataSource).getRepository(ApiKeyEntity);
  const auditOf = (objectId: string) => t.app.get(DataSource).getRepository(AuditEntryEntity).find({ where: { objectId }, order: { seq: 'ASC' } });

  it('creates a key for oneself, shown once; only its SHA-256 is stored; it works at once', async () => {
    const res = await t.request('POST', `/api/v1/users/${anna.userId}/api-keys`, { name: 'ETS portal import' }, { as: anna.apiKey });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'ETS portal import',
      prefix: expect.stringMatching(/^ancora_[A-Za-z0-9]{8}$/),
      key: expect.stringMatching(/^ancora_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/),
      createdAt: now,
      expiresAt: null,
    });
    expect(res.body.key.startsWith(`${res.body.prefix}_`)).toBe(true);

    const row = await keys().findOneByOrFail({ id: res.body.id });
    expect(row).toMatchObject({ userId: anna.userId, prefix: res.body.prefix, keyHash: hashApiKey(res.body.key), revokedAt: null });
    expect(JSON.stringify(row)).not.toContain(res.body.key.slice(16));

    const me = await t.request('GET', '/api/v1/me', undefined, { as: res.body.key });
    expect(me.body).toMatchObject({ subject: anna.userId, via: res.body.prefix });

    const audit = await auditOf(res.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'create',
      objectType: 'api_key',
      actorId: anna.userId,
      afterDigest: digestOf({ id: res.body.id, userId: anna.userId, name: 'ETS portal import', prefix: res.body.prefix, createdAt: now, expiresAt: null, revokedAt: null }),
    });
  });

  it("lists a user's keys with prefixes, names and dates, never the key or its hash", async () => {
    const res = await t.request('GET', `/api/v1/users/${anna.userId}/api-keys`, undefined, { as: anna.apiKey });
    expect(res.status).toBe(200);
    expect(res.body.page).toEqual({ limit: 50, offset: 0, total: 2 });
    expect(res.body.items.map((k: { name: string }) => k.name)).toEqual(['Anna (Aurora) test key', 'ETS portal import']);
    for (const item of res.body.items) {
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'name', 'prefix', 'revokedAt', 'userId']);
    }
    expect(res.text).not.toContain(anna.apiKey.slice(16));
    expect(res.text).not.toContain(hashApiKey(anna.apiKey));
  });

  it("keeps other users' keys out of reach: 404 for an ETS member, allowed for the organisation's admin and platform admins", async () => {
    const count = await keys().count();
    for (const [method, body] of [['GET', undefined], ['POST', { name: 'stolen' }]] as const) {
      const res = await t.request(method, `/api/v1/users/${anna.userId}/api-keys`, body, { as: bruno.apiKey });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'USER_NOT_FOUND', details: { id: anna.userId } });
      // The Comune's admin administers the Comune's users, not the ETS's.
      expect((await t.request(method, `/api/v1/users/${anna.userId}/api-keys`, body, { as: padovaAdmin.apiKey })).status).toBe(404);
    }
    expect(await keys().count()).toBe(count);

    const byOrgAdmin = await t.request('POST', `/api/v1/users/${anna.userId}/api-keys`, { name: 'set up by Aldo' }, { as: auroraAdmin.apiKey });
    expect(byOrgAdmin.status).toBe(201);
    expect((await auditOf(byOrgAdmin.body.id))[0].actorId).toBe(auroraAdmin.userId);
    expect((await t.request('GET', `/api/v1/users/${anna.userId}/api-keys`)).body.page.total).toBe(3);
    expect((await t.request('GET', `/api/v1/users/${t.admin.userId}/api-keys`, undefined, { as: auroraAdmin.apiKey })).status).toBe(404);
  });

  it('expires keys at expiresAt, which must be a future UTC instant', async () => {
    const count = await keys().count();
    const past = await t.request('POST', `/api/v1/users/${bruno.userId}/api-keys`, { name: 'old', expiresAt: '2026-01-15T10:00:00Z' }, { as: bruno.apiKey });
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ code: 'API_KEY_EXPIRY_NOT_FUTURE', details: { fields: [{ field: 'expiresAt', message: `must be after ${now}` }] } });
    for (const expiresAt of ['2026-02-01', '2026-02-01T10:00:00+01:00', 1769940000]) {
      const bad = await t.request('POST', `/api/v1/users/${bruno.userId}/api-keys`, { name: 'x', expiresAt }, { as: bruno.apiKey });
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields[0].field).toBe('expiresAt');
    }
    expect((await t.request('POST', `/api/v1/users/${bruno.userId}/api-keys`, {}, { as: bruno.apiKey })).status).toBe(400);
    expect(await keys().count()).toBe(count);

    const res = await t.request('POST', `/api/v1/users/${bruno.userId}/api-keys`, { name: 'one day', expiresAt: '2026-01-16T10:00:00Z' }, { as: bruno.apiKey });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe('2026-01-16T10:00:00.000Z');
    try {
      t.clock.set(new Date('2026-01-16T09:59:59.999Z'));
      expect((await t.request('GET', '/api/v1/me', undefined, { as: res.body.key })).status).toBe(200);
      t.clock.set(new Date('2026-01-16T10:00:00.000Z'));
      expect((await t.request('GET', '/api/v1/me', undefined, { as: res.body.key })).status).toBe(401);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('revokes a key: it stops working with the next request; a second revocation is 409', async () => {
    const created = await t.request('POST', `/api/v1/users/${bruno.userId}/api-keys`, { name: 'to revoke' }, { as: bruno.apiKey });
    expect((await t.request('GET', '/api/v1/me', undefined, { as: created.body.key })).status).toBe(200);

    const other = await t.request('DELETE', `/api/v1/api-keys/${created.body.id}`, undefined, { as: anna.apiKey });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ code: 'API_KEY_NOT_FOUND', details: { id: created.body.id } });
    expect((await t.request('GET', '/api/v1/me', undefined, { as: created.body.key })).status).toBe(200);

    t.clock.set(new Date('2026-01-15T11:00:00.000Z'));
    try {
      const res = await t.request('DELETE', `/api/v1/api-keys/${created.body.id}`, undefined, { as: created.body.key });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: created.body.id,
        userId: bruno.userId,
        name: 'to revoke',
        prefix: created.body.prefix,
        createdAt: now,
        expiresAt: null,
        revokedAt: '2026-01-15T11:00:00.000Z',
      });
      const after = await t.request('GET', '/api/v1/me', undefined, { as: created.body.key });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('AUTH_INVALID_CREDENTIALS');
      expect((await t.request('GET', '/api/v1/me', undefined, { as: bruno.apiKey })).status).toBe(200);

      const again = await t.request('DELETE', `/api/v1/api-keys/${created.body.id}`, undefined, { as: bruno.apiKey });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'API_KEY_ALREADY_REVOKED', details: { revokedAt: '2026-01-15T11:00:00.000Z' } });
      expect((await auditOf(created.body.id)).map((a) => [a.action, a.actorId])).toEqual([
        ['create', bruno.userId],
        ['revoke', bruno.userId],
      ]);
      expect((await t.request('DELETE', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await t.request('DELETE', '/api/v1/api-keys/not-a-uuid')).status).toBe(400);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it("lets the organisation's admin and platform admins revoke its users' keys, and gives no key to a disabled user", async () => {
    const created = await t.request('POST', `/api/v1/users/${anna.userId}/api-keys`, { name: 'laptop' }, { as: anna.apiKey });
    expect((await t.request('DELETE', `/api/v1/api-keys/${created.body.id}`, undefined, { as: padovaAdmin.apiKey })).status).toBe(404);
    expect((await t.request('DELETE', `/api/v1/api-keys/${created.body.id}`, undefined, { as: auroraAdmin.apiKey })).status).toBe(200);

    const ds = t.app.get(DataSource);
    const carla = await insertTestUser(ds, { name: 'Carla (Aurora)', roles: ['ets_member'], organisationId: pd.etsIds.AURORA }, now);
    expect((await t.request('PATCH', `/api/v1/users/${carla.userId}`, { status: 'DISABLED' }, { as: auroraAdmin.apiKey })).status).toBe(200);
    const count = await keys().count();
    const refused = await t.request('POST', `/api/v1/users/${carla.userId}/api-keys`, { name: 'new' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('USER_DISABLED');
    expect(await keys().count()).toBe(count);
  });
});
