import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditEvent, AuditService } from 'src/audit/audit.service';
import { auditObjectReach } from 'src/audit/audit.objects';
import { Principal } from 'src/auth/principal';
import { Role } from 'src/auth/roles';
import { Database } from 'src/database/database';
import { OrganisationKind } from 'src/organisations/organisation.entity';
import { EvaluationRecordEntity } from 'src/settlements/settlement.entity';
import { acceptMeasurements, ExampleContract, importExample } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// ETS staff see their own results only, also in the audit log (docs/decisions/0008-access-model.md): on the
// Padova contract as the demo has it (RTI-A: Aurora, Borgo Vivo, Ciclamino; RTI-B: Delta, Edera), an ETS
// does not find in GET /audit (nor in the export) the municipality's review of another organisation's
// measurement, another grouping's settlement being computed or approved, comments on another organisation's
// proposal: entries that would name ids the same user gets 404 for. It still sees its own objects' entries
// and the contract-wide ones; municipal staff see everything.
//
// Most entries come from the API. The few kinds no request can produce (the manager acting on an
// organisation's evidence, on an evaluation record of a contract without evaluation payers, on an object
// since deleted) are written straight through AuditService.record, as audit.e2e-spec.ts does.

interface Entry {
  seq: number;
  action: string;
  object: { type: string; id: string };
  actor: { id: string; organisationId: string | null };
}

describe('audit log: ETS staff see the entries of their own results only (Padova, RTI-A vs RTI-B)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  const u = {} as Record<'auroraMember' | 'auroraLead' | 'deltaMember' | 'deltaLead' | 'ederaMember' | 'manager' | 'approver' | 'auditor', TestUser & { organisationId: string }>;
  const ids = {
    aAccepted: '', // RTI-A: Aurora's IND-01 of Y1, accepted by the manager
    aReturned: '', // RTI-A: Aurora's IND-01 of Y2, returned by the manager
    dReturned: '', // RTI-B: Delta's IND-01 of Y1, returned
    eAccepted: '', // RTI-B: Edera's (a mandante of Delta's grouping) IND-02 of Y1, accepted
    aEvidence: '',
    dEvidence: '',
    eEvidence: '',
    aSettlement: '',
    bSettlement: '',
    aEvaluation: '',
    bEvaluation: '',
    aProposal: '',
    dProposal: '',
    aProposalComment: '',
    dProposalComment: '',
    versionComment: '',
    deletedByManager: '',
    deletedByDelta: '',
  };
  const etsIds = new Set<string>();

  const request = (method: 'GET' | 'POST', url: string, who: TestUser, body?: unknown) => t.request(method, `/api/v1${url}`, body, { as: who.apiKey });
  const ok = async (method: 'GET' | 'POST', url: string, who: TestUser, body?: unknown) => {
    const res = await request(method, url, who, body);
    if (res.status >= 300) throw new Error(`setup ${method} ${url} answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const pdf = Buffer.from('%PDF-1.4\n% verbale\n%%EOF\n');
  const evidence = async (who: TestUser, measurementId: string): Promise<string> => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/measurements/${measurementId}/evidence`,
      headers: { 'x-api-key': who.apiKey, 'content-type': 'application/pdf', 'x-filename': 'verbale.pdf' },
      payload: pdf,
    });
    if (res.statusCode !== 201) throw new Error(`evidence refused: ${res.statusCode} ${res.body}`);
    return (JSON.parse(res.body) as { id: string }).id;
  };
  const measurement = async (who: TestUser, indicatorCode: string, period: string, grouping: string, value: string): Promise<string> =>
    (await ok('POST', `/contracts/${fx.contractId}/measurements`, who, { indicatorCode, periodId: fx.periodIds[period], groupingId: fx.groupingIds[grouping], value })).id;
  const principal = (who: TestUser & { organisationId: string }, label: string, roles: Role[], kind: OrganisationKind): Principal => ({
    userId: who.userId,
    label,
    organisationId: who.organisationId,
    organisationKind: kind,
    roles: new Set(roles),
    via: 'test',
  });
  const record = (actor: Principal, event: Omit<AuditEvent, 'contractId' | 'municipalityId'>) =>
    t.app.get(Database).transaction((m) => t.app.get(AuditService).record(m, actor, { ...event, contractId: fx.contractId, municipalityId: fx.municipalityId }));

  /** Every entry of the contract the caller finds in GET /audit (one page: the log is short). */
  const seen = async (who: TestUser, query = ''): Promise<Entry[]> => {
    const res = await request('GET', `/audit?contractId=${fx.contractId}&limit=200${query}`, who);
    expect(res.status).toBe(200);
    expect(res.body.page.total).toBeLessThan(200);
    return res.body.items as Entry[];
  };
  const objectIds = (entries: Entry[]) => [...new Set(entries.map((e) => e.object.id))];
  const actions = (entries: Entry[], objectId: string) => entries.filter((e) => e.object.id === objectId).map((e) => e.action);

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    const ds = t.app.get(DataSource);
    const now = t.clock.nowIso();
    const user = async (name: string, roles: Role[], code: string) => {
      const organisationId = fx.orgIds[code] ?? fx.municipalityId;
      return { ...(await insertTestUser(ds, { name, roles, organisationId }, now)), organisationId };
    };
    u.auroraMember = await user('Paolo Russo (Aurora, RTI-A)', ['ets_member'], 'ETS-AURORA');
    u.auroraLead = { ...fx.leads['RTI-A'], organisationId: fx.orgIds['ETS-AURORA'] };
    u.deltaMember = await user('Marta Greco (Delta, RTI-B)', ['ets_member'], 'ETS-DELTA');
    u.deltaLead = { ...fx.leads['RTI-B'], organisationId: fx.orgIds['ETS-DELTA'] };
    u.ederaMember = await user('Operatrice Edera (RTI-B)', ['ets_member'], 'ETS-EDERA');
    u.manager = { ...fx.manager, organisationId: fx.municipalityId };
    u.approver = { ...fx.approver, organisationId: fx.municipalityId };
    u.auditor = { ...fx.auditor, organisationId: fx.municipalityId };
    for (const [code, id] of Object.entries(fx.orgIds)) if (code.startsWith('ETS-')) etsIds.add(id);

    // Measurements: RTI-A's Y1 values accepted; one of Aurora's returned; Delta's returned, Edera's accepted.
    const y1 = await acceptMeasurements(t, fx, 'Y1', 'RTI-A', { 'IND-01': { value: '8.0' }, 'IND-02': { value: '0' } });
    ids.aAccepted = y1['IND-01'];
    ids.aReturned = await measurement(u.auroraMember, 'IND-01', 'Y2', 'RTI-A', '9.5');
    ids.dReturned = await measurement(u.deltaMember, 'IND-01', 'Y1', 'RTI-B', '7.0');
    ids.eAccepted = await measurement(u.ederaMember, 'IND-02', 'Y1', 'RTI-B', '3');
    ids.aEvidence = await evidence(u.auroraMember, ids.aReturned);
    ids.dEvidence = await evidence(u.deltaMember, ids.dReturned);
    ids.eEvidence = await evidence(u.ederaMember, ids.eAccepted);
    for (const id of [ids.aReturned, ids.dReturned]) await ok('POST', `/measurements/${id}/return`, u.manager, { reason: 'manca il registro presenze' });
    await ok('POST', `/measurements/${ids.eAccepted}/accept`, u.manager, {});

    // Y1 settled by the manager for both groupings, each approved by the approver.
    const computed = (await ok('POST', `/contracts/${fx.contractId}/periods/${fx.periodIds.Y1}/settlements`, u.manager, {})).computed as { id: string; groupingCode: string; documentHash: string }[];
    expect(computed.map((s) => s.groupingCode)).toEqual(['RTI-A', 'RTI-B']);
    [ids.aSettlement, ids.bSettlement] = computed.map((s) => s.id);
    for (const s of computed) await ok('POST', `/settlements/${s.id}/approve`, u.approver, { documentHash: s.documentHash });

    // Proposal sheets of Aurora and Delta, each commented on by the manager; a comment on the binding version.
    const sheet = { answers: { q1: 'persone che escono di casa' }, dimensions: [{ label: 'socialità' }] };
    ids.aProposal = (await ok('POST', `/contracts/${fx.contractId}/proposals`, u.auroraMember, sheet)).id;
    ids.dProposal = (await ok('POST', `/contracts/${fx.contractId}/proposals`, u.deltaMember, sheet)).id;
    ids.aProposalComment = (await ok('POST', `/proposals/${ids.aProposal}/comments`, u.manager, { text: 'Aggiungete la fonte del dato' })).id;
    ids.dProposalComment = (await ok('POST', `/proposals/${ids.dProposal}/comments`, u.manager, { text: 'Chiarite la platea' })).id;
    ids.versionComment = (await ok('POST', `/indicator-set-versions/${fx.bindingVersionId}/comments`, u.manager, { text: 'Versione vincolante dal Y1' })).id;

    // Below the API: the manager acting on each organisation's evidence, evaluation records of both
    // groupings, and entries about measurements whose rows no longer exist (one by the manager, one by Delta).
    const manager = principal(u.manager, 'Laura Bianchi (contract manager)', ['contract_manager'], 'MUNICIPALITY');
    for (const id of [ids.aEvidence, ids.dEvidence, ids.eEvidence]) await record(manager, { action: 'review_evidence', objectType: 'measurement_evidence', objectId: id, after: { ok: true } });
    for (const [key, grouping] of [['aEvaluation', 'RTI-A'], ['bEvaluation', 'RTI-B']] as const) {
      ids[key] = randomUUID();
      await ds.getRepository(EvaluationRecordEntity).insert({
        id: ids[key], contractId: fx.contractId, periodId: fx.periodIds.Y1, groupingId: fx.groupingIds[grouping], payerKey: 'FOND-01', significant: true,
        certifiedSavings: '1000.00', method: 'differenza nelle differenze', recordedBy: u.manager.userId, recordedByLabel: 'Laura Bianchi', createdAt: now, updatedAt: now,
      });
      await record(manager, { action: 'create', objectType: 'evaluation_record', objectId: ids[key], after: { groupingId: fx.groupingIds[grouping] } });
    }
    ids.deletedByManager = randomUUID();
    ids.deletedByDelta = randomUUID();
    await record(manager, { action: 'return', objectType: 'measurement', objectId: ids.deletedByManager, after: { status: 'RETURNED' } });
    await record(principal(u.deltaMember, 'Marta Greco (Delta, RTI-B)', ['ets_member'], 'ETS'), { action: 'submit', objectType: 'measurement', objectId: ids.deletedByDelta, after: { value: '1' } });
  }, 60_000); // the app, the Padova import bound by both sides, measurements, evidence, two settlements, proposals

  afterAll(async () => {
    await t.close();
  });

  it("as RTI-B's ets_member: not the manager's review of RTI-A's measurements, nor RTI-A's settlement computed and approved", async () => {
    const delta = await seen(u.deltaMember);
    const shown = objectIds(delta);
    for (const hidden of [ids.aAccepted, ids.aReturned, ids.aSettlement, ids.aEvidence, ids.aEvaluation, ids.aProposal, ids.aProposalComment]) {
      expect({ hidden, shown: shown.includes(hidden) }).toEqual({ hidden, shown: false });
    }
    // The same user gets 404 for every one of those objects: the log named ids it cannot read.
    expect((await request('GET', `/measurements/${ids.aAccepted}`, u.deltaMember)).status).toBe(404);
    expect((await request('GET', `/settlements/${ids.aSettlement}`, u.deltaMember)).status).toBe(404);
    // Filters narrow the scope, never widen it.
    expect(await seen(u.deltaMember, `&objectId=${ids.aAccepted}`)).toEqual([]);
    expect(objectIds(await seen(u.deltaMember, '&objectType=settlement'))).toEqual([ids.bSettlement]);
  });

  it("as RTI-B's ets_member: its own measurements, evidence, proposal and grouping's settlement, and the contract-wide entries", async () => {
    const delta = await seen(u.deltaMember);
    expect(actions(delta, ids.dReturned)).toEqual(['return', 'submit']);
    expect(actions(delta, ids.dEvidence)).toEqual(['review_evidence', 'add_evidence']);
    expect(actions(delta, ids.bSettlement)).toEqual(['approve', 'compute']);
    expect(actions(delta, ids.bEvaluation)).toEqual(['create']);
    expect(actions(delta, ids.dProposal)).toEqual(['create']);
    expect(actions(delta, ids.dProposalComment)).toEqual(['create']);
    expect(actions(delta, ids.versionComment)).toEqual(['create']);
    // Contract-wide: the contract, its indicator-set version (frozen, approved by the Comune, bound).
    expect(actions(delta, fx.contractId)).toEqual(['import']);
    expect(actions(delta, fx.bindingVersionId)).toEqual(expect.arrayContaining(['create', 'bind']));
    const approvals = delta.filter((e) => e.object.type === 'indicator_set_approval').map((e) => e.actor.id);
    expect(approvals).toEqual(expect.arrayContaining([u.approver.userId, u.deltaLead.userId]));
    expect(approvals).not.toContain(u.auroraLead.userId);
    // Its own entry about a measurement that no longer exists stays; the manager's on one does not.
    expect(actions(delta, ids.deletedByDelta)).toEqual(['submit']);
    expect(actions(delta, ids.deletedByManager)).toEqual([]);
  });

  it("as a fellow member of RTI-B (Edera): its own measurement and the grouping's settlement, not Delta's measurement, evidence or proposal", async () => {
    const edera = objectIds(await seen(u.ederaMember));
    expect(edera).toEqual(expect.arrayContaining([ids.eAccepted, ids.eEvidence, ids.bSettlement, ids.bEvaluation, ids.versionComment]));
    for (const hidden of [ids.dReturned, ids.dEvidence, ids.dProposal, ids.dProposalComment, ids.deletedByDelta, ids.aSettlement]) {
      expect({ hidden, shown: edera.includes(hidden) }).toEqual({ hidden, shown: false });
    }
  });

  it("as RTI-B's lead: also the manager's review of its members' measurements (it reads them), but not what they did", async () => {
    const lead = await seen(u.deltaLead);
    expect(actions(lead, ids.eAccepted)).toEqual(['accept']);
    expect(actions(lead, ids.eEvidence)).toEqual(['review_evidence']);
    expect(actions(lead, ids.aAccepted)).toEqual([]);
    expect(actions(lead, ids.dProposalComment)).toEqual(['create']);
  });

  it('every ETS user finds an entry exactly when it may read the object (or its organisation acted), and no other ETS wrote it', async () => {
    const all = await seen(t.admin);
    const comments = async (who: TestUser): Promise<Set<string>> => {
      const found = new Set<string>();
      for (const url of [`/proposals/${ids.aProposal}/comments`, `/proposals/${ids.dProposal}/comments`, `/indicator-set-versions/${fx.bindingVersionId}/comments`]) {
        const res = await request('GET', url, who);
        if (res.status === 200) (res.body.items as { id: string }[]).forEach((c) => found.add(c.id));
      }
      return found;
    };
    const evaluations = async (who: TestUser): Promise<Set<string>> =>
      new Set(((await ok('GET', `/contracts/${fx.contractId}/periods/${fx.periodIds.Y1}/evaluation-records`, who)).items as { id: string }[]).map((r) => r.id));
    /** Whether the caller reads the entry's object through the object's own endpoint. */
    const reads = async (who: TestUser, e: Entry): Promise<boolean> => {
      const status = async (url: string) => (await request('GET', url, who)).status === 200;
      switch (e.object.type) {
        case 'measurement':
          return status(`/measurements/${e.object.id}`);
        case 'measurement_evidence':
          return status(`/evidence/${e.object.id}`);
        case 'settlement':
          return status(`/settlements/${e.object.id}`);
        case 'indicator_proposal':
          return status(`/proposals/${e.object.id}`);
        case 'evaluation_record':
          return (await evaluations(who)).has(e.object.id);
        case 'co_definition_comment':
          return (await comments(who)).has(e.object.id);
        default:
          throw new Error(`no read rule in this test for ${e.object.type}`);
      }
    };
    for (const who of [u.auroraMember, u.auroraLead, u.deltaMember, u.deltaLead, u.ederaMember]) {
      const expected: number[] = [];
      for (const e of all) {
        const actorOrg = e.actor.organisationId;
        if (actorOrg !== null && actorOrg !== who.organisationId && etsIds.has(actorOrg)) continue;
        const reach = auditObjectReach(e.object.type);
        if (reach === 'CONTRACT' || actorOrg === who.organisationId || (reach === 'PRIVATE' && (await reads(who, e)))) expected.push(e.seq);
      }
      expect({ who: who.userId, seqs: (await seen(who)).map((e) => e.seq) }).toEqual({ who: who.userId, seqs: expected });
    }
  }, 30_000); // a read of each private object per entry and caller

  it('gives the municipality\'s staff every entry of the contract', async () => {
    const all = (await seen(t.admin)).map((e) => e.seq);
    for (const who of [u.manager, u.auditor, u.approver]) expect((await seen(who)).map((e) => e.seq)).toEqual(all);
  });

  it('exports to an ETS user the entries GET /audit shows it; the whole-chain figures only repeat the head it was cut at', async () => {
    for (const who of [u.deltaMember, u.auroraMember]) {
      const res = await request('GET', `/audit/export?format=json&contractId=${fx.contractId}`, who);
      expect(res.status).toBe(200);
      const listed = (await seen(who)).map((e) => e.seq).reverse();
      expect((res.body.entries as Entry[]).map((e) => e.seq)).toEqual(listed);
      expect(res.body.verification.exportedEntries).toEqual({ ok: true, entries: listed.length, broken: 0, firstBreak: null });
      // Seqs are installation-wide (decision 0009): entries and headSeq say no more than scope.upToSeq.
      const head = res.body.scope.upToSeq as number;
      expect(res.body.verification.wholeChain).toEqual({ ok: true, entries: head, headSeq: head, firstBreak: null });
    }
  });
});
