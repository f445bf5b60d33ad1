import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { SettlementRunEntity } from 'src/settlements/settlement-run.entity';
import { EvaluationRecordEntity, SettlementEntity } from 'src/settlements/settlement.entity';
import { AccessFixture, Actor, ACTORS, seedTenants, seedWorkflowUsers, WORKFLOW_EXTRAS, WorkflowExtra } from 'test/support/access-fixtures';
import { padovaIndicatorBodies } from 'test/support/fixtures';
import { waitForRun } from 'test/support/settlement-runs';
import { createTestApp, HttpMethod, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// The access matrices of test/e2e/access-matrix.e2e-spec.ts and access-matrix-workflows.e2e-spec.ts
// extended to settlements (compute, list, read, verify, approve, reopen, simulations, portfolio runs,
// evaluation records), the settlement reports, the open-data exports (IATI, OCDS) and the audit export.
// The seventeen callers of the workflow matrix; the seeded contract gets IND-01..IND-05, a rule set of two
// LINEAR terms (0.5/0.5 of 10 % of the fee) with an evaluation payer, version 1 made binding, and accepted
// Y2 values for both RTIs. A second Padova approver who is not a caller (the deputy) approves and reopens
// in the setup, so every approval case has a fresh draft nobody among the callers computed or reopened.
// Exact status for every caller; lists and exports with exactly the ids each caller may see; for writes,
// the audit entries by the caller on success and none on refusal.

type Caller = Actor | WorkflowExtra;
const CALLERS: readonly Caller[] = [...ACTORS, ...WORKFLOW_EXTRAS];
type Expectation = Record<Caller, number>;
type Grouping = 'RTI-A' | 'RTI-B';

function only(callers: readonly Caller[], status: number, otherwise: number): Expectation {
  return Object.fromEntries(CALLERS.map((a) => [a, callers.includes(a) ? status : otherwise])) as Expectation;
}
/** `base` with some callers answered differently. */
function but(base: Expectation, changes: Partial<Expectation>): Expectation {
  return { ...base, ...changes };
}

const MUNICIPAL: readonly Caller[] = ['padovaAdmin', 'padovaManager', 'padovaApprover', 'padovaAuditor'];
/** Who sees every grouping's settlements of Padova's contract. */
const SEE_ALL: readonly Caller[] = ['platformAdmin', ...MUNICIPAL, 'grantedEvaluator'];
/** ETS staff by the grouping their organisation is a member of (Borgo Vivo is a mandante of RTI-A). */
const ETS_OF: Record<Grouping, readonly Caller[]> = { 'RTI-A': ['rtiAMember', 'rtiALead', 'rtiAMandante'], 'RTI-B': ['rtiBMember', 'rtiBLead'] };
const PADOVA_READERS: readonly Caller[] = [...SEE_ALL, ...ETS_OF['RTI-A'], ...ETS_OF['RTI-B']];
const READ = only(PADOVA_READERS, 200, 404);
/** A settlement of one grouping: whoever sees all, and the ETS of that grouping. */
const READ_OF = (g: Grouping) => only([...SEE_ALL, ...ETS_OF[g]], 200, 404);

/** Two LINEAR terms weighted 0.5/0.5 on 10 % of the fee; Y1 (no targets) in shadow; a foundation paying on evaluation. */
const RULE_SET = {
  format: 'ancora.rule-set/1',
  code: 'PD-AM-S1',
  title: 'Quota del compenso ancorata a due outcome (10%)',
  basis: { kind: 'SHARE_OF_FEE', share: '0.10' },
  phases: [{ period: 'Y1', mode: 'SHADOW' }],
  terms: [
    { indicator: 'IND-01', payout: { kind: 'LINEAR', threshold: '0.5', cap: '1.0' }, weight: '0.5' },
    { indicator: 'IND-02', payout: { kind: 'LINEAR', threshold: '0.5', cap: '1.0' }, weight: '0.5' },
  ],
  evaluationPayers: [{ id: 'FOND-PD-01', payer: 'FOND-PD', label: 'Fondazione: 30% dei risparmi certificati', share: '0.30', cap: '5000.00' }],
};
/** Accepted Y2 values: RTI-A 0.5 x 0.75 + 0.5 x 1 of 32,000.00 = 28,000.00; RTI-B 0.5 x 1 + 0.5 x 0.6 of 28,000.00 = 22,400.00. */
const Y2_VALUES: { caller: Caller; grouping: Grouping; indicatorCode: string; value: string }[] = [
  { caller: 'rtiAMember', grouping: 'RTI-A', indicatorCode: 'IND-01', value: '11.0' },
  { caller: 'rtiAMember', grouping: 'RTI-A', indicatorCode: 'IND-02', value: '12' },
  { caller: 'rtiBMember', grouping: 'RTI-B', indicatorCode: 'IND-01', value: '14.5' },
  { caller: 'rtiBMember', grouping: 'RTI-B', indicatorCode: 'IND-02', value: '6' },
];

interface Summary {
  id: string;
  groupingId: string;
  version: number;
  state: 'DRAFT' | 'APPROVED' | 'SUPERSEDED';
  documentHash: string;
  premium: string;
}

interface Case {
  name: string;
  method: HttpMethod;
  /** Runs before each caller's request (as whoever it needs); its result goes to url/body. */
  prepare?: (caller: Caller) => Promise<string>;
  url: (prepared: string) => string;
  body?: (caller: Caller, prepared: string) => unknown;
  expect: Expectation;
  /** Audit entries a success appends, all by the caller (default 1). */
  auditEntries?: number;
  /** For refused writes: read back as the platform admin to show nothing changed. */
  readBack?: (prepared: string) => string;
  /** For accepted writes that finish in the background: waits until they have (then audit entries are counted). */
  settle?: (caller: Caller, body: { id: string }) => Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies and exports are asserted field by field */
describe('access matrix: settlements, reports, open data and the audit export for every role', () => {
  let t: TestApp;
  let fx: AccessFixture;
  let users: Record<Caller | 'deputy', TestUser>;
  /** Settlements made in the setup: RTI-A's first version (approved), RTI-B's first (approved, then reopened). */
  const ids = { a1: '', b1: '', evaluationA: '', evaluationB: '' };

  const call = async (who: Caller | 'deputy', method: HttpMethod, url: string, body?: unknown) => {
    const res = await t.app.inject({ method, url, headers: { 'x-api-key': users[who].apiKey }, ...(body === undefined ? {} : { payload: body as object }) });
    let parsed: any;
    try {
      parsed = res.body.length > 0 ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, text: res.body, headers: res.headers };
  };
  /** Setup steps: must succeed. */
  const ok = async (who: Caller | 'deputy', method: HttpMethod, url: string, body?: unknown) => {
    const res = await call(who, method, url, body);
    if (res.status >= 300) throw new Error(`setup ${who} ${method} ${url} answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const auditCount = () => t.app.get(DataSource).getRepository(AuditEntryEntity).count();
  const lastAudit = (n: number) => t.app.get(DataSource).getRepository(AuditEntryEntity).find({ order: { seq: 'DESC' }, take: n });

  const api = (path: string) => `/api/v1${path}`;
  const contract = () => fx.padova.contractId;
  const period = (code: 'Y1' | 'Y2' | 'Y3') => fx.padova.periodIds[code];
  const grouping = (g: Grouping) => fx.padova.groupingIds[g];

  /** The latest Y2 version of a grouping's settlement. */
  const latest = async (g: Grouping): Promise<Summary> => {
    const items = (await ok('platformAdmin', 'GET', api(`/contracts/${contract()}/settlements?periodId=${period('Y2')}`))).items as Summary[];
    return items.filter((s) => s.groupingId === grouping(g)).reduce((a, s) => (s.version > a.version ? s : a));
  };
  /** `id|documentHash` of a DRAFT of the grouping no caller computed or reopened: the deputy reopens the approved one if needed. */
  const draftOf = async (g: Grouping): Promise<string> => {
    let s = await latest(g);
    if (s.state === 'APPROVED') s = await ok('deputy', 'POST', api(`/settlements/${s.id}/reopen`), { reason: 'nuova bozza per la prova' });
    return `${s.id}|${s.documentHash}`;
  };
  /** The id of the grouping's latest version, APPROVED: the deputy approves the draft if needed. */
  const approvedOf = async (g: Grouping): Promise<string> => {
    const s = await latest(g);
    if (s.state === 'DRAFT') await ok('deputy', 'POST', api(`/settlements/${s.id}/approve`), { documentHash: s.documentHash });
    return s.id;
  };
  /** A finished portfolio run of Padova, recorded straight in the database (as the CLI or an earlier run leaves one). */
  let padovaRunId = '';
  const padovaRun = async (): Promise<string> => {
    if (padovaRunId) return padovaRunId;
    padovaRunId = '00000000-0000-4000-8000-0000000000a1';
    const now = TEST_NOW.toISOString();
    await t.app.get(DataSource).getRepository(SettlementRunEntity).insert({
      id: padovaRunId, municipalityId: fx.padova.municipalityId, periodCode: 'Y1', status: 'DONE', total: 0, done: 0, settled: 0, skipped: 0, failed: 0,
      problemCode: null, problemMessage: null, startedBy: 'system', startedByLabel: 'system', startedAt: now, finishedAt: now, createdAt: now, updatedAt: now,
    });
    return padovaRunId;
  };
  /** Settlement rows of the contract by grouping, straight from the database. */
  const settlementRows = async (g?: Grouping) =>
    (await t.app.get(DataSource).getRepository(SettlementEntity).find({ where: { contractId: contract(), ...(g ? { groupingId: grouping(g) } : {}) } })).map((s) => s.id);

  beforeAll(async () => {
    t = await createTestApp();
    fx = await seedTenants(t);
    const extras = await seedWorkflowUsers(t, fx);
    const deputy = await insertTestUser(t.app.get(DataSource), { name: 'Padova vice dirigente', roles: ['approver'], organisationId: fx.padova.municipalityId }, TEST_NOW.toISOString());
    users = { ...fx.users, ...extras, deputy };

    // The foundation paying on evaluation, the indicators, the rule set, version 1 made binding by the Comune and both leads.
    await ok('platformAdmin', 'POST', api('/organisations'), { code: 'FOND-PD', kind: 'OTHER', name: 'Fondazione per Padova (fittizia)' });
    for (const body of Object.values(padovaIndicatorBodies(fx.padova))) {
      await ok('padovaManager', 'POST', api(`/contracts/${contract()}/indicators`), body);
    }
    await ok('padovaManager', 'PUT', api(`/contracts/${contract()}/payment-rules`), { paymentRules: RULE_SET });
    const v1 = await ok('padovaManager', 'POST', api(`/contracts/${contract()}/indicator-set-versions`), {});
    for (const side of ['padovaApprover', 'rtiALead', 'rtiBLead'] as const) {
      await ok(side, 'POST', api(`/indicator-set-versions/${v1.id}/approvals`), { contentHash: v1.contentHash });
    }
    expect((await ok('platformAdmin', 'GET', api(`/indicator-set-versions/${v1.id}`))).state).toBe('BINDING');

    // Accepted Y2 values for both groupings.
    for (const m of Y2_VALUES) {
      const created = await ok(m.caller, 'POST', api(`/contracts/${contract()}/measurements`), {
        indicatorCode: m.indicatorCode,
        periodId: period('Y2'),
        groupingId: grouping(m.grouping),
        value: m.value,
      });
      await ok('padovaManager', 'POST', api(`/measurements/${created.id}/accept`), {});
    }

    // Y2 computed by the manager; the deputy approves both, then reopens RTI-B's: a draft v2 for the cases.
    const computed = (await ok('padovaManager', 'POST', api(`/contracts/${contract()}/periods/${period('Y2')}/settlements`))).computed as (Summary & { groupingCode: string })[];
    expect(computed.map((s) => [s.groupingCode, s.premium])).toEqual([
      ['RTI-A', '28000.00'],
      ['RTI-B', '22400.00'],
    ]);
    [ids.a1, ids.b1] = computed.map((s) => s.id);
    for (const s of computed) await ok('deputy', 'POST', api(`/settlements/${s.id}/approve`), { documentHash: s.documentHash });
    await ok('deputy', 'POST', api(`/settlements/${ids.b1}/reopen`), { reason: 'misurazione tardiva di Delta' });

    // Y3 evaluation records of the granted university, one per grouping.
    const record = (g: Grouping) => ({ groupingId: grouping(g), payer: 'FOND-PD-01', significant: true, certifiedSavings: '12000.00', method: 'differenza nelle differenze' });
    ids.evaluationA = (await ok('grantedEvaluator', 'POST', api(`/contracts/${contract()}/periods/${period('Y3')}/evaluation-records`), record('RTI-A'))).id;
    ids.evaluationB = (await ok('grantedEvaluator', 'POST', api(`/contracts/${contract()}/periods/${period('Y3')}/evaluation-records`), record('RTI-B'))).id;
  });

  afterAll(async () => {
    await t.close();
  });

  /** Per caller: `seen(res)` on 200, else the status (with the module's *_NOT_FOUND on 404). */
  const perCaller = async <T>(url: string, seen: (res: Awaited<ReturnType<typeof call>>) => T, notFound = /_NOT_FOUND$/): Promise<Record<Caller, T | number>> => {
    const out = {} as Record<Caller, T | number>;
    for (const caller of CALLERS) {
      const res = await call(caller, 'GET', url);
      out[caller] = res.status === 200 ? seen(res) : res.status;
      if (res.status === 404) expect({ caller, code: res.body?.code }).toEqual({ caller, code: expect.stringMatching(notFound) });
    }
    return out;
  };
  /** `value(caller)` for the readers, 404 for the rest. */
  const forReaders = <T>(readers: readonly Caller[], value: (caller: Caller) => T): Record<Caller, T | number> =>
    Object.fromEntries(CALLERS.map((c) => [c, readers.includes(c) ? value(c) : 404])) as Record<Caller, T | number>;
  /** What a reader of the contract sees of a grouping-scoped thing: all groupings, or its own. */
  const scoped = <T>(all: T, byGrouping: Record<Grouping, T>) => (c: Caller): T =>
    SEE_ALL.includes(c) ? all : ETS_OF['RTI-A'].includes(c) ? byGrouping['RTI-A'] : byGrouping['RTI-B'];

  describe('lists show exactly what each caller may see', () => {
    it('settlements: every version to municipal staff and the granted evaluator, an ETS its groupings\' only, 404 SETTLEMENT_NOT_FOUND to outsiders', async () => {
      const a = (await settlementRows('RTI-A')).sort();
      const b = (await settlementRows('RTI-B')).sort();
      expect({ a: a.length > 0, b: b.length > 1 }).toEqual({ a: true, b: true });
      const seen = await perCaller(api(`/contracts/${contract()}/settlements`), (res) => res.body.items.map((s: Summary) => s.id).sort(), /^SETTLEMENT_NOT_FOUND$/);
      expect(seen).toEqual(forReaders(PADOVA_READERS, scoped([...a, ...b].sort(), { 'RTI-A': a, 'RTI-B': b })));
    });

    it('settlements of a period with none yet: an empty list for every reader', async () => {
      expect(await perCaller(api(`/contracts/${contract()}/settlements?periodId=${period('Y1')}`), (res) => res.body.items)).toEqual(forReaders(PADOVA_READERS, () => []));
    });

    it('evaluation records of Y3: all to municipal staff and the granted evaluator, an ETS its groupings\' only', async () => {
      const rows = await t.app.get(DataSource).getRepository(EvaluationRecordEntity).find({ where: { contractId: contract(), periodId: period('Y3') } });
      const of = (g: Grouping) => rows.filter((r) => r.groupingId === grouping(g)).map((r) => r.id).sort();
      expect(of('RTI-A')).toContain(ids.evaluationA);
      expect(of('RTI-B')).toEqual([ids.evaluationB]);
      const seen = await perCaller(api(`/contracts/${contract()}/periods/${period('Y3')}/evaluation-records`), (res) => res.body.items.map((r: { id: string }) => r.id).sort());
      expect(seen).toEqual(forReaders(PADOVA_READERS, scoped([...of('RTI-A'), ...of('RTI-B')].sort(), { 'RTI-A': of('RTI-A'), 'RTI-B': of('RTI-B') })));
    });
  });

  describe('open data: the same agreed content for every reader, results only of the groupings it may see', () => {
    it('IATI: actuals per grouping for who sees all, its own grouping\'s for an ETS, 404 OPEN_DATA_PROJECT_NOT_FOUND to outsiders', async () => {
      const seen = await perCaller(
        api(`/projects/${fx.padova.projectId}/iati`),
        (res) => ({
          targets: (res.text.match(/<target value=/g) ?? []).length,
          actuals: [...new Set([...res.text.matchAll(/<actual value="[^"]*">\s*<dimension name="grouping" value="([^"]+)"\/>/g)].map((x) => x[1]))].sort(),
        }),
        /^OPEN_DATA_PROJECT_NOT_FOUND$/,
      );
      const targets = (seen.platformAdmin as { targets: number }).targets;
      expect(targets).toBeGreaterThan(0);
      expect(seen).toEqual(forReaders(PADOVA_READERS, scoped({ targets, actuals: ['RTI-A', 'RTI-B'] }, { 'RTI-A': { targets, actuals: ['RTI-A'] }, 'RTI-B': { targets, actuals: ['RTI-B'] } })));
    });

    it('OCDS: every award to every reader; metrics and approved payments only of the groupings it may see', async () => {
      const entry = (g: Grouping) => `${fx.padova.contractCode}-${g}`;
      const seen = await perCaller(
        api(`/contracts/${contract()}/ocds`),
        (res) => {
          const release = res.body.releases[0];
          return {
            awards: release.awards.map((x: { id: string }) => x.id),
            results: release.contracts
              .flatMap((c: any) => [
                ...(c.implementation?.metrics ?? []).map((x: { id: string }) => `${c.id}:${x.id}`),
                ...(c.implementation?.milestones ?? []).map((x: { id: string }) => `${c.id}:${x.id}`),
              ])
              .sort(),
          };
        },
        /^OPEN_DATA_CONTRACT_NOT_FOUND$/,
      );
      const awards = [entry('RTI-A'), entry('RTI-B')];
      const results = (g: Grouping) => [`${entry(g)}:IND-01`, `${entry(g)}:IND-02`, `${entry(g)}:payment-Y2`];
      expect(seen).toEqual(
        forReaders(
          PADOVA_READERS,
          scoped({ awards, results: [...results('RTI-A'), ...results('RTI-B')].sort() }, { 'RTI-A': { awards, results: results('RTI-A') }, 'RTI-B': { awards, results: results('RTI-B') } }),
        ),
      );
    });
  });

  describe('audit export', () => {
    /** The settlement and evaluation-record ids among an export's entries. */
    const objects = (res: { text: string }): string[] => {
      const doc = JSON.parse(res.text) as { entries: { object: { type: string; id: string } }[] };
      return [...new Set(doc.entries.filter((e) => ['settlement', 'evaluation_record'].includes(e.object.type)).map((e) => e.object.id))].sort();
    };
    const allObjects = async (g?: Grouping) =>
      [...(await settlementRows(g)), ...(await t.app.get(DataSource).getRepository(EvaluationRecordEntity).find({ where: g ? { groupingId: grouping(g) } : {} })).map((r) => r.id)].sort();

    it('by contract: the settlement and evaluation entries of the groupings each reader may see (an ETS its own grouping\'s, though non-ETS users wrote them all), 404 AUDIT_CONTRACT_NOT_FOUND to outsiders', async () => {
      const all = await allObjects();
      const byGrouping = { 'RTI-A': await allObjects('RTI-A'), 'RTI-B': await allObjects('RTI-B') };
      expect({ a: byGrouping['RTI-A'].length > 1, b: byGrouping['RTI-B'].length > 1 }).toEqual({ a: true, b: true });
      const seen = await perCaller(api(`/audit/export?format=json&contractId=${contract()}`), objects, /^AUDIT_CONTRACT_NOT_FOUND$/);
      expect(seen).toEqual(forReaders(PADOVA_READERS, scoped(all, byGrouping)));
    });

    it('by municipality: only the municipality\'s staff and the platform, 404 AUDIT_MUNICIPALITY_NOT_FOUND to everyone else', async () => {
      const all = await allObjects();
      const seen = await perCaller(api(`/audit/export?format=json&municipalityId=${fx.padova.municipalityId}`), objects, /^AUDIT_MUNICIPALITY_NOT_FOUND$/);
      expect(seen).toEqual(forReaders(['platformAdmin', ...MUNICIPAL], () => all));
    });
  });

  describe('reports', () => {
    it.each(['json', 'csv', 'xlsx', 'pdf'])('%s: the file to the settlement\'s readers, 404 SETTLEMENT_NOT_FOUND to the rest', async (format) => {
      const hash = (await ok('platformAdmin', 'GET', api(`/settlements/${ids.a1}`))).documentHash as string;
      const seen = await perCaller(
        api(`/settlements/${ids.a1}/report?format=${format}`),
        (res) => ({ disposition: String(res.headers['content-disposition']).replace(/;.*$/, ''), hashed: format === 'json' ? res.body.manifest.documentHash === hash : true }),
        /^SETTLEMENT_NOT_FOUND$/,
      );
      expect(seen).toEqual(forReaders([...SEE_ALL, ...ETS_OF['RTI-A']], () => ({ disposition: 'attachment', hashed: true })));
    });
  });

  const CASES: Case[] = [
    // Computing: the municipality's contract managers, and the platform as the system operator; RTI-A's
    // settlement is approved, so a success redrafts RTI-B's draft only (one entry).
    {
      name: 'settlements: compute Y2',
      method: 'POST',
      url: () => api(`/contracts/${contract()}/periods/${period('Y2')}/settlements`),
      expect: but(only(['platformAdmin', 'padovaManager'], 201, 403), { otherManager: 404 }),
      readBack: () => api(`/contracts/${contract()}/settlements`),
    },
    { name: 'settlements: list', method: 'GET', url: () => api(`/contracts/${contract()}/settlements`), expect: READ },
    { name: 'settlement: read RTI-A\'s', method: 'GET', url: () => api(`/settlements/${ids.a1}`), expect: READ_OF('RTI-A') },
    { name: 'settlement: read RTI-B\'s', method: 'GET', url: () => api(`/settlements/${ids.b1}`), expect: READ_OF('RTI-B') },
    { name: 'settlement: verify RTI-A\'s', method: 'GET', url: () => api(`/settlements/${ids.a1}/verify`), expect: READ_OF('RTI-A') },
    { name: 'settlement: verify RTI-B\'s', method: 'GET', url: () => api(`/settlements/${ids.b1}/verify`), expect: READ_OF('RTI-B') },
    { name: 'settlement: report of RTI-B\'s (csv)', method: 'GET', url: () => api(`/settlements/${ids.b1}/report?format=csv&profile=intl`), expect: READ_OF('RTI-B') },
    {
      // Nothing is stored: no audit entry.
      name: 'simulation: the binding rules on Y2',
      method: 'POST',
      url: () => api(`/contracts/${contract()}/simulations`),
      body: () => ({ periodIds: [period('Y2')] }),
      auditEntries: 0,
      expect: but(only(['padovaManager', 'padovaApprover'], 200, 403), { otherManager: 404, otherApprover: 404 }),
    },
    {
      // 202: the run settles in the background; its audit entries are counted once it is DONE: the run's
      // start, the contract's settlement, the run's finish, all by the manager.
      name: 'settlement run: Padova\'s portfolio for Y2',
      method: 'POST',
      auditEntries: 3,
      url: () => api(`/municipalities/${fx.padova.municipalityId}/settlement-runs`),
      body: () => ({ periodCode: 'Y2' }),
      expect: but(only(['padovaManager'], 202, 403), { otherManager: 404 }),
      readBack: () => api(`/contracts/${contract()}/settlements`),
      settle: async (caller, body) => {
        expect((await waitForRun(t, body.id, users[caller].apiKey)).status).toBe('DONE');
      },
    },
    {
      name: 'settlement run: read Padova\'s',
      method: 'GET',
      prepare: () => padovaRun(),
      url: (id) => api(`/settlement-runs/${id}`),
      expect: only(['platformAdmin', ...MUNICIPAL], 200, 404),
    },
    {
      name: 'settlement run: Padova\'s per-contract results, paged',
      method: 'GET',
      prepare: () => padovaRun(),
      url: (id) => api(`/settlement-runs/${id}/contracts?status=FAILED&limit=10`),
      expect: only(['platformAdmin', ...MUNICIPAL], 200, 404),
    },
    { name: 'settlement runs: list Padova\'s', method: 'GET', url: () => api(`/municipalities/${fx.padova.municipalityId}/settlement-runs`), expect: only(['platformAdmin', ...MUNICIPAL], 200, 404) },
    {
      name: 'settlement: approve a fresh RTI-B draft',
      method: 'POST',
      prepare: () => draftOf('RTI-B'),
      url: (p) => api(`/settlements/${p.split('|')[0]}/approve`),
      body: (_c, p) => ({ documentHash: p.split('|')[1] }),
      expect: but(only(['padovaApprover'], 200, 403), { otherApprover: 404 }),
      readBack: (p) => api(`/settlements/${p.split('|')[0]}`),
    },
    {
      name: 'settlement: reopen RTI-A\'s approved version',
      method: 'POST',
      prepare: () => approvedOf('RTI-A'),
      url: (id) => api(`/settlements/${id}/reopen`),
      body: (caller) => ({ reason: `riaperta da ${caller}` }),
      expect: but(only(['padovaApprover'], 201, 403), { otherApprover: 404 }),
      readBack: () => api(`/contracts/${contract()}/settlements`),
    },
    {
      name: 'evaluation record: create (Y3, RTI-A)',
      method: 'POST',
      url: () => api(`/contracts/${contract()}/periods/${period('Y3')}/evaluation-records`),
      body: (caller) => ({ groupingId: grouping('RTI-A'), payer: 'FOND-PD-01', significant: false, certifiedSavings: '0', method: `registrato da ${caller}` }),
      expect: but(only(['grantedEvaluator'], 201, 403), { evaluator: 404, keyHolder: 404 }),
      readBack: () => api(`/contracts/${contract()}/periods/${period('Y3')}/evaluation-records`),
    },
    { name: 'evaluation records: list (Y3)', method: 'GET', url: () => api(`/contracts/${contract()}/periods/${period('Y3')}/evaluation-records`), expect: READ },
    { name: 'open data: IATI of the project', method: 'GET', url: () => api(`/projects/${fx.padova.projectId}/iati`), expect: READ },
    { name: 'open data: OCDS of the contract', method: 'GET', url: () => api(`/contracts/${contract()}/ocds`), expect: READ },
    { name: 'audit export: by contract', method: 'GET', url: () => api(`/audit/export?format=csv&contractId=${contract()}`), expect: READ },
    {
      name: 'audit export: by municipality',
      method: 'GET',
      url: () => api(`/audit/export?format=csv&municipalityId=${fx.padova.municipalityId}`),
      expect: only(['platformAdmin', ...MUNICIPAL], 200, 404),
    },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const statuses = {} as Expectation;
    const problems: string[] = [];
    for (const caller of CALLERS) {
      const prepared = c.prepare ? await c.prepare(caller) : '';
      const before = await auditCount();
      const snapshot = c.readBack ? (await call('platformAdmin', 'GET', c.readBack(prepared))).text : undefined;
      const res = await call(caller, c.method, c.url(prepared), c.body?.(caller, prepared));
      statuses[caller] = res.status;
      if (res.status < 300) await c.settle?.(caller, res.body);
      if (res.status === 403 && res.body?.code !== 'AUTH_FORBIDDEN') problems.push(`${caller}: 403 with ${res.body?.code}`);
      if (res.status === 404 && !/_NOT_FOUND$/.test(res.body?.code ?? '')) problems.push(`${caller}: 404 with ${res.body?.code}`);
      if (c.method === 'GET') continue;
      const added = (await auditCount()) - before;
      if (res.status < 300) {
        const actors = [...new Set((await lastAudit(added)).map((e) => e.actorId))];
        const expected = c.auditEntries ?? 1;
        if (added !== expected || (expected > 0 && actors.join() !== users[caller].userId)) problems.push(`${caller}: succeeded with ${added} audit entries, by ${actors.join()}`);
      } else {
        if (added !== 0) problems.push(`${caller}: refused with ${res.status} but ${added} audit entries were added`);
        if (snapshot !== undefined && (await call('platformAdmin', 'GET', c.readBack!(prepared))).text !== snapshot) problems.push(`${caller}: refused with ${res.status} but the object changed`);
      }
    }
    expect(statuses).toEqual(c.expect);
    expect(problems).toEqual([]);
  });

  describe('the cases the matrix does not show by itself', () => {
    it('the approver who reopened a settlement may not approve the new draft (403 SETTLEMENT_SELF_APPROVAL), and nothing changes', async () => {
      const [id, documentHash] = (await draftOf('RTI-B')).split('|');
      const row = await t.app.get(DataSource).getRepository(SettlementEntity).findOneByOrFail({ id });
      expect({ state: row.state, reopenedBy: row.reopenedBy }).toEqual({ state: 'DRAFT', reopenedBy: users.deputy.userId });
      const before = await auditCount();
      const res = await call('deputy', 'POST', api(`/settlements/${id}/approve`), { documentHash });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'SETTLEMENT_SELF_APPROVAL' });
      expect(await auditCount()).toBe(before);
      expect((await latest('RTI-B'))).toMatchObject({ id, state: 'DRAFT', documentHash });
    });

    it('an ETS cannot reach the other grouping\'s settlement by id through any endpoint (404 SETTLEMENT_NOT_FOUND), and nothing about it leaks', async () => {
      const probes: [Caller, string][] = [
        ['rtiBMember', `/settlements/${ids.a1}`],
        ['rtiBLead', `/settlements/${ids.a1}/verify`],
        ['rtiBMember', `/settlements/${ids.a1}/report?format=pdf`],
        ['rtiAMember', `/settlements/${ids.b1}`],
        ['rtiAMandante', `/settlements/${ids.b1}/verify`],
        ['rtiALead', `/settlements/${ids.b1}/report?format=xlsx`],
        ['otherEts', `/settlements/${ids.a1}`],
      ];
      const seen = [];
      for (const [caller, path] of probes) {
        const res = await call(caller, 'GET', api(path));
        seen.push({ caller, path, status: res.status, code: res.body?.code, leaks: /28000|22400|RTI-/.test(res.text) });
      }
      expect(seen).toEqual(probes.map(([caller, path]) => ({ caller, path, status: 404, code: 'SETTLEMENT_NOT_FOUND', leaks: false })));
    });

    it('the platform administrator computes (as the system operator) but never approves, reopens, simulates or runs a portfolio (403)', async () => {
      const draft = (await draftOf('RTI-B')).split('|');
      const approved = await approvedOf('RTI-A');
      const before = await auditCount();
      const tries: [string, unknown][] = [
        [`/settlements/${draft[0]}/approve`, { documentHash: draft[1] }],
        [`/settlements/${approved}/reopen`, { reason: 'dalla piattaforma' }],
        [`/contracts/${contract()}/simulations`, { periodIds: [period('Y2')] }],
        [`/municipalities/${fx.padova.municipalityId}/settlement-runs`, { periodCode: 'Y2' }],
        [`/contracts/${contract()}/periods/${period('Y3')}/evaluation-records`, { groupingId: grouping('RTI-A'), payer: 'FOND-PD-01', significant: true, certifiedSavings: '1', method: 'x' }],
      ];
      const seen = [];
      for (const [path, body] of tries) {
        const res = await call('platformAdmin', 'POST', api(path), body);
        seen.push({ path, status: res.status, code: res.body?.code });
      }
      expect(seen).toEqual(tries.map(([path]) => ({ path, status: 403, code: 'AUTH_FORBIDDEN' })));
      expect(await auditCount()).toBe(before);
    });

    it('the other municipality\'s manager and approver find nothing of Padova\'s settlements (404), whatever they try', async () => {
      const draft = (await draftOf('RTI-B')).split('|');
      const approved = await approvedOf('RTI-A');
      const before = await auditCount();
      const tries: [Caller, HttpMethod, string, unknown, string][] = [
        ['otherManager', 'GET', `/contracts/${contract()}/settlements`, undefined, 'SETTLEMENT_NOT_FOUND'],
        ['otherManager', 'GET', `/settlements/${approved}`, undefined, 'SETTLEMENT_NOT_FOUND'],
        ['otherManager', 'POST', `/contracts/${contract()}/periods/${period('Y2')}/settlements`, undefined, 'SETTLEMENT_NOT_FOUND'],
        ['otherManager', 'POST', `/contracts/${contract()}/simulations`, { periodIds: [period('Y2')] }, 'SETTLEMENT_NOT_FOUND'],
        ['otherManager', 'POST', `/municipalities/${fx.padova.municipalityId}/settlement-runs`, { periodCode: 'Y2' }, 'SETTLEMENT_NOT_FOUND'],
        ['otherApprover', 'POST', `/settlements/${draft[0]}/approve`, { documentHash: draft[1] }, 'SETTLEMENT_NOT_FOUND'],
        ['otherApprover', 'POST', `/settlements/${approved}/reopen`, { reason: 'x' }, 'SETTLEMENT_NOT_FOUND'],
        ['otherApprover', 'GET', `/settlements/${approved}/report?format=json`, undefined, 'SETTLEMENT_NOT_FOUND'],
        ['otherApprover', 'GET', `/contracts/${contract()}/ocds`, undefined, 'OPEN_DATA_CONTRACT_NOT_FOUND'],
      ];
      const seen = [];
      for (const [caller, method, path, body] of tries) {
        const res = await call(caller, method, api(path), body);
        seen.push({ caller, path, status: res.status, code: res.body?.code });
      }
      expect(seen).toEqual(tries.map(([caller, , path, , code]) => ({ caller, path, status: 404, code })));
      expect(await auditCount()).toBe(before);
    });
  });
});
