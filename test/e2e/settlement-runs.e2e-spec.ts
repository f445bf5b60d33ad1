import { acceptMeasurements, ExampleContract, exampleDocument, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 4, section 3, portfolio settlement: one call settles a period in every contract of a municipality,
// one transaction per contract, and reports each: SETTLED, FAILED with the reason (a second Padova contract
// with no binding indicator set yet), SKIPPED once everything is approved.

describe('portfolio settlement runs (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const run = (as: string, municipalityId = fx.municipalityId) => t.request('POST', `/api/v1/municipalities/${municipalityId}/settlement-runs`, { periodCode: 'Y2' }, { as });

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
    const second = exampleDocument('padova-sdc-2.0.json') as { project: { code: string }; contract: { code: string; title: string } };
    second.project.code = 'PD-SDC-2.1';
    second.contract.code = 'PD-SDC-2.1';
    second.contract.title = 'Seconda annualità, indicatori da co-definire';
    expect((await t.request('POST', '/api/v1/contract-definitions', second)).status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
  });

  it('settles the contract that can be settled and reports the one that cannot, changing nothing in it', async () => {
    const res = await run(fx.manager.apiKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ periodCode: 'Y2', total: 2, settled: 1, skipped: 0, failed: 1 });
    expect(res.body.contracts.map((c: { contractCode: string; status: string; computed: number; problem: { code: string } | null }) => [c.contractCode, c.status, c.computed, c.problem?.code ?? null])).toEqual([
      ['PD-SDC-2.0', 'SETTLED', 2, null],
      ['PD-SDC-2.1', 'FAILED', 0, 'SETTLEMENT_NO_BINDING_INDICATOR_SET'],
    ]);
  });

  it('skips a contract whose groupings are all approved for the period', async () => {
    const list = await t.request('GET', `/api/v1/contracts/${fx.contractId}/settlements`, undefined, { as: fx.approver.apiKey });
    for (const s of list.body.items as { id: string; documentHash: string }[]) {
      expect((await t.request('POST', `/api/v1/settlements/${s.id}/approve`, { documentHash: s.documentHash }, { as: fx.approver.apiKey })).status).toBe(200);
    }
    const res = await run(fx.manager.apiKey);
    expect(res.body.contracts[0]).toMatchObject({ contractCode: 'PD-SDC-2.0', status: 'SKIPPED', problem: { code: 'SETTLEMENT_ALREADY_APPROVED' } });
  });

  it('is for the municipality contract managers: approvers get 403, unknown municipalities 404', async () => {
    expect((await run(fx.approver.apiKey)).status).toBe(403);
    expect((await run(fx.manager.apiKey, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
