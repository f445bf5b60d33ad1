import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { UserEntity } from 'src/auth/user.entity';
import { AccessFixture, Actor, ACTORS, seedTenants, seedWorkflowUsers, WORKFLOW_EXTRAS, WorkflowExtra } from 'test/support/access-fixtures';
import { padovaIndicatorBodies } from 'test/support/fixtures';
import { createTestApp, HttpMethod, TestApp } from 'test/support/test-app';
import { TestUser } from 'test/support/test-users';

// The access matrix of test/e2e/access-matrix.e2e-spec.ts extended to the modules that landed after it:
// co-definition (proposals, indicator sources, indicator-set versions and their approvals, the set in
// force), measurements (submission, review, corrections, evidence and its removal, period closure), the audit log, users,
// API keys and contract grants. The twelve actors of the first matrix, plus five callers the workflows
// need (the lead of RTI-B, a mandante of RTI-A, an approver and an ETS of the other municipality, a
// Padova user whose keys the others try to manage). Exact status for every caller; lists with exactly
// the ids each caller sees; for writes, one audit entry by the caller on success and none on refusal.

type Caller = Actor | WorkflowExtra;
const CALLERS: readonly Caller[] = [...ACTORS, ...WORKFLOW_EXTRAS];
type Expectation = Record<Caller, number>;

function only(callers: readonly Caller[], status: number, otherwise: number): Expectation {
  return Object.fromEntries(CALLERS.map((a) => [a, callers.includes(a) ? status : otherwise])) as Expectation;
}
/** `base` with some callers answered differently. */
function but(base: Expectation, changes: Partial<Expectation>): Expectation {
  return { ...base, ...changes };
}

const MUNICIPAL: readonly Caller[] = ['padovaAdmin', 'padovaManager', 'padovaApprover', 'padovaAuditor'];
/** Who sees all of Padova's contract data (every proposal, every member's measurements). */
const SEE_ALL: readonly Caller[] = ['platformAdmin', ...MUNICIPAL, 'grantedEvaluator'];
const PADOVA_ETS: readonly Caller[] = ['rtiAMember', 'rtiALead', 'rtiBMember', 'rtiBLead', 'rtiAMandante'];
/** Who may read Padova's contract at all. */
const PADOVA_READERS: readonly Caller[] = [...SEE_ALL, ...PADOVA_ETS];
const READ = only(PADOVA_READERS, 200, 404);
/** Aurora's own objects (a proposal, a measurement): its staff and whoever sees everything. */
const AURORA = ['rtiAMember', 'rtiALead'] as const;
const READ_AURORA = only([...SEE_ALL, ...AURORA], 200, 404);
/** ETS-only writes on an Aurora object: the guard refuses every other role (403), the ETS that cannot see it get 404. */
const ETS_WRITE_AURORA = (status: number) => but(only(AURORA, status, 403), { rtiBMember: 404, rtiBLead: 404, rtiAMandante: 404, outsideEts: 404, otherEts: 404 });

interface Ids {
  indicatorIds: Record<string, string>;
  v1: string;
  pA: string;
  pD: string;
  pE: string;
  pADraft: string;
  mA: string;
  mBorgo: string;
  mD: string;
  mCorr: string;
  mAcc: string;
  mRet: string;
  /** Aurora's Y3 draft the evidence-removal case attaches files to (auroraDraft). */
  mDraft?: string;
  eA: string;
  eD: string;
}

interface Case {
  name: string;
  method: HttpMethod;
  /** Runs (as whoever it needs) before each caller's request; its result goes to url/body. */
  prepare?: (caller: Caller) => Promise<string>;
  url: (prepared: string) => string;
  body?: (caller: Caller, prepared: string) => unknown;
  /** Raw body with its content type (evidence files). */
  raw?: { contentType: string; payload: Buffer; headers?: Record<string, string> };
  expect: Expectation;
  /** Audit entries a success appends, all by the caller (default 1). */
  auditEntries?: number;
  /** For refused writes: read back as the platform admin to show nothing changed. */
  readBack?: (prepared: string) => string;
}

const pdf = Buffer.from('%PDF-1.4\n% protocollo accordo con la parrocchia\n%%EOF\n');

describe('access matrix: co-definition, measurements, audit, users, keys and grants for every role', () => {
  let t: TestApp;
  let fx: AccessFixture;
  let users: Record<Caller, TestUser>;
  const ids = {} as Ids;
  let seq = 0;
  const unique = (prefix: string) => `${prefix}-${++seq}`;

  /** A request as a caller (or the platform admin); JSON bodies, or a raw Buffer with its content type. */
  const call = async (caller: Caller, method: HttpMethod, url: string, body?: unknown, raw?: Case['raw']) => {
    const headers: Record<string, string> = { 'x-api-key': users[caller].apiKey };
    const res = raw
      ? await t.app.inject({ method, url, headers: { ...headers, 'content-type': raw.contentType, ...raw.headers }, payload: raw.payload })
      : await t.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
    let parsed: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
    try {
      parsed = res.body.length > 0 ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, text: res.body, rawPayload: res.rawPayload };
  };
  /** Setup steps: as a caller, must succeed. */
  const ok = async (caller: Caller, method: HttpMethod, url: string, body?: unknown, raw?: Case['raw']) => {
    const res = await call(caller, method, url, body, raw);
    if (res.status >= 300) throw new Error(`setup ${caller} ${method} ${url} answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const auditCount = () => t.app.get(DataSource).getRepository(AuditEntryEntity).count();
  const lastAudit = (n: number) => t.app.get(DataSource).getRepository(AuditEntryEntity).find({ order: { seq: 'DESC' }, take: n });

  const api = (path: string) => `/api/v1${path}`;
  const contract = () => fx.padova.contractId;
  const complete = (label: string) => ({
    answers: { q1: `q1 ${label}`, q2: `q2 ${label}`, q3: `q3 ${label}`, q4: `q4 ${label}` },
    dimensions: [{ label: `dimensione ${label}` }],
    metrics: [{ label: `metrica ${label}` }],
  });
  const proposal = async (caller: Caller, submit: boolean) => {
    const id = (await ok(caller, 'POST', api(`/contracts/${contract()}/proposals`), complete(caller))).id as string;
    if (submit) await ok(caller, 'POST', api(`/proposals/${id}/submit`));
    return id;
  };
  const measurement = async (caller: Caller, indicatorCode: string, period: 'Y1' | 'Y2' | 'Y3', grouping: 'RTI-A' | 'RTI-B', value: string) =>
    (await ok(caller, 'POST', api(`/contracts/${contract()}/measurements`), { indicatorCode, periodId: fx.padova.periodIds[period], groupingId: fx.padova.groupingIds[grouping], value }))
      .id as string;
  const evidence = async (caller: Caller, measurementId: string) =>
    (await ok(caller, 'POST', api(`/measurements/${measurementId}/evidence`), undefined, { contentType: 'application/pdf', payload: pdf, headers: { 'x-filename': 'protocollo.pdf' } })).id as string;
  /** Aurora's IND-05 of Y3, kept as a draft (created on first need; the create case uses IND-01 and IND-02). */
  const auroraDraft = async () => {
    ids.mDraft ??= (
      await ok('rtiAMember', 'POST', api(`/contracts/${contract()}/measurements`), {
        indicatorCode: 'IND-05',
        periodId: fx.padova.periodIds.Y3,
        groupingId: fx.padova.groupingIds['RTI-A'],
        value: '6.5',
        submit: false,
      })
    ).id as string;
    return ids.mDraft;
  };
  const freshVersion = async () => {
    const v = await ok('padovaManager', 'POST', api(`/contracts/${contract()}/indicator-set-versions`), { reason: unique('Revisione'), effectiveFromPeriodId: fx.padova.periodIds.Y3 });
    return `${v.id}|${v.contentHash}`;
  };
  const closed = async (periodId: string) => (await ok('platformAdmin', 'GET', api(`/contract-periods/${periodId}/closure`))).closed as boolean;
  const freshUniversity = async () => (await ok('platformAdmin', 'POST', api('/organisations'), { code: unique('UNI-X'), kind: 'OTHER', name: 'Università di prova (fittizia)' })).id as string;

  beforeAll(async () => {
    t = await createTestApp();
    fx = await seedTenants(t);
    const extras = await seedWorkflowUsers(t, fx);
    users = { ...fx.users, ...extras };

    // The indicators, then version 1 made binding by the Comune and both RTI leads.
    ids.indicatorIds = {};
    for (const [code, body] of Object.entries(padovaIndicatorBodies(fx.padova))) {
      ids.indicatorIds[code] = (await ok('padovaManager', 'POST', api(`/contracts/${contract()}/indicators`), body)).id;
    }
    const v1 = await ok('padovaManager', 'POST', api(`/contracts/${contract()}/indicator-set-versions`), {});
    ids.v1 = v1.id;
    for (const side of ['padovaApprover', 'rtiALead', 'rtiBLead'] as const) {
      await ok(side, 'POST', api(`/indicator-set-versions/${ids.v1}/approvals`), { contentHash: v1.contentHash });
    }
    expect((await ok('platformAdmin', 'GET', api(`/indicator-set-versions/${ids.v1}`))).state).toBe('BINDING');

    // Proposals of Aurora, Delta and the granted university (submitted), and an Aurora draft; IND-02 consolidates the three.
    ids.pA = await proposal('rtiAMember', true);
    ids.pD = await proposal('rtiBMember', true);
    ids.pE = await proposal('grantedEvaluator', true);
    ids.pADraft = await proposal('rtiAMember', false);
    await ok('padovaManager', 'PUT', api(`/indicators/${ids.indicatorIds['IND-02']}/sources`), { proposalIds: [ids.pA, ids.pD, ids.pE] });

    // Measurements of Y2: Aurora's, Borgo Vivo's (RTI-A, led by Aurora), Delta's (RTI-B).
    ids.mA = await measurement('rtiAMember', 'IND-02', 'Y2', 'RTI-A', '11');
    ids.mBorgo = await measurement('rtiAMandante', 'IND-02', 'Y2', 'RTI-A', '5');
    ids.mD = await measurement('rtiBMember', 'IND-02', 'Y2', 'RTI-B', '7');
    ids.mCorr = await measurement('rtiAMember', 'IND-01', 'Y2', 'RTI-A', '9');
    ids.mAcc = await measurement('rtiBMember', 'IND-01', 'Y2', 'RTI-B', '9');
    ids.mRet = await measurement('rtiAMandante', 'IND-01', 'Y2', 'RTI-A', '9');
    ids.eA = await evidence('rtiAMember', ids.mA);
    ids.eD = await evidence('rtiBMember', ids.mD);
  });

  afterAll(async () => {
    await t.close();
  });

  /** Every id of a list, following the pages. */
  const listIds = async (caller: Caller, url: string, key: (item: any) => string = (i) => i.id): Promise<string[] | number> => { // eslint-disable-line @typescript-eslint/no-explicit-any -- list items of any module
    const out: string[] = [];
    for (let offset = 0; ; offset += 200) {
      const res = await call(caller, 'GET', `${url}${url.includes('?') ? '&' : '?'}limit=200&offset=${offset}`);
      if (res.status !== 200) return res.status;
      out.push(...res.body.items.map(key));
      if (res.body.page === undefined || offset + 200 >= res.body.page.total) break;
    }
    return out.sort();
  };
  const expectLists = async (url: string, expected: Record<Caller, string[] | number>, key?: (item: any) => string) => { // eslint-disable-line @typescript-eslint/no-explicit-any -- list items of any module
    const actual = {} as Record<Caller, string[] | number>;
    for (const caller of CALLERS) actual[caller] = await listIds(caller, url, key);
    const sorted = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]));
    expect(actual).toEqual(sorted);
  };
  /** `ids` for the given callers, 404 for whoever cannot read Padova's contract, [] for the remaining readers. */
  const listing = (byCaller: Partial<Record<Caller, string[]>>, readers: readonly Caller[] = PADOVA_READERS): Record<Caller, string[] | number> =>
    Object.fromEntries(CALLERS.map((c) => [c, byCaller[c] ?? (readers.includes(c) ? [] : 404)])) as Record<Caller, string[] | number>;
  const forAll = (callers: readonly Caller[], value: string[]) => Object.fromEntries(callers.map((c) => [c, value])) as Partial<Record<Caller, string[]>>;

  describe('lists show exactly what each caller may see', () => {
    it('proposals: every one to municipal staff and the granted evaluator, only its own organisation\'s to an ETS', async () => {
      const all = [ids.pA, ids.pD, ids.pE, ids.pADraft];
      await expectLists(
        api(`/contracts/${contract()}/proposals`),
        listing({ ...forAll(SEE_ALL, all), rtiAMember: [ids.pA, ids.pADraft], rtiALead: [ids.pA, ids.pADraft], rtiBMember: [ids.pD], rtiBLead: [ids.pD], rtiAMandante: [] }),
      );
    });

    it('indicator sources: the consolidated proposals filtered like the proposals themselves', async () => {
      const seen = {} as Record<Caller, string[] | number>;
      for (const caller of CALLERS) {
        const res = await call(caller, 'GET', api(`/indicators/${ids.indicatorIds['IND-02']}/sources`));
        seen[caller] = res.status === 200 ? res.body.sources.map((s: { proposalId: string }) => s.proposalId) : res.status;
        if (res.status === 404) expect(res.body.code).toBe('CO_DEFINITION_INDICATOR_NOT_FOUND');
      }
      expect(seen).toEqual(
        listing({ ...forAll(SEE_ALL, [ids.pA, ids.pD, ids.pE]), rtiAMember: [ids.pA], rtiALead: [ids.pA], rtiBMember: [ids.pD], rtiBLead: [ids.pD], rtiAMandante: [] }),
      );
    });

    it('indicator-set versions: version 1 to every reader of the contract', async () => {
      await expectLists(api(`/contracts/${contract()}/indicator-set-versions`), listing(forAll(PADOVA_READERS, [ids.v1])));
    });

    it('measurements: all to municipal staff and the granted evaluator; an ETS its own, a lead its groupings\'', async () => {
      const all = [ids.mA, ids.mBorgo, ids.mD, ids.mCorr, ids.mAcc, ids.mRet];
      await expectLists(
        api(`/contracts/${contract()}/measurements`),
        listing({
          ...forAll(SEE_ALL, all),
          rtiAMember: [ids.mA, ids.mCorr],
          rtiALead: [ids.mA, ids.mBorgo, ids.mCorr, ids.mRet],
          rtiBMember: [ids.mD, ids.mAcc],
          rtiBLead: [ids.mD, ids.mAcc],
          rtiAMandante: [ids.mBorgo, ids.mRet],
        }),
      );
    });

    it('evidence of Aurora\'s measurement: to those who may read the measurement', async () => {
      const seen = {} as Record<Caller, string[] | number>;
      for (const caller of CALLERS) {
        const res = await call(caller, 'GET', api(`/measurements/${ids.mA}/evidence`));
        seen[caller] = res.status === 200 ? res.body.items.map((e: { id: string }) => e.id) : res.status;
      }
      expect(seen).toEqual(listing(forAll([...SEE_ALL, ...AURORA], [ids.eA]), [...SEE_ALL, ...AURORA]));
    });

    it('contract grants: the one grant (the university of Padova) to every reader of the contract', async () => {
      await expectLists(api(`/contracts/${contract()}/grants`), listing(forAll(PADOVA_READERS, [fx.grantedUniversityId])), (g) => g.organisationId);
    });

    it('users: every user to the platform, its own organisation\'s to a municipality\'s admin, nobody else (403)', async () => {
      const rows = await t.app.get(DataSource).getRepository(UserEntity).find();
      const padovaUsers = ['padovaAdmin', 'padovaManager', 'padovaApprover', 'padovaAuditor', 'keyHolder'].map((c) => users[c as Caller].userId);
      expect(rows.filter((u) => u.organisationId === fx.padova.municipalityId).map((u) => u.id).sort()).toEqual([...padovaUsers].sort());
      await expectLists(api('/users'), { ...only(CALLERS, 403, 403), platformAdmin: rows.map((u) => u.id), padovaAdmin: padovaUsers });
    });

    it('API keys of a Padova user: to itself, its organisation\'s admin and the platform; 404 for everyone else', async () => {
      const keys = (await ok('platformAdmin', 'GET', api(`/users/${users.keyHolder.userId}/api-keys`))).items.map((k: { id: string }) => k.id);
      expect(keys).toHaveLength(1);
      await expectLists(api(`/users/${users.keyHolder.userId}/api-keys`), { ...only(CALLERS, 404, 404), platformAdmin: keys, padovaAdmin: keys, keyHolder: keys });
    });

    describe('audit', () => {
      // The entries of known objects each caller finds: municipal staff and the granted evaluator all of
      // Padova's; an ETS those of its own organisation's objects and the contract-wide ones (v1), never
      // what another ETS did (not even a mandante, for its grouping's lead) nor anything about an object it
      // may not read (the university's proposal pE, though a non-ETS wrote it); outsiders none.
      const probes = (): Record<Caller, string[]> => {
        const all = [ids.mA, ids.mBorgo, ids.mD, ids.pA, ids.pD, ids.pE, ids.v1, ids.eA, ids.eD];
        const aurora = [ids.mA, ids.pA, ids.v1, ids.eA];
        const delta = [ids.mD, ids.pD, ids.v1, ids.eD];
        return {
          ...(forAll(CALLERS, []) as Record<Caller, string[]>),
          ...forAll(SEE_ALL, all),
          rtiAMember: aurora,
          rtiALead: aurora,
          rtiBMember: delta,
          rtiBLead: delta,
          rtiAMandante: [ids.mBorgo, ids.v1],
        };
      };
      const probeIds = (objectIds: string[]) => {
        const wanted = new Set([ids.mA, ids.mBorgo, ids.mD, ids.pA, ids.pD, ids.pE, ids.v1, ids.eA, ids.eD]);
        return [...new Set(objectIds.filter((id) => wanted.has(id)))].sort();
      };

      it('without contractId: every caller gets a page, filtered to what it may see', async () => {
        const seen = {} as Record<Caller, string[] | number>;
        for (const caller of CALLERS) {
          const found = await listIds(caller, api('/audit'), (e) => e.object.id);
          seen[caller] = typeof found === 'number' ? found : probeIds(found);
        }
        expect(seen).toEqual(Object.fromEntries(Object.entries(probes()).map(([k, v]) => [k, [...v].sort()])));
      });

      it('with Padova\'s contractId: the same entries, and 404 AUDIT_CONTRACT_NOT_FOUND for who cannot read the contract', async () => {
        const seen = {} as Record<Caller, string[] | number>;
        for (const caller of CALLERS) {
          const found = await listIds(caller, api(`/audit?contractId=${contract()}`), (e) => e.object.id);
          seen[caller] = typeof found === 'number' ? found : probeIds(found);
        }
        const expected = Object.fromEntries(CALLERS.map((c) => [c, PADOVA_READERS.includes(c) ? [...probes()[c]].sort() : 404]));
        expect(seen).toEqual(expected);
        const refused = await call('otherManager', 'GET', api(`/audit?contractId=${contract()}`));
        expect(refused.body).toMatchObject({ code: 'AUDIT_CONTRACT_NOT_FOUND' });
      });

      it('an entry\'s content never names another ETS\'s objects: Delta finds nothing under Aurora\'s measurement id', async () => {
        for (const caller of ['rtiBMember', 'rtiBLead', 'rtiAMandante', 'otherEts', 'outsideEts'] as const) {
          const res = await call(caller, 'GET', api(`/audit?objectId=${ids.mA}`));
          expect({ caller, status: res.status, items: res.body.items }).toEqual({ caller, status: 200, items: [] });
        }
        expect((await call('rtiAMember', 'GET', api(`/audit?objectId=${ids.mA}`))).body.items.map((e: { action: string }) => e.action)).toEqual(['submit']);
      });
    });
  });

  describe('reads of single objects', () => {
    it('the version in force for Y2 is version 1, for every reader of the contract', async () => {
      const seen = {} as Record<Caller, string | number>;
      for (const caller of CALLERS) {
        const res = await call(caller, 'GET', api(`/contracts/${contract()}/periods/${fx.padova.periodIds.Y2}/indicator-set`));
        seen[caller] = res.status === 200 ? res.body.versionId : res.status;
      }
      expect(seen).toEqual(Object.fromEntries(CALLERS.map((c) => [c, PADOVA_READERS.includes(c) ? ids.v1 : 404])));
    });

    it('evidence downloads return the file bytes to the measurement\'s readers and 404 MEASUREMENT_EVIDENCE_NOT_FOUND to the rest', async () => {
      const seen = {} as Record<Caller, number>;
      for (const caller of CALLERS) {
        const res = await call(caller, 'GET', api(`/evidence/${ids.eA}`));
        seen[caller] = res.status;
        if (res.status === 200) expect(res.rawPayload.equals(pdf)).toBe(true);
        else expect(res.body.code).toBe('MEASUREMENT_EVIDENCE_NOT_FOUND');
      }
      expect(seen).toEqual(only([...SEE_ALL, ...AURORA], 200, 404));
    });
  });

  const CASES: Case[] = [
    // Proposals.
    {
      name: 'proposal: create',
      method: 'POST',
      url: () => api(`/contracts/${contract()}/proposals`),
      body: (caller) => complete(caller),
      expect: but(only([...PADOVA_ETS, 'grantedEvaluator'], 201, 403), { outsideEts: 404, otherEts: 404, evaluator: 404, keyHolder: 404 }),
    },
    { name: 'proposal: read another organisation\'s (Aurora\'s)', method: 'GET', url: () => api(`/proposals/${ids.pA}`), expect: READ_AURORA },
    {
      name: 'proposal: update Aurora\'s draft',
      method: 'PATCH',
      url: () => api(`/proposals/${ids.pADraft}`),
      body: (caller) => ({ answers: { q1: `riscritta da ${caller}` } }),
      expect: but(ETS_WRITE_AURORA(200), { grantedEvaluator: 403, evaluator: 404, keyHolder: 404 }),
      readBack: () => api(`/proposals/${ids.pADraft}`),
    },
    {
      name: 'proposal: submit a fresh Aurora draft',
      method: 'POST',
      prepare: () => proposal('rtiAMember', false),
      url: (id) => api(`/proposals/${id}/submit`),
      expect: but(ETS_WRITE_AURORA(200), { grantedEvaluator: 403, evaluator: 404, keyHolder: 404 }),
      readBack: (id) => api(`/proposals/${id}`),
    },
    {
      name: 'indicator sources: replace',
      method: 'PUT',
      url: () => api(`/indicators/${ids.indicatorIds['IND-02']}/sources`),
      body: () => ({ proposalIds: [ids.pA, ids.pD, ids.pE] }),
      expect: but(only(['platformAdmin', 'padovaManager'], 200, 403), { otherManager: 404 }),
      readBack: () => api(`/indicators/${ids.indicatorIds['IND-02']}/sources`),
    },

    // Indicator-set versions.
    {
      // With a draft open, so a success records the draft's supersession and the new version: two entries.
      name: 'indicator-set version: create (superseding an open draft)',
      method: 'POST',
      prepare: freshVersion,
      auditEntries: 2,
      url: () => api(`/contracts/${contract()}/indicator-set-versions`),
      body: (caller) => ({ reason: `Revisione di ${caller}`, effectiveFromPeriodId: fx.padova.periodIds.Y3 }),
      expect: but(only(['platformAdmin', 'padovaManager'], 201, 403), { otherManager: 404 }),
    },
    { name: 'indicator-set version: read', method: 'GET', url: () => api(`/indicator-set-versions/${ids.v1}`), expect: READ },
    {
      name: 'indicator-set version: approve a fresh draft (the Comune\'s approver, each RTI\'s lead)',
      method: 'POST',
      prepare: freshVersion,
      url: (p) => api(`/indicator-set-versions/${p.split('|')[0]}/approvals`),
      body: (_c, p) => ({ contentHash: p.split('|')[1] }),
      expect: but(only(['padovaApprover', 'rtiALead', 'rtiBLead'], 201, 403), { otherApprover: 404 }),
      readBack: (p) => api(`/indicator-set-versions/${p.split('|')[0]}`),
    },

    // Measurements.
    {
      name: 'measurement: create (Y3)',
      method: 'POST',
      url: () => api(`/contracts/${contract()}/measurements`),
      body: (caller) => {
        const subject: Partial<Record<Caller, [string, 'RTI-A' | 'RTI-B']>> = {
          rtiAMember: ['IND-02', 'RTI-A'],
          rtiALead: ['IND-01', 'RTI-A'],
          rtiAMandante: ['IND-02', 'RTI-A'],
          rtiBMember: ['IND-02', 'RTI-B'],
          rtiBLead: ['IND-01', 'RTI-B'],
        };
        const [indicatorCode, grouping] = subject[caller] ?? ['IND-02', 'RTI-A'];
        return { indicatorCode, periodId: fx.padova.periodIds.Y3, groupingId: fx.padova.groupingIds[grouping], value: '3' };
      },
      expect: but(only(PADOVA_ETS, 201, 403), { outsideEts: 404, otherEts: 404 }),
    },
    { name: 'measurement: read Aurora\'s', method: 'GET', url: () => api(`/measurements/${ids.mA}`), expect: READ_AURORA },
    { name: 'measurement: versions of Aurora\'s', method: 'GET', url: () => api(`/measurements/${ids.mA}/versions`), expect: READ_AURORA },
    {
      name: 'measurement: correct Aurora\'s (a new version)',
      method: 'POST',
      url: () => api(`/measurements/${ids.mCorr}/versions`),
      body: (caller) => ({ value: '10', reason: `corretta da ${caller}` }),
      expect: ETS_WRITE_AURORA(201),
      readBack: () => api(`/measurements/${ids.mCorr}/versions`),
    },
    {
      // A fresh file on Aurora's Y3 draft for each caller: removal is for the submitting organisation's staff.
      name: 'evidence: remove a file attached by mistake to Aurora\'s draft',
      method: 'DELETE',
      prepare: async () => evidence('rtiAMember', await auroraDraft()),
      url: (id) => api(`/evidence/${id}`),
      expect: ETS_WRITE_AURORA(204),
      readBack: () => api(`/measurements/${ids.mDraft}/evidence`),
    },
    {
      name: 'measurement: accept Delta\'s',
      method: 'POST',
      url: () => api(`/measurements/${ids.mAcc}/accept`),
      body: () => ({}),
      expect: but(only(['padovaManager'], 200, 403), { otherManager: 404 }),
      readBack: () => api(`/measurements/${ids.mAcc}`),
    },
    {
      name: 'measurement: return Borgo Vivo\'s',
      method: 'POST',
      url: () => api(`/measurements/${ids.mRet}/return`),
      body: () => ({ reason: 'Manca il registro' }),
      expect: but(only(['padovaManager'], 200, 403), { otherManager: 404 }),
      readBack: () => api(`/measurements/${ids.mRet}`),
    },
    {
      name: 'evidence: upload to Aurora\'s measurement',
      method: 'POST',
      url: () => api(`/measurements/${ids.mA}/evidence`),
      raw: { contentType: 'application/pdf', payload: pdf, headers: { 'x-filename': 'verbale.pdf' } },
      expect: ETS_WRITE_AURORA(201),
      readBack: () => api(`/measurements/${ids.mA}/evidence`),
    },

    // Period closure (Y1).
    { name: 'period closure: read', method: 'GET', url: () => api(`/contract-periods/${fx.padova.periodIds.Y1}/closure`), expect: READ },
    {
      name: 'period closure: close',
      method: 'POST',
      prepare: async () => {
        if (await closed(fx.padova.periodIds.Y1)) await ok('padovaApprover', 'POST', api(`/contract-periods/${fx.padova.periodIds.Y1}/reopen`), { reason: 'di nuovo aperto' });
        return fx.padova.periodIds.Y1;
      },
      url: (id) => api(`/contract-periods/${id}/close`),
      expect: but(only(['padovaManager', 'padovaApprover'], 200, 403), { otherManager: 404, otherApprover: 404 }),
      readBack: (id) => api(`/contract-periods/${id}/closure`),
    },
    {
      name: 'period closure: reopen',
      method: 'POST',
      prepare: async () => {
        if (!(await closed(fx.padova.periodIds.Y1))) await ok('padovaManager', 'POST', api(`/contract-periods/${fx.padova.periodIds.Y1}/close`));
        return fx.padova.periodIds.Y1;
      },
      url: (id) => api(`/contract-periods/${id}/reopen`),
      body: (caller) => ({ reason: `riaperto da ${caller}` }),
      expect: but(only(['padovaApprover'], 200, 403), { otherApprover: 404 }),
      readBack: (id) => api(`/contract-periods/${id}/closure`),
    },

    // Audit.
    { name: 'audit: verify the chain', method: 'GET', url: () => api('/audit/verify'), expect: only(['platformAdmin', 'padovaAuditor'], 200, 403) },

    // Users and API keys.
    { name: 'user: read a Padova user', method: 'GET', url: () => api(`/users/${users.padovaManager.userId}`), expect: only(['platformAdmin', 'padovaAdmin'], 200, 403) },
    {
      name: 'user: create in Padova',
      method: 'POST',
      url: () => api('/users'),
      body: (caller) => ({ name: `Nuovo revisore (${caller})`, organisationId: fx.padova.municipalityId, roles: ['auditor'] }),
      expect: only(['platformAdmin', 'padovaAdmin'], 201, 403),
    },
    {
      name: 'API key: create for another user',
      method: 'POST',
      url: () => api(`/users/${users.keyHolder.userId}/api-keys`),
      body: (caller) => ({ name: `chiave di ${caller}` }),
      expect: only(['platformAdmin', 'padovaAdmin', 'keyHolder'], 201, 404),
    },
    {
      name: 'API key: revoke another user\'s',
      method: 'DELETE',
      prepare: async () => (await ok('platformAdmin', 'POST', api(`/users/${users.keyHolder.userId}/api-keys`), { name: unique('da revocare') })).id,
      url: (id) => api(`/api-keys/${id}`),
      expect: only(['platformAdmin', 'padovaAdmin', 'keyHolder'], 200, 404),
      readBack: () => api(`/users/${users.keyHolder.userId}/api-keys?limit=200`),
    },

    // Contract grants.
    {
      name: 'grant: create',
      method: 'POST',
      prepare: freshUniversity,
      url: () => api(`/contracts/${contract()}/grants`),
      body: (_c, organisationId) => ({ organisationId }),
      expect: but(only(['platformAdmin', 'padovaManager'], 201, 403), { otherManager: 404 }),
    },
    {
      name: 'grant: delete',
      method: 'DELETE',
      prepare: async () => (await ok('platformAdmin', 'POST', api(`/contracts/${contract()}/grants`), { organisationId: await freshUniversity() })).id,
      url: (id) => api(`/contract-grants/${id}`),
      expect: but(only(['platformAdmin', 'padovaManager'], 204, 403), { otherManager: 404 }),
      readBack: () => api(`/contracts/${contract()}/grants?limit=200`),
    },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const statuses = {} as Expectation;
    const problems: string[] = [];
    for (const caller of CALLERS) {
      const prepared = c.prepare ? await c.prepare(caller) : '';
      const before = await auditCount();
      const snapshot = c.readBack ? (await call('platformAdmin', 'GET', c.readBack(prepared))).text : undefined;
      const res = await call(caller, c.method, c.url(prepared), c.body?.(caller, prepared), c.raw);
      statuses[caller] = res.status;
      if (res.status === 403 && res.body?.code !== 'AUTH_FORBIDDEN') problems.push(`${caller}: 403 with ${res.body?.code}`);
      if (res.status === 404 && !/_NOT_FOUND$/.test(res.body?.code ?? '')) problems.push(`${caller}: 404 with ${res.body?.code}`);
      if (c.method === 'GET') continue;
      const added = (await auditCount()) - before;
      if (res.status < 300) {
        const actors = [...new Set((await lastAudit(added)).map((e) => e.actorId))];
        if (added !== (c.auditEntries ?? 1) || actors.join() !== users[caller].userId) problems.push(`${caller}: succeeded with ${added} audit entries, by ${actors.join()}`);
      } else {
        if (added !== 0) problems.push(`${caller}: refused with ${res.status} but ${added} audit entries were added`);
        if (snapshot !== undefined && (await call('platformAdmin', 'GET', c.readBack!(prepared))).text !== snapshot) problems.push(`${caller}: refused with ${res.status} but the object changed`);
      }
    }
    expect(statuses).toEqual(c.expect);
    expect(problems).toEqual([]);
  });

  describe('the cases the matrix does not show by itself', () => {
    it('a grouping lead reads its mandante\'s measurement but may not correct it or add evidence (403)', async () => {
      expect((await call('rtiALead', 'GET', api(`/measurements/${ids.mBorgo}`))).status).toBe(200);
      const before = await auditCount();
      const correct = await call('rtiALead', 'POST', api(`/measurements/${ids.mBorgo}/versions`), { value: '6', reason: 'dal capofila' });
      expect({ status: correct.status, code: correct.body.code }).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
      const upload = await call('rtiALead', 'POST', api(`/measurements/${ids.mBorgo}/evidence`), undefined, { contentType: 'application/pdf', payload: pdf });
      expect({ status: upload.status, code: upload.body.code }).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
      expect(await auditCount()).toBe(before);
      expect((await call('platformAdmin', 'GET', api(`/measurements/${ids.mBorgo}`))).body).toMatchObject({ version: 1, value: '5' });
    });

    it('an ETS cannot read another ETS\'s measurement, evidence or proposal of the same contract, even by id (404)', async () => {
      const probes: [Caller, string, string][] = [
        ['rtiBMember', `/measurements/${ids.mA}`, 'MEASUREMENT_NOT_FOUND'],
        ['rtiBMember', `/measurements/${ids.mA}/versions`, 'MEASUREMENT_NOT_FOUND'],
        ['rtiBMember', `/measurements/${ids.mA}/evidence`, 'MEASUREMENT_NOT_FOUND'],
        ['rtiBMember', `/evidence/${ids.eA}`, 'MEASUREMENT_EVIDENCE_NOT_FOUND'],
        ['rtiBMember', `/proposals/${ids.pA}`, 'CO_DEFINITION_PROPOSAL_NOT_FOUND'],
        ['rtiAMember', `/measurements/${ids.mD}`, 'MEASUREMENT_NOT_FOUND'],
        ['rtiAMember', `/evidence/${ids.eD}`, 'MEASUREMENT_EVIDENCE_NOT_FOUND'],
        ['rtiAMember', `/proposals/${ids.pD}`, 'CO_DEFINITION_PROPOSAL_NOT_FOUND'],
        ['rtiAMember', `/measurements/${ids.mBorgo}`, 'MEASUREMENT_NOT_FOUND'],
        ['rtiAMandante', `/measurements/${ids.mA}`, 'MEASUREMENT_NOT_FOUND'],
        ['rtiAMandante', `/proposals/${ids.pA}`, 'CO_DEFINITION_PROPOSAL_NOT_FOUND'],
        ['otherEts', `/measurements/${ids.mA}`, 'MEASUREMENT_NOT_FOUND'],
        ['otherEts', `/proposals/${ids.pA}`, 'CO_DEFINITION_PROPOSAL_NOT_FOUND'],
      ];
      const seen = [];
      for (const [caller, path, code] of probes) {
        const res = await call(caller, 'GET', api(path));
        seen.push({ caller, path, status: res.status, code: res.body.code, leaks: res.text.includes(fx.padova.etsIds.AURORA) && caller !== 'rtiAMember' });
        expect(code).toMatch(/_NOT_FOUND$/);
      }
      expect(seen).toEqual(probes.map(([caller, path, code]) => ({ caller, path, status: 404, code, leaks: false })));
    });

    it('the other municipality\'s staff cannot read, approve, close or reopen anything of Padova\'s (404)', async () => {
      const version = (await freshVersion()).split('|');
      const tries: [Caller, HttpMethod, string, unknown, string][] = [
        ['otherManager', 'GET', `/indicator-set-versions/${ids.v1}`, undefined, 'CO_DEFINITION_VERSION_NOT_FOUND'],
        ['otherManager', 'GET', `/measurements/${ids.mA}`, undefined, 'MEASUREMENT_NOT_FOUND'],
        ['otherManager', 'GET', `/contracts/${contract()}/measurements`, undefined, 'CONTRACT_NOT_FOUND'],
        ['otherManager', 'GET', `/contract-periods/${fx.padova.periodIds.Y2}/closure`, undefined, 'PERIOD_NOT_FOUND'],
        ['otherManager', 'POST', `/contract-periods/${fx.padova.periodIds.Y2}/close`, undefined, 'PERIOD_NOT_FOUND'],
        ['otherManager', 'POST', `/measurements/${ids.mD}/accept`, {}, 'MEASUREMENT_NOT_FOUND'],
        ['otherManager', 'POST', `/contracts/${contract()}/indicator-set-versions`, { reason: 'x', effectiveFromPeriodId: fx.padova.periodIds.Y3 }, 'CO_DEFINITION_CONTRACT_NOT_FOUND'],
        ['otherApprover', 'POST', `/indicator-set-versions/${version[0]}/approvals`, { contentHash: version[1] }, 'CO_DEFINITION_VERSION_NOT_FOUND'],
        ['otherApprover', 'POST', `/contract-periods/${fx.padova.periodIds.Y2}/close`, undefined, 'PERIOD_NOT_FOUND'],
        ['otherApprover', 'POST', `/contract-periods/${fx.padova.periodIds.Y2}/reopen`, { reason: 'x' }, 'PERIOD_NOT_FOUND'],
      ];
      const afterVersion = await auditCount();
      const seen = [];
      for (const [caller, method, path, body] of tries) {
        const res = await call(caller, method, api(path), body);
        seen.push({ caller, path, status: res.status, code: res.body.code });
      }
      expect(seen).toEqual(tries.map(([caller, , path, , code]) => ({ caller, path, status: 404, code })));
      expect(await auditCount()).toBe(afterVersion);
      expect(await closed(fx.padova.periodIds.Y2)).toBe(false);
      // A contract manager may never approve a set nor reopen a period: the guard answers 403 before any lookup, for any id.
      expect((await call('otherManager', 'POST', api(`/indicator-set-versions/${version[0]}/approvals`), { contentHash: version[1] })).status).toBe(403);
      expect((await call('otherManager', 'POST', api(`/indicator-set-versions/${ids.pA}/approvals`), { contentHash: version[1] })).status).toBe(403);
    });

    it('an evaluator: without a grant sees nothing of Padova (404); with one it reads and proposes but never approves or reviews (403)', async () => {
      for (const path of [`/contracts/${contract()}/proposals`, `/proposals/${ids.pA}`, `/measurements/${ids.mA}`, `/indicator-set-versions/${ids.v1}`, `/contract-periods/${fx.padova.periodIds.Y2}/closure`]) {
        expect({ path, status: (await call('evaluator', 'GET', api(path))).status }).toEqual({ path, status: 404 });
        expect({ path, status: (await call('grantedEvaluator', 'GET', api(path))).status }).toEqual({ path, status: 200 });
      }
      const version = (await freshVersion()).split('|');
      const before = await auditCount();
      const refusals = [
        await call('grantedEvaluator', 'POST', api(`/indicator-set-versions/${version[0]}/approvals`), { contentHash: version[1] }),
        await call('grantedEvaluator', 'POST', api(`/measurements/${ids.mD}/accept`), {}),
        await call('grantedEvaluator', 'POST', api(`/measurements/${ids.mD}/return`), { reason: 'x' }),
        await call('grantedEvaluator', 'POST', api(`/measurements/${ids.mD}/versions`), { value: '8', reason: 'x' }),
        await call('grantedEvaluator', 'POST', api(`/contract-periods/${fx.padova.periodIds.Y2}/close`)),
        await call('grantedEvaluator', 'PATCH', api(`/proposals/${ids.pADraft}`), { answers: { q1: 'x' } }),
      ];
      expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(6).fill([403, 'AUTH_FORBIDDEN']));
      expect(await auditCount()).toBe(before);
    });

    it('the municipal auditor reads every workflow object of its municipality and writes none (403)', async () => {
      for (const path of [
        `/contracts/${contract()}/proposals`,
        `/proposals/${ids.pD}`,
        `/measurements/${ids.mBorgo}`,
        `/measurements/${ids.mD}/versions`,
        `/evidence/${ids.eD}`,
        `/indicator-set-versions/${ids.v1}`,
        `/contract-periods/${fx.padova.periodIds.Y2}/closure`,
        `/contracts/${contract()}/grants`,
        `/audit?contractId=${contract()}`,
      ]) {
        expect({ path, status: (await call('padovaAuditor', 'GET', api(path))).status }).toEqual({ path, status: 200 });
      }
      const version = (await freshVersion()).split('|');
      const before = await auditCount();
      const writes: [HttpMethod, string, unknown][] = [
        ['POST', `/contracts/${contract()}/proposals`, complete('auditor')],
        ['POST', `/indicator-set-versions/${version[0]}/approvals`, { contentHash: version[1] }],
        ['POST', `/contracts/${contract()}/indicator-set-versions`, { reason: 'x', effectiveFromPeriodId: fx.padova.periodIds.Y3 }],
        ['POST', `/measurements/${ids.mD}/accept`, {}],
        ['POST', `/contract-periods/${fx.padova.periodIds.Y2}/close`, undefined],
        ['POST', `/contracts/${contract()}/grants`, { organisationId: fx.universityId }],
        ['POST', '/users', { name: 'x', organisationId: fx.padova.municipalityId, roles: ['auditor'] }],
        ['POST', `/users/${users.keyHolder.userId}/api-keys`, { name: 'x' }],
      ];
      const seen = [];
      for (const [method, path, body] of writes) {
        const res = await call('padovaAuditor', method, api(path), body);
        seen.push({ path, status: res.status });
      }
      // Another user's keys are out of its reach altogether (404), like for everyone who does not administer them.
      expect(seen).toEqual(writes.map(([, path]) => ({ path, status: path.endsWith('/api-keys') ? 404 : 403 })));
      expect(await auditCount()).toBe(before);
    });

    it('a municipality\'s admin manages only its own users: another municipality\'s user is 404, creating there 403', async () => {
      const read = await call('padovaAdmin', 'GET', api(`/users/${users.otherManager.userId}`));
      expect({ status: read.status, code: read.body.code }).toEqual({ status: 404, code: 'USER_NOT_FOUND' });
      const before = await auditCount();
      const create = await call('padovaAdmin', 'POST', api('/users'), { name: 'Intruso', organisationId: fx.other.municipalityId, roles: ['auditor'] });
      expect({ status: create.status, code: create.body.code }).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
      const keys = await call('padovaAdmin', 'GET', api(`/users/${users.otherManager.userId}/api-keys`));
      expect(keys.status).toBe(404);
      expect(await auditCount()).toBe(before);
    });
  });
});
