import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser } from 'test/support/test-users';

// A body sent to a route that reads none used to be dropped unread: closing a period with
// {"reason": "..."} closed it and the reason was nowhere. Such a body is now a 400 VALIDATION_FAILED naming
// each field, like an unknown field of a body a route does read, and nothing changes. No body, `null` and
// `{}` are still no body.

describe('a body sent to a route that takes none', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let manager: string;
  let indicatorId: string;

  const auditCount = () => t.app.get(DataSource).getRepository(AuditEntryEntity).count();
  const closure = async (periodId: string) => (await t.request('GET', `/api/v1/contract-periods/${periodId}/closure`)).body as { closed: boolean };

  beforeAll(async () => {
    t = await createTestApp();
    pd = await seedContract(t.app);
    manager = (await insertTestUser(t.app.get(DataSource), { name: 'Giulia Bianchi', roles: ['contract_manager'], organisationId: pd.municipalityId }, TEST_NOW.toISOString())).apiKey;
    const indicator = await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, padovaIndicatorBodies(pd)['IND-04']);
    expect(indicator.status).toBe(201);
    indicatorId = indicator.body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses closing a period with a reason it would not record, naming the field, and leaves it open', async () => {
    const audits = await auditCount();
    const res = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y1}/close`, { reason: 'fine di esercizio' }, { as: manager });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'reason is not a known field: this request takes no body',
      details: { fields: [{ field: 'reason', code: 'whitelistValidation', message: 'reason is not a known field: this request takes no body' }] },
    });
    expect((await closure(pd.periodIds.Y1)).closed).toBe(false);
    expect(await auditCount()).toBe(audits);
  });

  it('names every field sent, and refuses a body that is not an object at the root', async () => {
    const two = await t.request('DELETE', `/api/v1/indicators/${indicatorId}`, { reason: 'duplicate', force: true });
    expect(two.status).toBe(400);
    expect(two.body.message).toBe('this request takes no body; 2 fields were sent');
    expect(two.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason', 'force']);
    const list = await t.request('DELETE', `/api/v1/indicators/${indicatorId}`, ['x']);
    expect(list.status).toBe(400);
    expect(list.body.details.fields).toEqual([{ field: '', code: 'noBody', message: 'this request takes no body' }]);
    expect((await t.request('GET', `/api/v1/indicators/${indicatorId}`)).status).toBe(200);
  });

  it('answers who may not call the route before looking at the body', async () => {
    const ets = (await insertTestUser(t.app.get(DataSource), { name: 'Aurora member', roles: ['ets_member'], organisationId: pd.etsIds.AURORA }, TEST_NOW.toISOString())).apiKey;
    const res = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y1}/close`, { reason: 'x' }, { as: ets });
    expect(res.status).toBe(403);
  });

  it('still takes no body, null or {} as no body', async () => {
    const closed = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y1}/close`, {}, { as: manager });
    expect(closed.status).toBe(200);
    expect((await closure(pd.periodIds.Y1)).closed).toBe(true);
    const plain = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y2}/close`, undefined, { as: manager });
    expect(plain.status).toBe(200);
    const asNull = await t.request('DELETE', `/api/v1/indicators/${indicatorId}`, 'null', { headers: { 'content-type': 'application/json' } });
    expect(asNull.status).toBe(204);
  });

  it('leaves routes that read a body as they were: their unknown fields are refused by the validation pipe', async () => {
    const approver = (await insertTestUser(t.app.get(DataSource), { name: 'Luca Neri', roles: ['approver'], organisationId: pd.municipalityId }, TEST_NOW.toISOString())).apiKey;
    const res = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y1}/reopen`, { reason: 'correzione tardiva', extra: 1 }, { as: approver });
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual([{ field: 'extra', code: 'whitelistValidation', message: 'extra is not a known field' }]);
  });
});
