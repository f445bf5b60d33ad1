import { dec } from 'src/common/decimal/decimal';
import { acceptMeasurements, ExampleContract, importExample, makeBinding, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 4: the pool cap across a contract's groupings always holds for the approved settlements in force,
// also when one grouping is reopened. Padova with a pool of 30,000.00 for Y2: RTI-A (Case A) asks 18,960.00,
// RTI-B (Case B, IND-05 not yet in) 16,520.00, and they share the pool pro rata: 16,031.57 / 13,968.43.
// RTI-B's IND-05 arrives late and RTI-B asks 20,720.00: the fair split is now 14,334.68 / 15,665.32, but
// RTI-A's approved 16,031.57 stays in force until RTI-A is reopened, so RTI-B, reopened first, keeps
// 13,968.43 (what the pool leaves beside RTI-A) and says why; RTI-A reopened gets 14,334.68; RTI-B reopened
// again gets 15,665.32. At no step do the approved settlements in force pay more than 30,000.00.

interface Summary {
  id: string;
  periodCode: string;
  groupingCode: string;
  version: number;
  state: string;
  payable: string;
  documentHash: string;
}

describe('settlements: reopening one grouping under a pool cap (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const post = (url: string, body: unknown, as: string) => t.request('POST', `/api/v1${url}`, body, { as });
  const get = (url: string, as: string) => t.request('GET', `/api/v1${url}`, undefined, { as });

  /** The approved Y2 settlements in force, by grouping. */
  const inForce = async (): Promise<Record<string, string>> => {
    const items = (await get(`/contracts/${fx.contractId}/settlements`, fx.auditor.apiKey)).body.items as Summary[];
    return Object.fromEntries(items.filter((s) => s.periodCode === 'Y2' && s.state === 'APPROVED').map((s) => [s.groupingCode, s.payable]));
  };
  const total = (payables: Record<string, string>): string => Object.values(payables).reduce((acc, p) => acc.plus(dec(p)), dec('0')).toFixed(2);

  /** Reopens the grouping's latest version (approver), checks it verifies, has another approver approve it. */
  const reopenAndApprove = async (grouping: string, reason: string) => {
    const items = (await get(`/contracts/${fx.contractId}/settlements`, fx.auditor.apiKey)).body.items as Summary[];
    const latest = items.filter((s) => s.periodCode === 'Y2' && s.groupingCode === grouping).sort((a, b) => b.version - a.version)[0];
    const reopened = await post(`/settlements/${latest.id}/reopen`, { reason }, fx.approver.apiKey);
    expect(reopened.status).toBe(201);
    expect((await get(`/settlements/${reopened.body.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true });
    const approved = await post(`/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, fx.secondApprover.apiKey);
    expect([approved.status, approved.body.state]).toEqual([200, 'APPROVED']);
    return reopened.body as Summary & { document: { inputs: { pool: { committed?: unknown[] } }; result: { payable: string; adjustments: { kind: string; after: string; reason: { it: string; en: string } }[] }; delta: { payable?: unknown } } };
  };

  beforeAll(async () => {
    t = await createTestApp();
    fx = await settledWithPool(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('settles Y2 within the pool: 18,960.00 + 16,520.00 asked, 16,031.57 + 13,968.43 = 30,000.00 approved', async () => {
    expect(await inForce()).toEqual({ 'RTI-A': '16031.57', 'RTI-B': '13968.43' });
  });

  it('RTI-B reopened after its late IND-05: its fair share would be 15,665.32, but RTI-A\'s approved 16,031.57 is in force, so it keeps 13,968.43 and says why', async () => {
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', { 'IND-05': PADOVA_CASE_B['IND-05'] });
    const v2 = await reopenAndApprove('RTI-B', 'IND-05 di RTI-B arrivato dopo la liquidazione');
    expect(v2.document.inputs.pool.committed).toEqual([{ grouping: 'RTI-A', settlementId: expect.any(String), payable: '16031.57' }]);
    expect(v2.document.result.adjustments.slice(-2).map((a) => [a.kind, a.after])).toEqual([
      ['POOL_CAP', '15665.32'],
      ['POOL_COMMITTED', '13968.43'],
    ]);
    expect(v2.document.result.adjustments.at(-1)?.reason.en).toBe(
      'pool cap 30,000.00: other groupings hold 16,031.57 (approved settlements in force included), limited to the remaining 13,968.43',
    );
    expect(v2.payable).toBe('13968.43');
    expect(await inForce()).toEqual({ 'RTI-A': '16031.57', 'RTI-B': '13968.43' });
  });

  it('RTI-A reopened gets its new share, 14,334.68 (it fits beside RTI-B\'s approved amount): the pool is not over-committed meanwhile', async () => {
    const v2 = await reopenAndApprove('RTI-A', 'Nuova ripartizione del tetto complessivo dopo il dato tardivo di RTI-B');
    expect(v2.document.inputs.pool.committed).toEqual([{ grouping: 'RTI-B', settlementId: expect.any(String), payable: '13968.43' }]);
    expect(v2.document.result.adjustments.map((a) => a.kind)).not.toContain('POOL_COMMITTED');
    expect(v2.payable).toBe('14334.68');
    const now = await inForce();
    expect(now).toEqual({ 'RTI-A': '14334.68', 'RTI-B': '13968.43' });
    expect(dec(total(now)).lessThanOrEqualTo(dec('30000.00'))).toBe(true);
  });

  it('RTI-B reopened again gets its full share, 15,665.32, and the pool is used exactly: 30,000.00', async () => {
    const v3 = await reopenAndApprove('RTI-B', 'Quota intera dopo la nuova liquidazione di RTI-A');
    expect(v3.document.inputs.pool.committed).toBeUndefined();
    expect([v3.version, v3.payable]).toEqual([3, '15665.32']);
    const now = await inForce();
    expect(now).toEqual({ 'RTI-A': '14334.68', 'RTI-B': '15665.32' });
    expect(total(now)).toBe('30000.00');
  });
});

describe('settlements: reopening every grouping of a pooled period at once (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const post = (url: string, body: unknown, as: string) => t.request('POST', `/api/v1${url}`, body, { as });
  const get = (url: string, as: string) => t.request('GET', `/api/v1${url}`, undefined, { as });

  beforeAll(async () => {
    t = await createTestApp();
    fx = await settledWithPool(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('each draft is computed beside the other\'s approved amount; once one is approved the other is stale, and recomputed it takes its full share', async () => {
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', { 'IND-05': PADOVA_CASE_B['IND-05'] });
    const items = (await get(`/contracts/${fx.contractId}/settlements`, fx.auditor.apiKey)).body.items as Summary[];
    const approved = (code: string) => items.find((s) => s.periodCode === 'Y2' && s.groupingCode === code && s.state === 'APPROVED') as Summary;
    const a2 = (await post(`/settlements/${approved('RTI-A').id}/reopen`, { reason: 'Ripartizione dopo il dato tardivo di RTI-B' }, fx.approver.apiKey)).body as Summary;
    const b2 = (await post(`/settlements/${approved('RTI-B').id}/reopen`, { reason: 'IND-05 di RTI-B arrivato dopo la liquidazione' }, fx.approver.apiKey)).body as Summary;
    expect([a2.payable, b2.payable]).toEqual(['14334.68', '13968.43']);
    expect((await post(`/settlements/${a2.id}/approve`, { documentHash: a2.documentHash }, fx.secondApprover.apiKey)).status).toBe(200);
    // RTI-B's draft was computed beside RTI-A's old approved amount, which is no longer in force.
    const stale = await post(`/settlements/${b2.id}/approve`, { documentHash: b2.documentHash }, fx.secondApprover.apiKey);
    expect([stale.status, stale.body.code]).toEqual([409, 'SETTLEMENT_STALE']);
    const recomputed = await post(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, fx.manager.apiKey);
    const b2again = (recomputed.body.computed as Summary[]).find((s) => s.groupingCode === 'RTI-B') as Summary;
    expect([b2again.id, b2again.version, b2again.payable]).toEqual([b2.id, 2, '15665.32']);
    expect((await post(`/settlements/${b2again.id}/approve`, { documentHash: b2again.documentHash }, fx.secondApprover.apiKey)).status).toBe(200);
    const inForce = ((await get(`/contracts/${fx.contractId}/settlements`, fx.auditor.apiKey)).body.items as Summary[]).filter((s) => s.periodCode === 'Y2' && s.state === 'APPROVED');
    expect(inForce.map((s) => [s.groupingCode, s.version, s.payable])).toEqual([
      ['RTI-A', 2, '14334.68'],
      ['RTI-B', 2, '15665.32'],
    ]);
  });
});

/** Padova with a pool of 30,000.00 from Y2, Cases A and B (without IND-05) settled for Y2 and approved. */
async function settledWithPool(t: TestApp): Promise<ExampleContract> {
  const fx = await importExample(t, 'padova-sdc-2.0.json');
  const as = { as: fx.manager.apiKey };
  const rules = (await t.request('GET', `/api/v1/contracts/${fx.contractId}/payment-rules`, undefined, as)).body.paymentRules as Record<string, unknown>;
  const put = await t.request('PUT', `/api/v1/contracts/${fx.contractId}/payment-rules`, { paymentRules: { ...rules, poolCap: '30000.00' } }, as);
  expect(put.status).toBe(200);
  fx.bindingVersionId = await makeBinding(t, fx, { reason: 'Tetto complessivo 30.000,00 dal secondo anno', effectiveFromPeriodId: fx.periodIds.Y2 });
  await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
  await acceptMeasurements(t, fx, 'Y2', 'RTI-B', Object.fromEntries(Object.entries(PADOVA_CASE_B).filter(([code]) => code !== 'IND-05')));
  const computed = await t.request('POST', `/api/v1/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, as);
  expect(computed.status).toBe(201);
  for (const s of computed.body.computed as Summary[]) {
    const approved = await t.request('POST', `/api/v1/settlements/${s.id}/approve`, { documentHash: s.documentHash }, { as: fx.approver.apiKey });
    expect(approved.status).toBe(200);
  }
  return fx;
}
