import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { MeasurementEntity } from 'src/measurements/measurement.entity';
import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Deleting an indicator of the working copy is refused (409 INDICATOR_IN_USE, nothing changed) while its
// measurements exist (any state) or the contract's payment rules name it (a term, a condition's fact, a
// test case). It used to answer 204, after which every rule-set test case failed and the exported
// definition could not be imported again. The indicator-set versions do not hold it: each keeps its own
// copy, which measurements and settlements of its periods use. Padova, version 1 binding.

interface Indicator {
  id: string;
  code: string;
  nodeId: string;
  labelIt: string;
  unit: string;
  direction: string;
  frequency: string;
  scope: string;
}

describe('indicators: deleting one still in use (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const ids: Record<string, string> = {};
  const del = (code: string) => t.request('DELETE', `/api/v1/indicators/${ids[code]}`, undefined, { as: fx.manager.apiKey });
  const testRun = async () => (await t.request('POST', `/api/v1/contracts/${fx.contractId}/payment-rules/test-runs`, {}, { as: fx.manager.apiKey })).body as { total: number; passed: number };

  /** What a refused deletion must leave as it was: the working copy, its export, measurements and the audit log. */
  const state = async () => {
    const ds = t.app.get(DataSource);
    return {
      indicators: (await t.request('GET', `/api/v1/contracts/${fx.contractId}/indicators?limit=200`)).body,
      definition: (await t.request('GET', `/api/v1/contracts/${fx.contractId}/definition`)).body,
      measurements: await ds.getRepository(MeasurementEntity).count(),
      audit: await ds.getRepository(AuditEntryEntity).count(),
    };
  };

  const refreshIds = async () => {
    const list = (await t.request('GET', `/api/v1/contracts/${fx.contractId}/indicators?limit=200`)).body.items as Indicator[];
    for (const i of list) ids[i.code] = i.id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await refreshIds();
  }, 60_000); // the app and the Padova import, bound once

  afterAll(async () => {
    await t.close();
  });

  it('refuses IND-05 while the payment rules name it (milestone, term, test cases); the rules still test and export as before', async () => {
    const before = await state();
    const res = await del('IND-05');
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toEqual({
      id: ids['IND-05'],
      code: 'IND-05',
      measurements: 0,
      paymentRules: [
        'paymentRules.phases[0].milestone.condition.all[4].fact',
        'paymentRules.terms[4].indicator',
        'paymentRules.tests[0].measurements.IND-05',
        'paymentRules.tests[1].measurements.IND-05',
        'paymentRules.tests[2].measurements.IND-05',
      ],
    });
    expect(res.body.message).toBe(
      "Indicator IND-05 is named by the contract's payment rules at paymentRules.phases[0].milestone.condition.all[4].fact, " +
        'paymentRules.terms[4].indicator, paymentRules.tests[0].measurements.IND-05 and 2 more: remove it from the payment rules first',
    );
    expect(await state()).toEqual(before);
    expect(await testRun()).toMatchObject({ total: 3, passed: 3 });
  }, 30_000);

  it('refuses IND-03, measured and named by a gate: the details give both', async () => {
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', { 'IND-03': PADOVA_CASE_A['IND-03'] });
    const before = await state();
    const res = await del('IND-03');
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toMatchObject({ code: 'IND-03', measurements: 1 });
    expect(res.body.details.paymentRules).toEqual([
      'paymentRules.phases[0].milestone.condition.all[2].fact',
      'paymentRules.terms[2].indicator',
      'paymentRules.terms[2].gate.condition.all[0].fact',
      'paymentRules.tests[0].measurements.IND-03',
      'paymentRules.tests[1].measurements.IND-03',
      'paymentRules.tests[2].measurements.IND-03',
    ]);
    expect(res.body.message).toMatch(/^Indicator IND-03 has 1 measurement and is named by the contract's payment rules at .* and 3 more: a measured indicator stays in the contract \(measurements are never deleted\); remove it from the payment rules to stop paying on it$/);
    expect(await state()).toEqual(before);
  }, 30_000);

  it('deletes IND-G1 once the payment rules no longer name it: binding version 1 keeps its own copy, tested and measured as before', async () => {
    const rules = (await t.request('GET', `/api/v1/contracts/${fx.contractId}/payment-rules`)).body.paymentRules as {
      guardrails?: unknown[];
      tests: { measurements: Record<string, unknown> }[];
    };
    delete rules.guardrails;
    for (const test of rules.tests) delete test.measurements['IND-G1'];
    expect((await t.request('PUT', `/api/v1/contracts/${fx.contractId}/payment-rules`, { paymentRules: rules }, { as: fx.manager.apiKey })).status).toBe(200);

    const res = await del('IND-G1');
    expect([res.status, res.text]).toEqual([204, '']);
    expect((await t.request('GET', `/api/v1/indicators/${ids['IND-G1']}`)).status).toBe(404);
    expect(await testRun()).toMatchObject({ total: 3, passed: 3 });

    const v1 = (await t.request('GET', `/api/v1/indicator-set-versions/${fx.bindingVersionId}`)).body;
    expect(v1.state).toBe('BINDING');
    expect((v1.content.indicators as { code: string }[]).map((i) => i.code)).toContain('IND-G1');
    const v1Tests = await t.request('POST', `/api/v1/indicator-set-versions/${fx.bindingVersionId}/test-runs`, {}, { as: fx.manager.apiKey });
    expect(v1Tests.body).toMatchObject({ total: 3, passed: 3 });
    // Measurements are checked against the version in force, which still has IND-G1.
    const draft = await t.request(
      'POST',
      `/api/v1/contracts/${fx.contractId}/measurements`,
      { indicatorCode: 'IND-G1', periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-A'], value: '12', submit: false },
      { as: fx.leads['RTI-A'].apiKey },
    );
    expect([draft.status, draft.body.status]).toEqual([201, 'DRAFT']);
  }, 30_000);

  it('refuses an indicator created again with a measured code: measurements name it by code, a draft one too', async () => {
    const created = await t.request(
      'POST',
      `/api/v1/contracts/${fx.contractId}/indicators`,
      { code: 'IND-G1', nodeId: (await t.request('GET', `/api/v1/indicators/${ids['IND-01']}`)).body.nodeId, labelIt: 'Ore medie di attività per partecipante', unit: 'HOURS', direction: 'INCREASE', frequency: 'QUARTERLY', scope: 'PER_GROUPING' },
      { as: fx.manager.apiKey },
    );
    expect(created.status).toBe(201);
    ids['IND-G1'] = created.body.id;
    const before = await state();
    const res = await del('IND-G1');
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toEqual({ id: created.body.id, code: 'IND-G1', measurements: 1, paymentRules: [] });
    expect(res.body.message).toBe('Indicator IND-G1 has 1 measurement: a measured indicator stays in the contract (measurements are never deleted)');
    expect(await state()).toEqual(before);
  }, 30_000);

  it('deletes an indicator that is only in the working copy: never frozen, measured or named', async () => {
    const created = await t.request(
      'POST',
      `/api/v1/contracts/${fx.contractId}/indicators`,
      { code: 'IND-NEW', nodeId: (await t.request('GET', `/api/v1/indicators/${ids['IND-01']}`)).body.nodeId, labelIt: 'Nuovo indicatore', unit: 'COUNT', direction: 'INCREASE', frequency: 'ANNUAL', scope: 'PER_GROUPING' },
      { as: fx.manager.apiKey },
    );
    expect(created.status).toBe(201);
    ids['IND-NEW'] = created.body.id;
    expect((await del('IND-NEW')).status).toBe(204);
    expect((await t.request('GET', `/api/v1/indicators/${created.body.id}`)).status).toBe(404);
  }, 30_000);
});
