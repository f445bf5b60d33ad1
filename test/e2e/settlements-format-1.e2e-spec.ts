import { DataSource } from 'typeorm';
import type { SettlementDocument } from 'src/settlements/settlement-document';
import { buildDocument } from 'src/settlements/settlement-document.builder';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Settlements stored before format ancora.settlement/2 keep their reasons as format 1 wrote them (decimal
// strings as computed) and must verify forever. RTI-A's Y2 row is written as it was stored then (the same
// inputs built in format 1), approved, verified through the API, and reopened: the new version is format 3
// (the current one). RTI-B's row is written as format 2 stored it, and goes the same way.

describe('settlements: documents stored in format ancora.settlement/1 (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const post = (url: string, body: unknown, as: string) => t.request('POST', `/api/v1${url}`, body, { as });
  const get = (url: string, as: string) => t.request('GET', `/api/v1${url}`, undefined, { as });
  let v1: { id: string; documentHash: string; document: string };
  let b2: { id: string; documentHash: string };

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
    const computed = await post(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, fx.manager.apiKey);
    const byCode = (code: string): string => {
      const s = (computed.body.computed as { id: string; groupingCode: string }[]).find((c) => c.groupingCode === code);
      if (!s) throw new Error(`no ${code} settlement`);
      return s.id;
    };
    const rows = t.app.get(DataSource).getRepository(SettlementEntity);
    const storeAs = async (settlementId: string, format: 'ancora.settlement/1' | 'ancora.settlement/2') => {
      const draft = JSON.parse((await rows.findOneByOrFail({ id: settlementId })).document) as SettlementDocument;
      const { id, version, computedAt, computedBy, reopenReason } = draft;
      const { doc, text } = buildDocument({ id, version, computedAt, computedBy, reopenReason }, draft.inputs, null, format);
      await rows.update({ id }, { document: text, documentHash: doc.manifest.documentHash });
      return { id, documentHash: doc.manifest.documentHash, document: text };
    };
    v1 = await storeAs(byCode('RTI-A'), 'ancora.settlement/1');
    b2 = await storeAs(byCode('RTI-B'), 'ancora.settlement/2');
  });

  afterAll(async () => {
    await t.close();
  });

  it('serves the format-1 document as stored, and it can be approved by the hash read', async () => {
    const res = await get(`/settlements/${v1.id}`, fx.auditor.apiKey);
    expect([res.body.document.format, res.body.document.result.lines[0].reason.it]).toEqual(['ancora.settlement/1', 'pagato: raggiungimento 0.75 >= soglia 0.5, quota 0.75']);
    const approved = await post(`/settlements/${v1.id}/approve`, { documentHash: v1.documentHash }, fx.approver.apiKey);
    expect([approved.status, approved.body.state]).toEqual([200, 'APPROVED']);
  });

  it('verifies (format-1 reasons recomputed), and stops verifying once a reason of the stored text is changed', async () => {
    expect((await get(`/settlements/${v1.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true, differences: [] });
    const rows = t.app.get(DataSource).getRepository(SettlementEntity);
    const tampered = v1.document.replace('"it":"pagato: raggiungimento 0.75 ', '"it":"pagato: raggiungimento 0,75 ');
    expect(tampered).not.toBe(v1.document);
    await rows.update({ id: v1.id }, { document: tampered });
    expect((await get(`/settlements/${v1.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: false, differences: ['resultHash', 'documentHash'] });
    await rows.update({ id: v1.id }, { document: v1.document });
    expect((await get(`/settlements/${v1.id}/verify`, fx.auditor.apiKey)).body.matches).toBe(true);
  });

  it('reopening it makes version 2 in format 3: same amounts (a zero delta), reasons for people, and it verifies', async () => {
    const reopened = await post(`/settlements/${v1.id}/reopen`, { reason: 'Verifica del formato delle motivazioni' }, fx.secondApprover.apiKey);
    expect(reopened.status).toBe(201);
    const doc = reopened.body.document;
    expect([doc.format, doc.version, doc.result.premium]).toEqual(['ancora.settlement/3', 2, '18960.00']);
    expect(doc.delta).toMatchObject({ previousId: v1.id, premium: { before: '18960.00', after: '18960.00', change: '0.00' } });
    expect(doc.result.lines[0].reason.it).toBe('pagato: raggiungimento 0,75 >= soglia 0,5, quota 0,75');
    expect((await get(`/settlements/${reopened.body.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true });
    expect((await get(`/settlements/${v1.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true });
  });

  it('a document stored in format 2 is served and verified as format 2; approved and reopened, its version 2 is format 3 and verifies', async () => {
    const served = (await get(`/settlements/${b2.id}`, fx.auditor.apiKey)).body.document;
    expect([served.format, served.manifest.documentHash]).toEqual(['ancora.settlement/2', b2.documentHash]);
    expect((await get(`/settlements/${b2.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true, differences: [] });
    const approved = await post(`/settlements/${b2.id}/approve`, { documentHash: b2.documentHash }, fx.approver.apiKey);
    expect([approved.status, approved.body.state]).toEqual([200, 'APPROVED']);
    const reopened = await post(`/settlements/${b2.id}/reopen`, { reason: 'Verifica del formato delle motivazioni' }, fx.secondApprover.apiKey);
    expect(reopened.status).toBe(201);
    const doc = reopened.body.document;
    expect([doc.format, doc.version, doc.result.premium, doc.delta.premium.change]).toEqual(['ancora.settlement/3', 2, served.result.premium, '0.00']);
    expect((await get(`/settlements/${reopened.body.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true });
    expect((await get(`/settlements/${b2.id}/verify`, fx.auditor.apiKey)).body).toMatchObject({ matches: true });
  });
});
