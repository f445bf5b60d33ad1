import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 4, section 3: late data never changes an approved settlement. RTI-B's IND-05 arrives after Y2 was
// settled and approved without it (policy ZERO: 0.00); the approved version stays as it was and still
// verifies; reopening makes version 2 with IND-05 paid and the delta (+4,200.00, split 60/40), and once
// approved by another approver version 1 is superseded.

describe('settlements: late data and reopening (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const post = (url: string, body: unknown, as: string) => t.request('POST', `/api/v1${url}`, body, { as });
  const get = (url: string, as: string) => t.request('GET', `/api/v1${url}`, undefined, { as });
  let v1: { id: string; documentHash: string };

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    const withoutInd05 = Object.fromEntries(Object.entries(PADOVA_CASE_B).filter(([code]) => code !== 'IND-05'));
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', withoutInd05);
    const computed = await post(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, fx.manager.apiKey);
    for (const s of computed.body.computed as { id: string; groupingCode: string; documentHash: string }[]) {
      expect((await post(`/settlements/${s.id}/approve`, { documentHash: s.documentHash }, fx.approver.apiKey)).status).toBe(200);
      if (s.groupingCode === 'RTI-B') v1 = s;
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('settled RTI-B without IND-05 (policy ZERO): 20,720.00 - 4,200.00 = 16,520.00', async () => {
    const doc = (await get(`/settlements/${v1.id}`, fx.auditor.apiKey)).body;
    expect([doc.state, doc.premium]).toEqual(['APPROVED', '16520.00']);
    expect(doc.document.result.lines[4]).toMatchObject({ indicatorCode: 'IND-05', status: 'MISSING_ZERO', amount: '0' });
  });

  it('a late value changes nothing approved: same document, still verifies, computing again is refused', async () => {
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', { 'IND-05': PADOVA_CASE_B['IND-05'] });
    const after = (await get(`/settlements/${v1.id}`, fx.auditor.apiKey)).body;
    expect([after.state, after.premium, after.documentHash]).toEqual(['APPROVED', '16520.00', v1.documentHash]);
    expect((await get(`/settlements/${v1.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true });
    const again = await post(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, fx.manager.apiKey);
    expect([again.status, again.body.code]).toEqual([409, 'SETTLEMENT_ALREADY_APPROVED']);
  });

  it('reopening makes version 2 with IND-05 paid and the delta against version 1', async () => {
    const reopened = await post(`/settlements/${v1.id}/reopen`, { reason: 'IND-05 di RTI-B arrivato dopo la liquidazione' }, fx.approver.apiKey);
    expect(reopened.status).toBe(201);
    const delta = reopened.body.document.delta;
    expect(delta).toMatchObject({ previousId: v1.id, previousVersion: 1, premium: { before: '16520.00', after: '20720.00', change: '4200.00' } });
    expect(delta.lines.find((l: { termId: string }) => l.termId === 'IND-05')).toEqual({ termId: 'IND-05', before: '0.00', after: '4200.00', change: '4200.00' });
    expect(delta.allocation).toEqual([
      { member: 'ETS-DELTA', before: '9912.00', after: '12432.00', change: '2520.00' },
      { member: 'ETS-EDERA', before: '6608.00', after: '8288.00', change: '1680.00' },
    ]);
    // Reopening version 1 again, or the draft itself, says what stands in the way.
    const twice = await post(`/settlements/${v1.id}/reopen`, { reason: 'di nuovo' }, fx.secondApprover.apiKey);
    expect([twice.status, twice.body.code, twice.body.message, twice.body.details]).toEqual([
      409,
      'SETTLEMENT_NOT_APPROVED',
      'Only the latest approved version is reopened; version 1 was already reopened: version 2 is DRAFT (approve it, or recompute it first)',
      { id: v1.id, state: 'APPROVED', latestVersion: 2 },
    ]);
    const draft = await post(`/settlements/${reopened.body.id}/reopen`, { reason: 'di nuovo' }, fx.secondApprover.apiKey);
    expect([draft.status, draft.body.message]).toEqual([409, 'Only the latest approved version is reopened; version 2 is DRAFT']);
    const approved = await post(`/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, fx.secondApprover.apiKey);
    expect(approved.body).toMatchObject({ state: 'APPROVED', version: 2, premium: '20720.00' });
    expect((await get(`/settlements/${v1.id}`, fx.auditor.apiKey)).body.state).toBe('SUPERSEDED');
    expect((await get(`/settlements/${reopened.body.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true });
  });
});
