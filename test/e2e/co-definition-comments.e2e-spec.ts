import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { CommentEntity } from 'src/co-definition/comment.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Issue 3: evaluators (a university partner) propose and comment but approve nothing. Comments on a
// proposal sheet and on an indicator-set version: written by those who see the object and hold a
// commenting role, read by everyone who sees it (auditors too), immutable, oldest first, audited.

const MISSING = '00000000-0000-4000-8000-000000000000';
const NOW = '2026-01-15T10:00:00.000Z';

describe('co-definition comments', () => {
  let t: TestApp;
  let ds: DataSource;
  let pd: ContractFixture;
  let other: ContractFixture;
  let uniId: string;
  const u = {} as Record<
    'manager' | 'approver' | 'auditor' | 'auroraMember' | 'auroraLead' | 'deltaLead' | 'otherEtsLead' | 'evaluator' | 'ungrantedEvaluator',
    TestUser
  >;
  const ids = {} as Record<'auroraProposal' | 'deltaProposal' | 'version' | 'evaluatorOnProposal' | 'evaluatorOnVersion' | 'auroraReply', string>;

  const as = (user: TestUser) => ({ as: user.apiKey });
  const proposalComments = (id: string) => `/api/v1/proposals/${id}/comments`;
  const versionComments = (id: string) => `/api/v1/indicator-set-versions/${id}/comments`;
  const commentRows = () => ds.getRepository(CommentEntity).find({ order: { id: 'ASC' } });
  const auditCount = () => ds.getRepository(AuditEntryEntity).count();
  const commentAudit = () => ds.getRepository(AuditEntryEntity).find({ where: { objectType: 'co_definition_comment' }, order: { seq: 'ASC' } });

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
    u.auroraMember = await user('Operatrice Aurora', ['ets_member'], pd.etsIds.AURORA);
    u.auroraLead = await user('Presidente Aurora', ['grouping_lead'], pd.etsIds.AURORA);
    u.deltaLead = await user('Presidente Delta', ['grouping_lead', 'ets_member'], pd.etsIds.DELTA);
    u.otherEtsLead = await user('Presidente Aurora XX', ['grouping_lead'], other.etsIds.AURORA);

    const uni = await t.request('POST', '/api/v1/organisations', { code: 'UNIPD', kind: 'OTHER', name: 'Università di Padova' });
    const lab = await t.request('POST', '/api/v1/organisations', { code: 'LAB-X', kind: 'OTHER', name: 'Laboratorio senza accesso' });
    expect([uni.status, lab.status]).toEqual([201, 201]);
    uniId = uni.body.id;
    u.evaluator = await user('Valutatrice UniPD', ['evaluator'], uniId);
    u.ungrantedEvaluator = await user('Valutatore senza accesso', ['evaluator'], lab.body.id);
    expect((await t.request('POST', `/api/v1/contracts/${pd.contractId}/grants`, { organisationId: uniId })).status).toBe(201);

    for (const body of Object.values(padovaIndicatorBodies(pd))) {
      expect((await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, body, as(u.manager))).status).toBe(201);
    }
    const aurora = await t.request('POST', `/api/v1/contracts/${pd.contractId}/proposals`, { dimensions: [{ label: 'nuove collaborazioni' }] }, as(u.auroraMember));
    const delta = await t.request('POST', `/api/v1/contracts/${pd.contractId}/proposals`, { dimensions: [{ label: 'autonomia' }] }, as(u.deltaLead));
    const version = await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicator-set-versions`, {}, as(u.manager));
    expect([aurora.status, delta.status, version.status]).toEqual([201, 201, 201]);
    ids.auroraProposal = aurora.body.id;
    ids.deltaProposal = delta.body.id;
    ids.version = version.body.id;
  }, 30_000); // the app, two seeded contracts, nine users, five indicators, two proposals and a version

  afterAll(async () => {
    await t.close();
  });

  describe('a granted evaluator comments but approves nothing', () => {
    it('comments on an ETS proposal, with its name, role and organisation, and one audit entry', async () => {
      const auditBefore = await auditCount();
      const res = await t.request('POST', proposalComments(ids.auroraProposal), { text: 'La dimensione "nuove collaborazioni" va misurata anche nel tempo.' }, as(u.evaluator));
      expect(res.status).toBe(201);
      ids.evaluatorOnProposal = res.body.id;
      expect(res.body).toEqual({
        id: ids.evaluatorOnProposal,
        contractId: pd.contractId,
        objectType: 'PROPOSAL',
        objectId: ids.auroraProposal,
        number: 1,
        text: 'La dimensione "nuove collaborazioni" va misurata anche nel tempo.',
        replyTo: null,
        author: { label: 'Valutatrice UniPD', roles: ['evaluator'], organisationId: uniId, organisationName: 'Università di Padova' },
        createdAt: NOW,
      });
      expect(await auditCount()).toBe(auditBefore + 1);
      const audit = await ds.getRepository(AuditEntryEntity).find({ where: { objectId: ids.evaluatorOnProposal } });
      expect(audit.map((a) => [a.action, a.objectType, a.contractId, a.municipalityId, a.organisationId, a.actorId, a.beforeDigest])).toEqual([
        ['create', 'co_definition_comment', pd.contractId, pd.municipalityId, uniId, u.evaluator.userId, null],
      ]);
      expect(audit[0].afterDigest).toMatch(/^[0-9a-f]{64}$/);
    });

    it('comments on an indicator-set version, which stays an unapproved draft', async () => {
      const res = await t.request('POST', versionComments(ids.version), { text: 'Manca la baseline di IND-03.' }, as(u.evaluator));
      expect(res.status).toBe(201);
      ids.evaluatorOnVersion = res.body.id;
      expect(res.body).toMatchObject({ objectType: 'INDICATOR_SET_VERSION', objectId: ids.version, contractId: pd.contractId, number: 1, replyTo: null });
      const version = await t.request('GET', `/api/v1/indicator-set-versions/${ids.version}`, undefined, as(u.evaluator));
      expect(version.status).toBe(200);
      expect(version.body).toMatchObject({ state: 'DRAFT', approvals: [], missingSides: ['MUNICIPALITY', 'RTI-A', 'RTI-B'] });
    });

    it('still cannot approve the version it commented on (403), and the refusal changes nothing', async () => {
      const version = await t.request('GET', `/api/v1/indicator-set-versions/${ids.version}`, undefined, as(u.evaluator));
      const auditBefore = await auditCount();
      const res = await t.request('POST', `/api/v1/indicator-set-versions/${ids.version}/approvals`, { contentHash: version.body.contentHash }, as(u.evaluator));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH_FORBIDDEN');
      expect((await t.request('GET', `/api/v1/indicator-set-versions/${ids.version}`, undefined, as(u.evaluator))).body).toEqual(version.body);
      expect(await auditCount()).toBe(auditBefore);
    });
  });

  describe('threads, order and pagination', () => {
    it('takes replies from the proposing ETS and the municipality, numbered in order', async () => {
      const reply = await t.request('POST', proposalComments(ids.auroraProposal), { text: 'Aggiungiamo il registro accordi.', replyTo: ids.evaluatorOnProposal }, as(u.auroraMember));
      expect(reply.status).toBe(201);
      ids.auroraReply = reply.body.id;
      expect(reply.body).toMatchObject({ number: 2, replyTo: ids.evaluatorOnProposal, author: { label: 'Operatrice Aurora', roles: ['ets_member'], organisationId: pd.etsIds.AURORA } });
      const manager = await t.request('POST', proposalComments(ids.auroraProposal), { text: 'Correzione: il registro è già previsto.', replyTo: ids.auroraReply }, as(u.manager));
      expect(manager.status).toBe(201);
      expect(manager.body).toMatchObject({ number: 3, replyTo: ids.auroraReply, author: { label: 'Funzionaria Servizi Sociali', roles: ['contract_manager'], organisationId: pd.municipalityId } });
      const approver = await t.request('POST', versionComments(ids.version), { text: 'Il dirigente prende atto.' }, as(u.approver));
      const delta = await t.request('POST', versionComments(ids.version), { text: 'RTI-B concorda.', replyTo: ids.evaluatorOnVersion }, as(u.deltaLead));
      expect([approver.status, delta.status]).toEqual([201, 201]);
      expect([approver.body.number, delta.body.number]).toEqual([2, 3]);
      expect(delta.body.author.roles).toEqual(['ets_member', 'grouping_lead']);
    });

    it('lists oldest first with authors, and pages', async () => {
      const all = await t.request('GET', proposalComments(ids.auroraProposal), undefined, as(u.auroraLead));
      expect(all.status).toBe(200);
      expect(all.body.page).toEqual({ limit: 50, offset: 0, total: 3 });
      expect(all.body.items.map((c: { number: number; text: string; replyTo: string | null; author: { label: string; organisationName: string } }) => [c.number, c.author.label, c.author.organisationName, c.replyTo])).toEqual([
        [1, 'Valutatrice UniPD', 'Università di Padova', null],
        [2, 'Operatrice Aurora', expect.any(String), ids.evaluatorOnProposal],
        [3, 'Funzionaria Servizi Sociali', expect.any(String), ids.auroraReply],
      ]);
      expect(all.body.items[0].id).toBe(ids.evaluatorOnProposal);
      const page = await t.request('GET', `${proposalComments(ids.auroraProposal)}?limit=2&offset=1`, undefined, as(u.evaluator));
      expect(page.status).toBe(200);
      expect(page.body.page).toEqual({ limit: 2, offset: 1, total: 3 });
      expect(page.body.items.map((c: { number: number }) => c.number)).toEqual([2, 3]);
      expect(page.body.items).toEqual(all.body.items.slice(1));
      const versions = await t.request('GET', versionComments(ids.version), undefined, as(u.auroraMember));
      expect(versions.body.items.map((c: { number: number; author: { label: string } }) => [c.number, c.author.label])).toEqual([
        [1, 'Valutatrice UniPD'],
        [2, 'Dirigente Servizi Sociali'],
        [3, 'Presidente Delta'],
      ]);
      expect((await t.request('GET', `${versionComments(ids.version)}?limit=0`, undefined, as(u.auroraMember))).status).toBe(400);
    });

    it('offers no way to change or delete a comment', async () => {
      for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
        const res = await t.request(method, `${proposalComments(ids.auroraProposal)}/${ids.evaluatorOnProposal}`, { text: 'riscritto' }, as(u.evaluator));
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('ROUTE_NOT_FOUND');
      }
      expect((await ds.getRepository(CommentEntity).findOneByOrFail({ id: ids.evaluatorOnProposal })).text).toBe('La dimensione "nuove collaborazioni" va misurata anche nel tempo.');
    });
  });

  describe('who reads and who writes', () => {
    it('lets an auditor read comments but write none (403), changing nothing', async () => {
      const onProposal = await t.request('GET', proposalComments(ids.auroraProposal), undefined, as(u.auditor));
      const onVersion = await t.request('GET', versionComments(ids.version), undefined, as(u.auditor));
      expect([onProposal.status, onVersion.status]).toEqual([200, 200]);
      expect([onProposal.body.page.total, onVersion.body.page.total]).toEqual([3, 3]);
      const rows = await commentRows();
      const auditBefore = await auditCount();
      for (const url of [proposalComments(ids.auroraProposal), versionComments(ids.version)]) {
        const res = await t.request('POST', url, { text: 'Osservazione del revisore' }, as(u.auditor));
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('AUTH_FORBIDDEN');
      }
      // A platform administrator reads everything but is not a commenting role either.
      expect((await t.request('POST', versionComments(ids.version), { text: 'admin' })).status).toBe(403);
      expect((await t.request('GET', versionComments(ids.version))).body.page.total).toBe(3);
      expect(await commentRows()).toEqual(rows);
      expect(await auditCount()).toBe(auditBefore);
    });

    it("hides another ETS's proposal and its comments (404), while both ETS share the version's comments", async () => {
      const rows = await commentRows();
      const auditBefore = await auditCount();
      for (const res of [
        await t.request('GET', proposalComments(ids.auroraProposal), undefined, as(u.deltaLead)),
        await t.request('POST', proposalComments(ids.auroraProposal), { text: 'curiosità' }, as(u.deltaLead)),
        await t.request('GET', proposalComments(ids.auroraProposal), undefined, as(u.otherEtsLead)),
        await t.request('GET', proposalComments(ids.auroraProposal), undefined, as(u.ungrantedEvaluator)),
        await t.request('POST', proposalComments(ids.auroraProposal), { text: 'x' }, as(u.ungrantedEvaluator)),
        await t.request('GET', proposalComments(MISSING), undefined, as(u.evaluator)),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CO_DEFINITION_PROPOSAL_NOT_FOUND');
      }
      for (const res of [
        await t.request('GET', versionComments(ids.version), undefined, as(u.otherEtsLead)),
        await t.request('POST', versionComments(ids.version), { text: 'x' }, as(u.otherEtsLead)),
        await t.request('GET', versionComments(ids.version), undefined, as(u.ungrantedEvaluator)),
        await t.request('POST', versionComments(MISSING), { text: 'x' }, as(u.evaluator)),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CO_DEFINITION_VERSION_NOT_FOUND');
      }
      expect(await commentRows()).toEqual(rows);
      expect(await auditCount()).toBe(auditBefore);

      // Delta's own proposal: Delta and the evaluator discuss it; Aurora sees neither the proposal nor the thread.
      const own = await t.request('POST', proposalComments(ids.deltaProposal), { text: 'Proposta RTI-B da discutere' }, as(u.deltaLead));
      expect(own.status).toBe(201);
      expect((await t.request('GET', proposalComments(ids.deltaProposal), undefined, as(u.evaluator))).body.items.map((c: { id: string }) => c.id)).toEqual([own.body.id]);
      const hidden = await t.request('GET', proposalComments(ids.deltaProposal), undefined, as(u.auroraMember));
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('CO_DEFINITION_PROPOSAL_NOT_FOUND');
    });

    it('answers 401 to anonymous callers and 400 to a path id that is not a UUID', async () => {
      expect((await t.request('GET', proposalComments(ids.auroraProposal), undefined, { as: null })).status).toBe(401);
      const bad = await t.request('GET', '/api/v1/proposals/not-a-uuid/comments', undefined, as(u.evaluator));
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields).toEqual([{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }]);
    });
  });

  describe('bad input changes nothing', () => {
    const fieldsOf = (body: { details: { fields: { field: string }[] } }) => [...new Set(body.details.fields.map((f) => f.field))].sort();

    it('rejects empty, blank, too long, non-string and unknown fields with 400 and field paths', async () => {
      const rows = await commentRows();
      const auditBefore = await auditCount();
      const cases: [unknown, string[]][] = [
        [{ text: '' }, ['text']],
        [{ text: '   \n\t' }, ['text']],
        [{ text: 'x'.repeat(5001) }, ['text']],
        [{ text: 42 }, ['text']],
        [{}, ['text']],
        [{ text: 'ok', author: 'someone else' }, ['author']],
        [{ text: 'ok', replyTo: 'not-a-uuid' }, ['replyTo']],
      ];
      for (const [body, fields] of cases) {
        const res = await t.request('POST', proposalComments(ids.auroraProposal), body, as(u.evaluator));
        expect([res.status, res.body.code, fieldsOf(res.body)]).toEqual([400, 'VALIDATION_FAILED', fields]);
      }
      expect(await commentRows()).toEqual(rows);
      expect(await auditCount()).toBe(auditBefore);
    });

    it('rejects a reply to a comment on another object, or to no comment, with 422 on replyTo', async () => {
      const rows = await commentRows();
      const auditBefore = await auditCount();
      for (const [url, replyTo] of [
        [proposalComments(ids.auroraProposal), ids.evaluatorOnVersion], // a comment on the version
        [versionComments(ids.version), ids.evaluatorOnProposal], // a comment on the proposal
        [proposalComments(ids.deltaProposal), ids.auroraReply], // a comment on another proposal
        [proposalComments(ids.auroraProposal), MISSING],
      ]) {
        const user = url.includes(ids.deltaProposal) ? u.deltaLead : u.evaluator;
        const res = await t.request('POST', url, { text: 'risposta', replyTo }, as(user));
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('CO_DEFINITION_COMMENT_REPLY_INVALID');
        expect(res.body.details.fields).toEqual([{ field: 'replyTo', message: 'is not a comment on this object' }]);
      }
      expect(await commentRows()).toEqual(rows);
      expect(await auditCount()).toBe(auditBefore);
    });

    it('accepts exactly 5000 characters, stored verbatim', async () => {
      const text = `${'à'.repeat(4999)}!`;
      const res = await t.request('POST', versionComments(ids.version), { text }, as(u.auroraLead));
      expect(res.status).toBe(201);
      expect(res.body.number).toBe(4);
      expect((await ds.getRepository(CommentEntity).findOneByOrFail({ id: res.body.id })).text).toBe(text);
    });
  });

  describe('audit', () => {
    it('recorded one audit entry per comment, in order, and the chain verifies', async () => {
      const rows = await commentRows();
      expect(rows).toHaveLength(8);
      const audit = await commentAudit();
      expect(audit.map((a) => a.objectId).sort()).toEqual(rows.map((r) => r.id));
      expect(audit.every((a) => a.action === 'create' && a.contractId === pd.contractId && a.municipalityId === pd.municipalityId)).toBe(true);
      expect(audit.map((a) => a.actorId)).toEqual([
        u.evaluator.userId,
        u.evaluator.userId,
        u.auroraMember.userId,
        u.manager.userId,
        u.approver.userId,
        u.deltaLead.userId,
        u.deltaLead.userId,
        u.auroraLead.userId,
      ]);
      const verify = await t.request('GET', '/api/v1/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({ ok: true, firstBreak: null });
    });
  });

  describe('contract deletion', () => {
    it('takes the comments (and their replies) with the contract', async () => {
      const zz = await seedContract(t.app, { key: 'ZZ' });
      const lead = await insertTestUser(ds, { name: 'Presidente Aurora ZZ', roles: ['grouping_lead'], organisationId: zz.etsIds.AURORA }, t.clock.nowIso());
      const proposal = await t.request('POST', `/api/v1/contracts/${zz.contractId}/proposals`, {}, as(lead));
      expect(proposal.status).toBe(201);
      const first = await t.request('POST', proposalComments(proposal.body.id), { text: 'prima' }, as(lead));
      const reply = await t.request('POST', proposalComments(proposal.body.id), { text: 'seconda', replyTo: first.body.id }, as(lead));
      expect([first.status, reply.status]).toEqual([201, 201]);
      const kept = await commentRows();
      expect(kept.filter((c) => c.contractId === zz.contractId).map((c) => [c.seq, c.replyToId])).toEqual(expect.arrayContaining([[1, null], [2, first.body.id]]));
      expect((await t.request('DELETE', `/api/v1/contracts/${zz.contractId}`)).status).toBe(204);
      expect(await ds.getRepository(CommentEntity).countBy({ contractId: zz.contractId })).toBe(0);
      expect(await commentRows()).toEqual(kept.filter((c) => c.contractId !== zz.contractId));
    });
  });
});
