import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { MeasurementEntity } from 'src/measurements/measurement.entity';
import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Deleting an indicator of the working copy is refused (409 INDICATOR_IN_USE, nothing changed) while its
// measurements exist (any state) or the contract's payment rules name it (a term, a condition's fact, a
// test case). It used to answer 204, after which every rule-set test case failed and the exported
// definition could not be imported again. The indicator-set versions do not hold it: each keeps its own
// copy, which measurements and settlements of its periods use. Padova, version 1 binding. Changing its
// code, unit or direction is refused for the same reasons, and dropping a disaggregation category when the
// rules name it.

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

describe('indicators: deleting, renaming, changing unit or direction, or dropping categories of one still in use (e2e)', () => {
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

  // Renaming has the same hole as deleting: the rules name the old code, measurements reference it by code.
  const patch = (code: string, body: Record<string, unknown>) => t.request('PATCH', `/api/v1/indicators/${ids[code]}`, body, { as: fx.manager.apiKey });

  it('refuses a new code for IND-05 while the payment rules name it: details as for delete, plus the code field; nothing changes', async () => {
    const before = await state();
    const res = await patch('IND-05', { code: 'IND-05B', labelIt: 'Rinominato' });
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
      fields: [{ field: 'code', message: 'cannot change while IND-05 is in use (measured or named by the payment rules)' }],
    });
    expect(res.body.message).toBe(
      "The code of indicator IND-05 cannot change while it is named by the contract's payment rules at paymentRules.phases[0].milestone.condition.all[4].fact, " +
        'paymentRules.terms[4].indicator, paymentRules.tests[0].measurements.IND-05 and 2 more: remove it from the payment rules first, then rename it and name the new code in the rules',
    );
    expect(await state()).toEqual(before);
    expect(await testRun()).toMatchObject({ total: 3, passed: 3 });
  }, 30_000);

  it('refuses a new code for IND-G1, measured (a draft) and not in the rules: measurements name it by code', async () => {
    const before = await state();
    const res = await patch('IND-G1', { code: 'IND-G2' });
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toMatchObject({ id: ids['IND-G1'], code: 'IND-G1', measurements: 1, paymentRules: [] });
    expect(res.body.details.fields).toEqual([{ field: 'code', message: expect.stringMatching(/^cannot change while IND-G1 is in use/) }]);
    expect(res.body.message).toBe(
      'The code of indicator IND-G1 cannot change while it has 1 measurement: measurements name an indicator by its code and are never deleted, so a measured indicator keeps its code',
    );
    expect(await state()).toEqual(before);
  }, 30_000);

  it('renames an indicator nobody measured or named; the same code again is no change of code, also for one in use', async () => {
    const nodeId = (await t.request('GET', `/api/v1/indicators/${ids['IND-01']}`)).body.nodeId as string;
    const created = await t.request(
      'POST',
      `/api/v1/contracts/${fx.contractId}/indicators`,
      { code: 'IND-R1', nodeId, labelIt: 'Da rinominare', unit: 'COUNT', direction: 'INCREASE', frequency: 'ANNUAL', scope: 'PER_GROUPING' },
      { as: fx.manager.apiKey },
    );
    expect(created.status).toBe(201);
    ids['IND-R1'] = created.body.id;
    const audit = (await state()).audit;
    const res = await patch('IND-R1', { code: 'IND-R2' });
    expect([res.status, res.body.code]).toEqual([200, 'IND-R2']);
    expect((await t.request('GET', `/api/v1/indicators/${created.body.id}`)).body.code).toBe('IND-R2');
    expect((await state()).audit).toBe(audit + 1);

    const same = await patch('IND-05', { code: 'IND-05', labelIt: 'Stesso codice' });
    expect([same.status, same.body.code, same.body.labelIt]).toEqual([200, 'IND-05', 'Stesso codice']);
  }, 30_000);

  // IND-03 is disaggregated by TARGET_GROUP (OVER60, UNDER60) and NEED_TYPE; the placements gate reads
  // IND-03.TARGET_GROUP.UNDER60.share and the three test cases give both TARGET_GROUP parts.
  const NEED_TYPE = { dimension: 'NEED_TYPE', values: ['SOCIALITA', 'MOVIMENTO', 'CULTURA', 'SUPPORTO'] };

  it('refuses dropping UNDER60 from IND-03: the gate fact and the test cases name it; nothing changes', async () => {
    const before = await state();
    const res = await patch('IND-03', { disaggregations: [{ dimension: 'TARGET_GROUP', values: ['OVER60'] }, NEED_TYPE], labelIt: 'Cambiato' });
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toEqual({
      id: ids['IND-03'],
      code: 'IND-03',
      categories: ['TARGET_GROUP.UNDER60'],
      facts: ['IND-03.TARGET_GROUP.UNDER60.share'],
      paymentRules: [
        'paymentRules.terms[2].gate.condition.all[0].fact',
        'paymentRules.tests[0].measurements.IND-03.disaggregations.TARGET_GROUP.UNDER60',
        'paymentRules.tests[1].measurements.IND-03.disaggregations.TARGET_GROUP.UNDER60',
        'paymentRules.tests[2].measurements.IND-03.disaggregations.TARGET_GROUP.UNDER60',
      ],
      fields: [{ field: 'disaggregations[0].values', message: 'must keep TARGET_GROUP.UNDER60: named by the payment rules' }],
    });
    expect(res.body.message).toBe(
      "Indicator IND-03's disaggregation category TARGET_GROUP.UNDER60 cannot be removed: the contract's payment rules name it at " +
        'paymentRules.terms[2].gate.condition.all[0].fact, paymentRules.tests[0].measurements.IND-03.disaggregations.TARGET_GROUP.UNDER60, ' +
        'paymentRules.tests[1].measurements.IND-03.disaggregations.TARGET_GROUP.UNDER60 and 1 more: remove it from the payment rules first',
    );
    expect(await state()).toEqual(before);
    expect(await testRun()).toMatchObject({ total: 3, passed: 3 });
  }, 30_000);

  it('refuses dropping the TARGET_GROUP dimension: both categories, reported on disaggregations', async () => {
    const before = await state();
    const res = await patch('IND-03', { disaggregations: [NEED_TYPE] });
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toMatchObject({
      categories: ['TARGET_GROUP.OVER60', 'TARGET_GROUP.UNDER60'],
      facts: ['IND-03.TARGET_GROUP.UNDER60.share'],
      fields: [{ field: 'disaggregations', message: 'must keep TARGET_GROUP.OVER60, TARGET_GROUP.UNDER60: named by the payment rules' }],
    });
    expect(res.body.details.paymentRules).toHaveLength(7);
    expect(await state()).toEqual(before);
  }, 30_000);

  it('lets measured IND-03 drop NEED_TYPE, which nothing names, and gain a category: the rules still test', async () => {
    const audit = (await state()).audit;
    const disaggregations = [{ dimension: 'TARGET_GROUP', values: ['UNDER60', 'OVER60', 'UNDER18'] }];
    const res = await patch('IND-03', { disaggregations });
    expect([res.status, res.body.disaggregations]).toEqual([200, disaggregations]);
    expect((await t.request('GET', `/api/v1/indicators/${ids['IND-03']}`)).body.disaggregations).toEqual(disaggregations);
    expect((await state()).audit).toBe(audit + 1);
    expect(await testRun()).toMatchObject({ total: 3, passed: 3 });
  }, 30_000);

  // A unit or direction says what every measurement taken and every baseline, target and threshold agreed
  // means: while the indicator is in use a new one would silently reread them all.
  const IND03_RULES = [
    'paymentRules.phases[0].milestone.condition.all[2].fact',
    'paymentRules.terms[2].indicator',
    'paymentRules.terms[2].gate.condition.all[0].fact',
    'paymentRules.tests[0].measurements.IND-03',
    'paymentRules.tests[1].measurements.IND-03',
    'paymentRules.tests[2].measurements.IND-03',
  ];
  const inUse = (code: string) => `cannot change while ${code} is in use (measured or named by the payment rules)`;

  it('refuses a new direction for measured IND-03 as in use, not as targets on the wrong side of its baselines; nothing changes', async () => {
    const before = await state();
    const res = await patch('IND-03', { direction: 'DECREASE', labelIt: 'Cambiato' });
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toEqual({ id: ids['IND-03'], code: 'IND-03', measurements: 1, paymentRules: IND03_RULES, fields: [{ field: 'direction', message: inUse('IND-03') }] });
    expect(res.body.message).toBe(
      "The direction of indicator IND-03 cannot change while it has 1 measurement and is named by the contract's payment rules at " +
        'paymentRules.phases[0].milestone.condition.all[2].fact, paymentRules.terms[2].indicator, paymentRules.terms[2].gate.condition.all[0].fact and 3 more: ' +
        'its measurements, baselines and targets are read in this direction and measurements are never deleted, so a measured indicator keeps its direction: ' +
        'a different measure is a new indicator with its own code',
    );
    expect(await state()).toEqual(before);
  }, 30_000);

  it('refuses a new unit and direction for IND-05, named only by the rules: one field entry each, the way through the rules', async () => {
    const before = await state();
    const res = await patch('IND-05', { unit: 'RATIO', direction: 'DECREASE' });
    expect([res.status, res.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(res.body.details).toMatchObject({ id: ids['IND-05'], code: 'IND-05', measurements: 0 });
    expect(res.body.details.paymentRules).toHaveLength(5);
    expect(res.body.details.fields).toEqual([
      { field: 'unit', message: inUse('IND-05') },
      { field: 'direction', message: inUse('IND-05') },
    ]);
    expect(res.body.message).toMatch(
      /^The unit and direction of indicator IND-05 cannot change while it is named by the contract's payment rules at .* and 2 more: remove it from the payment rules first, then change its unit and direction and name it in the rules again$/,
    );
    expect(await state()).toEqual(before);
    expect(await testRun()).toMatchObject({ total: 3, passed: 3 });
  }, 30_000);

  it('refuses a new unit for IND-G1, measured (a draft) and named by nothing; with a new code the rename answers for both', async () => {
    const before = await state();
    const unit = await patch('IND-G1', { unit: 'COUNT' });
    expect([unit.status, unit.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(unit.body.details).toEqual({ id: ids['IND-G1'], code: 'IND-G1', measurements: 1, paymentRules: [], fields: [{ field: 'unit', message: inUse('IND-G1') }] });
    expect(unit.body.message).toBe(
      'The unit of indicator IND-G1 cannot change while it has 1 measurement: its measurements, baselines and targets are read in this unit ' +
        'and measurements are never deleted, so a measured indicator keeps its unit: a different measure is a new indicator with its own code',
    );
    const both = await patch('IND-G1', { code: 'IND-G3', unit: 'COUNT' });
    expect([both.status, both.body.code]).toEqual([409, 'INDICATOR_IN_USE']);
    expect(both.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['code', 'unit']);
    expect(both.body.message).toMatch(/^The code and unit of indicator IND-G1 cannot change while it has 1 measurement: measurements name an indicator by its code/);
    expect(await state()).toEqual(before);
  }, 30_000);

  it('still changes the free text of measured IND-03, with its unit and direction sent unchanged', async () => {
    const audit = (await state()).audit;
    const res = await patch('IND-03', { labelIt: 'Partecipanti unici', labelEn: 'Unique participants', instrument: 'Registro presenze', unit: 'COUNT', direction: 'INCREASE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ labelIt: 'Partecipanti unici', labelEn: 'Unique participants', instrument: 'Registro presenze', unit: 'COUNT', direction: 'INCREASE' });
    expect((await state()).audit).toBe(audit + 1);
    expect(await testRun()).toMatchObject({ total: 3, passed: 3 });
  }, 30_000);

  it('changes the unit and direction of an indicator nobody measured or named', async () => {
    const res = await patch('IND-R1', { unit: 'PERCENT', direction: 'DECREASE' });
    expect([res.status, res.body.unit, res.body.direction]).toEqual([200, 'PERCENT', 'DECREASE']);
    expect((await t.request('GET', `/api/v1/indicators/${ids['IND-R1']}`)).body).toMatchObject({ code: 'IND-R2', unit: 'PERCENT', direction: 'DECREASE' });
  }, 30_000);
});
