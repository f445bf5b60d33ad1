import { DataSource, In } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { MeasurementEntity, MeasurementIdempotencyKeyEntity, MeasurementVersionEntity } from 'src/measurements/measurement.entity';
import { ContractFixture, FIXTURE_GROUPINGS, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Done-when of issue 3: 200 concurrent submissions all persist exactly once, without idempotency keys,
// with keys, and with every key sent twice at the same time; 50 identical submissions without a key
// store one. On SQLite the write queue serialises them; on PostgreSQL unique indexes and the key claim do.

const N = 200;
const EXTRA_INDICATORS = 40; // 5 Padova indicators + 40 counts = 45 per organisation, 5 organisations: 225 subjects per period

describe('measurements under concurrency (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ContractFixture;
  const members: { user: TestUser; organisationId: string; groupingId: string }[] = [];
  let codes: string[];

  const body = (i: number, period: 'Y1' | 'Y2' | 'Y3') => {
    const member = members[i % members.length];
    return { indicatorCode: codes[Math.floor(i / members.length)], periodId: fx.periodIds[period], groupingId: member.groupingId, value: String(i), submit: true };
  };
  const submit = (i: number, period: 'Y1' | 'Y2' | 'Y3', key?: string) =>
    t.request('POST', `/api/v1/contracts/${fx.contractId}/measurements`, body(i, period), {
      as: members[i % members.length].user.apiKey,
      headers: key ? { 'Idempotency-Key': key } : {},
    });
  const stored = (period: 'Y1' | 'Y2' | 'Y3') => ds.getRepository(MeasurementEntity).findBy({ periodId: fx.periodIds[period] });

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await seedContract(t.app);
    const now = t.clock.nowIso();
    const manager = await insertTestUser(ds, { name: 'Manager', roles: ['contract_manager'], organisationId: fx.municipalityId }, now);
    const approver = await insertTestUser(ds, { name: 'Approver', roles: ['approver'], organisationId: fx.municipalityId }, now);
    const leads: TestUser[] = [];
    for (const grouping of FIXTURE_GROUPINGS) {
      for (const member of grouping.members) {
        const roles = member.role === 'MANDATARIA' ? (['grouping_lead'] as const) : (['ets_member'] as const);
        const user = await insertTestUser(ds, { name: member.name, roles: [...roles], organisationId: fx.etsIds[member.ets] }, now);
        members.push({ user, organisationId: fx.etsIds[member.ets], groupingId: fx.groupingIds[grouping.code] });
        if (member.role === 'MANDATARIA') leads.push(user);
      }
    }
    const padova = padovaIndicatorBodies(fx);
    // Counts only, so any whole value is in range: Padova's IND-02 and 40 more like it.
    const count = { ...padova['IND-02'], baselines: [], targets: [] };
    codes = [];
    for (let i = 0; i <= EXTRA_INDICATORS; i++) {
      const code = i === 0 ? 'IND-02' : `CNT-${String(i).padStart(3, '0')}`;
      const res = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicators`, i === 0 ? padova['IND-02'] : { ...count, code }, { as: manager.apiKey });
      expect(res.status).toBe(201);
      codes.push(code);
    }
    const version = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicator-set-versions`, {}, { as: manager.apiKey });
    for (const user of [approver, ...leads]) {
      const res = await t.request('POST', `/api/v1/indicator-set-versions/${version.body.id}/approvals`, { contentHash: version.body.contentHash }, { as: user.apiKey });
      expect(res.status).toBe(201);
    }
  }, 120_000);

  afterAll(() => t.close());

  it('stores 200 concurrent submissions without keys exactly once each', async () => {
    const responses = await Promise.all(Array.from({ length: N }, (_, i) => submit(i, 'Y1')));
    expect(responses.map((r) => r.status)).toEqual(Array(N).fill(201));
    const rows = await stored('Y1');
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(responses.map((r) => r.body.id)));
    expect(await ds.getRepository(MeasurementVersionEntity).countBy({ measurementId: In(rows.map((r) => r.id)) })).toBe(N);
    expect(await ds.getRepository(AuditEntryEntity).countBy({ objectId: In(rows.map((r) => r.id)), action: 'submit' })).toBe(N);
    const values = new Map(rows.map((r) => [r.id, r]));
    responses.forEach((r, i) => expect(values.get(r.body.id)).toMatchObject({ indicatorCode: body(i, 'Y1').indicatorCode, organisationId: members[i % members.length].organisationId }));
  }, 120_000);

  it('stores 200 concurrent submissions with keys exactly once each', async () => {
    const responses = await Promise.all(Array.from({ length: N }, (_, i) => submit(i, 'Y2', `y2-${i}`)));
    expect(responses.map((r) => r.status)).toEqual(Array(N).fill(201));
    expect(await stored('Y2')).toHaveLength(N);
  }, 120_000);

  it('stores 200 submissions exactly once when each is sent twice at once with the same key, both answered with the same measurement', async () => {
    const requests = Array.from({ length: N }, (_, i) => [submit(i, 'Y3', `y3-${i}`), submit(i, 'Y3', `y3-${i}`)]).flat();
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.status)).toEqual(Array(2 * N).fill(201));
    for (let i = 0; i < N; i++) {
      expect(responses[2 * i + 1].body).toEqual(responses[2 * i].body);
    }
    const rows = await stored('Y3');
    expect(rows).toHaveLength(N);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(N);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(N);
    expect(await ds.getRepository(MeasurementIdempotencyKeyEntity).count()).toBe(2 * N);
    expect(await ds.getRepository(AuditEntryEntity).countBy({ objectId: In(rows.map((r) => r.id)) })).toBe(N);
  }, 120_000);

  it('stores one of 50 identical concurrent submissions without a key; the others are 409', async () => {
    const last = members.length * codes.length - 1; // a subject no test above used in Y1
    const responses = await Promise.all(Array.from({ length: 50 }, () => submit(last, 'Y1')));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(49).fill(409)]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.code === 'MEASUREMENT_ALREADY_EXISTS')).toBe(true);
    expect(await stored('Y1')).toHaveLength(N + 1);
  }, 120_000);
});
