import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { indicatorSetInForce } from 'src/co-definition/indicator-set.resolver';
import { IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Issue 3, Done-when: the Padova contract goes from draft to a binding indicator set approved by the
// Comune's approver and both RTI leads through the API; an amendment makes version 2 without changing a
// byte of version 1; the resolver gives v1 for Y1/Y2 and v2 for Y3. Every refusal changes nothing.

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('co-definition API: proposals, versions, double approval, amendments', () => {
  let t: TestApp;
  let ds: DataSource;
  let pd: ContractFixture;
  let other: ContractFixture;
  const u = {} as Record<
    | 'manager'
    | 'approver'
    | 'auditor'
    | 'otherApprover'
    | 'auroraMember'
    | 'auroraLead'
    | 'borgoLead'
    | 'deltaLead'
    | 'ederaMember'
    | 'otherEtsLead'
    | 'evaluator'
    | 'ungrantedEvaluator',
    TestUser
  >;
  const indicatorIds: Record<string, string> = {};
  const proposalIds: Record<string, string> = {};
  const versionIds: Record<string, string> = {};
  let v1Text = '';
  let v1Row: IndicatorSetVersionEntity;

  const as = (user: TestUser) => ({ as: user.apiKey });
  const getVersion = (id: string, user?: TestUser) => t.request('GET', `/api/v1/indicator-set-versions/${id}`, undefined, user ? as(user) : {});
  const approve = (id: string, user: TestUser, body: Record<string, unknown>) => t.request('POST', `/api/v1/indicator-set-versions/${id}/approvals`, body, as(user));
  const inForce = (period: 'Y1' | 'Y2' | 'Y3', user?: TestUser) =>
    t.request('GET', `/api/v1/contracts/${pd.contractId}/periods/${pd.periodIds[period]}/indicator-set`, undefined, user ? as(user) : {});
  const auditOf = (objectId: string) => ds.getRepository(AuditEntryEntity).find({ where: { objectId }, order: { seq: 'ASC' } });

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    pd = await seedContract(t.app);
    other = await seedContract(t.app, { key: 'XX' });
    const now = t.clock.nowIso();
    const user = (name: string, roles: Parameters<typeof insertTestUser>[1]['roles'], organisationId: string) => insertTestUser(ds, { name, roles, organisationId }, now);
    u.manager = await user('Funzionaria Servizi Sociali', ['contract_manager'], pd.municipalityId);
    u.approver = await user('Dirigente Servizi Sociali', ['approver'], pd.municipalityId);
    u.auditor = await user('Revisore comunale', ['auditor'], pd.municipalityId);
    u.otherApprover = await user('Dirigente di un altro Comune', ['approver'], other.municipalityId);
    u.auroraMember = await user('Operatrice Aurora', ['ets_member'], pd.etsIds.AURORA);
    u.auroraLead = await user('Presidente Aurora (mandataria RTI-A)', ['grouping_lead'], pd.etsIds.AURORA);
    u.borgoLead = await user('Presidente Borgo Vivo (mandante RTI-A)', ['grouping_lead'], pd.etsIds['BORGO-VIVO']);
    u.deltaLead = await user('Presidente Delta (mandataria RTI-B)', ['grouping_lead'], pd.etsIds.DELTA);
    u.ederaMember = await user('Operatore Edera', ['ets_member'], pd.etsIds.EDERA);
    u.otherEtsLead = await user('Presidente Aurora XX', ['grouping_lead'], other.etsIds.AURORA);

    const uni = await t.request('POST', '/api/v1/organisations', { code: 'UNIPD', kind: 'OTHER', name: 'Università di Padova' });
    const lab = await t.request('POST', '/api/v1/organisations', { code: 'LAB-X', kind: 'OTHER', name: 'Laboratorio senza accesso' });
    expect([uni.status, lab.status]).toEqual([201, 201]);
    u.evaluator = await user('Valutatrice UniPD', ['evaluator'], uni.body.id);
    u.ungrantedEvaluator = await user('Valutatore senza accesso', ['evaluator'], lab.body.id);
    expect((await t.request('POST', `/api/v1/contracts/${pd.contractId}/grants`, { organisationId: uni.body.id })).status).toBe(201);

    for (const [code, body] of Object.entries(padovaIndicatorBodies(pd))) {
      const res = await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, body, as(u.manager));
      expect(res.status).toBe(201);
      indicatorIds[code] = res.body.id;
    }
    const xx = await t.request('POST', `/api/v1/contracts/${other.contractId}/indicators`, padovaIndicatorBodies(other)['IND-02']);
    expect(xx.status).toBe(201);
    indicatorIds.XX = xx.body.id;
  }, 30_000); // the app, two seeded contracts, twelve users and six indicators

  afterAll(async () => {
    await t.close();
  });

  describe('proposals (schede)', () => {
    const url = () => `/api/v1/contracts/${pd.contractId}/proposals`;

    it('an ETS member starts a draft scheda with the four guiding questions and its proposals', async () => {
      const res = await t.request(
        'POST',
        url(),
        {
          answers: { q1: "Ho lavorato bene se le persone over 65 escono di casa almeno una volta a settimana per un'attività di gruppo" },
          dimensions: [{ label: 'nuove collaborazioni' }, { label: 'cittadini conosciuti' }],
          metrics: [{ label: 'n. accordi firmati con associazioni', description: 'patti, protocolli' }],
        },
        as(u.auroraMember),
      );
      expect(res.status).toBe(201);
      proposalIds.aurora = res.body.id;
      expect(res.body).toEqual({
        id: proposalIds.aurora,
        contractId: pd.contractId,
        organisationId: pd.etsIds.AURORA,
        authoredByLabel: 'Operatrice Aurora',
        state: 'DRAFT',
        answers: [
          {
            key: 'q1',
            question: 'Che cosa vi fa dire che avete lavorato bene per i destinatari di questo servizio?',
            answer: "Ho lavorato bene se le persone over 65 escono di casa almeno una volta a settimana per un'attività di gruppo",
          },
          { key: 'q2', question: 'Che cosa mancherebbe nel Comune se non ci fosse questo servizio?', answer: null },
          {
            key: 'q3',
            question: "Quali sono a vostro avviso le dimensioni che dovrebbero essere considerate per monitorare e valutare correttamente l'outcome?",
            answer: null,
          },
          {
            key: 'q4',
            question: 'Con quali metriche misurereste le dimensioni di cui sopra? Pensate sia agli strumenti di rilevazione che a possibili indicatori.',
            answer: null,
          },
        ],
        dimensions: [
          { label: 'nuove collaborazioni', description: null },
          { label: 'cittadini conosciuti', description: null },
        ],
        metrics: [{ label: 'n. accordi firmati con associazioni', description: 'patti, protocolli' }],
        instruments: [],
        submittedAt: null,
        createdAt: '2026-01-15T10:00:00.000Z',
        updatedAt: '2026-01-15T10:00:00.000Z',
      });
      const audit = await auditOf(proposalIds.aurora);
      expect(audit.map((a) => [a.action, a.objectType, a.contractId, a.municipalityId, a.organisationId])).toEqual([
        ['create', 'indicator_proposal', pd.contractId, pd.municipalityId, pd.etsIds.AURORA],
      ]);
    });

    it('refuses to submit an incomplete scheda, naming every missing answer, and changes nothing', async () => {
      const before = await t.request('GET', `/api/v1/proposals/${proposalIds.aurora}`, undefined, as(u.auroraMember));
      const res = await t.request('POST', `/api/v1/proposals/${proposalIds.aurora}/submit`, undefined, as(u.auroraMember));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('CO_DEFINITION_PROPOSAL_INCOMPLETE');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['answers.q2', 'answers.q3', 'answers.q4']);
      expect((await t.request('GET', `/api/v1/proposals/${proposalIds.aurora}`, undefined, as(u.auroraMember))).body).toEqual(before.body);
    });

    it('validates the body with field paths', async () => {
      const res = await t.request('POST', url(), { dimensions: [{ label: 'ok' }, { label: '' }], answers: { q5: 'x' } }, as(u.auroraMember));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['answers.q5', 'dimensions[1].label']);
      const blank = await t.request('POST', url(), { metrics: [{ label: '   ' }] }, as(u.auroraMember));
      expect([blank.status, blank.body.details.fields]).toEqual([400, [{ field: 'metrics[0].label', code: 'matches', message: 'label must not be blank' }]]);
    });

    it('lets the proposing organisation complete and submit its draft, and then freezes it', async () => {
      const patch = await t.request(
        'PATCH',
        `/api/v1/proposals/${proposalIds.aurora}`,
        { answers: { q2: 'Luoghi di socialità nei quartieri', q3: 'Collaborazioni, platea, soddisfazione', q4: 'Registro accordi, registro presenze' } },
        as(u.auroraLead), // same organisation, another person
      );
      expect(patch.status).toBe(200);
      expect(patch.body.answers.map((a: { answer: string }) => a.answer)).toEqual([
        "Ho lavorato bene se le persone over 65 escono di casa almeno una volta a settimana per un'attività di gruppo",
        'Luoghi di socialità nei quartieri',
        'Collaborazioni, platea, soddisfazione',
        'Registro accordi, registro presenze',
      ]);
      expect(patch.body.dimensions).toHaveLength(2);
      const submit = await t.request('POST', `/api/v1/proposals/${proposalIds.aurora}/submit`, undefined, as(u.auroraMember));
      expect(submit.status).toBe(200);
      expect(submit.body.state).toBe('SUBMITTED');
      expect(submit.body.submittedAt).toBe('2026-01-15T10:00:00.000Z');

      const late = await t.request('PATCH', `/api/v1/proposals/${proposalIds.aurora}`, { metrics: [] }, as(u.auroraMember));
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('CO_DEFINITION_PROPOSAL_NOT_DRAFT');
      const again = await t.request('POST', `/api/v1/proposals/${proposalIds.aurora}/submit`, undefined, as(u.auroraMember));
      expect(again.status).toBe(409);
      expect((await t.request('GET', `/api/v1/proposals/${proposalIds.aurora}`)).body.metrics).toHaveLength(1);
      expect((await auditOf(proposalIds.aurora)).map((a) => a.action)).toEqual(['create', 'update', 'submit']);
    });

    it('takes proposals from the other RTI and from a granted evaluator', async () => {
      const delta = await t.request('POST', url(), { dimensions: [{ label: 'autonomia dai finanziamenti pubblici' }] }, as(u.deltaLead));
      expect(delta.status).toBe(201);
      proposalIds.delta = delta.body.id;
      const evaluator = await t.request('POST', url(), { metrics: [{ label: 'quota over60 conosciuti' }] }, as(u.evaluator));
      expect(evaluator.status).toBe(201);
      expect(evaluator.body.organisationId).not.toBe(pd.etsIds.DELTA);
      proposalIds.evaluator = evaluator.body.id;
    });

    it('hides an ETS proposal from another ETS (404), even of the same RTI, and lists only its own', async () => {
      for (const user of [u.deltaLead, u.ederaMember, u.otherEtsLead]) {
        const res = await t.request('GET', `/api/v1/proposals/${proposalIds.aurora}`, undefined, as(user));
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CO_DEFINITION_PROPOSAL_NOT_FOUND');
      }
      const edera = await t.request('PATCH', `/api/v1/proposals/${proposalIds.delta}`, { dimensions: [] }, as(u.ederaMember));
      expect(edera.status).toBe(404);
      const deltaList = await t.request('GET', url(), undefined, as(u.deltaLead));
      expect(deltaList.status).toBe(200);
      expect(deltaList.body.items.map((p: { id: string }) => p.id)).toEqual([proposalIds.delta]);
      expect(deltaList.body.page).toEqual({ limit: 50, offset: 0, total: 1 });
      expect((await t.request('GET', url(), undefined, as(u.ederaMember))).body.items).toEqual([]);
      expect((await t.request('GET', `/api/v1/proposals/${proposalIds.delta}`)).body.dimensions).toHaveLength(1);
    });

    it('shows every proposal to municipal staff and granted evaluators, none to strangers', async () => {
      for (const user of [u.manager, u.approver, u.auditor, u.evaluator]) {
        const res = await t.request('GET', `${url()}?state=DRAFT`, undefined, as(user));
        expect(res.status).toBe(200);
        // Same creation instant under the fixed clock: the order is then by id.
        expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([proposalIds.delta, proposalIds.evaluator].sort());
        expect((await t.request('GET', `/api/v1/proposals/${proposalIds.aurora}`, undefined, as(user))).status).toBe(200);
      }
      for (const user of [u.ungrantedEvaluator, u.otherApprover, u.otherEtsLead]) {
        const list = await t.request('GET', url(), undefined, as(user));
        expect(list.status).toBe(404);
        expect(list.body.code).toBe('CO_DEFINITION_CONTRACT_NOT_FOUND');
        expect((await t.request('GET', `/api/v1/proposals/${proposalIds.evaluator}`, undefined, as(user))).status).toBe(404);
      }
    });

    it('lets only the proposers of the contract write: 403 for municipal staff and readers, 404 for strangers', async () => {
      const count = async () => (await t.request('GET', url())).body.page.total;
      const before = await count();
      const manager = await t.request('POST', url(), {}, as(u.manager));
      expect(manager.status).toBe(403);
      expect(manager.body.code).toBe('AUTH_FORBIDDEN');
      expect((await t.request('PATCH', `/api/v1/proposals/${proposalIds.delta}`, { dimensions: [] }, as(u.manager))).status).toBe(403);
      const evaluatorOnEts = await t.request('PATCH', `/api/v1/proposals/${proposalIds.delta}`, { dimensions: [] }, as(u.evaluator));
      expect(evaluatorOnEts.status).toBe(403);
      expect(evaluatorOnEts.body.code).toBe('AUTH_FORBIDDEN');
      for (const user of [u.otherEtsLead, u.ungrantedEvaluator]) {
        const res = await t.request('POST', url(), {}, as(user));
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CO_DEFINITION_CONTRACT_NOT_FOUND');
      }
      expect((await t.request('POST', `/api/v1/contracts/${MISSING}/proposals`, {}, as(u.auroraMember))).status).toBe(404);
      expect(await count()).toBe(before);
      expect((await t.request('GET', `/api/v1/proposals/${proposalIds.delta}`)).body.dimensions).toHaveLength(1);
    });
  });

  describe('consolidation: indicators keep links to the proposals they came from', () => {
    const sources = (user?: TestUser) => t.request('GET', `/api/v1/indicators/${indicatorIds['IND-02']}/sources`, undefined, user ? as(user) : {});

    it('refuses drafts and proposals of other contracts, and non-managers, changing nothing', async () => {
      const draft = await t.request('PUT', `/api/v1/indicators/${indicatorIds['IND-02']}/sources`, { proposalIds: [proposalIds.aurora, proposalIds.delta] }, as(u.manager));
      expect(draft.status).toBe(422);
      expect(draft.body.code).toBe('CO_DEFINITION_PROPOSAL_NOT_LINKABLE');
      expect(draft.body.details.fields).toEqual([{ field: 'proposalIds[1]', message: 'still a draft: only submitted proposals can be consolidated' }]);
      const unknown = await t.request('PUT', `/api/v1/indicators/${indicatorIds['IND-02']}/sources`, { proposalIds: [MISSING] }, as(u.manager));
      expect(unknown.status).toBe(422);
      expect(unknown.body.details.fields[0].field).toBe('proposalIds[0]');
      const dup = await t.request('PUT', `/api/v1/indicators/${indicatorIds['IND-02']}/sources`, { proposalIds: [proposalIds.aurora, proposalIds.aurora] }, as(u.manager));
      expect(dup.status).toBe(400);
      expect((await t.request('PUT', `/api/v1/indicators/${indicatorIds['IND-02']}/sources`, { proposalIds: [] }, as(u.approver))).status).toBe(403);
      const stranger = await t.request('PUT', `/api/v1/indicators/${indicatorIds['IND-02']}/sources`, { proposalIds: [] }, as(u.otherApprover));
      expect(stranger.status).toBe(403); // approver is not a structure editor
      const foreignManager = await insertlessForeignManagerAttempt();
      expect(foreignManager).toBe(404);
      expect((await sources()).body.sources).toEqual([]);
    });

    async function insertlessForeignManagerAttempt(): Promise<number> {
      // A platform admin reads everything; a contract of another municipality is invisible to pd's manager.
      const res = await t.request('PUT', `/api/v1/indicators/${indicatorIds.XX}/sources`, { proposalIds: [] }, as(u.manager));
      expect(res.body.code).toBe('CO_DEFINITION_INDICATOR_NOT_FOUND');
      return res.status;
    }

    it('links submitted proposals, shows each ETS only its own, and records it', async () => {
      expect((await t.request('POST', `/api/v1/proposals/${proposalIds.evaluator}/submit`, undefined, as(u.evaluator))).status).toBe(422);
      await t.request('PATCH', `/api/v1/proposals/${proposalIds.evaluator}`, { answers: { q1: 'a', q2: 'b', q3: 'c', q4: 'd' }, dimensions: [{ label: 'rete' }] }, as(u.evaluator));
      expect((await t.request('POST', `/api/v1/proposals/${proposalIds.evaluator}/submit`, undefined, as(u.evaluator))).status).toBe(200);
      const res = await t.request('PUT', `/api/v1/indicators/${indicatorIds['IND-02']}/sources`, { proposalIds: [proposalIds.evaluator, proposalIds.aurora] }, as(u.manager));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        indicatorId: indicatorIds['IND-02'],
        indicatorCode: 'IND-02',
        contractId: pd.contractId,
        sources: [
          { proposalId: proposalIds.evaluator, organisationId: expect.any(String), state: 'SUBMITTED', submittedAt: '2026-01-15T10:00:00.000Z' },
          { proposalId: proposalIds.aurora, organisationId: pd.etsIds.AURORA, state: 'SUBMITTED', submittedAt: '2026-01-15T10:00:00.000Z' },
        ],
      });
      expect((await sources(u.auroraMember)).body.sources.map((s: { proposalId: string }) => s.proposalId)).toEqual([proposalIds.aurora]);
      expect((await sources(u.deltaLead)).body.sources).toEqual([]);
      expect((await sources(u.evaluator)).body.sources).toHaveLength(2);
      expect((await sources(u.otherEtsLead)).status).toBe(404);
      expect((await auditOf(indicatorIds['IND-02'])).filter((a) => a.objectType === 'indicator_sources').map((a) => [a.action, a.contractId])).toEqual([
        ['update', pd.contractId],
      ]);
    });
  });

  describe('indicator-set versions and the double approval', () => {
    const versionsUrl = () => `/api/v1/contracts/${pd.contractId}/indicator-set-versions`;

    it('has no binding set before any agreement', async () => {
      const res = await inForce('Y1');
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CO_DEFINITION_NO_BINDING_VERSION');
    });

    it('lets only the contract manager freeze a version', async () => {
      for (const user of [u.approver, u.auroraLead, u.evaluator]) {
        const res = await t.request('POST', versionsUrl(), {}, as(user));
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('AUTH_FORBIDDEN');
      }
      expect((await t.request('GET', versionsUrl())).body.items).toEqual([]);
    });

    it('freezes version 1 from the first period: codes not ids, canonical JSON hashed with SHA-256', async () => {
      const res = await t.request('POST', versionsUrl(), { minute: 'Verbale tavolo di co-progettazione 15/10/2024' }, as(u.manager));
      expect(res.status).toBe(201);
      versionIds.v1 = res.body.id;
      expect(res.body).toMatchObject({
        contractId: pd.contractId,
        version: 1,
        state: 'DRAFT',
        reason: null,
        minute: 'Verbale tavolo di co-progettazione 15/10/2024',
        effectiveFromPeriodId: pd.periodIds.Y1,
        effectiveFromPeriodCode: 'Y1',
        inForceFor: [],
        createdByLabel: 'Funzionaria Servizi Sociali',
        boundAt: null,
        requiredSides: ['MUNICIPALITY', 'RTI-A', 'RTI-B'],
        missingSides: ['MUNICIPALITY', 'RTI-A', 'RTI-B'],
        approvals: [],
      });
      expect(res.body.contentHash).toBe(sha256(canonicalize(res.body.content) as string));
      const content = res.body.content;
      expect(content.contract).toEqual({ code: 'CTR-PD', title: 'Sviluppo di Comunità 2.0' });
      expect(content.groupings).toEqual(['RTI-A', 'RTI-B']);
      expect(content.paymentRules).toBeNull();
      expect(content.indicators.map((i: { code: string }) => i.code)).toEqual(['IND-01', 'IND-02', 'IND-03', 'IND-04', 'IND-05']);
      const ind02 = content.indicators[1];
      expect(ind02.targets).toEqual([
        { period: 'Y2', grouping: 'RTI-A', value: '10' },
        { period: 'Y2', grouping: 'RTI-B', value: '10' },
        { period: 'Y3', grouping: 'RTI-A', value: '12' },
        { period: 'Y3', grouping: 'RTI-B', value: '12' },
      ]);
      expect(content.indicators[0].baselines).toEqual([
        { grouping: 'RTI-A', value: '8.0', establishedIn: 'Y1' },
        { grouping: 'RTI-B', value: '10.0', establishedIn: 'Y1' },
      ]);
      expect(content.indicators[4].denominators).toEqual([
        { grouping: 'RTI-A', population: 'POP-OVER60-RTI-A', value: '30000' },
        { grouping: 'RTI-B', population: 'POP-OVER60-RTI-B', value: '28000' },
      ]);
      expect(content.indicators[3]).toMatchObject({ code: 'IND-04', unit: 'PERCENT', direction: 'LEVEL', minSampleSize: 200 });
      expect(JSON.stringify(content)).not.toContain(pd.groupingIds['RTI-A']);
      expect(JSON.stringify(content)).not.toContain(pd.periodIds.Y2);
      const audit = await auditOf(versionIds.v1);
      expect(audit.map((a) => [a.action, a.objectType, a.contractId, a.municipalityId])).toEqual([['create', 'indicator_set_version', pd.contractId, pd.municipalityId]]);
    });

    it('lets every reader of the contract see the version, and nobody else', async () => {
      for (const user of [u.deltaLead, u.ederaMember, u.evaluator, u.auditor]) {
        expect((await getVersion(versionIds.v1, user)).status).toBe(200);
      }
      for (const user of [u.otherApprover, u.otherEtsLead, u.ungrantedEvaluator]) {
        const res = await getVersion(versionIds.v1, user);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CO_DEFINITION_VERSION_NOT_FOUND');
      }
    });

    it('refuses wrong hashes, wrong roles, other groupings and strangers, changing nothing', async () => {
      const before = (await getVersion(versionIds.v1)).text;
      const hash = JSON.parse(before).contentHash as string;
      const auditCount = await ds.getRepository(AuditEntryEntity).count();

      const wrong = await approve(versionIds.v1, u.approver, { contentHash: 'a'.repeat(64) });
      expect(wrong.status).toBe(409);
      expect(wrong.body.code).toBe('CO_DEFINITION_HASH_MISMATCH');
      expect(wrong.body.details.fields).toEqual([{ field: 'contentHash', message: 'does not match the content of this version' }]);

      const malformed = await approve(versionIds.v1, u.approver, { contentHash: 'ABC' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.details.fields[0].field).toBe('contentHash');

      for (const user of [u.manager, u.evaluator, u.auroraMember, u.auditor]) {
        const res = await approve(versionIds.v1, user, { contentHash: hash });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('AUTH_FORBIDDEN');
      }
      // Borgo Vivo is in RTI-A but not its mandataria: it reads the contract, approves nothing.
      const mandante = await approve(versionIds.v1, u.borgoLead, { contentHash: hash });
      expect(mandante.status).toBe(403);
      expect(mandante.body.code).toBe('AUTH_FORBIDDEN');
      // Aurora leads RTI-A, not RTI-B.
      const otherGrouping = await approve(versionIds.v1, u.auroraLead, { contentHash: hash, groupingId: pd.groupingIds['RTI-B'] });
      expect(otherGrouping.status).toBe(403);
      expect(otherGrouping.body.code).toBe('AUTH_FORBIDDEN');
      expect(otherGrouping.body.message).toBe('You do not lead grouping RTI-B of this contract');
      for (const user of [u.otherApprover, u.otherEtsLead]) {
        const res = await approve(versionIds.v1, user, { contentHash: hash });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CO_DEFINITION_VERSION_NOT_FOUND');
      }
      expect((await approve(MISSING, u.approver, { contentHash: hash })).status).toBe(404);

      expect((await getVersion(versionIds.v1)).text).toBe(before);
      expect(await ds.getRepository(AuditEntryEntity).count()).toBe(auditCount);
    });

    it('becomes binding once the Comune and both RTI leads approved that exact content', async () => {
      const hash = (await getVersion(versionIds.v1)).body.contentHash as string;
      const comune = await approve(versionIds.v1, u.approver, { contentHash: hash });
      expect(comune.status).toBe(201);
      expect(comune.body.state).toBe('DRAFT');
      expect(comune.body.missingSides).toEqual(['RTI-A', 'RTI-B']);
      expect(comune.body.approvals).toEqual([
        {
          side: 'MUNICIPALITY',
          groupingId: null,
          sideKey: 'MUNICIPALITY',
          organisationId: pd.municipalityId,
          approvedByLabel: 'Dirigente Servizi Sociali',
          contentHash: hash,
          approvedAt: '2026-01-15T10:00:00.000Z',
        },
      ]);

      const twice = await approve(versionIds.v1, u.approver, { contentHash: hash });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('CO_DEFINITION_ALREADY_APPROVED');

      const rtiA = await approve(versionIds.v1, u.auroraLead, { contentHash: hash });
      expect(rtiA.status).toBe(201);
      expect(rtiA.body.state).toBe('DRAFT');
      expect(rtiA.body.missingSides).toEqual(['RTI-B']);
      expect(rtiA.body.approvals[1]).toMatchObject({ side: 'GROUPING', groupingId: pd.groupingIds['RTI-A'], sideKey: 'RTI-A', organisationId: pd.etsIds.AURORA });
      expect((await inForce('Y1')).status).toBe(404);

      const rtiB = await approve(versionIds.v1, u.deltaLead, { contentHash: hash });
      expect(rtiB.status).toBe(201);
      expect(rtiB.body.state).toBe('BINDING');
      expect(rtiB.body.missingSides).toEqual([]);
      expect(rtiB.body.inForceFor).toEqual(['Y1', 'Y2', 'Y3']);
      expect(rtiB.body.approvals.map((a: { sideKey: string }) => a.sideKey)).toEqual(['MUNICIPALITY', 'RTI-A', 'RTI-B']);

      const late = await approve(versionIds.v1, u.deltaLead, { contentHash: hash });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('CO_DEFINITION_VERSION_NOT_OPEN');

      const actions = (await auditOf(versionIds.v1)).map((a) => a.action);
      expect(actions).toEqual(['create', 'bind']);
      const approvals = await ds.getRepository(AuditEntryEntity).find({ where: { objectType: 'indicator_set_approval', contractId: pd.contractId } });
      expect(approvals.map((a) => [a.action, a.municipalityId])).toEqual([
        ['approve', pd.municipalityId],
        ['approve', pd.municipalityId],
        ['approve', pd.municipalityId],
      ]);

      for (const period of ['Y1', 'Y2', 'Y3'] as const) {
        const set = await inForce(period, u.ederaMember);
        expect(set.status).toBe(200);
        expect(set.body).toMatchObject({ versionId: versionIds.v1, version: 1, contentHash: hash, effectiveFromPeriodCode: 'Y1', groupings: ['RTI-A', 'RTI-B'] });
        expect(set.body.indicators).toHaveLength(5);
      }
      v1Text = (await getVersion(versionIds.v1)).text;
      v1Row = await ds.getRepository(IndicatorSetVersionEntity).findOneByOrFail({ id: versionIds.v1 });
    });

    it('amends: IND-02 Y3 target changes, version 2 needs a reason and a period not before v1, v1 stays byte-identical', async () => {
      const ind02 = padovaIndicatorBodies(pd)['IND-02'].targets as { periodId: string; groupingId: string; value: string }[];
      const targets = ind02.map((x) => (x.periodId === pd.periodIds.Y3 && x.groupingId === pd.groupingIds['RTI-A'] ? { ...x, value: '14' } : x));
      expect((await t.request('PUT', `/api/v1/indicators/${indicatorIds['IND-02']}/targets`, { targets }, as(u.manager))).status).toBe(200);

      const noReason = await t.request('POST', versionsUrl(), { effectiveFromPeriodId: pd.periodIds.Y3 }, as(u.manager));
      expect(noReason.status).toBe(422);
      expect(noReason.body.code).toBe('CO_DEFINITION_REASON_REQUIRED');
      expect(noReason.body.details.fields).toEqual([{ field: 'reason', message: 'required from version 2 on' }]);
      const noPeriod = await t.request('POST', versionsUrl(), { reason: 'Nuovo target IND-02' }, as(u.manager));
      expect(noPeriod.status).toBe(422);
      expect(noPeriod.body.code).toBe('CO_DEFINITION_EFFECTIVE_FROM_REQUIRED');
      const foreignPeriod = await t.request('POST', versionsUrl(), { reason: 'x', effectiveFromPeriodId: other.periodIds.Y3 }, as(u.manager));
      expect(foreignPeriod.status).toBe(422);
      expect(foreignPeriod.body.code).toBe('CO_DEFINITION_UNKNOWN_PERIOD');
      expect((await t.request('GET', versionsUrl())).body.page.total).toBe(1);

      const v2 = await t.request(
        'POST',
        versionsUrl(),
        { reason: 'Target Y3 di IND-02 per RTI-A rivisto a 14 dopo il tavolo di monitoraggio', minute: 'Verbale 12/03/2026', effectiveFromPeriodId: pd.periodIds.Y3 },
        as(u.manager),
      );
      expect(v2.status).toBe(201);
      versionIds.v2 = v2.body.id;
      expect(v2.body).toMatchObject({
        version: 2,
        state: 'DRAFT',
        effectiveFromPeriodCode: 'Y3',
        reason: 'Target Y3 di IND-02 per RTI-A rivisto a 14 dopo il tavolo di monitoraggio',
        approvals: [],
        missingSides: ['MUNICIPALITY', 'RTI-A', 'RTI-B'],
      });
      expect(v2.body.content.indicators[1].targets[2]).toEqual({ period: 'Y3', grouping: 'RTI-A', value: '14' });
      expect(v2.body.contentHash).not.toBe(v1Row.contentHash);
      expect(v2.body.contentHash).toBe(sha256(canonicalize(v2.body.content) as string));

      // Version 1 says exactly what it said.
      expect((await getVersion(versionIds.v1)).text).toBe(v1Text);
      const row = await ds.getRepository(IndicatorSetVersionEntity).findOneByOrFail({ id: versionIds.v1 });
      expect(row.content).toBe(v1Row.content);
      expect(row.contentHash).toBe(v1Row.contentHash);
      expect(sha256(row.content)).toBe(row.contentHash);
      expect(JSON.parse(row.content).indicators[1].targets[2]).toEqual({ period: 'Y3', grouping: 'RTI-A', value: '12' });
      expect((await inForce('Y3')).body.version).toBe(1);
    });

    it('counts no approval of v1 for v2, refuses v1 hash on v2, then binds v2 for Y3 only', async () => {
      const v2 = (await getVersion(versionIds.v2)).body;
      const oldHash = await approve(versionIds.v2, u.approver, { contentHash: v1Row.contentHash });
      expect(oldHash.status).toBe(409);
      expect(oldHash.body.code).toBe('CO_DEFINITION_HASH_MISMATCH');
      expect((await getVersion(versionIds.v2)).body.approvals).toEqual([]);

      expect((await approve(versionIds.v2, u.deltaLead, { contentHash: v2.contentHash })).body.state).toBe('DRAFT');
      expect((await approve(versionIds.v2, u.approver, { contentHash: v2.contentHash })).body.missingSides).toEqual(['RTI-A']);
      const last = await approve(versionIds.v2, u.auroraLead, { contentHash: v2.contentHash });
      expect(last.status).toBe(201);
      expect(last.body.state).toBe('BINDING');

      const list = await t.request('GET', versionsUrl(), undefined, as(u.deltaLead));
      expect(list.body.items.map((v: { version: number; state: string; inForceFor: string[] }) => [v.version, v.state, v.inForceFor])).toEqual([
        [1, 'BINDING', ['Y1', 'Y2']],
        [2, 'BINDING', ['Y3']],
      ]);
      expect(list.body.items[0]).not.toHaveProperty('content');
      expect((await inForce('Y1')).body.version).toBe(1);
      expect((await inForce('Y2')).body.version).toBe(1);
      const y3 = await inForce('Y3');
      expect(y3.body).toMatchObject({ versionId: versionIds.v2, version: 2, effectiveFromPeriodCode: 'Y3', contentHash: v2.contentHash });
      expect(y3.body.indicators[1].targets[2]).toEqual({ period: 'Y3', grouping: 'RTI-A', value: '14' });
      expect((await inForce('Y2')).body.indicators[1].targets[2]).toEqual({ period: 'Y3', grouping: 'RTI-A', value: '12' });

      // The function other modules call gives the same answer inside their own transactions.
      const y2 = await indicatorSetInForce(ds.manager, pd.contractId, pd.periodIds.Y2);
      expect(y2?.versionId).toBe(versionIds.v1);
      expect((await indicatorSetInForce(ds.manager, pd.contractId, pd.periodIds.Y3))?.versionId).toBe(versionIds.v2);
      // Version 1 still says what it said; only the periods it governs are fewer now.
      expect((await getVersion(versionIds.v1)).body).toEqual({ ...JSON.parse(v1Text), inForceFor: ['Y1', 'Y2'] });
    });

    it('refuses a version effective before the last binding one, and supersedes an open draft', async () => {
      const tooEarly = await t.request('POST', versionsUrl(), { reason: 'x', effectiveFromPeriodId: pd.periodIds.Y2 }, as(u.manager));
      expect(tooEarly.status).toBe(422);
      expect(tooEarly.body.code).toBe('CO_DEFINITION_EFFECTIVE_FROM_TOO_EARLY');
      expect(tooEarly.body.details.fields).toEqual([{ field: 'effectiveFromPeriodId', message: 'must not be before Y3 (binding version 2)' }]);

      const v3 = await t.request('POST', versionsUrl(), { reason: 'Bozza poi ritirata', effectiveFromPeriodId: pd.periodIds.Y3 }, as(u.manager));
      expect(v3.status).toBe(201);
      versionIds.v3 = v3.body.id;
      expect((await approve(versionIds.v3, u.approver, { contentHash: v3.body.contentHash })).status).toBe(201);
      const v4 = await t.request('POST', versionsUrl(), { reason: 'Bozza corretta', effectiveFromPeriodId: pd.periodIds.Y3 }, as(u.manager));
      expect(v4.status).toBe(201);
      expect(v4.body.version).toBe(4);
      expect(v4.body.approvals).toEqual([]);

      const superseded = await approve(versionIds.v3, u.auroraLead, { contentHash: v3.body.contentHash });
      expect(superseded.status).toBe(409);
      expect(superseded.body.code).toBe('CO_DEFINITION_VERSION_NOT_OPEN');
      expect(superseded.body.details.state).toBe('SUPERSEDED');
      const states = (await t.request('GET', versionsUrl())).body.items.map((v: { state: string; inForceFor: string[] }) => [v.state, v.inForceFor]);
      expect(states).toEqual([
        ['BINDING', ['Y1', 'Y2']],
        ['BINDING', ['Y3']],
        ['SUPERSEDED', []],
        ['DRAFT', []],
      ]);
      expect((await auditOf(versionIds.v3)).map((a) => a.action)).toEqual(['create', 'supersede']);
      expect((await inForce('Y3')).body.version).toBe(2);
    });

    it('changes no closed period: neither freezes nor approves a version applying to one, until an approver reopens it', async () => {
      const v4 = (await t.request('GET', versionsUrl())).body.items[3];
      expect(v4).toMatchObject({ version: 4, state: 'DRAFT', effectiveFromPeriodCode: 'Y3' });
      expect((await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y3}/close`, undefined, as(u.manager))).status).toBe(200);

      const approval = await approve(v4.id, u.approver, { contentHash: v4.contentHash });
      expect(approval.status).toBe(422);
      expect(approval.body.code).toBe('CO_DEFINITION_PERIOD_CLOSED');
      expect(approval.body.details).toMatchObject({ periods: ['Y3'], fields: [{ field: 'effectiveFromPeriodId', message: 'applies to closed period Y3' }] });
      const frozen = await t.request('POST', versionsUrl(), { reason: 'Target rivisto dopo la chiusura', effectiveFromPeriodId: pd.periodIds.Y3 }, as(u.manager));
      expect(frozen.status).toBe(422);
      expect(frozen.body.code).toBe('CO_DEFINITION_PERIOD_CLOSED');
      expect(frozen.body.message).toBe('Version 5 would apply to closed period Y3: an approver reopens a period before its indicators change');
      // Nothing changed: no approval, no version 5, version 4 still open.
      expect((await getVersion(v4.id)).body.approvals).toEqual([]);
      expect((await t.request('GET', versionsUrl())).body.items.map((v: { state: string }) => v.state)).toEqual(['BINDING', 'BINDING', 'SUPERSEDED', 'DRAFT']);
      expect((await auditOf(v4.id)).map((a) => a.action)).toEqual(['create']);

      const reopened = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y3}/reopen`, { reason: 'Correzione del target IND-02 concordata' }, as(u.approver));
      expect(reopened.status).toBe(200);
      expect((await approve(v4.id, u.approver, { contentHash: v4.contentHash })).status).toBe(201);
    });

    it('answers 404 for unknown periods and contracts', async () => {
      const foreign = await t.request('GET', `/api/v1/contracts/${pd.contractId}/periods/${other.periodIds.Y1}/indicator-set`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('CO_DEFINITION_PERIOD_NOT_FOUND');
      expect((await inForce('Y1', u.otherEtsLead)).body.code).toBe('CO_DEFINITION_CONTRACT_NOT_FOUND');
      expect((await t.request('GET', `/api/v1/contracts/${pd.contractId}/periods/not-a-uuid/indicator-set`)).status).toBe(400);
    });
  });
});
