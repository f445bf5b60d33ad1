import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoUsers, DEMO_CONTRACT, DemoCredential, readDemoCredentials } from 'src/demo/demo-credentials';
import { DemoDataLoader } from 'src/demo/demo-data.loader';
import { createDemoSettlements } from 'src/demo/demo-settlements';
import { createTestApp, TestApp } from 'test/support/test-app';

// What `npm start` leaves on a fresh database for the README tour: the Padova rules approved by both
// sides, Y1 measured, settled and approved (the shadow year: RTI-A earned the baseline milestone), Y2
// untouched for the tour to submit, review and settle; an auditor downloads and verifies Y1 with the demo keys.

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

  it('settles, approves and closes Y1 (RTI-A earned the baseline milestone) and leaves Y2 to the tour', async () => {
    expect(summary).toEqual(['Y1 RTI-A premium 0.00 payable 32000.00 (approved)', 'Y1 RTI-B premium 0.00 payable 0.00 (approved)', 'Y1 closed']);
    const list = await t.request('GET', `/api/v1/contracts/${contractId}/settlements`, undefined, { as: users.auditor.key });
    expect(list.body.items.map((s: { periodCode: string; groupingCode: string; state: string; computedBy: string; approvedBy: string }) => [s.periodCode, s.groupingCode, s.state, s.computedBy, s.approvedBy])).toEqual([
      ['Y1', 'RTI-A', 'APPROVED', users.contract_manager.name, users.approver.name],
      ['Y1', 'RTI-B', 'APPROVED', users.contract_manager.name, users.approver.name],
    ]);
  });

  it('lets the auditor verify and download a Y1 settlement, and the tour submit Y2 values as the README does', async () => {
    const list = await t.request('GET', `/api/v1/contracts/${contractId}/settlements`, undefined, { as: users.auditor.key });
    const id = (list.body.items as { id: string }[])[0].id;
    expect((await t.request('GET', `/api/v1/settlements/${id}/verify`, undefined, { as: users.auditor.key })).body).toMatchObject({ matches: true });
    const csv = await t.app.inject({ method: 'GET', url: `/api/v1/settlements/${id}/report?format=csv`, headers: { 'x-api-key': users.auditor.key } });
    expect([csv.statusCode, csv.headers['content-type']]).toEqual([200, expect.stringContaining('text/csv')]);
    expect(csv.body).toContain('32000,00');
    const contract = (await t.request('GET', `/api/v1/contracts/${contractId}`, undefined, { as: users.ets_member.key })).body;
    const groupings = (await t.request('GET', `/api/v1/contracts/${contractId}/groupings`, undefined, { as: users.ets_member.key })).body;
    const y2 = (contract.periods as { code: string; id: string }[]).find((p) => p.code === 'Y2')?.id;
    const rtiA = (groupings.items as { code: string; id: string }[]).find((g) => g.code === 'RTI-A')?.id;
    const submitted = await t.request('POST', `/api/v1/contracts/${contractId}/measurements`, { indicatorCode: 'IND-02', periodId: y2, groupingId: rtiA, value: '12' }, { as: users.ets_member.key });
    expect(submitted.status).toBe(201);
    // The settled Y1 is closed: a late value is refused, as a newcomer expects of a settled period.
    const y1 = (contract.periods as { code: string; id: string }[]).find((p) => p.code === 'Y1')?.id;
    const late = await t.request('POST', `/api/v1/contracts/${contractId}/measurements`, { indicatorCode: 'IND-05', periodId: y1, groupingId: rtiA, value: '5' }, { as: users.ets_member.key });
    expect([late.status, late.body.code]).toEqual([422, 'MEASUREMENT_PERIOD_CLOSED']);
  });

  it('has a second approver, so a settlement the first one reopens can be approved with the demo keys alone', async () => {
    const list = await t.request('GET', `/api/v1/contracts/${contractId}/settlements`, undefined, { as: users.auditor.key });
    const y1 = (list.body.items as { id: string; groupingCode: string }[]).find((s) => s.groupingCode === 'RTI-B') as { id: string };
    const reopened = await t.request('POST', `/api/v1/settlements/${y1.id}/reopen`, { reason: 'prova del secondo approvatore' }, { as: users.approver.key });
    expect(reopened.status).toBe(201);
    const self = await t.request('POST', `/api/v1/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, { as: users.approver.key });
    expect([self.status, self.body.code]).toEqual([403, 'SETTLEMENT_SELF_APPROVAL']);
    const approved = await t.request('POST', `/api/v1/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, { as: users.approver_2.key });
    expect([approved.status, approved.body.state, approved.body.version, approved.body.approvedBy]).toEqual([200, 'APPROVED', 2, users.approver_2.name]);
  });
});
