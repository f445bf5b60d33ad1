import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from 'src/app.module';
import { Clock } from 'src/common/clock/clock';
import { SettlementRunContractEntity, SettlementRunEntity } from 'src/settlements/settlement-run.entity';
import { acceptMeasurements, ExampleContract, exampleDocument, importExample, PADOVA_CASE_A, PADOVA_CASE_B } from 'test/support/settlement-fixtures';
import { RunBody, waitForRun } from 'test/support/settlement-runs';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Issue 4, section 3, portfolio settlement: one call starts settling a period in every contract of a
// municipality (202 and the run to follow), one transaction per contract, and the run reports each as it
// goes: SETTLED, FAILED with the reason (a second Padova contract with no binding indicator set yet),
// SKIPPED once everything is approved. A second run of the same municipality and period waits for the first
// (409); runs left RUNNING by a process that died are INTERRUPTED when the service starts again.

const NOBODY = '00000000-0000-4000-8000-000000000000';
/** TEST_NOW plus some minutes: each run starts at its own time, so "newest first" is a fixed order. */
const at = (minutes: number): Date => new Date(TEST_NOW.getTime() + minutes * 60_000);

describe('portfolio settlement runs (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  let otherManager: TestUser;
  const started: string[] = [];
  let inserted = 0;
  const start = (as: string, municipalityId = fx.municipalityId, periodCode = 'Y2') =>
    t.request('POST', `/api/v1/municipalities/${municipalityId}/settlement-runs`, { periodCode }, { as });
  const runRows = () => t.app.get(DataSource).getRepository(SettlementRunEntity);
  /** A run row as another process would have left it. */
  const insertRun = async (status: SettlementRunEntity['status'], periodCode: string, updatedAt: Date): Promise<string> => {
    const id = `00000000-0000-4000-8000-${String(++inserted).padStart(12, '0')}`;
    const when = updatedAt.toISOString();
    await runRows().insert({
      id, municipalityId: fx.municipalityId, periodCode, status, total: 2, done: 1, settled: 1, skipped: 0, failed: 0, problemCode: null, problemMessage: null,
      startedBy: 'elsewhere', startedByLabel: 'another process', startedAt: when, finishedAt: null, createdAt: when, updatedAt: when,
    });
    return id;
  };
  const codes = (run: RunBody) => run.contracts.map((c) => [c.contractCode, c.status, c.computed, c.problem?.code ?? null]);

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
    const vicenza = await t.request('POST', '/api/v1/organisations', { code: 'C-VICENZA', kind: 'MUNICIPALITY', name: 'Comune di Vicenza' });
    expect(vicenza.status).toBe(201);
    otherManager = await insertTestUser(t.app.get(DataSource), { name: 'Vicenza contract manager', roles: ['contract_manager'], organisationId: vicenza.body.id }, TEST_NOW.toISOString());
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 202 with the RUNNING run and its Location, then settles in the background: the contract that can be settled, and the one that cannot reported', async () => {
    t.clock.set(at(1));
    const res = await start(fx.manager.apiKey);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/settlement-runs/${res.body.id}`);
    expect(res.body).toEqual({
      id: expect.any(String), status: 'RUNNING', municipalityId: fx.municipalityId, periodCode: 'Y2', total: 2, done: 0, settled: 0, skipped: 0, failed: 0,
      problem: null, startedBy: 'Laura Bianchi (contract manager)', startedAt: at(1).toISOString(), finishedAt: null, updatedAt: at(1).toISOString(), contracts: [],
    });
    started.push(res.body.id);

    const run = await waitForRun(t, res.body.id, fx.manager.apiKey);
    expect(run).toMatchObject({ status: 'DONE', periodCode: 'Y2', total: 2, done: 2, settled: 1, skipped: 0, failed: 1, problem: null, finishedAt: at(1).toISOString() });
    expect(codes(run)).toEqual([
      ['PD-SDC-2.0', 'SETTLED', 2, null],
      ['PD-SDC-2.1', 'FAILED', 0, 'SETTLEMENT_NO_BINDING_INDICATOR_SET'],
    ]);
    const drafts = await t.request('GET', `/api/v1/contracts/${fx.contractId}/settlements`, undefined, { as: fx.manager.apiKey });
    expect(drafts.body.items.map((s: { state: string; computedBy: string }) => [s.state, s.computedBy])).toEqual([
      ['DRAFT', 'Laura Bianchi (contract manager)'],
      ['DRAFT', 'Laura Bianchi (contract manager)'],
    ]);
  });

  it('skips a contract whose groupings are all approved for the period', async () => {
    const list = await t.request('GET', `/api/v1/contracts/${fx.contractId}/settlements`, undefined, { as: fx.approver.apiKey });
    for (const s of list.body.items as { id: string; documentHash: string }[]) {
      expect((await t.request('POST', `/api/v1/settlements/${s.id}/approve`, { documentHash: s.documentHash }, { as: fx.approver.apiKey })).status).toBe(200);
    }
    t.clock.set(at(2));
    const res = await start(fx.manager.apiKey);
    expect(res.status).toBe(202);
    started.push(res.body.id);
    const run = await waitForRun(t, res.body.id, fx.manager.apiKey);
    expect(run).toMatchObject({ status: 'DONE', total: 2, done: 2, settled: 0, skipped: 1, failed: 1 });
    expect(run.contracts[0]).toMatchObject({ contractCode: 'PD-SDC-2.0', status: 'SKIPPED', problem: { code: 'SETTLEMENT_ALREADY_APPROVED' } });
  });

  it('is started by the municipality\'s contract managers only: approvers and ETS get 403, other municipalities and unknown ones 404, and nothing is recorded', async () => {
    const before = await runRows().count();
    const tries = [
      await start(fx.approver.apiKey),
      await start(fx.leads['RTI-A'].apiKey),
      await start(otherManager.apiKey),
      await start(fx.manager.apiKey, NOBODY),
    ];
    expect(tries.map((r) => [r.status, r.body.code])).toEqual([
      [403, 'AUTH_FORBIDDEN'],
      [403, 'AUTH_FORBIDDEN'],
      [404, 'SETTLEMENT_NOT_FOUND'],
      [404, 'SETTLEMENT_NOT_FOUND'],
    ]);
    expect(await runRows().count()).toBe(before);
  });

  it('refuses a period code no contract of the municipality has (a typo) with 404 naming the field, and records nothing', async () => {
    const before = await runRows().count();
    const auditBefore = (await t.request('GET', '/api/v1/audit?objectType=settlement_run', undefined, { as: fx.auditor.apiKey })).body.page.total;
    const res = await start(fx.manager.apiKey, fx.municipalityId, 'Y9');
    expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({
      status: 404,
      code: 'SETTLEMENT_PERIOD_NOT_FOUND',
      details: { municipalityId: fx.municipalityId, periodCode: 'Y9', fields: [{ field: 'periodCode', message: 'no contract of the municipality has a period Y9' }] },
    });
    expect(await runRows().count()).toBe(before);
    expect((await t.request('GET', '/api/v1/audit?objectType=settlement_run', undefined, { as: fx.auditor.apiKey })).body.page.total).toBe(auditBefore);
  });

  it('refuses a second run of the municipality and period while one is RUNNING (409 naming it); a run nobody has written for a minute is INTERRUPTED instead', async () => {
    t.clock.set(at(3));
    const running = await insertRun('RUNNING', 'Y2', at(3));
    const before = await runRows().count();
    const refused = await start(fx.manager.apiKey);
    expect({ status: refused.status, code: refused.body.code, details: refused.body.details }).toEqual({ status: 409, code: 'SETTLEMENT_RUN_IN_PROGRESS', details: { runId: running } });
    expect(await runRows().count()).toBe(before);
    // Another period of the same municipality is not held up.
    const y3 = await start(fx.manager.apiKey, fx.municipalityId, 'Y3');
    expect(y3.status).toBe(202);
    started.push(y3.body.id);
    expect((await waitForRun(t, y3.body.id, fx.manager.apiKey)).status).toBe('DONE');

    // Sixty-one seconds later without a write from the process that runs it: that process is gone.
    t.clock.set(new Date(at(4).getTime() + 1_000));
    const res = await start(fx.manager.apiKey);
    expect(res.status).toBe(202);
    started.push(res.body.id);
    expect(await runRows().findOneByOrFail({ id: running })).toMatchObject({ status: 'INTERRUPTED', done: 1, finishedAt: t.clock.nowIso(), problemCode: 'SETTLEMENT_RUN_INTERRUPTED' });
    expect((await waitForRun(t, res.body.id, fx.manager.apiKey)).status).toBe('DONE');
  });

  it('when the service starts again, marks INTERRUPTED the runs a process that died left RUNNING, and leaves a live one alone', async () => {
    t.clock.set(at(10));
    const dead = await insertRun('RUNNING', 'Y1', at(8));
    const live = await insertRun('RUNNING', 'Y3', at(10));
    // A second application on the same database, as after a restart (or the CLI beside the server).
    const restarted = await Test.createTestingModule({ imports: [AppModule.forRoot(t.config)] }).overrideProvider(Clock).useValue(t.clock).setLogger(false as never).compile();
    await restarted.init();
    await restarted.close();
    // Straight from the database: reading them through the API would mark the dead one by itself (below).
    expect(await runRows().findOneByOrFail({ id: dead })).toMatchObject({
      status: 'INTERRUPTED',
      finishedAt: at(10).toISOString(),
      problemCode: 'SETTLEMENT_RUN_INTERRUPTED',
      problemMessage: expect.stringMatching(/^The process running it stopped .*start the run again/),
    });
    expect(await runRows().findOneByOrFail({ id: live })).toMatchObject({ status: 'RUNNING', finishedAt: null, problemCode: null });
    await runRows().delete({ id: live });
  });

  it('reads a run whose process stopped less than a minute before the service started as INTERRUPTED once a minute has passed without a write (through the run, the list or its results), and a live one as RUNNING', async () => {
    t.clock.set(at(20));
    const live = await insertRun('RUNNING', 'Y1', at(20));
    const read = async () => (await t.request('GET', `/api/v1/settlement-runs/${live}`, undefined, { as: fx.manager.apiKey })).body;
    const listed = async () =>
      ((await t.request('GET', `/api/v1/municipalities/${fx.municipalityId}/settlement-runs`, undefined, { as: fx.auditor.apiKey })).body.items as RunBody[]).find((r) => r.id === live);
    t.clock.set(new Date(at(21).getTime() - 1));
    expect(await read()).toMatchObject({ status: 'RUNNING', finishedAt: null, problem: null });
    expect(await listed()).toMatchObject({ status: 'RUNNING' });
    expect((await t.request('GET', `/api/v1/settlement-runs/${live}/contracts`, undefined, { as: fx.auditor.apiKey })).body.page.total).toBe(0);
    expect(await runRows().findOneByOrFail({ id: live })).toMatchObject({ status: 'RUNNING' });
    t.clock.set(new Date(at(21).getTime() + 1));
    // Reading only its results is enough to record it INTERRUPTED, as reading the run or the list is.
    expect((await t.request('GET', `/api/v1/settlement-runs/${live}/contracts`, undefined, { as: fx.auditor.apiKey })).body).toEqual({ items: [], page: { limit: 50, offset: 0, total: 0 } });
    expect(await runRows().findOneByOrFail({ id: live })).toMatchObject({ status: 'INTERRUPTED', finishedAt: t.clock.nowIso(), problemCode: 'SETTLEMENT_RUN_INTERRUPTED' });
    expect(await listed()).toMatchObject({ status: 'INTERRUPTED', finishedAt: t.clock.nowIso(), problem: { code: 'SETTLEMENT_RUN_INTERRUPTED' } });
    expect(await read()).toMatchObject({ status: 'INTERRUPTED', problem: { code: 'SETTLEMENT_RUN_INTERRUPTED' } });
  });

  it('is read by the municipality\'s staff (manager, approver, auditor); an ETS of its contracts and another municipality\'s manager get 404, as for an unknown id', async () => {
    const url = `/api/v1/settlement-runs/${started[0]}`;
    const seen = [];
    for (const who of [fx.manager, fx.approver, fx.auditor, fx.leads['RTI-A'], otherManager]) {
      const res = await t.request('GET', url, undefined, { as: who.apiKey });
      seen.push([res.status, res.status === 200 ? res.body.id : res.body.code]);
    }
    expect(seen).toEqual([
      [200, started[0]],
      [200, started[0]],
      [200, started[0]],
      [404, 'SETTLEMENT_NOT_FOUND'],
      [404, 'SETTLEMENT_NOT_FOUND'],
    ]);
    expect((await t.request('GET', `/api/v1/settlement-runs/${NOBODY}`, undefined, { as: fx.manager.apiKey })).body.code).toBe('SETTLEMENT_NOT_FOUND');
    expect((await t.request('GET', '/api/v1/settlement-runs/not-a-uuid', undefined, { as: fx.manager.apiKey })).status).toBe(400);
  });

  it('pages a run\'s per-contract results in the order they were settled, of one status when asked; 400 for another status, 404 to those who may not read the run', async () => {
    const url = `/api/v1/settlement-runs/${started[0]}/contracts`;
    const get = async (query: string, as = fx.auditor.apiKey) => t.request('GET', `${url}${query}`, undefined, { as });
    const all = await get('');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      items: [
        {
          contractId: fx.contractId, contractCode: 'PD-SDC-2.0', status: 'SETTLED', computed: 2, problem: null,
          // Y2 was still open; Padova case B's survey (IND-04) is not assessable, a term settled MISSING_ZERO.
          warnings: [
            { code: 'PERIOD_OPEN', message: expect.any(String), groupings: [] },
            { code: 'MISSING_DATA', message: expect.any(String), groupings: [{ grouping: 'RTI-B', terms: 5, onMissingData: 1 }] },
          ],
        },
        {
          contractId: expect.any(String), contractCode: 'PD-SDC-2.1', status: 'FAILED', computed: 0,
          problem: { code: 'SETTLEMENT_NO_BINDING_INDICATOR_SET', message: expect.any(String) }, warnings: [],
        },
      ],
      page: { limit: 50, offset: 0, total: 2 },
    });
    // The same results, in the same order, as the run itself shows.
    expect((await t.request('GET', `/api/v1/settlement-runs/${started[0]}`, undefined, { as: fx.manager.apiKey })).body.contracts).toEqual(all.body.items);
    const [settled, failed] = all.body.items as unknown[];
    expect((await get('?limit=1&offset=1')).body).toEqual({ items: [failed], page: { limit: 1, offset: 1, total: 2 } });
    expect((await get('?status=FAILED')).body).toEqual({ items: [failed], page: { limit: 50, offset: 0, total: 1 } });
    expect((await get('?status=SETTLED&limit=1', fx.approver.apiKey)).body).toEqual({ items: [settled], page: { limit: 1, offset: 0, total: 1 } });
    expect((await get('?status=SKIPPED', fx.manager.apiKey)).body).toEqual({ items: [], page: { limit: 50, offset: 0, total: 0 } });
    // The second run skipped the contract whose settlements were approved by then.
    const skipped = await t.request('GET', `/api/v1/settlement-runs/${started[1]}/contracts?status=SKIPPED`, undefined, { as: fx.auditor.apiKey });
    expect(skipped.body.items.map((c: RunBody['contracts'][number]) => [c.contractCode, c.status, c.problem?.code])).toEqual([['PD-SDC-2.0', 'SKIPPED', 'SETTLEMENT_ALREADY_APPROVED']]);

    for (const status of ['DONE', 'settled', '']) {
      const bad = await get(`?status=${status}`);
      expect({ status: bad.status, code: bad.body.code, fields: bad.body.details.fields }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [{ field: 'status', code: 'isIn', message: 'status must be one of the following values: SETTLED, SKIPPED, FAILED' }],
      });
    }
    const seen = [];
    for (const who of [fx.leads['RTI-A'], otherManager]) {
      const res = await get('', who.apiKey);
      seen.push([res.status, res.body.code]);
    }
    expect(seen).toEqual([
      [404, 'SETTLEMENT_NOT_FOUND'],
      [404, 'SETTLEMENT_NOT_FOUND'],
    ]);
    expect(await t.request('GET', `/api/v1/settlement-runs/${NOBODY}/contracts`, undefined, { as: fx.manager.apiKey })).toMatchObject({ status: 404, body: { code: 'SETTLEMENT_NOT_FOUND' } });
  });

  it('lists the municipality\'s runs newest first, paged, without their per-contract results; 404 to those who may not read them', async () => {
    const url = `/api/v1/municipalities/${fx.municipalityId}/settlement-runs`;
    const res = await t.request('GET', url, undefined, { as: fx.auditor.apiKey });
    expect(res.status).toBe(200);
    const rows = await runRows().find({ where: { municipalityId: fx.municipalityId } });
    expect(res.body.page).toEqual({ limit: 50, offset: 0, total: rows.length });
    const items = res.body.items as Record<string, unknown>[];
    expect(items.map((r) => r.startedAt)).toEqual(rows.map((r) => r.startedAt).sort().reverse());
    expect(items.filter((r) => started.includes(r.id as string)).map((r) => r.id)).toEqual([...started].reverse());
    expect(items.every((r) => !('contracts' in r))).toBe(true);
    expect(items[items.length - 1]).toMatchObject({ id: started[0], status: 'DONE', total: 2, settled: 1, failed: 1, startedBy: 'Laura Bianchi (contract manager)' });

    const second = await t.request('GET', `${url}?limit=1&offset=1`, undefined, { as: fx.manager.apiKey });
    expect(second.body).toEqual({ items: [items[1]], page: { limit: 1, offset: 1, total: rows.length } });
    for (const who of [fx.leads['RTI-B'], otherManager]) {
      expect(await t.request('GET', url, undefined, { as: who.apiKey })).toMatchObject({ status: 404, body: { code: 'SETTLEMENT_NOT_FOUND' } });
    }
  });

  it('warns, per contract settled, of a period not closed and of groupings drafted without data, without failing the contract or changing an amount', async () => {
    // Y3: still collecting, nothing accepted yet. The contract is settled (drafts of 0.00), and the run says why to look again.
    t.clock.set(at(30));
    const open = await waitForRun(t, (await start(fx.manager.apiKey, fx.municipalityId, 'Y3')).body.id, fx.manager.apiKey);
    expect(open).toMatchObject({ status: 'DONE', settled: 1, failed: 1 });
    const empty = [{ grouping: 'RTI-A', terms: 5, onMissingData: 5 }, { grouping: 'RTI-B', terms: 5, onMissingData: 5 }];
    expect(open.contracts.map((c) => [c.contractCode, c.status, c.computed, c.warnings])).toEqual([
      [
        'PD-SDC-2.0', 'SETTLED', 2,
        [
          { code: 'PERIOD_OPEN', message: 'Period Y3 is not closed: measurements can still be submitted, corrected and reviewed, and its drafts may change', groupings: [] },
          { code: 'NO_ACCEPTED_MEASUREMENTS', message: 'No accepted measurement for RTI-A, RTI-B in period Y3: their drafts are made without any measured value', groupings: empty },
        ],
      ],
      ['PD-SDC-2.1', 'FAILED', 0, []],
    ]);
    const drafts = await t.request('GET', `/api/v1/contracts/${fx.contractId}/settlements?periodId=${fx.periodIds.Y3}`, undefined, { as: fx.manager.apiKey });
    expect(drafts.body.items.map((d: { state: string; payable: string }) => [d.state, d.payable])).toEqual([['DRAFT', '0.00'], ['DRAFT', '0.00']]);

    // Closed, the period is no longer told; the missing data still is, and the drafts pay the same.
    expect((await t.request('POST', `/api/v1/contract-periods/${fx.periodIds.Y3}/close`, {}, { as: fx.manager.apiKey })).status).toBe(200);
    t.clock.set(at(31));
    const closed = await waitForRun(t, (await start(fx.manager.apiKey, fx.municipalityId, 'Y3')).body.id, fx.manager.apiKey);
    expect(closed.contracts[0].warnings).toEqual([{ code: 'NO_ACCEPTED_MEASUREMENTS', message: expect.any(String), groupings: empty }]);
    const again = await t.request('GET', `/api/v1/contracts/${fx.contractId}/settlements?periodId=${fx.periodIds.Y3}`, undefined, { as: fx.manager.apiKey });
    expect(again.body.items.map((d: { payable: string }) => d.payable)).toEqual(['0.00', '0.00']);
    // The paged results carry them too, and results stored before warnings existed read as having none.
    const page = await t.request('GET', `/api/v1/settlement-runs/${closed.id}/contracts?status=SETTLED`, undefined, { as: fx.auditor.apiKey });
    expect(page.body.items[0].warnings).toEqual(closed.contracts[0].warnings);
    const old = await insertRun('DONE', 'Y1', at(32));
    await t.app.get(DataSource).getRepository(SettlementRunContractEntity).insert({
      runId: old, position: 0, contractId: fx.contractId, contractCode: 'PD-SDC-2.0', status: 'SETTLED', computed: 2, problemCode: null, problemMessage: null, warnings: null,
    });
    expect((await t.request('GET', `/api/v1/settlement-runs/${old}`, undefined, { as: fx.manager.apiKey })).body.contracts).toEqual([
      { contractId: fx.contractId, contractCode: 'PD-SDC-2.0', status: 'SETTLED', computed: 2, problem: null, warnings: [] },
    ]);
  });

  it('is in the audit chain: each start and end by whoever started the run, each run found dead by the system; auditors of the municipality read them, ETS do not', async () => {
    const entries = async (as: string) => {
      const res = await t.request('GET', '/api/v1/audit?objectType=settlement_run&order=asc&limit=200', undefined, { as });
      return res.body.items as { action: string; object: { id: string }; actor: { label: string }; municipalityId: string | null; contractId: string | null }[];
    };
    const seen = await entries(fx.auditor.apiKey);
    const of = (id: string) => seen.filter((e) => e.object.id === id).map((e) => [e.action, e.actor.label]);
    // Every run this suite started through the API: started, then finished, by the contract manager.
    for (const id of started) expect(of(id)).toEqual([['start', 'Laura Bianchi (contract manager)'], ['finish', 'Laura Bianchi (contract manager)']]);
    // The runs inserted as if by a process that died were marked by the system, once each (no start: they were not started here).
    const interrupted = (await runRows().find({ where: { startedBy: 'elsewhere', status: 'INTERRUPTED' } })).map((r) => r.id);
    expect(interrupted.length).toBeGreaterThanOrEqual(3);
    for (const id of interrupted) expect(of(id)).toEqual([['interrupt', 'system']]);
    expect(seen.every((e) => e.municipalityId === fx.municipalityId && e.contractId === null)).toBe(true);
    expect(await entries(fx.leads['RTI-A'].apiKey)).toEqual([]);
    expect((await t.request('GET', '/api/v1/audit/verify', undefined, { as: fx.auditor.apiKey })).body).toMatchObject({ ok: true });
  });
});
