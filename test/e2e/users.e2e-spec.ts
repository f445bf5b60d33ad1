import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { digestOf } from 'src/audit/audit.chain';
import { UserEntity } from 'src/auth/user.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp, TEST_NOW } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Users: who manages whom (platform admins everyone, an organisation's admin its own organisation, nobody
// else), which roles fit which organisation, and the audit entry of every change.

describe('users', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let ve: ContractFixture;
  let padovaAdmin: TestUser;
  let padovaManager: TestUser;
  let veneziaAdmin: TestUser;
  const now = TEST_NOW.toISOString();

  beforeAll(async () => {
    t = await createTestApp();
    pd = await seedContract(t.app, { key: 'PD' });
    ve = await seedContract(t.app, { key: 'VE' });
    const ds = t.app.get(DataSource);
    padovaAdmin = await insertTestUser(ds, { name: 'Paola (admin Comune di Padova)', roles: ['admin'], organisationId: pd.municipalityId }, now);
    padovaManager = await insertTestUser(ds, { name: 'Marco (contract manager Padova)', roles: ['contract_manager'], organisationId: pd.municipalityId }, now);
    veneziaAdmin = await insertTestUser(ds, { name: 'Vera (admin second Comune)', roles: ['admin'], organisationId: ve.municipalityId }, now);
  });

  afterAll(async () => {
    await t.close();
  });

  const userCount = () => t.app.get(DataSource).getRepository(UserEntity).count();
  const auditOf = (objectId: string) => t.app.get(DataSource).getRepository(AuditEntryEntity).find({ where: { objectId }, order: { seq: 'ASC' } });

  describe('POST /api/v1/users', () => {
    it('creates a contract manager of the Comune, roles in canonical order, email in lower case, with one audit entry', async () => {
      const res = await t.request('POST', '/api/v1/users', {
        name: 'Giulia Bianchi',
        email: ' Giulia.Bianchi@Comune.Padova.IT ',
        organisationId: pd.municipalityId,
        roles: ['approver', 'contract_manager'],
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Giulia Bianchi',
        email: 'giulia.bianchi@comune.padova.it',
        organisationId: pd.municipalityId,
        roles: ['contract_manager', 'approver'],
        status: 'ACTIVE',
        createdAt: now,
        updatedAt: now,
      });
      expect((await t.request('GET', `/api/v1/users/${res.body.id}`)).body).toEqual(res.body);
      const audit = await auditOf(res.body.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'create',
        objectType: 'user',
        actorId: t.admin.userId,
        municipalityId: pd.municipalityId,
        contractId: null,
        beforeDigest: null,
        afterDigest: digestOf(res.body),
      });
    });

    it('creates a platform administrator without organisation, and refuses any other role without one', async () => {
      const admin = await t.request('POST', '/api/v1/users', { name: 'Second platform admin', roles: ['admin'] });
      expect(admin.status).toBe(201);
      expect(admin.body).toMatchObject({ organisationId: null, roles: ['admin'], email: null });

      const before = await userCount();
      const res = await t.request('POST', '/api/v1/users', { name: 'Nobody', roles: ['admin', 'auditor'] });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'USER_ORGANISATION_REQUIRED',
        details: { fields: [{ field: 'organisationId', message: 'required unless the user is a platform administrator with the only role admin' }] },
      });
      expect(await userCount()).toBe(before);
    });

    it('refuses roles that do not fit the organisation kind, naming each, and creates nothing', async () => {
      const before = await userCount();
      const res = await t.request('POST', '/api/v1/users', {
        name: 'Anna (Aurora)',
        organisationId: pd.etsIds.AURORA,
        roles: ['ets_member', 'contract_manager'],
      });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        code: 'USER_ROLE_NOT_ALLOWED',
        message: 'Some roles do not fit an organisation of kind ETS',
        details: { fields: [{ field: 'roles[1]', message: 'contract_manager is not a role of an organisation of kind ETS (only of MUNICIPALITY, DISTRICT)' }] },
      });
      const municipal = await t.request('POST', '/api/v1/users', { name: 'X', organisationId: pd.municipalityId, roles: ['grouping_lead'] });
      expect(municipal.status).toBe(422);
      expect(municipal.body.details.fields).toEqual([{ field: 'roles[0]', message: 'grouping_lead is not a role of an organisation of kind MUNICIPALITY (only of ETS)' }]);
      expect(await userCount()).toBe(before);
    });

    it('answers 400 for malformed bodies and 404 for an unknown organisation, creating nothing', async () => {
      const before = await userCount();
      const cases: [unknown, string][] = [
        [{ name: 'X', organisationId: pd.municipalityId, roles: [] }, 'roles'],
        [{ name: 'X', organisationId: pd.municipalityId, roles: ['superuser'] }, 'roles'],
        [{ name: 'X', organisationId: pd.municipalityId, roles: ['auditor', 'auditor'] }, 'roles'],
        [{ name: 'X', organisationId: pd.municipalityId, roles: 'auditor' }, 'roles'],
        [{ name: 'X', email: 'not-an-email', organisationId: pd.municipalityId, roles: ['auditor'] }, 'email'],
        [{ name: '', organisationId: pd.municipalityId, roles: ['auditor'] }, 'name'],
        [{ name: 'X', organisationId: 'padova', roles: ['auditor'] }, 'organisationId'],
      ];
      for (const [body, field] of cases) {
        const res = await t.request('POST', '/api/v1/users', body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
      const unknown = await t.request('POST', '/api/v1/users', { name: 'X', organisationId: '00000000-0000-4000-8000-000000000000', roles: ['auditor'] });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ code: 'ORGANISATION_NOT_FOUND', details: { fields: [{ field: 'organisationId', message: 'no such organisation' }] } });
      expect(await userCount()).toBe(before);
    });

    it('refuses a second user with the same email, whatever its case', async () => {
      const first = await t.request('POST', '/api/v1/users', { name: 'Auditor', email: 'audit@padova.example', organisationId: pd.municipalityId, roles: ['auditor'] });
      expect(first.status).toBe(201);
      const before = await userCount();
      const res = await t.request('POST', '/api/v1/users', { name: 'Auditor 2', email: 'AUDIT@padova.example', organisationId: pd.municipalityId, roles: ['auditor'] });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'USER_EMAIL_TAKEN', details: { fields: [{ field: 'email', message: 'already taken' }] } });
      expect(await userCount()).toBe(before);
    });
  });

  describe("an organisation's admin", () => {
    it('creates users of its own organisation only, never platform administrators', async () => {
      const own = await t.request('POST', '/api/v1/users', { name: 'New approver', organisationId: pd.municipalityId, roles: ['approver'] }, { as: padovaAdmin.apiKey });
      expect(own.status).toBe(201);
      expect((await auditOf(own.body.id))[0]).toMatchObject({ actorId: padovaAdmin.userId, organisationId: pd.municipalityId });

      const before = await userCount();
      const other = await t.request('POST', '/api/v1/users', { name: 'X', organisationId: ve.municipalityId, roles: ['approver'] }, { as: padovaAdmin.apiKey });
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ code: 'AUTH_FORBIDDEN', details: { fields: [{ field: 'organisationId', message: 'must be your own organisation' }] } });
      const platform = await t.request('POST', '/api/v1/users', { name: 'X', roles: ['admin'] }, { as: padovaAdmin.apiKey });
      expect(platform.status).toBe(403);
      expect(platform.body).toMatchObject({ code: 'AUTH_FORBIDDEN', message: 'Only platform administrators create platform administrators' });
      expect(await userCount()).toBe(before);
    });

    it("lists, reads and updates its organisation's users only; everyone else is 404", async () => {
      const list = await t.request('GET', '/api/v1/users', undefined, { as: padovaAdmin.apiKey });
      expect(list.status).toBe(200);
      expect(new Set(list.body.items.map((u: { organisationId: string }) => u.organisationId))).toEqual(new Set([pd.municipalityId]));
      expect(list.body.items.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([padovaAdmin.userId, padovaManager.userId]));
      expect(list.body.items.map((u: { id: string }) => u.id)).not.toContain(veneziaAdmin.userId);

      const filtered = await t.request('GET', `/api/v1/users?organisationId=${ve.municipalityId}`, undefined, { as: padovaAdmin.apiKey });
      expect(filtered.body).toEqual({ items: [], page: { limit: 50, offset: 0, total: 0 } });

      for (const id of [veneziaAdmin.userId, t.admin.userId]) {
        const get = await t.request('GET', `/api/v1/users/${id}`, undefined, { as: padovaAdmin.apiKey });
        expect(get.status).toBe(404);
        expect(get.body).toMatchObject({ code: 'USER_NOT_FOUND', details: { id } });
        const patch = await t.request('PATCH', `/api/v1/users/${id}`, { name: 'Hijacked' }, { as: padovaAdmin.apiKey });
        expect(patch.status).toBe(404);
      }
      expect((await t.request('GET', `/api/v1/users/${veneziaAdmin.userId}`)).body.name).toBe('Vera (admin second Comune)');

      const own = await t.request('GET', `/api/v1/users/${padovaManager.userId}`, undefined, { as: padovaAdmin.apiKey });
      expect(own.status).toBe(200);
      expect(own.body.roles).toEqual(['contract_manager']);
    });
  });

  it('lets nobody but admins manage users (403)', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/v1/users', undefined],
      ['GET', `/api/v1/users/${padovaManager.userId}`, undefined],
      ['POST', '/api/v1/users', { name: 'X', organisationId: pd.municipalityId, roles: ['contract_manager'] }],
      ['PATCH', `/api/v1/users/${padovaManager.userId}`, { roles: ['contract_manager', 'approver'] }],
    ] as const) {
      const res = await t.request(method, url, body, { as: padovaManager.apiKey });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH_FORBIDDEN');
    }
    expect((await t.request('GET', `/api/v1/users/${padovaManager.userId}`)).body.roles).toEqual(['contract_manager']);
  });

  it('lists with filters by organisation and role, in name order, paged', async () => {
    const ds = t.app.get(DataSource);
    await insertTestUser(ds, { name: 'Zeta lead (Delta)', roles: ['grouping_lead', 'ets_member'], organisationId: pd.etsIds.DELTA }, now);
    await insertTestUser(ds, { name: 'Alfa member (Delta)', roles: ['ets_member'], organisationId: pd.etsIds.DELTA }, now);
    const delta = await t.request('GET', `/api/v1/users?organisationId=${pd.etsIds.DELTA}`);
    expect(delta.body.items.map((u: { name: string }) => u.name)).toEqual(['Alfa member (Delta)', 'Zeta lead (Delta)']);
    const leads = await t.request('GET', `/api/v1/users?organisationId=${pd.etsIds.DELTA}&role=grouping_lead`);
    expect(leads.body.items.map((u: { name: string }) => u.name)).toEqual(['Zeta lead (Delta)']);
    const admins = await t.request('GET', '/api/v1/users?role=admin&limit=2&offset=1');
    expect(admins.body.page).toEqual({ limit: 2, offset: 1, total: 4 });
    expect(admins.body.items).toHaveLength(2);
    const bad = await t.request('GET', '/api/v1/users?role=superuser');
    expect(bad.status).toBe(400);
  });

  describe('PATCH /api/v1/users/:id', () => {
    it('changes name and roles, checking the roles against the organisation again, with before and after in the audit', async () => {
      const created = await t.request('POST', '/api/v1/users', { name: 'Roberto', organisationId: pd.municipalityId, roles: ['auditor'] });
      t.clock.set(new Date('2026-01-16T09:00:00.000Z'));
      try {
        const res = await t.request('PATCH', `/api/v1/users/${created.body.id}`, { name: 'Roberto Verdi', roles: ['evaluator', 'auditor'] });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ...created.body, name: 'Roberto Verdi', roles: ['auditor', 'evaluator'], updatedAt: '2026-01-16T09:00:00.000Z' });
        const audit = await auditOf(created.body.id);
        expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
        expect(audit[1]).toMatchObject({ beforeDigest: digestOf(created.body), afterDigest: digestOf(res.body), occurredAt: '2026-01-16T09:00:00.000Z' });

        const wrong = await t.request('PATCH', `/api/v1/users/${created.body.id}`, { roles: ['ets_member'] });
        expect(wrong.status).toBe(422);
        expect(wrong.body.code).toBe('USER_ROLE_NOT_ALLOWED');
        expect((await t.request('GET', `/api/v1/users/${created.body.id}`)).body).toEqual(res.body);
        expect(await auditOf(created.body.id)).toHaveLength(2);
      } finally {
        t.clock.set(TEST_NOW);
      }
    });

    it('disables a user, whose keys stop working at once, and enables it again', async () => {
      const user = await insertTestUser(t.app.get(DataSource), { name: 'Soon disabled', roles: ['auditor'], organisationId: pd.municipalityId }, now);
      expect((await t.request('GET', '/api/v1/me', undefined, { as: user.apiKey })).status).toBe(200);
      const disabled = await t.request('PATCH', `/api/v1/users/${user.userId}`, { status: 'DISABLED' }, { as: padovaAdmin.apiKey });
      expect(disabled.status).toBe(200);
      expect(disabled.body.status).toBe('DISABLED');
      const refused = await t.request('GET', '/api/v1/me', undefined, { as: user.apiKey });
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('AUTH_INVALID_CREDENTIALS');
      expect((await t.request('PATCH', `/api/v1/users/${user.userId}`, { status: 'ACTIVE' })).status).toBe(200);
      expect((await t.request('GET', '/api/v1/me', undefined, { as: user.apiKey })).status).toBe(200);
      expect((await t.request('PATCH', `/api/v1/users/${user.userId}`, { status: 'GONE' })).status).toBe(400);
    });

    it('refuses to take an email another user has, and to give a platform administrator other roles', async () => {
      const a = await t.request('POST', '/api/v1/users', { name: 'A', email: 'a@padova.example', organisationId: pd.municipalityId, roles: ['auditor'] });
      const b = await t.request('POST', '/api/v1/users', { name: 'B', email: 'b@padova.example', organisationId: pd.municipalityId, roles: ['auditor'] });
      const res = await t.request('PATCH', `/api/v1/users/${b.body.id}`, { email: 'A@padova.example' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('USER_EMAIL_TAKEN');
      expect((await t.request('GET', `/api/v1/users/${b.body.id}`)).body.email).toBe('b@padova.example');
      expect((await t.request('PATCH', `/api/v1/users/${a.body.id}`, { email: 'a@padova.example' })).status).toBe(200);
      expect((await t.request('PATCH', `/api/v1/users/${a.body.id}`, { email: null })).body.email).toBeNull();

      const platform = await t.request('PATCH', `/api/v1/users/${t.admin.userId}`, { roles: ['admin', 'auditor'] });
      expect(platform.status).toBe(422);
      expect(platform.body.code).toBe('USER_ORGANISATION_REQUIRED');
    });
  });

  describe('GET /api/v1/me', () => {
    it('tells any caller who it is: user, organisation and roles', async () => {
      const member = await insertTestUser(t.app.get(DataSource), { name: 'Anna (Aurora)', roles: ['ets_member'], organisationId: pd.etsIds.AURORA }, now);
      const res = await t.request('GET', '/api/v1/me', undefined, { as: member.apiKey });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        subject: member.userId,
        name: 'Anna (Aurora)',
        via: member.apiKey.slice(0, 15),
        user: {
          id: member.userId,
          name: 'Anna (Aurora)',
          email: null,
          organisationId: pd.etsIds.AURORA,
          roles: ['ets_member'],
          status: 'ACTIVE',
          createdAt: now,
          updatedAt: now,
        },
        organisation: expect.objectContaining({ id: pd.etsIds.AURORA, code: 'ETS-AURORA-PD', kind: 'ETS' }),
        roles: ['ets_member'],
        platformAdmin: false,
      });
      const admin = await t.request('GET', '/api/v1/me');
      expect(admin.body).toMatchObject({ subject: t.admin.userId, organisation: null, roles: ['admin'], platformAdmin: true });
      expect((await t.request('GET', '/api/v1/me', undefined, { as: null })).status).toBe(401);
    });
  });
});
