import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { digestOf } from 'src/audit/audit.chain';
import { Role } from 'src/auth/roles';
import { MeasurementEvidenceEntity } from 'src/measurements/measurement.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// DELETE /api/v1/evidence/:id (docs/measurements.md#evidence): a file attached by mistake is removed by
// the staff who may add evidence to its measurement, while the measurement is DRAFT or RETURNED and its
// period open. The row and its audit entry go together, the stored file after them; everyone else, and
// every other state, changes nothing.

describe('evidence removal (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ContractFixture;
  let other: ContractFixture;
  const u = {} as Record<'manager' | 'approver' | 'auditor' | 'aurora' | 'auroraLead' | 'borgo' | 'delta' | 'deltaLead' | 'otherEts', TestUser>;
  const ids: Record<string, string> = {};

  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
  const post = (url: string, body: unknown, user: TestUser) => t.request('POST', `/api/v1${url}`, body, { as: user.apiKey });
  const get = (url: string, user: TestUser) => t.request('GET', `/api/v1${url}`, undefined, { as: user.apiKey });
  const remove = (id: string, user: TestUser) => t.request('DELETE', `/api/v1/evidence/${id}`, undefined, { as: user.apiKey });
  const upload = async (measurementId: string, user: TestUser, name: string): Promise<{ id: string; sha256: string; sizeBytes: number }> => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/measurements/${measurementId}/evidence`,
      headers: { 'x-api-key': user.apiKey, 'content-type': 'application/pdf', 'x-filename': name },
      payload: pdf(name),
    });
    expect(res.statusCode).toBe(201);
    return JSON.parse(res.body) as { id: string; sha256: string; sizeBytes: number };
  };
  const draft = async (user: TestUser, period: 'Y2' | 'Y3', grouping: 'RTI-A' | 'RTI-B' = 'RTI-A'): Promise<string> => {
    const res = await post(`/contracts/${fx.contractId}/measurements`, { indicatorCode: 'IND-02', periodId: fx.periodIds[period], groupingId: fx.groupingIds[grouping], value: '4', submit: false }, user);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const storageName = async (id: string) => (await ds.getRepository(MeasurementEvidenceEntity).findOneByOrFail({ id })).storageName;
  const listed = async (measurementId: string) => ((await get(`/measurements/${measurementId}/evidence`, u.aurora)).body.items as { id: string }[]).map((e) => e.id);
  /** What a refused removal must leave as it was: rows, files on disk, audit entries. */
  const state = async () => ({
    rows: await ds.getRepository(MeasurementEvidenceEntity).count(),
    files: readdirSync(t.config.evidenceDir).sort(),
    audit: await ds.getRepository(AuditEntryEntity).count(),
  });

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await seedContract(t.app);
    other = await seedContract(t.app, { key: 'OT' });
    const user = (name: string, roles: Role[], organisationId: string) => insertTestUser(ds, { name, roles, organisationId }, t.clock.nowIso());
    u.manager = await user('Laura Bianchi', ['contract_manager'], fx.municipalityId);
    u.approver = await user('Dirigente Rossi', ['approver'], fx.municipalityId);
    u.auditor = await user('Revisore', ['auditor'], fx.municipalityId);
    u.aurora = await user('Operatrice Aurora', ['ets_member'], fx.etsIds.AURORA);
    u.auroraLead = await user('Capofila Aurora', ['grouping_lead'], fx.etsIds.AURORA);
    u.borgo = await user('Operatore Borgo Vivo', ['ets_member'], fx.etsIds['BORGO-VIVO']);
    u.delta = await user('Operatore Delta', ['ets_member'], fx.etsIds.DELTA);
    u.deltaLead = await user('Capofila Delta', ['grouping_lead'], fx.etsIds.DELTA);
    u.otherEts = await user('ETS altrove', ['ets_member'], other.etsIds.AURORA);
    for (const body of Object.values(padovaIndicatorBodies(fx))) {
      expect((await post(`/contracts/${fx.contractId}/indicators`, body, u.manager)).status).toBe(201);
    }
    const version = await post(`/contracts/${fx.contractId}/indicator-set-versions`, {}, u.manager);
    for (const approver of [u.approver, u.auroraLead, u.deltaLead]) {
      expect((await post(`/indicator-set-versions/${version.body.id}/approvals`, { contentHash: version.body.contentHash }, approver)).status).toBe(201);
    }
    ids.measurement = await draft(u.aurora, 'Y2');
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('removes a DRAFT measurement\'s file for its submitter: 204, gone from the list, the download and the disk, and audited', async () => {
    const wrong = await upload(ids.measurement, u.aurora, 'dati personali.pdf');
    const kept = await upload(ids.measurement, u.aurora, 'verbale.pdf');
    ids.kept = kept.id;
    const stored = await storageName(wrong.id);
    expect(existsSync(join(t.config.evidenceDir, stored))).toBe(true);
    const added = await ds.getRepository(AuditEntryEntity).findOneByOrFail({ objectId: wrong.id, action: 'add_evidence' });

    const res = await remove(wrong.id, u.aurora);
    expect([res.status, res.text]).toEqual([204, '']);
    expect(await listed(ids.measurement)).toEqual([kept.id]);
    expect((await get(`/evidence/${wrong.id}`, u.aurora)).body).toEqual({ code: 'MEASUREMENT_EVIDENCE_NOT_FOUND', message: `Evidence ${wrong.id} not found`, details: { id: wrong.id } });
    expect((await get(`/evidence/${wrong.id}`, u.manager)).status).toBe(404);
    expect(existsSync(join(t.config.evidenceDir, stored))).toBe(false);
    expect(existsSync(join(t.config.evidenceDir, await storageName(kept.id)))).toBe(true);

    // The entry holds the digest of the evidence as it was added (name, size, SHA-256, measurement), not the name itself.
    const removed = await ds.getRepository(AuditEntryEntity).findOneByOrFail({ objectId: wrong.id, action: 'remove_evidence' });
    expect(removed).toMatchObject({ objectType: 'measurement_evidence', actorId: u.aurora.userId, organisationId: fx.etsIds.AURORA, contractId: fx.contractId, municipalityId: fx.municipalityId, afterDigest: null });
    expect(removed.beforeDigest).toBe(added.afterDigest);
    expect(removed.beforeDigest).toBe(digestOf(wrong));
    expect((await get('/audit/verify', u.auditor)).body).toMatchObject({ ok: true });

    // Removing it again is the missing id's 404.
    expect((await remove(wrong.id, u.aurora)).body.code).toBe('MEASUREMENT_EVIDENCE_NOT_FOUND');
  });

  it("shows the removal in the audit log to the submitter's organisation and the municipality, never to another member of the grouping", async () => {
    const [removal] = (await ds.getRepository(AuditEntryEntity).findBy({ action: 'remove_evidence' })).map((e) => e.objectId);
    const actions = async (user: TestUser) => ((await get(`/audit?objectId=${removal}&order=asc`, user)).body.items as { action: string }[]).map((e) => e.action);
    expect(await actions(u.aurora)).toEqual(['add_evidence', 'remove_evidence']);
    expect(await actions(u.auroraLead)).toEqual(['add_evidence', 'remove_evidence']);
    expect(await actions(u.manager)).toEqual(['add_evidence', 'remove_evidence']);
    expect(await actions(u.borgo)).toEqual([]);
    expect(await actions(u.delta)).toEqual([]);
  });

  it('refuses while the measurement is SUBMITTED (awaiting review), allows it again once RETURNED, and refuses for good once ACCEPTED (409)', async () => {
    expect((await post(`/measurements/${ids.measurement}/submit`, {}, u.aurora)).body.status).toBe('SUBMITTED');
    const before = await state();
    const submitted = await remove(ids.kept, u.aurora);
    expect([submitted.status, submitted.body]).toEqual([
      409,
      {
        code: 'MEASUREMENT_STATE_CONFLICT',
        message: 'A SUBMITTED measurement is awaiting review and keeps its evidence: wait for the review, or ask the contract manager to return it',
        details: { id: ids.measurement, status: 'SUBMITTED', version: 1, evidenceId: ids.kept },
      },
    ]);
    expect(await state()).toEqual(before);

    // Adding is still allowed while submitted (as before this route existed): the reviewer gets more, never less.
    const late = await upload(ids.measurement, u.aurora, 'integrazione.pdf');
    expect((await post(`/measurements/${ids.measurement}/return`, { reason: 'Allegare il protocollo firmato' }, u.manager)).body.status).toBe('RETURNED');
    expect((await remove(ids.kept, u.aurora)).status).toBe(204);
    expect(await listed(ids.measurement)).toEqual([late.id]);

    expect((await post(`/measurements/${ids.measurement}/versions`, { value: '5', reason: 'Protocollo firmato allegato' }, u.aurora)).body).toMatchObject({ status: 'SUBMITTED', version: 2 });
    expect((await post(`/measurements/${ids.measurement}/accept`, {}, u.manager)).body.status).toBe('ACCEPTED');
    const atAccept = await state();
    const accepted = await remove(late.id, u.aurora);
    expect([accepted.status, accepted.body]).toEqual([
      409,
      {
        code: 'MEASUREMENT_STATE_CONFLICT',
        message: "An ACCEPTED measurement's evidence is final and cannot be removed",
        details: { id: ids.measurement, status: 'ACCEPTED', version: 2, evidenceId: late.id },
      },
    ]);
    expect(await state()).toEqual(atAccept);
    expect(await listed(ids.measurement)).toEqual([late.id]);
  });

  it('refuses in a closed period with the add route\'s 422 MEASUREMENT_PERIOD_CLOSED, and removes once an approver reopens it', async () => {
    const measurement = await draft(u.aurora, 'Y3');
    const evidence = await upload(measurement, u.aurora, 'foglio presenze.pdf');
    expect((await post(`/contract-periods/${fx.periodIds.Y3}/close`, {}, u.manager)).status).toBe(200);
    const before = await state();
    const closed = await remove(evidence.id, u.aurora);
    expect([closed.status, closed.body]).toEqual([
      422,
      { code: 'MEASUREMENT_PERIOD_CLOSED', message: `Period Y3 is closed: an approver reopens it (POST /api/v1/contract-periods/${fx.periodIds.Y3}/reopen with a reason) before anything is submitted, corrected or reviewed in it`, details: { periodId: fx.periodIds.Y3, period: 'Y3' } },
    ]);
    // The same answer as adding evidence there.
    const add = await t.app.inject({ method: 'POST', url: `/api/v1/measurements/${measurement}/evidence`, headers: { 'x-api-key': u.aurora.apiKey, 'content-type': 'application/pdf' }, payload: pdf('x') });
    expect([add.statusCode, JSON.parse(add.body)]).toEqual([closed.status, closed.body]);
    expect(await state()).toEqual(before);

    expect((await post(`/contract-periods/${fx.periodIds.Y3}/reopen`, { reason: 'Allegato sbagliato da togliere' }, u.approver)).status).toBe(200);
    expect((await remove(evidence.id, u.aurora)).status).toBe(204);
    expect(await listed(measurement)).toEqual([]);
  });

  it('answers 404 to those who may not see the file, 403 to those who read it but may not change it, and lets the submitter remove it', async () => {
    const borgoDraft = await draft(u.borgo, 'Y2');
    const evidence = await upload(borgoDraft, u.borgo, 'borgo.pdf');
    const before = await state();
    const answers: [string, TestUser, number, string][] = [
      ['another ETS of the contract (other grouping)', u.delta, 404, 'MEASUREMENT_EVIDENCE_NOT_FOUND'],
      ['another member of the same grouping', u.aurora, 404, 'MEASUREMENT_EVIDENCE_NOT_FOUND'],
      ['an ETS of another contract', u.otherEts, 404, 'MEASUREMENT_EVIDENCE_NOT_FOUND'],
      // Reads its mandante's measurement and evidence, as the add route's 403 says.
      ['the grouping lead', u.auroraLead, 403, 'AUTH_FORBIDDEN'],
      // Municipal roles are not among the route's roles (@Allow), as for adding evidence.
      ['a contract manager of the municipality', u.manager, 403, 'AUTH_FORBIDDEN'],
      ['an auditor of the municipality', u.auditor, 403, 'AUTH_FORBIDDEN'],
    ];
    for (const [who, user, status, code] of answers) {
      const res = await remove(evidence.id, user);
      expect({ who, status: res.status, code: res.body.code }).toEqual({ who, status, code });
    }
    expect((await remove(evidence.id, u.delta)).body.details).toEqual({ id: evidence.id });
    expect(await state()).toEqual(before);
    expect((await get(`/evidence/${evidence.id}`, u.auroraLead)).status).toBe(200);

    expect((await remove(evidence.id, u.borgo)).status).toBe(204);
  });

  it('answers an unknown id with 404 MEASUREMENT_EVIDENCE_NOT_FOUND and a malformed one with 400 VALIDATION_FAILED, changing nothing', async () => {
    const before = await state();
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await remove(unknown, u.aurora)).toMatchObject({ status: 404, body: { code: 'MEASUREMENT_EVIDENCE_NOT_FOUND', details: { id: unknown } } });
    expect(await remove('not-a-uuid', u.aurora)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'id must be a UUID', details: { fields: [{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }] } },
    });
    expect(await state()).toEqual(before);
  });

  it('still answers 204 when the stored file cannot be deleted after the commit, and logs it', async () => {
    const measurement = await draft(u.delta, 'Y2', 'RTI-B');
    const evidence = await upload(measurement, u.delta, 'gia-rimosso.pdf');
    const stored = await storageName(evidence.id);
    rmSync(join(t.config.evidenceDir, stored));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      expect((await remove(evidence.id, u.delta)).status).toBe(204);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`Evidence ${evidence.id} was removed but its file ${stored} could not be deleted`));
    } finally {
      warn.mockRestore();
    }
    expect(await ds.getRepository(MeasurementEvidenceEntity).countBy({ id: evidence.id })).toBe(0);
    expect(await ds.getRepository(AuditEntryEntity).countBy({ objectId: evidence.id, action: 'remove_evidence' })).toBe(1);
  });
});
