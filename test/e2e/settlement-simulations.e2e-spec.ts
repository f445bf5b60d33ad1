import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { acceptMeasurements, ExampleContract, exampleDocument, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 4, section 3, what-if: hypothetical measurements (Case D: the under-60 share falls to 12 %) and a
// draft rule set (15 % of the fee at risk instead of 10 %) evaluated like a settlement, with the same lines
// and reasons, and nothing stored; a draft that breaks the rules is refused with its field paths.

describe('settlement simulations (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ExampleContract;
  const simulate = (body: unknown, as: string) => t.request('POST', `/api/v1/contracts/${fx.contractId}/simulations`, body, { as });
  const rules = () => structuredClone((exampleDocument('padova-sdc-2.0.json').contract as { paymentRules: Record<string, unknown> }).paymentRules);
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
    expect([notDecimal.status, notDecimal.body.code, notDecimal.body.details.fields[0].field]).toEqual([422, 'SETTLEMENT_SIMULATION_INVALID', 'hypothetical[0].measurements.IND-01']);
    const ets = await simulate({ periodIds: [fx.periodIds.Y2] }, fx.leads['RTI-A'].apiKey);
    expect(ets.status).toBe(403);
  });
});
