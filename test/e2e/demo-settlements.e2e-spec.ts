import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoUsers, DEMO_CONTRACT, DemoCredential, readDemoCredentials } from 'src/demo/demo-credentials';
import { DemoDataLoader } from 'src/demo/demo-data.loader';
import { createDemoSettlements } from 'src/demo/demo-settlements';
import { createTestApp, TestApp } from 'test/support/test-app';

// What `npm start` leaves on a fresh database for the README tour: the Padova rules approved by both
// sides, Y1 and Y2 measured, Y1 settled and approved, Y2 computed as drafts (Cases A and B) waiting for
// the demo approver; an auditor downloads and verifies them with the demo keys.

describe('demo settlements', () => {
  let t: TestApp;
  let dir: string;
  let users: Record<string, DemoCredential>;
  let contractId: string;
  let summary: string[];

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'ancora-demo-'));
    contractId = (await t.app.get(DemoDataLoader).loadIfEmpty())?.id ?? '';
    users = readDemoCredentials(await createDemoUsers(t.app, { directory: join(dir, 'data') }));
    summary = await createDemoSettlements(t.app, DEMO_CONTRACT, users);
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('settles Y1 (approved: RTI-A earned the baseline milestone) and drafts Y2 with Cases A and B', async () => {
    expect(summary).toEqual([
      'Y1 RTI-A premium 0.00 payable 32000.00 (approved)',
      'Y1 RTI-B premium 0.00 payable 0.00 (approved)',
      'Y2 RTI-A premium 18960.00 payable 18960.00 (draft)',
      'Y2 RTI-B premium 20720.00 payable 20720.00 (draft)',
    ]);
    const list = await t.request('GET', `/api/v1/contracts/${contractId}/settlements`, undefined, { as: users.auditor.key });
    expect(list.body.items.map((s: { periodCode: string; groupingCode: string; state: string; computedBy: string }) => [s.periodCode, s.groupingCode, s.state, s.computedBy])).toEqual([
      ['Y1', 'RTI-A', 'APPROVED', users.contract_manager.name],
      ['Y1', 'RTI-B', 'APPROVED', users.contract_manager.name],
      ['Y2', 'RTI-A', 'DRAFT', users.contract_manager.name],
      ['Y2', 'RTI-B', 'DRAFT', users.contract_manager.name],
    ]);
  });

  it('lets the demo approver approve a Y2 draft and the auditor verify and download it, as the README tour does', async () => {
    const list = await t.request('GET', `/api/v1/contracts/${contractId}/settlements`, undefined, { as: users.approver.key });
    const draft = (list.body.items as { id: string; state: string; documentHash: string }[]).find((s) => s.state === 'DRAFT');
    if (!draft) throw new Error('no draft');
    expect((await t.request('POST', `/api/v1/settlements/${draft.id}/approve`, { documentHash: draft.documentHash }, { as: users.approver.key })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/settlements/${draft.id}/verify`, undefined, { as: users.auditor.key })).body).toMatchObject({ matches: true });
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/settlements/${draft.id}/report?format=csv`, headers: { 'x-api-key': users.auditor.key } });
    expect([csv.statusCode, csv.headers['content-type']]).toEqual([200, expect.stringContaining('text/csv')]);
    expect(csv.body).toContain('18960,00');
  });
});
