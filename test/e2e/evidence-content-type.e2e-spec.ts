import { readdirSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { Role } from 'src/auth/roles';
import { EVIDENCE_TYPES } from 'src/measurements/evidence.service';
import { MeasurementEntity, MeasurementEvidenceEntity } from 'src/measurements/measurement.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// A file upload with a Content-Type the route does not take answers the route's own 415, with the types it
// does take, whatever the body (a file, JSON, nothing) and whether or not the type has a parser elsewhere in
// the app; and stores nothing. JSON routes keep Fastify's plain 415 for anything but JSON, and answer a
// 415 naming application/json for the types the upload routes parse (they would otherwise parse them).

describe('evidence and CSV uploads: a Content-Type the route does not take (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ContractFixture;
  let draftId: string;
  const u = {} as Record<'manager' | 'approver' | 'auroraLead' | 'deltaLead' | 'aurora', TestUser>;

  const pdf = Buffer.from('%PDF-1.4\n% verbale\n%%EOF\n');
  const send = (url: string, user: TestUser, payload: string | Buffer | undefined, contentType: string | undefined) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { 'x-api-key': user.apiKey, 'x-filename': 'verbale.pdf', ...(contentType === undefined ? {} : { 'content-type': contentType }) },
      ...(payload === undefined ? {} : { payload }),
    });
  const answer = (res: { statusCode: number; body: string }) => ({ status: res.statusCode, body: JSON.parse(res.body) as unknown });
  const listed = async () => (await t.request('GET', `/api/v1/measurements/${draftId}/evidence`, undefined, { as: u.aurora.apiKey })).body.items as unknown[];
  const stored = async () => ({
    listed: (await listed()).length,
    rows: await ds.getRepository(MeasurementEvidenceEntity).count(),
    files: readdirSync(t.config.evidenceDir, { withFileTypes: true }).length,
  });
  const measurementCount = () => ds.getRepository(MeasurementEntity).count();

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await seedContract(t.app);
    const user = (name: string, roles: Role[], organisationId: string) => insertTestUser(ds, { name, roles, organisationId }, t.clock.nowIso());
    u.manager = await user('Laura Bianchi', ['contract_manager'], fx.municipalityId);
    u.approver = await user('Dirigente Rossi', ['approver'], fx.municipalityId);
    u.auroraLead = await user('Capofila Aurora', ['grouping_lead'], fx.etsIds.AURORA);
    u.deltaLead = await user('Capofila Delta', ['grouping_lead'], fx.etsIds.DELTA);
    u.aurora = await user('Operatrice Aurora', ['ets_member'], fx.etsIds.AURORA);
    for (const body of Object.values(padovaIndicatorBodies(fx))) {
      expect((await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicators`, body, { as: u.manager.apiKey })).status).toBe(201);
    }
    const version = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicator-set-versions`, {}, { as: u.manager.apiKey });
    for (const approver of [u.approver, u.auroraLead, u.deltaLead]) {
      expect((await t.request('POST', `/api/v1/indicator-set-versions/${version.body.id}/approvals`, { contentHash: version.body.contentHash }, { as: approver.apiKey })).status).toBe(201);
    }
    const draft = await t.request(
      'POST',
      `/api/v1/contracts/${fx.contractId}/measurements`,
      { indicatorCode: 'IND-02', periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-A'], value: '11', submit: false },
      { as: u.aurora.apiKey },
    );
    expect(draft.status).toBe(201);
    draftId = draft.body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('evidence', () => {
    it.each([
      ['a type no parser takes, with a file', pdf, 'application/zip', 'application/zip'],
      ['a Word file', pdf, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['application/octet-stream, with parameters and capitals', pdf, 'Application/Octet-Stream; name=verbale.pdf', 'application/octet-stream'],
      ['JSON', '{"file":"verbale.pdf"}', 'application/json', 'application/json'],
      ['text/plain', 'verbale', 'text/plain; charset=utf-8', 'text/plain'],
      ['a malformed header', pdf, 'pdf', 'pdf'],
      ['no Content-Type, with a file', pdf, undefined, null],
      ['no Content-Type and no body', undefined, undefined, null],
    ])('answers 415 MEASUREMENT_EVIDENCE_TYPE_NOT_ALLOWED with the allowed types for %s, storing nothing', async (_, payload, type, contentType) => {
      const before = await stored();
      expect(answer(await send(`/measurements/${draftId}/evidence`, u.aurora, payload, type))).toEqual({
        status: 415,
        body: {
          code: 'MEASUREMENT_EVIDENCE_TYPE_NOT_ALLOWED',
          message: `Evidence must be one of ${EVIDENCE_TYPES.join(', ')}`,
          details: { contentType, allowed: [...EVIDENCE_TYPES] },
        },
      });
      expect(await stored()).toEqual(before);
      expect(await listed()).toEqual([]);
    });

    it('checks the type before the key and the measurement, as JSON routes check theirs (so 415 without a key, or for an unknown id)', async () => {
      const before = await stored();
      const noKey = await t.app.inject({ method: 'POST', url: `/api/v1/measurements/${draftId}/evidence`, headers: { 'content-type': 'application/zip' }, payload: pdf });
      const unknown = await send('/measurements/00000000-0000-4000-8000-000000000000/evidence', u.aurora, pdf, 'application/zip');
      for (const res of [noKey, unknown]) {
        expect(answer(res)).toMatchObject({ status: 415, body: { code: 'MEASUREMENT_EVIDENCE_TYPE_NOT_ALLOWED', details: { contentType: 'application/zip' } } });
      }
      expect((await send(`/measurements/${draftId}/evidence`, u.manager, pdf, 'application/pdf')).statusCode).toBe(403);
      expect(await stored()).toEqual(before);
    });

    it('still stores an allowed type, whatever the case and parameters of its header (so the checks above can fail)', async () => {
      const res = await send(`/measurements/${draftId}/evidence`, u.aurora, pdf, 'Application/PDF; name="verbale.pdf"');
      expect(res.statusCode).toBe(201);
      expect(JSON.parse(res.body)).toMatchObject({ contentType: 'application/pdf', sizeBytes: pdf.length });
      expect((await stored()).listed).toBe(1);
    });
  });

  describe('CSV import', () => {
    const url = () => `/contracts/${fx.contractId}/measurements/csv`;

    it.each([
      ['a type no parser takes', 'indicator,period,grouping,value\n', 'application/xml', 'application/xml'],
      ['an evidence type', pdf, 'application/pdf', 'application/pdf'],
      ['JSON', '{"indicator":"IND-01"}', 'application/json', 'application/json'],
      ['no Content-Type', 'indicator,period,grouping,value\n', undefined, null],
    ])('answers 415 UNSUPPORTED_MEDIA_TYPE with text/csv as the allowed type for %s, storing nothing', async (_, payload, type, contentType) => {
      const before = await measurementCount();
      expect(answer(await send(url(), u.aurora, payload, type))).toEqual({
        status: 415,
        body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the file as text/csv', details: { contentType, allowed: ['text/csv'] } },
      });
      expect(await measurementCount()).toBe(before);
    });
  });

  it('refuses on JSON routes the file types the upload routes parse, with a 415 naming application/json, creating nothing', async () => {
    const before = await measurementCount();
    for (const type of ['application/pdf', 'text/csv; charset=utf-8', 'Image/PNG']) {
      expect(answer(await send(`/contracts/${fx.contractId}/measurements`, u.aurora, pdf, type))).toEqual({
        status: 415,
        body: {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: `This request takes application/json, not ${type.split(';')[0].toLowerCase()}${type.startsWith('text/csv') ? ': CSV files go to POST /api/v1/contracts/:id/measurements/csv' : ''}`,
          details: { contentType: type.split(';')[0].toLowerCase(), allowed: ['application/json'] },
        },
      });
    }
    expect(await measurementCount()).toBe(before);
  });

  it('answers JSON routes with the common 415 naming application/json for anything but JSON, missing types included', async () => {
    for (const type of ['application/xml', 'application/zip']) {
      expect(answer(await send(`/contracts/${fx.contractId}/measurements`, u.aurora, '<measurement/>', type))).toEqual({
        status: 415,
        body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `This request takes application/json, not ${type}`, details: { contentType: type, allowed: ['application/json'] } },
      });
    }
    expect(answer(await send(`/contracts/${fx.contractId}/measurements`, u.aurora, '<measurement/>', undefined))).toEqual({
      status: 415,
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This request takes application/json: send a Content-Type header with the body', details: { contentType: null, allowed: ['application/json'] } },
    });
  });
});
