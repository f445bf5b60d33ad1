import { DataSource } from 'typeorm';
import { ApiKeyEntity } from 'src/auth/user.entity';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser } from 'test/support/test-users';

describe('authentication and the default-deny guard', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 401 AUTH_REQUIRED without credentials, and lets /health through', async () => {
    const res = await t.request('GET', '/api/v1/organisations', undefined, { as: null });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_REQUIRED');
    expect((await t.request('GET', '/health', undefined, { as: null })).status).toBe(200);
  });

  it('accepts a key in X-API-Key or as a bearer token, and refuses a wrong or revoked one', async () => {
    const key = t.admin.apiKey;
    expect((await t.request('GET', '/api/v1/organisations', undefined, { as: null, headers: { authorization: `Bearer ${key}` } })).status).toBe(200);

    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const wrong = await t.request('GET', '/api/v1/organisations', undefined, { as: tampered });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect((await t.request('GET', '/api/v1/organisations', undefined, { as: 'not-a-key' })).status).toBe(401);

    const other = await insertTestUser(t.app.get(DataSource), { name: 'Soon revoked', roles: ['admin'] }, t.clock.nowIso());
    expect((await t.request('GET', '/api/v1/organisations', undefined, { as: other.apiKey })).status).toBe(200);
    await t.app.get(DataSource).getRepository(ApiKeyEntity).update({ userId: other.userId }, { revokedAt: t.clock.nowIso() });
    expect((await t.request('GET', '/api/v1/organisations', undefined, { as: other.apiKey })).status).toBe(401);
  });

  it('refuses a role the handler does not allow with 403 AUTH_FORBIDDEN, changing nothing', async () => {
    const ets = await t.request('POST', '/api/v1/organisations', { code: 'ETS-AURORA', kind: 'ETS', name: 'Aurora', legalForm: 'COOPERATIVA_SOCIALE' });
    const member = await insertTestUser(t.app.get(DataSource), { name: 'Anna (Aurora)', roles: ['ets_member'], organisationId: ets.body.id }, t.clock.nowIso());
    const before = (await t.request('GET', '/api/v1/organisations')).body.page.total;

    const res = await t.request('POST', '/api/v1/organisations', { code: 'C-X', kind: 'MUNICIPALITY', name: 'X' }, { as: member.apiKey });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH_FORBIDDEN', details: { roles: ['ets_member'] } });
    expect((await t.request('GET', '/api/v1/organisations')).body.page.total).toBe(before);
  });
});
