import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { insertSettlement, OpenDataFixture, seedOpenDataContract } from 'test/support/open-data-fixtures';
import { seedContract } from 'test/support/fixtures';
import { validateOcdsReleasePackage } from 'test/support/official-schemas';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// The Padova contract published as an OCDS 1.1.5 release package: the Comune as buyer, the ETS as
// tenderers and suppliers, one award and contract per RTI valued at its fees, the metrics extension with
// agreed baselines and targets and the accepted Y2 actuals, and the APPROVED settlements as met payment
// milestones and transactions per member; validated against the official release package schema with the
// metrics extension merged into the release schema.

/* eslint-disable @typescript-eslint/no-explicit-any -- the package is asserted field by field */
describe('open data: OCDS release package of a contract', () => {
  let t: TestApp;
  let od: OpenDataFixture;
  let otherManager: TestUser;
  const approvedAt = '2025-09-30T08:00:00.000Z';
  const ids: Record<string, string> = {};

  const ocds = (query = '', as?: TestUser, contractId = od.fx.contractId) =>
    t.request('GET', `/api/v1/contracts/${contractId}/ocds${query}`, undefined, as === undefined ? {} : { as: as.apiKey });
  const contractOf = (body: any, grouping: string) => body.releases[0].contracts.find((c: any) => c.id === `CTR-PD-${grouping}`);
  const metric = (list: any[] | undefined, id: string) => (list ?? []).find((x: any) => x.id === id);

  beforeAll(async () => {
    t = await createTestApp();
    od = await seedOpenDataContract(t);
    const other = await seedContract(t.app, { key: 'VE' });
    otherManager = await insertTestUser(t.app.get(DataSource), { name: 'Manager Venezia', roles: ['contract_manager'], organisationId: other.municipalityId }, TEST_NOW.toISOString());
    const base = { setVersionId: od.setVersionId };
    ids.rtiA = await insertSettlement(t, od.fx, {
      ...base,
      grouping: 'RTI-A',
      period: 'Y1',
      version: 1,
      state: 'APPROVED',
      payable: '25600.00',
      approvedAt,
      allocation: [
        { memberId: 'ETS-AURORA-PD', amount: '12800.00' },
        { memberId: 'ETS-BORGO-VIVO-PD', amount: '7680.00' },
        { memberId: 'ETS-CICLAMINO-PD', amount: '5120.00' },
      ],
    });
    ids.rtiBOld = await insertSettlement(t, od.fx, { ...base, grouping: 'RTI-B', period: 'Y1', version: 1, state: 'SUPERSEDED', payable: '9000.00', approvedAt, allocation: [{ memberId: 'ETS-DELTA-PD', amount: '9000.00' }] });
    ids.rtiB = await insertSettlement(t, od.fx, {
      ...base,
      grouping: 'RTI-B',
      period: 'Y1',
      version: 2,
      state: 'APPROVED',
      payable: '8400.00',
      approvedAt: '2025-10-15T09:30:00.000Z',
      allocation: [
        { memberId: 'ETS-DELTA-PD', amount: '5040.00' },
        { memberId: 'ETS-EDERA-PD', amount: '3360.00' },
      ],
    });
    ids.draft = await insertSettlement(t, od.fx, { ...base, grouping: 'RTI-A', period: 'Y2', version: 1, state: 'DRAFT', payable: '30000.00', approvedAt: null, allocation: [{ memberId: 'ETS-AURORA-PD', amount: '30000.00' }] });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers an attachment that is valid against the release package schema with the metrics extension', async () => {
    const res = await ocds('', od.users.manager);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="ocds-CTR-PD.json"; filename*=UTF-8''ocds-CTR-PD.json`);
    expect(validateOcdsReleasePackage(res.body)).toEqual({ valid: true, errors: [] });
    expect(res.body).toMatchObject({
      version: '1.1',
      publishedDate: '2026-01-15T10:00:00.000Z',
      publisher: { name: 'Comune di Padova' },
      extensions: ['https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json'],
    });
  });

  it('is checked with the extension merged in: a metric without observations ids, or an empty agreedMetrics, is refused', async () => {
    const body = (await ocds('', od.users.manager)).body;
    const broken = structuredClone(body);
    contractOf(broken, 'RTI-A').agreedMetrics = [];
    expect(validateOcdsReleasePackage(broken).valid).toBe(false);
    const noId = structuredClone(body);
    delete contractOf(noId, 'RTI-A').implementation.metrics[0].observations[0].id;
    expect(validateOcdsReleasePackage(noId).errors.join('\n')).toContain("must have required property 'id'");
  });

  it('names the process by the default ocid prefix and the contract code, the Comune as buyer and the ETS as tenderers and suppliers', async () => {
    const body = (await ocds('', od.users.manager)).body;
    const release = body.releases[0];
    expect(release).toMatchObject({ ocid: 'ocds-ancora-CTR-PD', date: '2026-01-15T10:00:00.000Z', tag: ['award', 'contract', 'implementation'], initiationType: 'tender', language: 'it' });
    expect(release.id).toMatch(/^ocds-ancora-CTR-PD-[0-9a-f]{16}$/);
    expect(body.uri).toBe(`urn:ancora:ocds:${release.id}`);
    expect(release.parties.map((p: any) => [p.id, p.roles])).toEqual([
      ['ancora-C-PADOVA-PD', ['buyer', 'procuringEntity', 'payer']],
      ['ancora-ETS-AURORA-PD', ['tenderer', 'supplier', 'payee']],
      ['ancora-ETS-BORGO-VIVO-PD', ['tenderer', 'supplier', 'payee']],
      ['ancora-ETS-CICLAMINO-PD', ['tenderer', 'supplier', 'payee']],
      ['ancora-ETS-DELTA-PD', ['tenderer', 'supplier', 'payee']],
      ['ancora-ETS-EDERA-PD', ['tenderer', 'supplier', 'payee']],
    ]);
    expect(release.buyer).toEqual({ id: 'ancora-C-PADOVA-PD', name: 'Comune di Padova' });
    expect(release.tender).toMatchObject({ id: 'CTR-PD-tender', status: 'complete', numberOfTenderers: 5 });
    expect(release.awards.map((a: any) => [a.id, a.suppliers.map((s: any) => s.id), a.value])).toEqual([
      ['CTR-PD-RTI-A', ['ancora-ETS-AURORA-PD', 'ancora-ETS-BORGO-VIVO-PD', 'ancora-ETS-CICLAMINO-PD'], { amount: 960000, currency: 'EUR' }],
      ['CTR-PD-RTI-B', ['ancora-ETS-DELTA-PD', 'ancora-ETS-EDERA-PD'], { amount: 840000, currency: 'EUR' }],
    ]);
    // Money is written from the decimal strings, digit for digit.
    expect((await ocds('', od.users.manager)).text).toContain('"amount": 960000.00,');
    expect(contractOf(body, 'RTI-A')).toMatchObject({ awardID: 'CTR-PD-RTI-A', status: 'active', period: { startDate: '2024-07-01T00:00:00Z', endDate: '2027-06-30T23:59:59Z' } });
  });

  it('publishes the agreed baseline and targets per period, and the accepted Y2 actuals with their parts, per RTI', async () => {
    const body = (await ocds('', od.users.manager)).body;
    const a = contractOf(body, 'RTI-A');
    expect(metric(a.agreedMetrics, 'IND-03').observations).toEqual([
      { id: 'IND-03-baseline', measure: '1100', unit: { name: 'unit', id: 'C62', scheme: 'UNCEFACT' }, dimensions: { observationType: 'baseline' } },
      { id: 'IND-03-Y2-target', period: { startDate: '2025-07-01T00:00:00Z', endDate: '2026-06-30T23:59:59Z' }, measure: '1320', unit: { name: 'unit', id: 'C62', scheme: 'UNCEFACT' }, dimensions: { observationType: 'target' } },
      { id: 'IND-03-Y3-target', period: { startDate: '2026-07-01T00:00:00Z', endDate: '2027-06-30T23:59:59Z' }, measure: '1540', unit: { name: 'unit', id: 'C62', scheme: 'UNCEFACT' }, dimensions: { observationType: 'target' } },
    ]);
    expect(metric(a.agreedMetrics, 'IND-04').observations.map((o: any) => [o.id, o.measure])).toEqual([
      ['IND-04-Y2-target', '80.0'],
      ['IND-04-Y3-target', '80.0'],
    ]);
    const reported = metric(a.implementation.metrics, 'IND-03').observations;
    expect(reported.map((o: any) => [o.id, o.measure, o.dimensions ?? null])).toEqual([
      ['IND-03-Y2', '1350', null],
      ['IND-03-Y2-TARGET_GROUP-OVER60', '1346', { targetGroup: 'OVER60' }],
      ['IND-03-Y2-TARGET_GROUP-UNDER60', '4', { targetGroup: 'UNDER60' }],
    ]);
    expect(reported[0].notes).toBe("grouping value from 2 members' accepted values (SUM)");
    expect(metric(a.implementation.metrics, 'IND-04').observations[0]).toMatchObject({ measure: '75.9', unit: { name: 'percent', id: 'P1' } });
    expect(metric(contractOf(body, 'RTI-B').implementation.metrics, 'IND-03').observations.map((o: any) => o.measure)).toEqual(['1100', '800', '300']);
  });

  it('turns each APPROVED settlement into a met payment milestone and a transaction per member, ignoring drafts and superseded versions', async () => {
    const body = (await ocds('', od.users.auditor)).body;
    const a = contractOf(body, 'RTI-A').implementation;
    expect(a.milestones).toEqual([
      {
        id: 'payment-Y1',
        title: 'Premio di risultato Y1 (outcome payment)',
        type: 'payment',
        description: `Settlement ${ids.rtiA} version 1, approved; payable 25600.00 EUR; document SHA-256 ${'d'.repeat(64)}`,
        dueDate: '2025-06-30T23:59:59Z',
        dateMet: approvedAt,
        dateModified: approvedAt,
        status: 'met',
      },
    ]);
    expect(a.transactions).toEqual([
      { id: `${ids.rtiA}-ETS-AURORA-PD`, date: approvedAt, value: { amount: 12800, currency: 'EUR' }, payer: { id: 'ancora-C-PADOVA-PD', name: 'Comune di Padova' }, payee: { id: 'ancora-ETS-AURORA-PD', name: 'Cooperativa Sociale Aurora (fittizia)' } },
      { id: `${ids.rtiA}-ETS-BORGO-VIVO-PD`, date: approvedAt, value: { amount: 7680, currency: 'EUR' }, payer: { id: 'ancora-C-PADOVA-PD', name: 'Comune di Padova' }, payee: { id: 'ancora-ETS-BORGO-VIVO-PD', name: 'Cooperativa Sociale Borgo Vivo (fittizia)' } },
      { id: `${ids.rtiA}-ETS-CICLAMINO-PD`, date: approvedAt, value: { amount: 5120, currency: 'EUR' }, payer: { id: 'ancora-C-PADOVA-PD', name: 'Comune di Padova' }, payee: { id: 'ancora-ETS-CICLAMINO-PD', name: 'Cooperativa Sociale Ciclamino (fittizia)' } },
    ]);
    const b = contractOf(body, 'RTI-B').implementation;
    expect(b.milestones.map((m: any) => [m.id, m.dateMet, m.description])).toEqual([
      ['payment-Y1', '2025-10-15T09:30:00.000Z', `Settlement ${ids.rtiB} version 2, approved; payable 8400.00 EUR; document SHA-256 ${'d'.repeat(64)}`],
    ]);
    expect(b.transactions.map((x: any) => [x.payee.id, x.value.amount])).toEqual([
      ['ancora-ETS-DELTA-PD', 5040],
      ['ancora-ETS-EDERA-PD', 3360],
    ]);
    expect(JSON.stringify(body)).not.toContain(ids.rtiBOld);
    expect(JSON.stringify(body)).not.toContain(ids.draft);
  });

  it('with suppressBelow=5 drops UNDER60 (3 + 1) and its complement, noting it, and stays valid', async () => {
    const body = (await ocds('?suppressBelow=5', od.users.manager)).body;
    const observations = metric(contractOf(body, 'RTI-A').implementation.metrics, 'IND-03').observations;
    expect(observations.map((o: any) => o.id)).toEqual(['IND-03-Y2']);
    expect(observations[0].notes).toBe(
      "grouping value from 2 members' accepted values (SUM); small-number suppression: values below 5 and their complements not published (TARGET_GROUP: OVER60, UNDER60)",
    );
    expect(metric(contractOf(body, 'RTI-B').implementation.metrics, 'IND-03').observations).toHaveLength(3);
    expect(validateOcdsReleasePackage(body)).toEqual({ valid: true, errors: [] });
  });

  it("gives ETS staff their own RTI's results and payments, and the agreed content of both", async () => {
    const body = (await ocds('', od.users.edera)).body;
    expect(contractOf(body, 'RTI-A').implementation).toBeUndefined();
    expect(contractOf(body, 'RTI-A').agreedMetrics).toHaveLength(5);
    expect(contractOf(body, 'RTI-B').implementation.transactions).toHaveLength(2);
    expect(body.releases[0].parties.filter((p: any) => p.roles.includes('payee')).map((p: any) => p.id)).toEqual(['ancora-ETS-DELTA-PD', 'ancora-ETS-EDERA-PD']);
    expect(validateOcdsReleasePackage(body)).toEqual({ valid: true, errors: [] });
  });

  it('gives the same bytes for the same data, and a new release id when the data change', async () => {
    const first = await ocds('', od.users.manager);
    expect((await ocds('', od.users.manager)).text).toBe(first.text);
    const suppressed = await ocds('?suppressBelow=5', od.users.manager);
    expect(suppressed.body.releases[0].id).not.toBe(first.body.releases[0].id);
  });

  it('answers 404 OPEN_DATA_CONTRACT_NOT_FOUND to who may not read the contract or for no contract, 400 for bad input, 401 without a key', async () => {
    for (const [who, contractId] of [
      [otherManager, od.fx.contractId],
      [od.users.manager, randomUUID()],
    ] as const) {
      const res = await ocds('', who, contractId);
      expect({ status: res.status, code: res.body?.code }).toEqual({ status: 404, code: 'OPEN_DATA_CONTRACT_NOT_FOUND' });
    }
    expect((await ocds('?suppressBelow=-3', od.users.manager)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.request('GET', '/api/v1/contracts/nope/ocds')).status).toBe(400);
    expect((await t.request('GET', `/api/v1/contracts/${od.fx.contractId}/ocds`, undefined, { as: null })).status).toBe(401);
  });
});
