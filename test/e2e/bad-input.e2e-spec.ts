import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser } from 'test/support/test-users';

// Bad input found by an audit. PATCH (docs/conventions.md, "PATCH"): a body that names no field is a 400,
// never an update; `null` on a field that cannot be cleared is a 400 naming the field; and either way
// nothing changes: same stored object, same updatedAt, no audit entry. Whole numbers beyond a documented
// bound are a 400 on every database (not a 500 on PostgreSQL, not 1e+20 on SQLite). A period that is not
// the contract's is a 404 on every settlement route.

const MISSING = '00000000-0000-4000-8000-000000000000';
const LATER = new Date('2026-02-01T09:00:00.000Z');

describe('bad input', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let other: ContractFixture;
  const ids: Record<string, string> = {};
  let proposer: string;

  const auditCount = () => t.app.get(DataSource).getRepository(AuditEntryEntity).count();

  /** Sends a bad PATCH at a later clock and holds that it was refused with `expected` and changed nothing. */
  async function refusedUnchanged(url: string, body: unknown, readUrl: string | null = url, as?: string) {
    const before = readUrl === null ? null : await t.request('GET', readUrl);
    if (before !== null) expect(before.status).toBe(200);
    const audits = await auditCount();
    t.clock.set(LATER);
    try {
      const res = await t.request('PATCH', url, body, { as });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.code).toBe('VALIDATION_FAILED');
      if (before !== null) expect((await t.request('GET', readUrl!)).body).toEqual(before.body);
      expect(await auditCount()).toBe(audits);
      return res.body;
    } finally {
      t.clock.set(TEST_NOW);
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    pd = await seedContract(t.app);
    other = await seedContract(t.app, { key: 'XX' });
    const indicator = await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, padovaIndicatorBodies(pd)['IND-04']);
    expect(indicator.status).toBe(201);
    ids.indicator = indicator.body.id;
    const user = await t.request('POST', '/api/v1/users', { name: 'Giulia Rossi', organisationId: pd.municipalityId, roles: ['contract_manager'] });
    expect(user.status).toBe(201);
    ids.user = user.body.id;
    proposer = (await insertTestUser(t.app.get(DataSource), { name: 'Aurora member', roles: ['ets_member'], organisationId: pd.etsIds.AURORA }, TEST_NOW.toISOString())).apiKey;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('a PATCH that names no field to change', () => {
    const endpoints = (): [string, string, string | null, string, string?][] => [
      ['organisations', `/api/v1/organisations/${pd.etsIds.AURORA}`, `/api/v1/organisations/${pd.etsIds.AURORA}`, 'name, taxCode, legalForm, districtId, leadOrganisationId'],
      ['indicators', `/api/v1/indicators/${ids.indicator}`, `/api/v1/indicators/${ids.indicator}`, 'code, nodeId, labelIt'],
      ['users', `/api/v1/users/${ids.user}`, `/api/v1/users/${ids.user}`, 'name, email, roles, status'],
      ['projects', `/api/v1/projects/${pd.projectId}`, `/api/v1/projects/${pd.projectId}`, 'name'],
      ['value-chain nodes', `/api/v1/value-chain/nodes/${pd.nodeIds.OD5}`, `/api/v1/value-chain/nodes/${pd.nodeIds.OD5}`, 'labelIt'],
      ['reference populations', `/api/v1/reference-populations/${pd.populationIds['POP-OVER60-CITY']}`, `/api/v1/reference-populations/${pd.populationIds['POP-OVER60-CITY']}`, 'value'],
      ['contracts', `/api/v1/contracts/${pd.contractId}`, `/api/v1/contracts/${pd.contractId}`, 'title'],
      ['contract periods', `/api/v1/contract-periods/${pd.periodIds.Y3}`, `/api/v1/contract-periods/${pd.periodIds.Y3}`, 'phase'],
      ['groupings', `/api/v1/groupings/${pd.groupingIds['RTI-A']}`, `/api/v1/groupings/${pd.groupingIds['RTI-A']}`, 'name'],
      // Refused before the proposal is looked up: an empty PATCH is malformed whatever it points at.
      ['proposals', `/api/v1/proposals/${MISSING}`, null, 'answers, dimensions, metrics, instruments', proposer],
    ];

    it.each([
      ['{}', {}],
      ['a null body', 'null'],
      ['no body at all', undefined],
    ])('is refused with 400 on every PATCH operation for %s, changing nothing and auditing nothing', async (_label, body) => {
      for (const [name, url, readUrl, someFields, as] of endpoints()) {
        const error = await refusedUnchanged(url, body, readUrl, as);
        expect({ name, fields: error.details.fields }).toEqual({ name, fields: [{ field: '', code: 'noChange', message: expect.stringContaining('name at least one field to change: ') }] });
        expect({ name, message: error.message }).toEqual({ name, message: expect.stringContaining(someFields) });
      }
    });

    it('still accepts a PATCH that names one field (the rule is about empty bodies only)', async () => {
      const res = await t.request('PATCH', `/api/v1/organisations/${pd.etsIds.AURORA}`, { taxCode: '01234567890' });
      expect(res.status).toBe(200);
      expect(res.body.taxCode).toBe('01234567890');
      const cleared = await t.request('PATCH', `/api/v1/organisations/${pd.etsIds.AURORA}`, { taxCode: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.taxCode).toBeNull();
    });
  });

  describe('null on a field that cannot be cleared', () => {
    it.each([
      ['name', { name: null }],
      ['legalForm', { legalForm: null }],
    ])('organisations: refuses %s: null', async (field, body) => {
      const error = await refusedUnchanged(`/api/v1/organisations/${pd.etsIds.DELTA}`, body);
      expect(error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    });

    it.each(['code', 'nodeId', 'labelIt', 'unit', 'direction', 'frequency', 'disaggregations', 'scope', 'aggregation'])(
      'indicators: refuses %s: null',
      async (field) => {
        const error = await refusedUnchanged(`/api/v1/indicators/${ids.indicator}`, { [field]: null });
        expect(error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      },
    );

    it.each(['name', 'roles', 'status'])('users: refuses %s: null', async (field) => {
      const error = await refusedUnchanged(`/api/v1/users/${ids.user}`, { [field]: null });
      expect(error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    });

    it('keeps clearing the fields that can be cleared (labelEn, formula, instrument, dataOwner, minSampleSize; email)', async () => {
      const indicator = await t.request('PATCH', `/api/v1/indicators/${ids.indicator}`, { labelEn: null, formula: null, instrument: null, dataOwner: null, minSampleSize: null });
      expect(indicator.status).toBe(200);
      expect(indicator.body).toMatchObject({ labelEn: null, formula: null, instrument: null, dataOwner: null, minSampleSize: null });
      const user = await t.request('PATCH', `/api/v1/users/${ids.user}`, { email: null });
      expect(user.status).toBe(200);
      expect(user.body.email).toBeNull();
    });
  });

  describe('minSampleSize beyond 1,000,000,000', () => {
    const body = (minSampleSize: unknown) => ({ ...padovaIndicatorBodies(other)['IND-04'], code: 'IND-BIG', minSampleSize });

    it.each([1_000_000_001, 2_147_483_648, 1e20])('refuses %d on create with 400 naming the field, creating nothing', async (value) => {
      const audits = await auditCount();
      const res = await t.request('POST', `/api/v1/contracts/${other.contractId}/indicators`, body(value));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'minSampleSize', code: 'max', message: 'minSampleSize must not be greater than 1000000000' }] } });
      expect((await t.request('GET', `/api/v1/contracts/${other.contractId}/indicators`)).body.items).toEqual([]);
      expect(await auditCount()).toBe(audits);
    });

    it.each([1_000_000_001, 2_147_483_648, 1e20])('refuses %d on update with 400 naming the field, changing nothing', async (value) => {
      const error = await refusedUnchanged(`/api/v1/indicators/${ids.indicator}`, { minSampleSize: value });
      expect(error.details.fields).toEqual([{ field: 'minSampleSize', code: 'max', message: 'minSampleSize must not be greater than 1000000000' }]);
    });

    it('stores exactly 1,000,000,000 on create and update, and reads it back as that number', async () => {
      const created = await t.request('POST', `/api/v1/contracts/${other.contractId}/indicators`, body(1_000_000_000));
      expect(created.status).toBe(201);
      expect(created.body.minSampleSize).toBe(1_000_000_000);
      const updated = await t.request('PATCH', `/api/v1/indicators/${ids.indicator}`, { minSampleSize: 1_000_000_000 });
      expect(updated.status).toBe(200);
      expect((await t.request('GET', `/api/v1/indicators/${ids.indicator}`)).body.minSampleSize).toBe(1_000_000_000);
    });
  });

  describe('evaluation records of a period that is not the contract\'s', () => {
    it.each([
      ['a period of another contract', () => other.periodIds.Y1],
      ['no period at all', () => MISSING],
    ])('answers 404 SETTLEMENT_PERIOD_NOT_IN_CONTRACT for %s, not an empty list', async (_label, period) => {
      const res = await t.request('GET', `/api/v1/contracts/${pd.contractId}/periods/${period()}/evaluation-records`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'SETTLEMENT_PERIOD_NOT_IN_CONTRACT', details: { periodId: period() } });
    });

    it('still lists (an empty list) for a period of the contract', async () => {
      const res = await t.request('GET', `/api/v1/contracts/${pd.contractId}/periods/${pd.periodIds.Y1}/evaluation-records`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [] });
    });
  });
});
