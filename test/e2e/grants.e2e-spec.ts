import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { digestOf } from 'src/audit/audit.chain';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp, TEST_NOW } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Contract grants: an organisation of kind OTHER (a university, an external audit office) gets read
// access to one contract, given and taken back by that contract's contract managers.

describe('contract grants', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let ve: ContractFixture;
  let universityId: string;
  let auditOfficeId: string;
  let manager: TestUser; // contract manager of Padova
  let otherManager: TestUser; // contract manager of the second Comune
  let approver: TestUser;
  let padovaAdmin: TestUser;
  let evaluator: TestUser;
  let externalAuditor: TestUser;
  const now = TEST_NOW.toISOString();

  beforeAll(async () => {
    t = await createTestApp();
    pd = await seedContract(t.app, { key: 'PD' });
    ve = await seedContract(t.app, { key: 'VE' });
    const ds = t.app.get(DataSource);
    universityId = '5b7e0c1a-1d2e-4f00-8a00-000000000a01';
    auditOfficeId = '5b7e0c1a-1d2e-4f00-8a00-000000000a02';
    const org = (id: string, code: string, name: string) =>
      ({ id, code, kind: 'OTHER', name, taxCode: null, legalForm: null, districtId: null, leadOrganisationId: null, createdAt: now, updatedAt: now }) as const;
    await ds.getRepository(OrganisationEntity).insert([
      org(universityId, 'UNI-PADOVA', 'Università degli Studi di Padova'),
      org(auditOfficeId, 'AUDIT-NORD', 'Studio di revisione Nord'),
    ]);
    manager = await insertTestUser(ds, { name: 'Marco (CM Padova)', roles: ['contract_manager'], organisationId: pd.municipalityId }, now);
    otherManager = await insertTestUser(ds, { name: 'Vito (CM other Comune)', roles: ['contract_manager'], organisationId: ve.municipalityId }, now);
    approver = await insertTestUser(ds, { name: 'Dora (dirigente Padova)', roles: ['approver'], organisationId: pd.municipalityId }, now);
    padovaAdmin = await insertTestUser(ds, { name: 'Paola (admin Padova)', roles: ['admin'], organisationId: pd.municipalityId }, now);
    evaluator = await insertTestUser(ds, { name: 'Elena (evaluator UniPD)', roles: ['evaluator'], organisationId: universityId }, now);
    externalAuditor = await insertTestUser(ds, { name: 'Aurelio (external auditor)', roles: ['auditor'], organisationId: auditOfficeId }, now);
  });

  afterAll(async () => {
    await t.close();
  });

  const grants = () => t.app.get(DataSource).getRepository(ContractGrantEntity);
  const url = (contractId: string) => `/api/v1/contracts/${contractId}/grants`;

  it('gives a university read access to the contract: its evaluators then see it, with one audit entry', async () => {
    const before = await t.request('GET', url(pd.contractId), undefined, { as: evaluator.apiKey });
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({ code: 'CONTRACT_NOT_FOUND', details: { id: pd.contractId } });

    const res = await t.request('POST', url(pd.contractId), { organisationId: universityId }, { as: manager.apiKey });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      contractId: pd.contractId,
      organisationId: universityId,
      organisationCode: 'UNI-PADOVA',
      organisationName: 'Università degli Studi di Padova',
      createdAt: now,
    });
    const audit = await t.app.get(DataSource).getRepository(AuditEntryEntity).findBy({ objectId: res.body.id });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'create',
        objectType: 'contract_grant',
        actorId: manager.userId,
        contractId: pd.contractId,
        municipalityId: pd.municipalityId,
        afterDigest: digestOf(res.body),
      }),
    ]);

    const seen = await t.request('GET', url(pd.contractId), undefined, { as: evaluator.apiKey });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ items: [res.body], page: { limit: 50, offset: 0, total: 1 } });
    // Only that contract.
    expect((await t.request('GET', url(ve.contractId), undefined, { as: evaluator.apiKey })).status).toBe(404);
  });

  it('gives an external audit office access for its auditors', async () => {
    expect((await t.request('GET', url(pd.contractId), undefined, { as: externalAuditor.apiKey })).status).toBe(404);
    const res = await t.request('POST', url(pd.contractId), { organisationId: auditOfficeId });
    expect(res.status).toBe(201);
    const seen = await t.request('GET', url(pd.contractId), undefined, { as: externalAuditor.apiKey });
    expect(seen.body.items.map((g: { organisationCode: string }) => g.organisationCode)).toEqual(['AUDIT-NORD', 'UNI-PADOVA']);
    const paged = await t.request('GET', `${url(pd.contractId)}?limit=1&offset=1`, undefined, { as: externalAuditor.apiKey });
    expect(paged.body).toEqual({ items: [expect.objectContaining({ organisationCode: 'UNI-PADOVA' })], page: { limit: 1, offset: 1, total: 2 } });
  });

  it('refuses grants to anything but an OTHER organisation, twice, or to unknown bodies, changing nothing', async () => {
    const count = await grants().count();
    const ets = await t.request('POST', url(pd.contractId), { organisationId: pd.etsIds.AURORA }, { as: manager.apiKey });
    expect(ets.status).toBe(422);
    expect(ets.body).toMatchObject({ code: 'ORGANISATION_WRONG_KIND', details: { fields: [{ field: 'organisationId', message: 'must be a OTHER' }] } });
    const twice = await t.request('POST', url(pd.contractId), { organisationId: universityId }, { as: manager.apiKey });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'CONTRACT_GRANT_EXISTS', details: { fields: [{ field: 'organisationId', message: 'already granted' }] } });
    const unknown = await t.request('POST', url(pd.contractId), { organisationId: '00000000-0000-4000-8000-000000000000' }, { as: manager.apiKey });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ORGANISATION_NOT_FOUND');
    const malformed = await t.request('POST', url(pd.contractId), { organisationId: 'UNI-PADOVA' }, { as: manager.apiKey });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.fields[0].field).toBe('organisationId');
    expect((await t.request('POST', url('not-a-uuid'), { organisationId: universityId })).status).toBe(400);
    const noContract = await t.request('POST', url('00000000-0000-4000-8000-000000000000'), { organisationId: universityId });
    expect(noContract.status).toBe(404);
    expect(noContract.body.code).toBe('CONTRACT_NOT_FOUND');
    expect(await grants().count()).toBe(count);
  });

  it("is the contract managers' decision: 404 for those who cannot read the contract, 403 for those who read but do not manage it", async () => {
    const count = await grants().count();
    const other = await t.request('POST', url(pd.contractId), { organisationId: universityId }, { as: otherManager.apiKey });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('CONTRACT_NOT_FOUND');
    expect((await t.request('GET', url(pd.contractId), undefined, { as: otherManager.apiKey })).status).toBe(404);

    const admin = await t.request('POST', url(ve.contractId), { organisationId: universityId }, { as: padovaAdmin.apiKey });
    expect(admin.status).toBe(404);
    const ownAdmin = await t.request('POST', url(pd.contractId), { organisationId: auditOfficeId }, { as: padovaAdmin.apiKey });
    expect(ownAdmin.status).toBe(403);
    expect(ownAdmin.body.code).toBe('AUTH_FORBIDDEN');
    for (const who of [approver, evaluator]) {
      const res = await t.request('POST', url(pd.contractId), { organisationId: auditOfficeId }, { as: who.apiKey });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH_FORBIDDEN');
    }
    expect(await grants().count()).toBe(count);
    expect((await t.request('GET', url(pd.contractId), undefined, { as: approver.apiKey })).body.page.total).toBe(count);
  });

  it('takes access back: the evaluators stop seeing the contract at once; the deletion is audited', async () => {
    const [, grant] = (await t.request('GET', url(pd.contractId), undefined, { as: manager.apiKey })).body.items;
    expect(grant.organisationCode).toBe('UNI-PADOVA');

    expect((await t.request('DELETE', `/api/v1/contract-grants/${grant.id}`, undefined, { as: evaluator.apiKey })).status).toBe(403);
    const other = await t.request('DELETE', `/api/v1/contract-grants/${grant.id}`, undefined, { as: otherManager.apiKey });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ code: 'CONTRACT_GRANT_NOT_FOUND', details: { id: grant.id } });
    expect((await t.request('DELETE', `/api/v1/contract-grants/${grant.id}`, undefined, { as: approver.apiKey })).status).toBe(403);
    expect((await t.request('GET', url(pd.contractId), undefined, { as: evaluator.apiKey })).status).toBe(200);

    const res = await t.request('DELETE', `/api/v1/contract-grants/${grant.id}`, undefined, { as: manager.apiKey });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await t.request('GET', url(pd.contractId), undefined, { as: evaluator.apiKey })).status).toBe(404);
    expect((await t.request('DELETE', `/api/v1/contract-grants/${grant.id}`, undefined, { as: manager.apiKey })).status).toBe(404);

    const audit = await t.app.get(DataSource).getRepository(AuditEntryEntity).find({ where: { objectId: grant.id }, order: { seq: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
    expect(audit[1]).toMatchObject({ actorId: manager.userId, contractId: pd.contractId, beforeDigest: digestOf(grant), afterDigest: null });
  });
});
