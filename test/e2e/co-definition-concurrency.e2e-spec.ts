import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { IndicatorSetApprovalEntity } from 'src/co-definition/indicator-set-version.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Approvals racing on one version: the version row lock (PostgreSQL) and the unique (version, side)
// index make exactly one DRAFT -> BINDING transition, whoever arrives last, on both databases.

interface Parties {
  fx: ContractFixture;
  approver: TestUser;
  leadA: TestUser;
  leadB: TestUser;
}

describe('co-definition: concurrent approvals', () => {
  let t: TestApp;
  let ds: DataSource;
  const parties: Parties[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    const now = t.clock.nowIso();
    for (const key of ['C1', 'C2', 'C3']) {
      const fx = await seedContract(t.app, { key });
      parties.push({
        fx,
        approver: await insertTestUser(ds, { name: `Approver ${key}`, roles: ['approver'], organisationId: fx.municipalityId }, now),
        leadA: await insertTestUser(ds, { name: `Lead RTI-A ${key}`, roles: ['grouping_lead'], organisationId: fx.etsIds.AURORA }, now),
        leadB: await insertTestUser(ds, { name: `Lead RTI-B ${key}`, roles: ['grouping_lead'], organisationId: fx.etsIds.DELTA }, now),
      });
    }
    for (const { fx } of parties) {
      expect((await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicators`, padovaIndicatorBodies(fx)['IND-02'])).status).toBe(201);
    }
  }, 30_000);

  afterAll(async () => {
    await t.close();
  });

  async function freeze(fx: ContractFixture): Promise<{ id: string; contentHash: string }> {
    const res = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicator-set-versions`, {});
    expect(res.status).toBe(201);
    return { id: res.body.id, contentHash: res.body.contentHash };
  }

  const approve = (versionId: string, user: TestUser, contentHash: string) =>
    t.request('POST', `/api/v1/indicator-set-versions/${versionId}/approvals`, { contentHash }, { as: user.apiKey });

  const binds = (versionId: string) => ds.getRepository(AuditEntryEntity).count({ where: { objectId: versionId, action: 'bind' } });

  it('the same last side approving twice at once: one approval, one binding, one 409', async () => {
    const { fx, approver, leadA, leadB } = parties[0];
    const v = await freeze(fx);
    expect((await approve(v.id, approver, v.contentHash)).status).toBe(201);
    expect((await approve(v.id, leadA, v.contentHash)).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 8 }, () => approve(v.id, leadB, v.contentHash)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => ['CO_DEFINITION_ALREADY_APPROVED', 'CO_DEFINITION_VERSION_NOT_OPEN'].includes(r.body.code))).toBe(true);
    expect(results.find((r) => r.status === 201)?.body.state).toBe('BINDING');
    expect(await ds.getRepository(IndicatorSetApprovalEntity).count({ where: { versionId: v.id } })).toBe(3);
    expect(await binds(v.id)).toBe(1);
  });

  it('the two last sides approving at once: both count, exactly one binding transition', async () => {
    const { fx, approver, leadA, leadB } = parties[1];
    const v = await freeze(fx);
    expect((await approve(v.id, approver, v.contentHash)).status).toBe(201);
    const [a, b] = await Promise.all([approve(v.id, leadA, v.contentHash), approve(v.id, leadB, v.contentHash)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.state, b.body.state].sort()).toEqual(['BINDING', 'DRAFT']);
    const final = await t.request('GET', `/api/v1/indicator-set-versions/${v.id}`);
    expect(final.body.state).toBe('BINDING');
    expect(final.body.approvals.map((x: { sideKey: string }) => x.sideKey)).toEqual(['MUNICIPALITY', 'RTI-A', 'RTI-B']);
    expect(await binds(v.id)).toBe(1);
  });

  it('all three sides at once, with duplicates: three approvals, one binding', async () => {
    const { fx, approver, leadA, leadB } = parties[2];
    const v = await freeze(fx);
    const calls = [approver, leadA, leadB, approver, leadA, leadB].map((user) => approve(v.id, user, v.contentHash));
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
    expect(await ds.getRepository(IndicatorSetApprovalEntity).count({ where: { versionId: v.id } })).toBe(3);
    expect((await t.request('GET', `/api/v1/indicator-set-versions/${v.id}`)).body.state).toBe('BINDING');
    expect(await binds(v.id)).toBe(1);
  });
});
