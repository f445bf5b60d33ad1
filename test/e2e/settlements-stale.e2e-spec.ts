import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Approving a draft whose inputs changed since it was computed is 409 SETTLEMENT_STALE, and the answer says
// what changed: `details.changed` names the parts of the document's `inputs` that differ (docs/settlements.md).
// Padova, Y2 drafted with RTI-B's IND-05 still missing; the pool cap (60,000.00) makes each grouping's
// draft depend on the other's request.

interface Summary {
  id: string;
  periodCode: string;
  groupingCode: string;
  state: string;
  documentHash: string;
}

describe('settlements: a stale draft says what changed (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const post = (url: string, body: unknown, as: string) => t.request('POST', `/api/v1${url}`, body, { as });
  const get = (url: string, as: string) => t.request('GET', `/api/v1${url}`, undefined, { as });
  const compute = async (period: string): Promise<Record<string, Summary>> => {
    const res = await post(`/contracts/${fx.contractId}/periods/${fx.periodIds[period]}/settlements`, {}, fx.manager.apiKey);
    expect(res.status).toBe(201);
    return Object.fromEntries((res.body.computed as Summary[]).map((s) => [s.groupingCode, s]));
  };
  const approve = (s: Summary) => post(`/settlements/${s.id}/approve`, { documentHash: s.documentHash }, fx.approver.apiKey);

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', Object.fromEntries(Object.entries(PADOVA_CASE_B).filter(([code]) => code !== 'IND-05')));
  }, 60_000); // the app, the Padova import bound once, eleven measurements

  afterAll(async () => {
    await t.close();
  });

  it('a value accepted after the drafts: RTI-B is told its IND-05 (and the pool) changed, RTI-A the pool; nothing is approved', async () => {
    const y2 = await compute('Y2');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', { 'IND-05': PADOVA_CASE_B['IND-05'] });

    const b = await approve(y2['RTI-B']);
    expect([b.status, b.body.code]).toEqual([409, 'SETTLEMENT_STALE']);
    expect(b.body.details).toEqual({ id: y2['RTI-B'].id, changed: ['indicators', 'facts', 'pool'], indicators: ['IND-05'] });
    expect(b.body.message).toBe(
      'Since this draft was computed, indicator values (accepted measurements, baselines or targets) of IND-05 and the pool ' +
        "(the other groupings' requested payables, or their approved settlements for this period) changed: recompute it before approving",
    );
    const a = await approve(y2['RTI-A']);
    expect([a.status, a.body.code, a.body.details]).toEqual([409, 'SETTLEMENT_STALE', { id: y2['RTI-A'].id, changed: ['pool'] }]);
    for (const s of Object.values(y2)) {
      expect((await get(`/settlements/${s.id}`, fx.auditor.apiKey)).body).toMatchObject({ state: 'DRAFT', documentHash: s.documentHash });
    }
  }, 30_000);

  it('an earlier period approved after the draft: earlier approved settlements changed', async () => {
    const y2 = await compute('Y2');
    const y1 = await compute('Y1');
    expect((await approve(y1['RTI-A'])).status).toBe(200);

    const a = await approve(y2['RTI-A']);
    expect([a.status, a.body.code]).toEqual([409, 'SETTLEMENT_STALE']);
    expect(a.body.details).toEqual({ id: y2['RTI-A'].id, changed: ['settledBefore'] });
    expect(a.body.message).toBe(
      'Since this draft was computed, earlier approved settlements (the payables settled before this period) changed: recompute it before approving',
    );
    // RTI-B's Y1 is not approved: its Y2 draft is current and is approved.
    expect((await approve(y2['RTI-B'])).status).toBe(200);
    // Recomputed, RTI-A's draft counts Y1 and is approved.
    const again = await compute('Y2');
    expect((await get(`/settlements/${again['RTI-A'].id}`, fx.auditor.apiKey)).body.document.inputs.settledBefore).toEqual([
      { period: 'Y1', settlementId: y1['RTI-A'].id, payable: expect.any(String) as string },
    ]);
    expect((await approve(again['RTI-A'])).status).toBe(200);
  }, 30_000);
});
