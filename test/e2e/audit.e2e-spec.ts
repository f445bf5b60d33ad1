import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { AuditEvent, AuditService } from 'src/audit/audit.service';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { Principal, SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { Role } from 'src/auth/roles';
import { Database } from 'src/database/database';
import { OrganisationEntity, OrganisationKind } from 'src/organisations/organisation.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// GET /api/v1/audit and /api/v1/audit/verify. Entries are written straight through AuditService.record
// (as the services do inside their transactions), so this does not depend on which endpoints record
// what; the requests below only read.

interface Actor extends TestUser {
  principal: Principal;
}

describe('audit log API', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let ve: ContractFixture;
  let universityId: string;
  const users: Record<string, Actor> = {};
  /** The recorded entries by their seq. */
  const entries: Record<number, AuditEntryEntity> = {};

  async function user(key: string, name: string, roles: Role[], organisationId: string | null, kind: OrganisationKind | null): Promise<Actor> {
    const u = await insertTestUser(t.app.get(DataSource), { name, roles, organisationId }, TEST_NOW.toISOString());
    users[key] = { ...u, principal: { userId: u.userId, label: name, organisationId, organisationKind: kind, roles: new Set(roles), via: 'test' } };
    return users[key];
  }

  async function record(seq: number, actor: Principal, event: AuditEvent): Promise<void> {
    t.clock.set(new Date(TEST_NOW.getTime() + seq * 1000));
    const audit = t.app.get(AuditService);
    entries[seq] = await t.app.get(Database).transaction((m) => audit.record(m, actor, event));
    expect(entries[seq].seq).toBe(seq);
  }

  const get = (url: string, as?: string) => t.request('GET', url, undefined, as === undefined ? {} : { as });
  const seqs = (body: { items: { seq: number }[] }) => body.items.map((i) => i.seq);

  beforeAll(async () => {
    t = await createTestApp();
    const ds = t.app.get(DataSource);
    pd = await seedContract(t.app, { key: 'PD' });
    ve = await seedContract(t.app, { key: 'VE' });
    universityId = randomUUID();
    const stamp = { createdAt: TEST_NOW.toISOString(), updatedAt: TEST_NOW.toISOString() };
    await ds.getRepository(OrganisationEntity).insert({
      id: universityId,
      code: 'UNIPD',
      kind: 'OTHER',
      name: 'Università di Padova',
      taxCode: null,
      legalForm: null,
      districtId: null,
      leadOrganisationId: null,
      ...stamp,
    });
    await ds.getRepository(ContractGrantEntity).insert({ id: randomUUID(), contractId: pd.contractId, organisationId: universityId, ...stamp });

    await user('pdManager', 'Laura Bianchi (Padova)', ['contract_manager'], pd.municipalityId, 'MUNICIPALITY');
    await user('pdAuditor', 'Paolo Rossi (revisore Padova)', ['auditor'], pd.municipalityId, 'MUNICIPALITY');
    await user('pdOrgAdmin', 'Admin del Comune di Padova', ['admin'], pd.municipalityId, 'MUNICIPALITY');
    await user('aurora', 'Anna (Aurora)', ['ets_member'], pd.etsIds.AURORA, 'ETS');
    await user('delta', 'Dario (Delta)', ['grouping_lead'], pd.etsIds.DELTA, 'ETS');
    await user('veManager', 'Vera (other municipality)', ['contract_manager'], ve.municipalityId, 'MUNICIPALITY');
    await user('veAurora', 'Alba (Aurora, other contract)', ['ets_member'], ve.etsIds.AURORA, 'ETS');
    await user('evaluator', 'Eva (Università)', ['evaluator'], universityId, 'OTHER');

    const onPd = { contractId: pd.contractId, municipalityId: pd.municipalityId };
    await record(1, users.pdManager.principal, { action: 'update', objectType: 'contract', objectId: pd.contractId, ...onPd, before: { title: 'a' }, after: { title: 'b' } });
    await record(2, users.aurora.principal, { action: 'submit', objectType: 'measurement', objectId: 'm-aurora', ...onPd, after: { value: '12' } });
    await record(3, users.delta.principal, { action: 'submit', objectType: 'measurement', objectId: 'm-delta', ...onPd, after: { value: '7' } });
    await record(4, users.veManager.principal, { action: 'create', objectType: 'contract', objectId: ve.contractId, contractId: ve.contractId, municipalityId: ve.municipalityId, after: { title: 'x' } });
    await record(5, SYSTEM_PRINCIPAL, { action: 'update', objectType: 'contract', objectId: pd.contractId, ...onPd, before: { title: 'b' }, after: { title: 'c' } });
    await record(6, users.pdOrgAdmin.principal, { action: 'create', objectType: 'api_key', objectId: 'k-1', after: { prefix: 'ancora_abcdefgh' } });
    await record(7, users.veAurora.principal, { action: 'submit', objectType: 'measurement', objectId: 'm-ve', contractId: ve.contractId, municipalityId: ve.municipalityId, after: { value: '3' } });
    const platformAdmin: Principal = { ...SYSTEM_PRINCIPAL, userId: t.admin.userId, label: 'Test platform admin', via: 'test' };
    await record(8, platformAdmin, {
      action: 'create',
      objectType: 'organisation',
      objectId: universityId,
      after: { code: 'UNIPD' },
    });
    await record(9, users.evaluator.principal, { action: 'comment', objectType: 'proposal', objectId: 'p-1', ...onPd, after: { text: 'ok' } });
    t.clock.set(TEST_NOW);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('GET /api/v1/audit', () => {
    it('shows a platform administrator every entry, newest first, with actor, object, digests and hashes', async () => {
      const res = await get('/api/v1/audit');
      expect(res.status).toBe(200);
      expect(seqs(res.body)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(res.body.page).toEqual({ limit: 50, offset: 0, total: 9 });
      const e = entries[2];
      expect(res.body.items[7]).toEqual({
        id: e.id,
        seq: 2,
        occurredAt: '2026-01-15T10:00:02.000Z',
        actor: {
          id: users.aurora.userId,
          label: 'Anna (Aurora)',
          organisationId: pd.etsIds.AURORA,
          organisationCode: 'ETS-AURORA-PD',
          organisationName: 'Cooperativa Sociale Aurora (fittizia)',
        },
        action: 'submit',
        object: { type: 'measurement', id: 'm-aurora' },
        contractId: pd.contractId,
        municipalityId: pd.municipalityId,
        beforeDigest: null,
        afterDigest: e.afterDigest,
        prevHash: entries[1].entryHash,
        entryHash: e.entryHash,
      });
      expect(e.afterDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(res.body.items[4].actor).toEqual({ id: 'system', label: 'system', organisationId: null, organisationCode: null, organisationName: null });
      expect(res.body.items[8].prevHash).toBe('0'.repeat(64));
    });

    it('orders by seq ascending on request, and pages with limit/offset', async () => {
      expect(seqs((await get('/api/v1/audit?order=asc')).body)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const page = await get('/api/v1/audit?limit=2&offset=2');
      expect(seqs(page.body)).toEqual([7, 6]);
      expect(page.body.page).toEqual({ limit: 2, offset: 2, total: 9 });
      const asc = await get('/api/v1/audit?order=asc&limit=4&offset=8');
      expect(seqs(asc.body)).toEqual([9]);
      expect(asc.body.page).toEqual({ limit: 4, offset: 8, total: 9 });
    });

    it('filters by contract, object, action, actor and a half-open time window', async () => {
      expect(seqs((await get(`/api/v1/audit?contractId=${pd.contractId}`)).body)).toEqual([9, 5, 3, 2, 1]);
      expect(seqs((await get('/api/v1/audit?objectType=measurement')).body)).toEqual([7, 3, 2]);
      expect(seqs((await get(`/api/v1/audit?objectType=contract&objectId=${pd.contractId}`)).body)).toEqual([5, 1]);
      expect(seqs((await get('/api/v1/audit?action=create')).body)).toEqual([8, 6, 4]);
      expect(seqs((await get(`/api/v1/audit?actorId=${users.aurora.userId}`)).body)).toEqual([2]);
      expect(seqs((await get('/api/v1/audit?actorId=system')).body)).toEqual([5]);
      expect(seqs((await get('/api/v1/audit?from=2026-01-15T10:00:03Z&to=2026-01-15T10:00:06Z')).body)).toEqual([5, 4, 3]);
      // Offsets are normalised to UTC: 11:00:05+01:00 is 10:00:05Z.
      expect(seqs((await get(`/api/v1/audit?from=${encodeURIComponent('2026-01-15T11:00:05+01:00')}`)).body)).toEqual([9, 8, 7, 6, 5]);
      expect(seqs((await get('/api/v1/audit?to=2026-01-15T10:00:02.5Z')).body)).toEqual([2, 1]);
      const combined = await get(`/api/v1/audit?contractId=${pd.contractId}&action=submit&from=2026-01-15T10:00:03.000Z`);
      expect(seqs(combined.body)).toEqual([3]);
      expect(combined.body.page.total).toBe(1);
    });

    it('answers 400 for malformed filters, naming the field', async () => {
      const cases: [string, string][] = [
        ['from=2026-01-15', 'from'],
        ['from=2026-01-15T10:00:00', 'from'],
        ['to=2026-02-30T10:00:00Z', 'to'],
        ['contractId=not-a-uuid', 'contractId'],
        ['order=newest', 'order'],
        ['limit=0', 'limit'],
        ['from=2026-01-15T10:00:05Z&to=2026-01-15T10:00:04Z', 'to'],
        ['seq=3', 'seq'],
      ];
      for (const [query, field] of cases) {
        const res = await get(`/api/v1/audit?${query}`);
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
    });

    it('shows an ETS user only its contracts, without what another ETS did nor what was done to objects it cannot read', async () => {
      const res = await get('/api/v1/audit', users.aurora.apiKey);
      expect(res.status).toBe(200);
      // 2 and 3 are each ETS's own (their measurements' rows do not exist here: what an ETS's own users did
      // stays visible). 9, the evaluator's on a 'proposal', is hidden: an object type the services do not
      // record cannot be shown to be the ETS's (src/audit/audit.objects.ts; audit-ets-scope.e2e-spec.ts
      // covers real measurements, settlements and proposals).
      expect(seqs(res.body)).toEqual([5, 2, 1]);
      expect(res.body.page.total).toBe(3);
      expect(seqs((await get('/api/v1/audit', users.delta.apiKey)).body)).toEqual([5, 3, 1]);
      expect(seqs((await get('/api/v1/audit', users.veAurora.apiKey)).body)).toEqual([7, 4]);
      // Filters narrow the scope, never widen it.
      expect(seqs((await get('/api/v1/audit?objectType=measurement', users.aurora.apiKey)).body)).toEqual([2]);
      expect(seqs((await get(`/api/v1/audit?actorId=${users.delta.userId}`, users.aurora.apiKey)).body)).toEqual([]);
    });

    it("shows a municipality's auditor its municipality's entries and its own organisation's, and another municipality's manager only its own", async () => {
      expect(seqs((await get('/api/v1/audit', users.pdAuditor.apiKey)).body)).toEqual([9, 6, 5, 3, 2, 1]);
      expect(seqs((await get('/api/v1/audit', users.pdManager.apiKey)).body)).toEqual([9, 6, 5, 3, 2, 1]);
      expect(seqs((await get('/api/v1/audit', users.veManager.apiKey)).body)).toEqual([7, 4]);
    });

    it('shows an evaluator the entries of the contracts granted to its organisation', async () => {
      expect(seqs((await get('/api/v1/audit', users.evaluator.apiKey)).body)).toEqual([9, 5, 3, 2, 1]);
    });

    it('answers 404 AUDIT_CONTRACT_NOT_FOUND for a contract the caller may not read, or that does not exist', async () => {
      for (const [who, contractId] of [
        [users.aurora, ve.contractId],
        [users.veManager, pd.contractId],
        [users.pdAuditor, ve.contractId],
        [users.evaluator, ve.contractId],
        [users.pdAuditor, randomUUID()],
      ] as const) {
        const res = await get(`/api/v1/audit?contractId=${contractId}`, who.apiKey);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'AUDIT_CONTRACT_NOT_FOUND', details: { id: contractId } });
      }
      expect(seqs((await get(`/api/v1/audit?contractId=${pd.contractId}`, users.aurora.apiKey)).body)).toEqual([5, 2, 1]);
      expect(seqs((await get(`/api/v1/audit?contractId=${ve.contractId}`, users.veManager.apiKey)).body)).toEqual([7, 4]);
    });

    it('answers 401 without credentials', async () => {
      const res = await t.request('GET', '/api/v1/audit', undefined, { as: null });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_REQUIRED');
    });
  });

  describe('GET /api/v1/audit/verify', () => {
    it('answers 403 AUTH_FORBIDDEN to roles that may not verify, including an organisation admin', async () => {
      for (const who of [users.pdOrgAdmin, users.pdManager, users.aurora, users.delta, users.evaluator]) {
        const res = await get('/api/v1/audit/verify', who.apiKey);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('AUTH_FORBIDDEN');
      }
      expect((await t.request('GET', '/api/v1/audit/verify', undefined, { as: null })).status).toBe(401);
    });

    it('reports an intact chain to a platform administrator and to an auditor', async () => {
      for (const key of [t.admin.apiKey, users.pdAuditor.apiKey]) {
        const res = await get('/api/v1/audit/verify', key);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true, entries: 9, headSeq: 9, firstBreak: null });
      }
    });

    it('reports the first broken link after a row is edited in the database, and nothing of its content', async () => {
      await t.app.get(DataSource).query(`UPDATE audit_entries SET object_id = 'm-forged' WHERE seq = 4`);
      for (const key of [t.admin.apiKey, users.pdAuditor.apiKey]) {
        const res = await get('/api/v1/audit/verify', key);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          ok: false,
          entries: 3,
          headSeq: 9,
          firstBreak: { seq: 4, id: entries[4].id, reason: 'HASH_MISMATCH', message: 'entry 4 was changed after it was written' },
        });
      }
      // The list still shows what is stored, so the edited row can be found.
      expect((await get('/api/v1/audit?objectId=m-forged')).body.items.map((i: { id: string }) => i.id)).toEqual([entries[4].id]);

      await t.app.get(DataSource).query(`DELETE FROM audit_entries WHERE seq = 9`);
      const res = await get('/api/v1/audit/verify');
      expect(res.body.firstBreak).toMatchObject({ seq: 4, reason: 'HASH_MISMATCH' });
    });

    it('reports a deleted last entry as HEAD_MISMATCH with no entry id', async () => {
      await t.app.get(DataSource).query(`UPDATE audit_entries SET object_id = '${entries[4].objectId}' WHERE seq = 4`);
      const res = await get('/api/v1/audit/verify');
      expect(res.body).toEqual({
        ok: false,
        entries: 8,
        headSeq: 9,
        firstBreak: {
          seq: 9,
          id: null,
          reason: 'HEAD_MISMATCH',
          message: 'the chain head says entry 9 but the log ends at 8: entries were removed from the end',
        },
      });
    });
  });
});
