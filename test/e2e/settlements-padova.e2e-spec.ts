import canonicalize from 'canonicalize';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 4, "Done when": the Padova contract (contracts/examples/padova-sdc-2.0.json, rules PD-SDC-R1) is made
// binding by both sides, Y1 settles in shadow with the baseline milestone, Y2 reproduces Cases A and B of
// ../shared/examples/padova-sdc.md to the cent through the API, a second person approves, a correction
// reopens RTI-A's settlement with a delta, and every settlement recomputes to its stored hash.

describe('settlements: Padova Y1-Y2 (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ExampleContract;
  const post = (url: string, body: unknown, as: string) => t.request('POST', `/api/v1${url}`, body, { as });
  const get = (url: string, as: string) => t.request('GET', `/api/v1${url}`, undefined, { as });
  const compute = (period: string) => post(`/contracts/${fx.contractId}/periods/${fx.periodIds[period]}/settlements`, {}, fx.manager.apiKey);

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await importExample(t, 'padova-sdc-2.0.json');
  });

  afterAll(async () => {
    await t.close();
  });

  it('Y1 is a shadow year: the premium is shown, only the baseline milestone is payable', async () => {
    const baseline = {
      'IND-01': { value: '8.0' },
      'IND-02': { value: '0' },
      'IND-03': { value: '1100', disaggregations: { TARGET_GROUP: { OVER60: '900', UNDER60: '200' } } },
      'IND-04': { value: '74.0', sampleSize: 230 },
      'IND-05': { value: '5.0' },
      'IND-G1': { value: '11' },
    };
    await acceptMeasurements(t, fx, 'Y1', 'RTI-A', baseline);
    const res = await compute('Y1');
    expect(res.status).toBe(201);
    const [a, b] = res.body.computed as { groupingCode: string; premium: string; payable: string; id: string }[];
    expect([a.groupingCode, b.groupingCode]).toEqual(['RTI-A', 'RTI-B']);
    // RTI-A delivered the complete baseline dataset: the milestone pays 100 % of the amount at risk (32,000.00).
    expect([a.premium, a.payable]).toEqual(['0.00', '32000.00']);
    // RTI-B reported nothing: no milestone, nothing payable.
    expect([b.premium, b.payable]).toEqual(['0.00', '0.00']);
    const doc = (await get(`/settlements/${a.id}`, fx.auditor.apiKey)).body.document;
    expect(doc.result.phase).toBe('SHADOW');
    expect(doc.result.lines.map((l: { status: string }) => l.status)).toEqual(['NO_TARGET', 'NO_TARGET', 'NO_TARGET', 'NO_TARGET', 'NO_TARGET']);
    expect(doc.result.adjustments.map((x: { kind: string }) => x.kind)).toEqual(['SHADOW', 'MILESTONE']);
    expect(doc.result.conditions.find((c: { kind: string }) => c.kind === 'MILESTONE').holds).toBe(true);
  });

  it('Y2 settles Cases A and B to the cent, with a reason for every line and member allocations', async () => {
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', PADOVA_CASE_A);
    await acceptMeasurements(t, fx, 'Y2', 'RTI-B', PADOVA_CASE_B);
    const res = await compute('Y2');
    expect(res.status).toBe(201);
    const byCode = Object.fromEntries((res.body.computed as { groupingCode: string; premium: string; payable: string }[]).map((s) => [s.groupingCode, s]));
    expect([byCode['RTI-A'].premium, byCode['RTI-A'].payable]).toEqual(['18960.00', '18960.00']);
    expect([byCode['RTI-B'].premium, byCode['RTI-B'].payable]).toEqual(['20720.00', '20720.00']);

    const a = (await get(`/settlements/${(byCode['RTI-A'] as unknown as { id: string }).id}`, fx.manager.apiKey)).body.document;
    expect(a.result.lines.map((l: { indicatorCode: string; amount: string }) => [l.indicatorCode, l.amount])).toEqual([
      ['IND-01', '4800'],
      ['IND-02', '4800'],
      ['IND-03', '4800'],
      ['IND-04', '4560'],
      ['IND-05', '0'],
    ]);
    expect(a.format).toBe('ancora.settlement/3');
    expect(a.result.lines[4].reason).toEqual({ en: 'not paid: achievement 0.4 below threshold 0.5', it: 'non pagato: raggiungimento 0,4 sotto la soglia 0,5' });
    expect(a.result.allocation.map((x: { memberId: string; amount: string }) => [x.memberId, x.amount])).toEqual([
      ['ETS-AURORA', '9480.00'],
      ['ETS-BORGO-VIVO', '5688.00'],
      ['ETS-CICLAMINO', '3792.00'],
    ]);
    expect(a.result.withheld).toBe('13040.00');
    expect(a.inputs.indicators.find((i: { code: string }) => i.code === 'IND-03').sources).toHaveLength(1);
    const b = (await get(`/settlements/${(byCode['RTI-B'] as unknown as { id: string }).id}`, fx.manager.apiKey)).body.document;
    expect(b.result.lines[3]).toMatchObject({ indicatorCode: 'IND-04', status: 'MISSING_ZERO', amount: '0' });
    expect(b.result.lines[3].reason.it).toBe('non pagato: non valutabile, campione 150 sotto il minimo 200 (politica ZERO)');
    expect(b.result.allocation.map((x: { amount: string }) => x.amount)).toEqual(['12432.00', '8288.00']);
  });

  it('the person who computed cannot approve; another approver approves the exact draft; approved settlements stay', async () => {
    const list = await get(`/contracts/${fx.contractId}/settlements?periodId=${fx.periodIds.Y2}`, fx.manager.apiKey);
    const a = (list.body.items as { id: string; groupingCode: string; documentHash: string }[]).find((s) => s.groupingCode === 'RTI-A');
    if (!a) throw new Error('no RTI-A settlement');
    const wrongHash = await post(`/settlements/${a.id}/approve`, { documentHash: '0'.repeat(64) }, fx.approver.apiKey);
    expect([wrongHash.status, wrongHash.body.code]).toEqual([409, 'SETTLEMENT_STALE']);
    const notAHash = await post(`/settlements/${a.id}/approve`, { documentHash: a.documentHash.toUpperCase() }, fx.approver.apiKey);
    expect([notAHash.status, notAHash.body.code, notAHash.body.details.fields]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field: 'documentHash', code: 'matches', message: 'documentHash must be a SHA-256 in lowercase hex (64 characters)' }],
    ]);
    const byManager = await post(`/settlements/${a.id}/approve`, { documentHash: a.documentHash }, fx.manager.apiKey);
    expect(byManager.status).toBe(403);
    const ok = await post(`/settlements/${a.id}/approve`, { documentHash: a.documentHash }, fx.approver.apiKey);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'APPROVED', approvedBy: 'Dott. Luca Neri (approver)', premium: '18960.00' });
    const again = await post(`/settlements/${a.id}/approve`, { documentHash: a.documentHash }, fx.secondApprover.apiKey);
    expect([again.status, again.body.code]).toEqual([409, 'SETTLEMENT_NOT_DRAFT']);
    // Recomputing the period leaves the approved RTI-A alone and redrafts RTI-B only.
    const recompute = await compute('Y2');
    expect(recompute.status).toBe(201);
    expect((recompute.body.computed as { groupingCode: string }[]).map((s) => s.groupingCode)).toEqual(['RTI-B']);
    expect((recompute.body.unchanged as { id: string }[]).map((s) => s.id)).toEqual([a.id]);
  });

  it('a late correction never changes an approved settlement: reopening makes version 2 with the delta', async () => {
    const rows = await ds.getRepository(SettlementEntity).find({ where: { contractId: fx.contractId, periodId: fx.periodIds.Y2, state: 'APPROVED' } });
    const approved = rows[0];
    const before = approved.document;
    // A second, corrected IND-05 report for RTI-A arrives from a mandante (Borgo Vivo is not a lead: the lead
    // organisation reports for the grouping in this fixture, so the correction is modelled as the manager
    // accepting a value from another member): the settlement must not move until reopened.
    // A missing reason and a blank one are the same mistake: 400 naming the field, and nothing is written.
    const versions = await ds.getRepository(SettlementEntity).count({ where: { contractId: fx.contractId } });
    const audits = await ds.getRepository(AuditEntryEntity).count();
    for (const [body, code, message] of [
      [{}, 'isString', 'reason must be a string'],
      [{ reason: 12 }, 'isString', 'reason must be a string'],
      [{ reason: '' }, 'matches', 'reason must not be blank'],
      [{ reason: '   ' }, 'matches', 'reason must not be blank'],
      [{ reason: '\t\n ' }, 'matches', 'reason must not be blank'],
    ] as const) {
      const refused = await post(`/settlements/${approved.id}/reopen`, body, fx.secondApprover.apiKey);
      expect([refused.status, refused.body.code, refused.body.message]).toEqual([400, 'VALIDATION_FAILED', message]);
      expect(refused.body.details.fields).toEqual([{ field: 'reason', code, message }]);
    }
    expect(await ds.getRepository(SettlementEntity).count({ where: { contractId: fx.contractId } })).toBe(versions);
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(audits);
    const reopened = await post(`/settlements/${approved.id}/reopen`, { reason: '  Rendiconto IND-05 rettificato ' }, fx.secondApprover.apiKey);
    expect(reopened.status).toBe(201);
    expect(reopened.body).toMatchObject({ version: 2, state: 'DRAFT', previousId: approved.id, reopenReason: 'Rendiconto IND-05 rettificato' });
    expect(reopened.body.document.delta).toMatchObject({ previousVersion: 1, premium: { before: '18960.00', after: '18960.00', change: '0.00' } });
    expect((await ds.getRepository(SettlementEntity).findOneByOrFail({ id: approved.id })).document).toBe(before);
    // The reopener cannot approve its own version; the first approver can, and version 1 is superseded.
    const self = await post(`/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, fx.secondApprover.apiKey);
    expect([self.status, self.body.code, self.body.message, self.body.details]).toEqual([
      403,
      'SETTLEMENT_SELF_APPROVAL',
      'A settlement is approved by someone other than the person who computed or reopened it: you reopened version 1 into it',
      { id: reopened.body.id, reason: 'REOPENED_BY_YOU' },
    ]);
    const ok = await post(`/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, fx.approver.apiKey);
    expect(ok.status).toBe(200);
    expect((await ds.getRepository(SettlementEntity).findOneByOrFail({ id: approved.id })).state).toBe('SUPERSEDED');
  });

  it('the settlement list is paged like the other lists, by period, grouping and version, and filters by period', async () => {
    type Summary = { periodCode: string; groupingCode: string; version: number };
    const list = async (query: string, as = fx.auditor.apiKey) => {
      const res = await get(`/contracts/${fx.contractId}/settlements${query}`, as);
      expect(res.status).toBe(200);
      return { rows: (res.body.items as Summary[]).map((x) => `${x.periodCode} ${x.groupingCode} v${x.version}`), page: res.body.page as unknown };
    };
    // Written Y1 A, Y1 B, Y2 A, Y2 B, Y2 A v2: listed in contract order, RTI-A's versions together.
    const all = ['Y1 RTI-A v1', 'Y1 RTI-B v1', 'Y2 RTI-A v1', 'Y2 RTI-A v2', 'Y2 RTI-B v1'];
    expect(await list('')).toEqual({ rows: all, page: { limit: 50, offset: 0, total: 5 } });
    expect(await list('?limit=2')).toEqual({ rows: all.slice(0, 2), page: { limit: 2, offset: 0, total: 5 } });
    expect(await list('?limit=2&offset=2')).toEqual({ rows: all.slice(2, 4), page: { limit: 2, offset: 2, total: 5 } });
    expect(await list('?limit=100&offset=4')).toEqual({ rows: all.slice(4), page: { limit: 100, offset: 4, total: 5 } });
    expect(await list('?offset=9')).toEqual({ rows: [], page: { limit: 50, offset: 9, total: 5 } });
    expect(await list(`?periodId=${fx.periodIds.Y2}&limit=2&offset=1`)).toEqual({ rows: all.slice(3, 5), page: { limit: 2, offset: 1, total: 3 } });
    // ETS staff page through their own groupings' settlements only.
    expect(await list('?limit=1&offset=1', fx.leads['RTI-B'].apiKey)).toEqual({ rows: ['Y2 RTI-B v1'], page: { limit: 1, offset: 1, total: 2 } });

    for (const [query, field, code, message] of [
      ['?limit=0', 'limit', 'min', 'limit must not be less than 1'],
      ['?limit=201', 'limit', 'max', 'limit must not be greater than 200'],
      ['?limit=ten', 'limit', 'isInt', 'limit must be an integer number'],
      ['?offset=-1', 'offset', 'min', 'offset must not be less than 0'],
      ['?offset=99999999999999999999', 'offset', 'max', 'offset must not be greater than 1000000000'],
      ['?periodId=Y2', 'periodId', 'isUuid', 'periodId must be a UUID'],
      ['?page=2', 'page', 'whitelistValidation', 'page is not a known field'],
    ] as const) {
      const res = await get(`/contracts/${fx.contractId}/settlements${query}`, fx.auditor.apiKey);
      expect([res.status, res.body.code, res.body.details.fields]).toEqual([400, 'VALIDATION_FAILED', [{ field, code, message }]]);
    }
  });

  it('every settlement recomputes from its stored inputs to the same hashes, and tampering is detected', async () => {
    const all = await ds.getRepository(SettlementEntity).find({ where: { contractId: fx.contractId } });
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const s of all) {
      const res = await get(`/settlements/${s.id}/verify`, fx.auditor.apiKey);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ matches: true, differences: [] });
      expect(res.body.recomputed.documentHash).toBe(s.documentHash);
    }
    const victim = all.find((s) => s.version === 2) as SettlementEntity;
    const audits = await ds.getRepository(AuditEntryEntity).count();
    const tamper = async (change: (doc: { result: { payable: string }; inputs: { indicators: { value: string | null }[] } }) => void): Promise<string[]> => {
      const doc = JSON.parse(victim.document) as Parameters<typeof change>[0];
      change(doc);
      await ds.getRepository(SettlementEntity).update({ id: victim.id }, { document: canonicalize(doc) });
      const res = await get(`/settlements/${victim.id}/verify`, fx.auditor.apiKey);
      expect([res.status, res.body.matches]).toEqual([200, false]);
      return res.body.differences as string[];
    };
    // A payable edited in the stored result; an input value edited (the stored result no longer follows from it).
    expect(await tamper((d) => (d.result.payable = '99999.00'))).toEqual(['resultHash', 'documentHash']);
    expect(await tamper((d) => (d.inputs.indicators[0].value = '99'))).toEqual(['inputsHash', 'documentHash', 'recomputation']);
    await ds.getRepository(SettlementEntity).update({ id: victim.id }, { document: victim.document });
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(audits);
  });
});
