import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { MeasurementEntity } from 'src/measurements/measurement.entity';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { acceptMeasurements, ExampleContract, exampleDocument, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 4, section 3, what-if: hypothetical measurements (Case D: the under-60 share falls to 12 %) and a
// draft rule set (15 % of the fee at risk instead of 10 %) evaluated like a settlement, with the same lines
// and reasons, and nothing stored; a draft that breaks the rules is refused with its field paths.
// Hypothetical measurements are held to the rules of real ones (known grouping, indicator, dimension and
// category; parts that add up; a survey's sample) and a refusal lists every problem at its own field.

describe('settlement simulations (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ExampleContract;
  const simulate = (body: unknown, as: string) => t.request('POST', `/api/v1/contracts/${fx.contractId}/simulations`, body, { as });
  const rules = () => structuredClone((exampleDocument('padova-sdc-2.0.json').contract as { paymentRules: Record<string, unknown> }).paymentRules);
  const stored = async () => ({
    settlements: await ds.getRepository(SettlementEntity).count(),
    measurements: await ds.getRepository(MeasurementEntity).count(),
    audit: await ds.getRepository(AuditEntryEntity).count(),
  });
  const refused = (res: { status: number; body: { code: string; details: { fields: { field: string; code: string; message: string }[] } } }) => ({
    status: res.status,
    code: res.body.code,
    fields: res.body.details.fields.map((f) => [f.field, f.code]),
  });
  const premiums = (body: { periods: { groupings: { groupingCode: string; result: { premium: string } }[] }[] }) =>
    body.periods.map((p) => p.groupings.map((g) => [g.groupingCode, g.result.premium]));

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
  });

  afterAll(async () => {
    await t.close();
  });

  it('evaluates the binding rules on the accepted measurements without storing anything', async () => {
    const before = { settlements: await ds.getRepository(SettlementEntity).count(), audit: await ds.getRepository(AuditEntryEntity).count() };
    const res = await simulate({ periodIds: [fx.periodIds.Y2] }, fx.manager.apiKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ruleSetCode: 'PD-SDC-R1', ruleSetSource: 'BINDING' });
    expect(premiums(res.body)).toEqual([[['RTI-A', '18960.00'], ['RTI-B', '20720.00']]]);
    expect({ settlements: await ds.getRepository(SettlementEntity).count(), audit: await ds.getRepository(AuditEntryEntity).count() }).toEqual(before);
  });

  it('Case D with hypothetical parts: the gate fails, IND-03 pays nothing and the line says why', async () => {
    const res = await simulate(
      { periodIds: [fx.periodIds.Y2], hypothetical: [{ grouping: 'RTI-A', measurements: { 'IND-03': { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '1065', UNDER60: '145' } } } } }] },
      fx.approver.apiKey,
    );
    expect(res.status).toBe(200);
    expect(premiums(res.body)).toEqual([[['RTI-A', '14160.00'], ['RTI-B', '20720.00']]]);
    const line = res.body.periods[0].groupings[0].result.lines[2];
    expect([line.status, line.reason.en]).toEqual(['GATE_FAILED', "not paid: gate 'UNDER60 share >= 0.15' failed, actual ≈0.1198"]);
    expect(line.reason.it).toBe("non pagato: condizione 'UNDER60 share >= 0.15' non soddisfatta, valore ≈0,1198");
  });

  it('a draft rule set putting 15 % of the fee at risk, against the real Y2', async () => {
    const draft = { ...rules(), basis: { kind: 'SHARE_OF_FEE', share: '0.15' }, tests: [] };
    const res = await simulate({ periodIds: [fx.periodIds.Y2], ruleSet: draft }, fx.manager.apiKey);
    expect([res.status, res.body.ruleSetSource]).toEqual([200, 'DRAFT']);
    expect(premiums(res.body)).toEqual([[['RTI-A', '28440.00'], ['RTI-B', '31080.00']]]);
  });

  it('a draft pool cap of 35,000.00 across both groupings reduces them pro rata, to the cent, and each line says so', async () => {
    const draft = { ...rules(), poolCap: '35000.00', tests: [] };
    const res = await simulate({ periodIds: [fx.periodIds.Y2], ruleSet: draft }, fx.manager.apiKey);
    expect(res.status).toBe(200);
    const [a, b] = res.body.periods[0].groupings.map(
      (g: { result: { premium: string; payable: string; adjustments: { kind: string; before: string; after: string; reason: { it: string } }[] } }) => g.result,
    );
    expect([a.premium, a.payable, b.premium, b.payable]).toEqual(['18960.00', '16723.79', '20720.00', '18276.21']);
    expect(a.adjustments).toEqual([expect.objectContaining({ kind: 'POOL_CAP', before: '18960.00', after: '16723.79' })]);
    expect(a.adjustments[0].reason.it).toBe('tetto complessivo 35.000,00 tra i raggruppamenti (richiesto 39.680,00): ridotto in proporzione');
  });

  it('refuses a draft with weights not summing to 1, hypothetical values that are not decimals, and ETS callers', async () => {
    const draft = rules() as { terms: { weight?: string }[] };
    draft.terms[0].weight = '0.25';
    const bad = await simulate({ periodIds: [fx.periodIds.Y2], ruleSet: draft }, fx.manager.apiKey);
    expect(bad.status).toBe(422);
    expect(bad.body.code).toMatch(/^RULE_SET_/);
    expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toContain('ruleSet.terms');
    const notDecimal = await simulate({ periodIds: [fx.periodIds.Y2], hypothetical: [{ grouping: 'RTI-A', measurements: { 'IND-01': { value: 11 } } }] }, fx.manager.apiKey);
    expect([notDecimal.status, notDecimal.body.code, notDecimal.body.details.fields[0].field]).toEqual([422, 'SETTLEMENT_SIMULATION_INVALID', 'hypothetical[0].measurements.IND-01.value']);
    const ets = await simulate({ periodIds: [fx.periodIds.Y2] }, fx.leads['RTI-A'].apiKey);
    expect(ets.status).toBe(403);
  });

  it('a grouping the contract does not have is refused, naming the ones it has, and nothing is stored', async () => {
    const before = await stored();
    const res = await simulate({ periodIds: [fx.periodIds.Y2], hypothetical: [{ grouping: 'RTI-NOR', measurements: { 'IND-01': { value: '11.0' } } }] }, fx.manager.apiKey);
    expect(refused(res)).toEqual({ status: 422, code: 'SETTLEMENT_SIMULATION_INVALID', fields: [['hypothetical[0].grouping', 'SETTLEMENT_GROUPING_NOT_IN_CONTRACT']] });
    expect(res.body.details.fields[0].message).toBe('RTI-NOR is not a grouping of contract PD-SDC-2.0 (it has RTI-A, RTI-B)');
    expect(res.body.message).toBe('The hypothetical measurements cannot be simulated: hypothetical[0].grouping RTI-NOR is not a grouping of contract PD-SDC-2.0 (it has RTI-A, RTI-B)');
    expect(await stored()).toEqual(before);
  });

  it('a period asked twice is refused (400, each repeat at its own field) instead of being computed twice, before anything is read', async () => {
    const before = await stored();
    const res = await simulate({ periodIds: [fx.periodIds.Y1, fx.periodIds.Y2, fx.periodIds.Y1, fx.periodIds.Y2] }, fx.manager.apiKey);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: '2 fields are invalid',
      details: {
        fields: [
          { field: 'periodIds[2]', code: 'arrayUnique', message: 'periodIds[2] repeats periodIds[0]: each period is simulated once' },
          { field: 'periodIds[3]', code: 'arrayUnique', message: 'periodIds[3] repeats periodIds[1]: each period is simulated once' },
        ],
      },
    });
    // One repeat: its message is the answer's; refused as invalid input even for a contract that does not exist.
    const once = await t.request('POST', '/api/v1/contracts/00000000-0000-4000-8000-000000000000/simulations', { periodIds: [fx.periodIds.Y2, fx.periodIds.Y2] }, { as: fx.manager.apiKey });
    expect([once.status, once.body.code, once.body.message, once.body.details.fields.map((f: { field: string }) => f.field)]).toEqual([
      400,
      'VALIDATION_FAILED',
      'periodIds[1] repeats periodIds[0]: each period is simulated once',
      ['periodIds[1]'],
    ]);
    expect(await stored()).toEqual(before);
  });

  it('a second entry for the same grouping is refused instead of being dropped', async () => {
    const entry = (value: string) => ({ grouping: 'RTI-A', measurements: { 'IND-02': { value } } });
    const res = await simulate({ periodIds: [fx.periodIds.Y2], hypothetical: [entry('12'), entry('3')] }, fx.approver.apiKey);
    expect(refused(res)).toEqual({ status: 422, code: 'SETTLEMENT_SIMULATION_INVALID', fields: [['hypothetical[1].grouping', 'SETTLEMENT_SIMULATION_INVALID']] });
    expect(res.body.details.fields[0].message).toBe("RTI-A appears twice (also hypothetical[0]): give each grouping's measurements in one entry");
  });

  it('parts are checked as a real measurement of the indicator: an unknown dimension or category, a missing category, parts that do not add up', async () => {
    const before = await stored();
    const res = await simulate(
      {
        periodIds: [fx.periodIds.Y2],
        hypothetical: [
          { grouping: 'RTI-A', measurements: { 'IND-03': { value: '1210', disaggregations: { TARGT: { OVER60: '1065', UNDER60: '145' } } } } },
          { grouping: 'RTI-B', measurements: { 'IND-03': { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '900', UNDER_60: '145' } } } } },
        ],
      },
      fx.manager.apiKey,
    );
    expect(refused(res)).toEqual({
      status: 422,
      code: 'SETTLEMENT_SIMULATION_INVALID',
      fields: [
        ['hypothetical[0].measurements.IND-03.disaggregations.TARGT', 'MEASUREMENT_DISAGGREGATION_INVALID'],
        ['hypothetical[1].measurements.IND-03.disaggregations.TARGET_GROUP.UNDER_60', 'MEASUREMENT_DISAGGREGATION_INVALID'],
        ['hypothetical[1].measurements.IND-03.disaggregations.TARGET_GROUP', 'MEASUREMENT_DISAGGREGATION_INVALID'],
      ],
    });
    expect(res.body.details.fields[0].message).toBe('IND-03 has no dimension TARGT (it has TARGET_GROUP, NEED_TYPE)');
    expect(res.body.details.fields[2].message).toBe('must give every value of TARGET_GROUP; missing UNDER60');
    const sum = await simulate(
      { periodIds: [fx.periodIds.Y2], hypothetical: [{ grouping: 'RTI-A', measurements: { 'IND-03': { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '900', UNDER60: '145' } } } } }] },
      fx.manager.apiKey,
    );
    expect(refused(sum)).toEqual({
      status: 422,
      code: 'SETTLEMENT_SIMULATION_INVALID',
      fields: [['hypothetical[0].measurements.IND-03.disaggregations.TARGET_GROUP', 'MEASUREMENT_DISAGGREGATION_MISMATCH']],
    });
    expect(sum.body.details.fields[0].message).toBe('the de-duplicated value 1210 must lie between the largest part 900 and the sum of the parts 1045');
    expect(await stored()).toEqual(before);
  });

  it('every problem of every entry is reported once, at its own field and with its code, across periods', async () => {
    const before = await stored();
    const res = await simulate(
      {
        periodIds: [fx.periodIds.Y1, fx.periodIds.Y2],
        hypothetical: [
          { grouping: 'RTI-NOR', measurements: { 'IND-99': { value: '3' } } },
          {
            grouping: 'RTI-A',
            measurements: { 'IND-03': { value: 1210 }, 'IND-04': { value: '76.0' }, 'IND-05': { status: 'NOT_ASSESSABLE', value: '5.8' }, 'IND-01': { value: '101' } },
            evaluations: { FONDAZIONE: { significant: true, certifiedSavings: '1000.00' } },
          },
        ],
      },
      fx.manager.apiKey,
    );
    expect(refused(res)).toEqual({
      status: 422,
      code: 'SETTLEMENT_SIMULATION_INVALID',
      fields: [
        ['hypothetical[0].grouping', 'SETTLEMENT_GROUPING_NOT_IN_CONTRACT'],
        ['hypothetical[0].measurements.IND-99', 'MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION'],
        ['hypothetical[1].measurements.IND-03.value', 'SETTLEMENT_SIMULATION_INVALID'],
        ['hypothetical[1].measurements.IND-04.sampleSize', 'MEASUREMENT_SAMPLE_SIZE_REQUIRED'],
        ['hypothetical[1].measurements.IND-05.value', 'SETTLEMENT_SIMULATION_INVALID'],
        ['hypothetical[1].measurements.IND-01.value', 'MEASUREMENT_VALUE_OUT_OF_RANGE'],
        ['hypothetical[1].evaluations.FONDAZIONE', 'SETTLEMENT_EVALUATION_PAYER_UNKNOWN'],
      ],
    });
    expect(res.body.message).toBe(
      'The hypothetical measurements cannot be simulated: 7 problems, first: hypothetical[0].grouping RTI-NOR is not a grouping of contract PD-SDC-2.0 (it has RTI-A, RTI-B)',
    );
    expect(res.body.details.fields[1].message).toBe('IND-99 is not an indicator of binding version 1 (it has IND-01, IND-02, IND-03, IND-04, IND-05, IND-G1)');
    expect(res.body.details.fields[2].message).toMatch(/JSON numbers are not accepted/);
    expect(res.body.details.fields.map((f: object) => Object.keys(f))).toEqual(Array(7).fill(['field', 'message', 'code']));
    expect(await stored()).toEqual(before);
  });
});
