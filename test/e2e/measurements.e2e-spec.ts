import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { digestOf } from 'src/audit/audit.chain';
import { Role } from 'src/auth/roles';
import { MeasurementEntity, MeasurementEvidenceEntity, MeasurementVersionEntity, PeriodClosureEntity } from 'src/measurements/measurement.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Issue 3, section 3: an ETS submits single, batch and CSV measurements against the binding indicator set
// (made binding through the co-definition API), sees them reviewed, corrects a returned one, adds evidence,
// and cannot touch a closed period. Every refusal is checked to have changed nothing.

const EXAMPLE_CSV = join(__dirname, '..', '..', 'contracts', 'examples', 'measurements-padova-y2.csv');

describe('measurements (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ContractFixture;
  let other: ContractFixture;
  let evidenceDir: string;
  const u = {} as Record<'manager' | 'approver' | 'auditor' | 'aurora' | 'auroraLead' | 'borgo' | 'deltaLead' | 'otherManager' | 'otherEts', TestUser>;
  const ids: Record<string, string> = {};

  const as = (user: TestUser) => ({ as: user.apiKey });
  const post = (url: string, body: unknown, user: TestUser, headers: Record<string, string> = {}) => t.request('POST', `/api/v1${url}`, body, { as: user.apiKey, headers });
  const get = (url: string, user: TestUser) => t.request('GET', `/api/v1${url}`, undefined, as(user));
  const csv = (text: string | Buffer, user: TestUser, headers: Record<string, string> = {}, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/contracts/${fx.contractId}/measurements/csv${query}`,
      headers: { 'x-api-key': user.apiKey, 'content-type': 'text/csv; charset=utf-8', ...headers },
      payload: text,
    });
  const counts = async () => ({
    measurements: await ds.getRepository(MeasurementEntity).count(),
    versions: await ds.getRepository(MeasurementVersionEntity).count(),
    audit: await ds.getRepository(AuditEntryEntity).count(),
  });
  // The codes a measurement answer should carry, worked out from its ids and the fixture (never from the answer's own codes).
  const expectedCodes = (x: { periodId: string; groupingId: string; organisationId: string }) => ({
    periodCode: Object.entries(fx.periodIds).find(([, id]) => id === x.periodId)?.[0],
    groupingCode: Object.entries(fx.groupingIds).find(([, id]) => id === x.groupingId)?.[0],
    organisationCode: `ETS-${Object.entries(fx.etsIds).find(([, id]) => id === x.organisationId)?.[0]}-${fx.key}`,
  });
  const codesOf = (x: { periodCode: string; groupingCode: string; organisationCode: string }) => ({ periodCode: x.periodCode, groupingCode: x.groupingCode, organisationCode: x.organisationCode });
  const item = (indicatorCode: string, period: 'Y1' | 'Y2' | 'Y3', value: string | undefined, extra: Record<string, unknown> = {}) => ({
    indicatorCode,
    periodId: fx.periodIds[period],
    groupingId: fx.groupingIds['RTI-A'],
    ...(value === undefined ? {} : { value }),
    ...extra,
  });

  const pdf = Buffer.from('%PDF-1.4\n% verbale accordo\n%%EOF\n');
  const upload = (id: string, body: Buffer, user: TestUser, type = 'application/pdf', name = 'Protocollo%20parrocchia%20n%C2%B01.pdf') =>
    t.app.inject({ method: 'POST', url: `/api/v1/measurements/${id}/evidence`, headers: { 'x-api-key': user.apiKey, 'content-type': type, 'x-filename': name }, payload: body });

  beforeAll(async () => {
    t = await createTestApp();
    evidenceDir = t.config.evidenceDir;
    ds = t.app.get(DataSource);
    fx = await seedContract(t.app);
    other = await seedContract(t.app, { key: 'OT' });
    const now = t.clock.nowIso();
    const user = (name: string, roles: Role[], organisationId: string) => insertTestUser(ds, { name, roles, organisationId }, now);
    u.manager = await user('Laura Bianchi', ['contract_manager'], fx.municipalityId);
    u.approver = await user('Dirigente Rossi', ['approver'], fx.municipalityId);
    u.auditor = await user('Revisore', ['auditor'], fx.municipalityId);
    u.aurora = await user('Operatrice Aurora', ['ets_member'], fx.etsIds.AURORA);
    u.auroraLead = await user('Capofila Aurora', ['grouping_lead'], fx.etsIds.AURORA);
    u.borgo = await user('Operatore Borgo Vivo', ['ets_member'], fx.etsIds['BORGO-VIVO']);
    u.deltaLead = await user('Capofila Delta', ['grouping_lead'], fx.etsIds.DELTA);
    u.otherManager = await user('Manager altrove', ['contract_manager'], other.municipalityId);
    u.otherEts = await user('ETS altrove', ['ets_member'], other.etsIds.AURORA);
    for (const body of Object.values(padovaIndicatorBodies(fx))) {
      const res = await post(`/contracts/${fx.contractId}/indicators`, body, u.manager);
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses a measurement while no indicator set is binding, storing nothing', async () => {
    const before = await counts();
    const res = await post(`/contracts/${fx.contractId}/measurements`, item('IND-02', 'Y2', '11'), u.aurora);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'MEASUREMENT_NO_BINDING_INDICATOR_SET', details: { fields: [{ field: 'periodId', code: 'MEASUREMENT_NO_BINDING_INDICATOR_SET' }] } });
    expect(await counts()).toEqual(before);
  });

  it('makes version 1 binding through the co-definition API (Comune and both RTI leads)', async () => {
    const version = await post(`/contracts/${fx.contractId}/indicator-set-versions`, {}, u.manager);
    expect(version.status).toBe(201);
    ids.setVersion = version.body.id;
    for (const approver of [u.approver, u.auroraLead, u.deltaLead]) {
      const res = await post(`/indicator-set-versions/${ids.setVersion}/approvals`, { contentHash: version.body.contentHash }, approver);
      expect(res.status).toBe(201);
    }
    expect((await get(`/indicator-set-versions/${ids.setVersion}`, u.manager)).body.state).toBe('BINDING');
  });

  describe('single submission', () => {
    it('stores a submitted measurement of the caller organisation, validated against the binding version, with an audit entry', async () => {
      const before = await counts();
      const res = await post(`/contracts/${fx.contractId}/measurements`, item('IND-02', 'Y2', '11', { methodNotes: 'registro accordi' }), u.aurora);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        contractId: fx.contractId,
        periodId: fx.periodIds.Y2,
        periodCode: 'Y2',
        groupingId: fx.groupingIds['RTI-A'],
        groupingCode: 'RTI-A',
        organisationId: fx.etsIds.AURORA,
        organisationCode: 'ETS-AURORA-PD',
        indicatorCode: 'IND-02',
        status: 'SUBMITTED',
        version: 1,
        acceptedVersion: null,
        indicatorSetVersionId: ids.setVersion,
        value: '11',
        numerator: null,
        denominator: null,
        sampleSize: null,
        notAssessable: false,
        disaggregations: {},
        methodNotes: 'registro accordi',
        submittedAt: '2026-01-15T10:00:00.000Z',
        reviewOutcome: null,
        reviewReason: null,
        reviewedAt: null,
        createdAt: '2026-01-15T10:00:00.000Z',
        updatedAt: '2026-01-15T10:00:00.000Z',
      });
      ids.ind02 = res.body.id;
      expect(await counts()).toEqual({ measurements: before.measurements + 1, versions: before.versions + 1, audit: before.audit + 1 });
      const entry = await ds.getRepository(AuditEntryEntity).findOneByOrFail({ objectId: ids.ind02 });
      expect(entry).toMatchObject({ action: 'submit', objectType: 'measurement', contractId: fx.contractId, municipalityId: fx.municipalityId, actorId: u.aurora.userId, beforeDigest: null });
      // The audit log keeps the stored state (ids): the codes, read from the rows the ids name, are answered, not audited.
      const { periodCode, groupingCode, organisationCode, ...stored } = res.body;
      expect([periodCode, groupingCode, organisationCode]).toEqual(['Y2', 'RTI-A', 'ETS-AURORA-PD']);
      expect(entry.afterDigest).toBe(digestOf(stored));
    });

    it('computes a coverage rate from numerator and denominator, flags a survey under its minimum sample, and keeps drafts', async () => {
      const rate = await post(`/contracts/${fx.contractId}/measurements`, item('IND-05', 'Y3', undefined, { numerator: '2100', denominator: '30000' }), u.aurora);
      expect(rate.status).toBe(201);
      expect(rate.body).toMatchObject({ value: '7', numerator: '2100', denominator: '30000' });
      const survey = await post(`/contracts/${fx.contractId}/measurements`, item('IND-04', 'Y3', '81.5', { sampleSize: 150, submit: false }), u.aurora);
      expect(survey.status).toBe(201);
      expect(survey.body).toMatchObject({ status: 'DRAFT', sampleSize: 150, notAssessable: true, submittedAt: null });
      ids.draft = survey.body.id;
      const submitted = await post(`/measurements/${ids.draft}/submit`, { expectedVersion: 1 }, u.aurora);
      expect(submitted.status).toBe(200);
      expect(submitted.body).toMatchObject({ status: 'SUBMITTED', version: 1, submittedAt: '2026-01-15T10:00:00.000Z', periodCode: 'Y3', groupingCode: 'RTI-A', organisationCode: 'ETS-AURORA-PD' });
      const again = await post(`/measurements/${ids.draft}/submit`, {}, u.aurora);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'MEASUREMENT_STATE_CONFLICT', details: { status: 'SUBMITTED', version: 1 } });
    });

    it('checks disaggregated parts: a de-duplicated count between the largest part and their sum', async () => {
      const ok = await post(
        `/contracts/${fx.contractId}/measurements`,
        item('IND-03', 'Y3', '1300', { disaggregations: { TARGET_GROUP: { OVER60: '900', UNDER60: '450' } } }),
        u.aurora,
      );
      expect(ok.status).toBe(201);
      expect(ok.body.disaggregations).toEqual({ TARGET_GROUP: { OVER60: '900', UNDER60: '450' } });
    });

    it.each([
      ['a JSON number', () => item('IND-01', 'Y3', undefined, { value: 11 }), 400, 'VALIDATION_FAILED', 'value'],
      ['a decimal comma', () => item('IND-01', 'Y3', '12,5'), 400, 'VALIDATION_FAILED', 'value'],
      ['an exponent', () => item('IND-01', 'Y3', '1e1'), 400, 'VALIDATION_FAILED', 'value'],
      ['a part as a number', () => item('IND-03', 'Y2', '10', { disaggregations: { TARGET_GROUP: { OVER60: 10 } } }), 400, 'VALIDATION_FAILED', 'disaggregations'],
      ['a percentage above 100', () => item('IND-01', 'Y3', '100.5'), 422, 'MEASUREMENT_VALUE_OUT_OF_RANGE', 'value'],
      ['a count with decimals', () => item('IND-02', 'Y3', '3.5'), 422, 'MEASUREMENT_VALUE_OUT_OF_RANGE', 'value'],
      ['a count of minus zero', () => item('IND-02', 'Y3', '-0'), 422, 'MEASUREMENT_VALUE_OUT_OF_RANGE', 'value'],
      ['a value that is not numerator/denominator', () => item('IND-05', 'Y2', '7.5', { numerator: '2100', denominator: '30000' }), 422, 'MEASUREMENT_FORMULA_MISMATCH', 'value'],
      ['numerator on an indicator without formula parts', () => item('IND-02', 'Y3', '3', { numerator: '3', denominator: '1' }), 422, 'MEASUREMENT_FORMULA_PARTS_NOT_APPLICABLE', 'numerator'],
      ['a survey without sample size', () => item('IND-04', 'Y2', '80'), 422, 'MEASUREMENT_SAMPLE_SIZE_REQUIRED', 'sampleSize'],
      ['an undeclared dimension', () => item('IND-02', 'Y3', '3', { disaggregations: { area: { Q1: '3' } } }), 422, 'MEASUREMENT_DISAGGREGATION_INVALID', 'disaggregations.area'],
      ['parts beyond the de-duplicated total', () => item('IND-03', 'Y2', '1000', { disaggregations: { TARGET_GROUP: { OVER60: '1001', UNDER60: '0' } } }), 422, 'MEASUREMENT_DISAGGREGATION_MISMATCH', 'disaggregations.TARGET_GROUP'],
      ['an indicator outside the binding version', () => item('IND-99', 'Y3', '1'), 422, 'MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION', 'indicatorCode'],
      ['a period of another contract', () => ({ ...item('IND-02', 'Y3', '1'), periodId: other.periodIds.Y3 }), 422, 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT', 'periodId'],
      ['a grouping the organisation is not in', () => ({ ...item('IND-02', 'Y3', '1'), groupingId: fx.groupingIds['RTI-B'] }), 422, 'MEASUREMENT_NOT_GROUPING_MEMBER', 'groupingId'],
      ['a second measurement of the same subject', () => item('IND-02', 'Y2', '12'), 409, 'MEASUREMENT_ALREADY_EXISTS', 'indicatorCode'],
    ])('refuses %s, changing nothing', async (_, body, status, code, field) => {
      const resolved = body();
      const before = await counts();
      const res = await post(`/contracts/${fx.contractId}/measurements`, resolved, u.aurora);
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('lets only ETS members of the contract submit: 403 for municipal roles, 404 for another contract\'s ETS', async () => {
      const before = await counts();
      expect((await post(`/contracts/${fx.contractId}/measurements`, item('IND-01', 'Y3', '9'), u.manager)).body.code).toBe('AUTH_FORBIDDEN');
      const stranger = await post(`/contracts/${fx.contractId}/measurements`, item('IND-01', 'Y3', '9'), u.otherEts);
      expect(stranger.status).toBe(404);
      expect(stranger.body.code).toBe('CONTRACT_NOT_FOUND');
      expect(await counts()).toEqual(before);
    });
  });

  describe('batch submission', () => {
    it('reports every invalid item with its index path and stores none of them', async () => {
      const before = await counts();
      const res = await post(
        `/contracts/${fx.contractId}/measurements/batch`,
        { items: [item('IND-01', 'Y1', '9.5'), item('IND-02', 'Y1', '-2'), item('IND-99', 'Y1', '1'), item('IND-01', 'Y1', '9.6')] },
        u.aurora,
      );
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MEASUREMENT_BATCH_INVALID');
      expect(res.body.details.invalidItems).toEqual([1, 2, 3]);
      expect(res.body.details.fields).toEqual([
        { field: 'items[1].value', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: 'must be at least 0 (COUNT)' },
        { field: 'items[2].indicatorCode', code: 'MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION', message: '"IND-99" is not in binding version 1 in force for Y1 (its indicators: IND-01, IND-02, IND-03, IND-04, IND-05)' },
        { field: 'items[3].indicatorCode', code: 'MEASUREMENT_DUPLICATE_IN_REQUEST', message: 'repeats items[0]: one measurement per indicator, period and grouping' },
      ]);
      expect(await counts()).toEqual(before);
      const malformed = await post(`/contracts/${fx.contractId}/measurements/batch`, { items: [item('IND-01', 'Y1', '9.5'), item('IND-02', 'Y1', undefined, { value: 3 })] }, u.aurora);
      expect(malformed.status).toBe(400);
      expect(malformed.body.details.fields[0].field).toBe('items[1].value');
    });

    it('stores a valid batch all together, each item naming its own period', async () => {
      const res = await post(`/contracts/${fx.contractId}/measurements/batch`, { items: [item('IND-01', 'Y1', '9.5'), item('IND-02', 'Y1', '4'), item('IND-02', 'Y3', '3')] }, u.aurora);
      expect(res.status).toBe(201);
      expect(res.body.items.map((x: Record<string, string>) => [x.indicatorCode, x.value, x.status, x.periodId, x.periodCode, x.groupingCode, x.organisationCode])).toEqual([
        ['IND-01', '9.5', 'SUBMITTED', fx.periodIds.Y1, 'Y1', 'RTI-A', 'ETS-AURORA-PD'],
        ['IND-02', '4', 'SUBMITTED', fx.periodIds.Y1, 'Y1', 'RTI-A', 'ETS-AURORA-PD'],
        ['IND-02', '3', 'SUBMITTED', fx.periodIds.Y3, 'Y3', 'RTI-A', 'ETS-AURORA-PD'],
      ]);
    });
  });

  describe('CSV upload', () => {
    it('reads the Italian Excel example (BOM, semicolons, decimal commas, quoted notes)', async () => {
      const res = await csv(readFileSync(EXAMPLE_CSV), u.aurora);
      expect(res.statusCode).toBe(201);
      const items = JSON.parse(res.body).items;
      expect(items.map(codesOf)).toEqual(Array(4).fill({ periodCode: 'Y2', groupingCode: 'RTI-A', organisationCode: 'ETS-AURORA-PD' }));
      expect(items.map((x: Record<string, unknown>) => [x.indicatorCode, x.value, x.numerator, x.sampleSize, x.notAssessable, x.disaggregations, x.methodNotes])).toEqual([
        ['IND-01', '12.5', null, null, false, {}, 'rendiconto economico 2025/26'],
        ['IND-03', '1350', null, null, false, { TARGET_GROUP: { OVER60: '980', UNDER60: '420' } }, 'registro presenze con ID pseudonimo'],
        ['IND-04', '83.4', null, 212, false, {}, 'questionario di gradimento; scala 1-5'],
        ['IND-05', '7.3', '2190', null, false, {}, 'contatti registrati con consenso'],
      ]);
      ids.csvInd01 = items[0].id;
    });

    it('reads a comma-separated UTF-8 file with decimal points and stores drafts when asked', async () => {
      const res = await csv('indicator,period,grouping,value\nIND-01,Y3,RTI-A,10.25\n', u.borgo, {}, '?submit=false');
      expect(res.statusCode).toBe(201);
      expect(JSON.parse(res.body).items).toEqual([
        expect.objectContaining({ organisationId: fx.etsIds['BORGO-VIVO'], organisationCode: 'ETS-BORGO-VIVO-PD', periodCode: 'Y3', groupingCode: 'RTI-A', value: '10.25', status: 'DRAFT' }),
      ]);
    });

    it('reports every rejected row with its line and reason, and stores nothing', async () => {
      const before = await counts();
      const file = [
        'indicator;period;grouping;value;sampleSize',
        'IND-02;Y3;RTI-A;5;',
        'IND-01;Y3;RTI-A;10.5;',
        'IND-02;Y3;RTI-B;2;',
        ';;;;',
        'IND-04;Y3;RTI-A;81,0;x',
        'IND-01;Y9;RTI-A;3;',
        'IND-02;Y3;RTI-A;1,5;',
        'IND-01;Y3',
      ].join('\r\n');
      const res = await csv(file, u.borgo);
      expect(res.statusCode).toBe(422);
      const body = JSON.parse(res.body);
      expect(body.code).toBe('MEASUREMENT_CSV_INVALID');
      expect(body.message).toBe('6 rows are invalid (lines 3, 4, 6, 7, 8, 9): nothing was stored');
      expect(body.details.rows).toEqual([
        { line: 3, column: 'value', code: 'MEASUREMENT_CSV_INVALID', message: '"10.5": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators' },
        { line: 4, column: 'grouping', code: 'MEASUREMENT_NOT_GROUPING_MEMBER', message: 'refers to RTI-B, of which your organisation is not a member' },
        { line: 6, column: 'sampleSize', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: '"x": must be a whole number of respondents from 0 to 1000000000, such as 212 (digits only)' },
        { line: 7, column: 'period', code: 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT', message: `"Y9" is not a period of contract ${fx.contractCode} (periods: Y1, Y2, Y3)` },
        { line: 8, column: 'value', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: '"1,5": must be a whole number (COUNT)' },
        { line: 8, column: 'indicator', code: 'MEASUREMENT_DUPLICATE_IN_REQUEST', message: 'repeats line 2: one measurement per indicator, period and grouping' },
        { line: 9, column: null, code: 'MEASUREMENT_CSV_INVALID', message: 'has 2 fields, the header has 5' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['an unknown column', 'indicator;period;grouping;value;valore\nIND-01;Y3;RTI-A;1;2', 'MEASUREMENT_CSV_COLUMNS_INVALID', { column: 'valore' }],
      ['a missing column', 'indicator;period;value\nIND-01;Y3;1', 'MEASUREMENT_CSV_COLUMNS_INVALID', { column: 'grouping' }],
      ['broken quoting', 'indicator;period;grouping;value\nIND-01;Y3;RTI-A;"1', 'MEASUREMENT_CSV_MALFORMED', { line: 2 }],
      ['bytes that are not UTF-8', Buffer.from([0x69, 0x6e, 0x64, 0xe0, 0x0a]), 'MEASUREMENT_CSV_MALFORMED', { encoding: 'UTF-8' }],
    ])('answers 400 for %s', async (_, file, code, details) => {
      const before = await counts();
      const res = await csv(file, u.borgo);
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ code, details });
      expect(await counts()).toEqual(before);
    });

    it('takes CSV only as text/csv', async () => {
      const res = await post(`/contracts/${fx.contractId}/measurements/csv`, { indicator: 'IND-01' }, u.borgo);
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('idempotency', () => {
    it('answers a retry with the first result, and a reused key with another body with 409', async () => {
      const body = item('IND-01', 'Y2', '12.5');
      const key = { 'Idempotency-Key': 'borgo-ind01-y2' };
      const first = await post(`/contracts/${fx.contractId}/measurements`, body, u.borgo, key);
      expect(first.status).toBe(201);
      expect(codesOf(first.body)).toEqual({ periodCode: 'Y2', groupingCode: 'RTI-A', organisationCode: 'ETS-BORGO-VIVO-PD' });
      ids.borgoInd01 = first.body.id;
      const before = await counts();
      const retry = await post(`/contracts/${fx.contractId}/measurements`, body, u.borgo, key);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const changed = await post(`/contracts/${fx.contractId}/measurements`, { ...body, value: '13' }, u.borgo, key);
      expect(changed.status).toBe(409);
      expect(changed.body.code).toBe('MEASUREMENT_IDEMPOTENCY_KEY_REUSED');
      const bad = await post(`/contracts/${fx.contractId}/measurements`, body, u.borgo, { 'Idempotency-Key': 'with space' });
      expect(bad.body.code).toBe('MEASUREMENT_IDEMPOTENCY_KEY_INVALID');
      expect(await counts()).toEqual(before);
      // Keys are per organisation: Aurora's same key is its own (and here finds Aurora's existing IND-01 Y2).
      const aurora = await post(`/contracts/${fx.contractId}/measurements`, body, u.aurora, key);
      expect(aurora.body.code).toBe('MEASUREMENT_ALREADY_EXISTS');
    });

    it('replays CSV uploads by their bytes', async () => {
      const file = 'indicator,period,grouping,value\nIND-02,Y3,RTI-A,6\n';
      const first = await csv(file, u.borgo, { 'idempotency-key': 'csv-1' });
      const retry = await csv(file, u.borgo, { 'idempotency-key': 'csv-1' });
      expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
      expect(JSON.parse(retry.body)).toEqual(JSON.parse(first.body));
      expect((await csv(file.replace(',6', ',7'), u.borgo, { 'idempotency-key': 'csv-1' })).statusCode).toBe(409);
    });
  });

  describe('who sees what', () => {
    it('shows an ETS its own organisation\'s submissions, the lead its grouping\'s, the Comune everything', async () => {
      const borgoOwn = (await get(`/contracts/${fx.contractId}/measurements?limit=200`, u.borgo)).body;
      expect(new Set(borgoOwn.items.map((x: { organisationId: string }) => x.organisationId))).toEqual(new Set([fx.etsIds['BORGO-VIVO']]));
      const lead = (await get(`/contracts/${fx.contractId}/measurements?limit=200`, u.auroraLead)).body;
      const all = (await get(`/contracts/${fx.contractId}/measurements?limit=200`, u.auditor)).body;
      expect(lead.page.total).toBe(all.page.total);
      expect(all.page.total).toBe(await ds.getRepository(MeasurementEntity).countBy({ contractId: fx.contractId }));
      expect((await get(`/contracts/${fx.contractId}/measurements`, u.deltaLead)).body.page.total).toBe(0);
      expect((await get(`/measurements/${ids.ind02}`, u.borgo)).body.code).toBe('MEASUREMENT_NOT_FOUND');
      expect((await get(`/measurements/${ids.ind02}`, u.deltaLead)).status).toBe(404);
      expect((await get(`/measurements/${ids.ind02}`, u.otherManager)).status).toBe(404);
      expect((await get(`/measurements/${ids.ind02}`, u.auroraLead)).status).toBe(200);
      expect((await get(`/contracts/${fx.contractId}/measurements`, u.otherManager)).body.code).toBe('CONTRACT_NOT_FOUND');
    });

    it('names each measurement\'s period, grouping and organisation by code, in lists and single reads, and only of the rows the caller sees', async () => {
      const delta = await post(`/contracts/${fx.contractId}/measurements`, { ...item('IND-02', 'Y2', '7'), groupingId: fx.groupingIds['RTI-B'] }, u.deltaLead);
      expect(delta.status).toBe(201);
      expect(codesOf(delta.body)).toEqual({ periodCode: 'Y2', groupingCode: 'RTI-B', organisationCode: 'ETS-DELTA-PD' });
      ids.delta = delta.body.id;

      type Listed = { id: string; periodId: string; groupingId: string; organisationId: string; periodCode: string; groupingCode: string; organisationCode: string };
      const list = async (user: TestUser, query = 'limit=200') => (await get(`/contracts/${fx.contractId}/measurements?${query}`, user)).body.items as Listed[];
      const all = await list(u.auditor);
      // Three periods, two groupings and three organisations on one page: a code taken from the wrong row shows.
      expect(new Set(all.map((x) => x.periodCode))).toEqual(new Set(['Y1', 'Y2', 'Y3']));
      expect(new Set(all.map((x) => x.groupingCode))).toEqual(new Set(['RTI-A', 'RTI-B']));
      expect(new Set(all.map((x) => x.organisationCode))).toEqual(new Set(['ETS-AURORA-PD', 'ETS-BORGO-VIVO-PD', 'ETS-DELTA-PD']));
      for (const x of all) expect(codesOf(x)).toEqual(expectedCodes(x));
      // A later page reads its own codes.
      const page = await list(u.manager, 'limit=4&offset=3');
      expect(page.map((x) => [x.id, ...Object.values(codesOf(x))])).toEqual(all.slice(3, 7).map((x) => [x.id, ...Object.values(codesOf(x))]));

      // ETS staff see the codes of their own rows only, which they could already read (contract periods,
      // groupings, the organisation directory): nothing of Delta reaches Aurora's lead, nor the reverse.
      const lead = await list(u.auroraLead);
      expect(new Set(lead.map((x) => x.groupingCode))).toEqual(new Set(['RTI-A']));
      expect(new Set(lead.map((x) => x.organisationCode))).toEqual(new Set(['ETS-AURORA-PD', 'ETS-BORGO-VIVO-PD']));
      expect((await list(u.borgo)).every((x) => x.organisationCode === 'ETS-BORGO-VIVO-PD')).toBe(true);
      expect((await list(u.deltaLead)).map((x) => [x.id, ...Object.values(codesOf(x))])).toEqual([[ids.delta, 'Y2', 'RTI-B', 'ETS-DELTA-PD']]);
      expect((await get(`/measurements/${ids.delta}`, u.auroraLead)).body.code).toBe('MEASUREMENT_NOT_FOUND');

      const single = await get(`/measurements/${ids.borgoInd01}`, u.auroraLead);
      expect(single.status).toBe(200);
      expect(codesOf(single.body)).toEqual({ periodCode: 'Y2', groupingCode: 'RTI-A', organisationCode: 'ETS-BORGO-VIVO-PD' });
      expect(codesOf((await get(`/measurements/${ids.delta}`, u.manager)).body)).toEqual({ periodCode: 'Y2', groupingCode: 'RTI-B', organisationCode: 'ETS-DELTA-PD' });
    });
  });

  describe('review and corrections', () => {
    it('returns with a reason, lets the submitter correct into version 2, and keeps version 1 readable', async () => {
      // One entry for reason, by its type: not also "must be longer than 1" and "shorter than 2000 characters".
      const noReason = await post(`/measurements/${ids.ind02}/return`, {}, u.manager);
      expect(noReason.status).toBe(400);
      expect(noReason.body).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'reason must be a string',
        details: { fields: [{ field: 'reason', code: 'isString', message: 'reason must be a string' }] },
      });
      // A blank reason is the same mistake, on every reason of the API (return, correction, reopening a period).
      for (const reason of ['', '   ', '\t\n']) {
        for (const [url, user, body] of [
          [`/measurements/${ids.ind02}/return`, u.manager, { reason }],
          [`/measurements/${ids.ind02}/versions`, u.aurora, { value: '10', reason }],
          [`/contract-periods/${fx.periodIds.Y2}/reopen`, u.approver, { reason }],
        ] as const) {
          const blank = await post(url, body, user);
          expect([blank.status, blank.body.code, blank.body.details.fields]).toEqual([400, 'VALIDATION_FAILED', [{ field: 'reason', code: 'matches', message: 'reason must not be blank' }]]);
        }
      }
      expect((await get(`/measurements/${ids.ind02}`, u.manager)).body).toMatchObject({ status: 'SUBMITTED', version: 1 });
      expect((await post(`/measurements/${ids.ind02}/return`, { reason: 'x' }, u.approver)).body.code).toBe('AUTH_FORBIDDEN');
      expect((await post(`/measurements/${ids.ind02}/return`, { reason: 'x' }, u.otherManager)).status).toBe(404);
      t.clock.set(new Date('2026-02-01T09:00:00.000Z'));
      const returned = await post(`/measurements/${ids.ind02}/return`, { reason: 'Manca la copia del protocollo con la parrocchia', expectedVersion: 1 }, u.manager);
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({ status: 'RETURNED', reviewOutcome: 'RETURNED', reviewReason: 'Manca la copia del protocollo con la parrocchia', reviewedAt: '2026-02-01T09:00:00.000Z' });
      expect(codesOf(returned.body)).toEqual({ periodCode: 'Y2', groupingCode: 'RTI-A', organisationCode: 'ETS-AURORA-PD' });

      const before = await counts();
      expect((await post(`/measurements/${ids.ind02}/versions`, { value: '10', reason: 'x' }, u.borgo)).status).toBe(404);
      // Aurora's lead reads Borgo Vivo's submission (its grouping's) but may not change it.
      expect((await post(`/measurements/${ids.borgoInd01}/versions`, { value: '10', reason: 'x' }, u.auroraLead)).body.code).toBe('AUTH_FORBIDDEN');
      expect((await post(`/measurements/${ids.ind02}/versions`, { value: '10.5', reason: 'x' }, u.aurora)).body.code).toBe('MEASUREMENT_VALUE_OUT_OF_RANGE');
      expect((await post(`/measurements/${ids.ind02}/versions`, { value: '10', reason: 'x', expectedVersion: 2 }, u.aurora)).body).toMatchObject({
        code: 'MEASUREMENT_STATE_CONFLICT',
        details: { status: 'RETURNED', version: 1 },
      });
      expect(await counts()).toEqual(before);

      t.clock.set(new Date('2026-02-03T09:00:00.000Z'));
      const corrected = await post(`/measurements/${ids.ind02}/versions`, { value: '10', reason: 'Un accordo era già partner', expectedVersion: 1 }, u.aurora);
      expect(corrected.status).toBe(201);
      expect(corrected.body).toMatchObject({ status: 'SUBMITTED', version: 2, value: '10', reviewOutcome: null, submittedAt: '2026-02-03T09:00:00.000Z' });
      expect(codesOf(corrected.body)).toEqual({ periodCode: 'Y2', groupingCode: 'RTI-A', organisationCode: 'ETS-AURORA-PD' });
      const versions = (await get(`/measurements/${ids.ind02}/versions`, u.auditor)).body.items;
      expect(versions.map((v: Record<string, unknown>) => [v.version, v.value, v.reviewOutcome, v.reviewReason, v.correctionReason])).toEqual([
        [1, '11', 'RETURNED', 'Manca la copia del protocollo con la parrocchia', null],
        [2, '10', null, null, 'Un accordo era già partner'],
      ]);
      const actions = (await ds.getRepository(AuditEntryEntity).find({ where: { objectId: ids.ind02 }, order: { seq: 'ASC' } })).map((e) => e.action);
      expect(actions).toEqual(['submit', 'return', 'correct']);
    });

    it('lets only one of two concurrent reviewers win; the other gets the current state', async () => {
      const [a, b] = await Promise.all([
        post(`/measurements/${ids.ind02}/accept`, {}, u.manager),
        post(`/measurements/${ids.ind02}/return`, { reason: 'troppo tardi' }, u.manager),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      const winner = a.status === 200 ? a : b;
      expect(loser.body).toMatchObject({ code: 'MEASUREMENT_STATE_CONFLICT', details: { status: winner.body.status, version: 2 } });
      ids.ind02Final = winner.body.status;
      const audit = await ds.getRepository(AuditEntryEntity).countBy({ objectId: ids.ind02 });
      expect(audit).toBe(4);
    });

    it('accepts submitted measurements; accepted ones are not reviewed again and are what settlement reads', async () => {
      const accepted = await post(`/measurements/${ids.csvInd01}/accept`, { expectedVersion: 1 }, u.manager);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'ACCEPTED', version: 1, acceptedVersion: 1, reviewOutcome: 'ACCEPTED', periodCode: 'Y2', groupingCode: 'RTI-A', organisationCode: 'ETS-AURORA-PD' });
      // Sending it again points to the correction (measurements-accepted-corrections.e2e-spec.ts corrects accepted values).
      const again = await post(`/contracts/${fx.contractId}/measurements`, item('IND-01', 'Y2', '12.5'), u.aurora);
      expect([again.status, again.body.code, again.body.details.fields[0].message]).toEqual([
        409,
        'MEASUREMENT_ALREADY_EXISTS',
        `IND-01 is already measured for Y2 and RTI-A (measurement ${ids.csvInd01}): correct it (POST /api/v1/measurements/${ids.csvInd01}/versions)`,
      ]);
      expect((await post(`/measurements/${ids.csvInd01}/accept`, {}, u.manager)).body).toMatchObject({
        code: 'MEASUREMENT_STATE_CONFLICT',
        message: `Measurement ${ids.csvInd01} is ACCEPTED and cannot be reviewed: only SUBMITTED measurements can`,
      });
      const list = (await get(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/accepted-measurements`, u.manager)).body.items;
      const expected = [ids.csvInd01, ...(ids.ind02Final === 'ACCEPTED' ? [ids.ind02] : [])];
      expect(list.map((x: { id: string }) => x.id).sort()).toEqual(expected.sort());
      expect(list.map(codesOf)).toEqual(list.map(expectedCodes));
      expect(list.map((x: { periodCode: string }) => x.periodCode)).toEqual(Array(list.length).fill('Y2'));
      expect((await get(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/accepted-measurements`, u.borgo)).body.items).toEqual([]);
    });

    it("refuses to accept a second member's rate that could not be combined with the accepted one, which would block the period's settlement", async () => {
      // Both RTI-A members sent IND-01 (a percentage) as a bare value, as the README's CSV example does:
      // Aurora's is accepted, Borgo Vivo's (from the idempotency test) is submitted.
      const borgo = await get(`/measurements/${ids.borgoInd01}`, u.manager);
      expect(borgo.body).toMatchObject({ indicatorCode: 'IND-01', periodCode: 'Y2', groupingCode: 'RTI-A', status: 'SUBMITTED', sampleSize: null, denominator: null });
      const audits = await ds.getRepository(AuditEntryEntity).count();
      const refused = await post(`/measurements/${borgo.body.id}/accept`, {}, u.manager);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('MEASUREMENT_AGGREGATION_AMBIGUOUS');
      expect(refused.body.message).toMatch(/^Accepting it would leave IND-01 of RTI-A with 2 member values and no common weight/);
      expect(refused.body.details).toMatchObject({ id: borgo.body.id, indicatorCode: 'IND-01', groupingCode: 'RTI-A', accepted: [ids.csvInd01] });
      expect((await get(`/measurements/${borgo.body.id}`, u.manager)).body).toMatchObject({ status: 'SUBMITTED', reviewOutcome: null });
      expect(await ds.getRepository(AuditEntryEntity).count()).toBe(audits);
      // The reviewer returns it instead; settlement counts Aurora's value alone meanwhile.
      expect((await post(`/measurements/${borgo.body.id}/return`, { reason: 'Il tasso di Aurora non ha pesi: concordare un valore unico' }, u.manager)).status).toBe(200);
    });
  });

  describe('evidence', () => {
    it('stores a file under a random name with its SHA-256 and streams it back as an attachment to readers only', async () => {
      const res = await upload(ids.draft, pdf, u.aurora);
      expect(res.statusCode).toBe(201);
      const dto = JSON.parse(res.body);
      expect(dto).toMatchObject({
        measurementId: ids.draft,
        measurementVersion: 1,
        originalName: 'Protocollo parrocchia n°1.pdf',
        contentType: 'application/pdf',
        sizeBytes: pdf.length,

      });
      expect(dto.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
      const stored = readdirSync(evidenceDir);
      const row = await ds.getRepository(MeasurementEvidenceEntity).findOneByOrFail({ id: dto.id });
      expect(stored).toContain(row.storageName);
      expect(stored.some((n) => n.includes('Protocollo'))).toBe(false);

      const download = await t.app.inject({ method: 'GET', url: `/api/v1/evidence/${dto.id}`, headers: { 'x-api-key': u.auditor.apiKey } });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(pdf)).toBe(true);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toBe(`attachment; filename="Protocollo parrocchia n_1.pdf"; filename*=UTF-8''Protocollo%20parrocchia%20n%C2%B01.pdf`);
      expect((await get(`/evidence/${dto.id}`, u.borgo)).body.code).toBe('MEASUREMENT_EVIDENCE_NOT_FOUND');
      expect((await get(`/evidence/${dto.id}`, u.otherManager)).status).toBe(404);
      expect((await get(`/measurements/${ids.draft}/evidence`, u.aurora)).body.items.map((e: { id: string }) => e.id)).toEqual([dto.id]);
      expect(await ds.getRepository(AuditEntryEntity).countBy({ objectId: dto.id, action: 'add_evidence' })).toBe(1);
    });

    it('refuses other types, files that are not what their type says, empty and oversized files, bad names and other organisations, storing nothing', async () => {
      const before = { rows: await ds.getRepository(MeasurementEvidenceEntity).count(), files: readdirSync(evidenceDir).length };
      expect((await upload(ids.draft, pdf, u.aurora, 'application/zip')).statusCode).toBe(415);
      const text = await upload(ids.draft, Buffer.from('hello'), u.aurora);
      expect([text.statusCode, JSON.parse(text.body)]).toEqual([
        415,
        { code: 'MEASUREMENT_EVIDENCE_CONTENT_MISMATCH', message: 'The file is not application/pdf: a PDF file starts with %PDF-', details: { contentType: 'application/pdf' } },
      ]);
      expect(JSON.parse((await upload(ids.draft, pdf, u.aurora, 'image/png')).body).code).toBe('MEASUREMENT_EVIDENCE_CONTENT_MISMATCH');
      expect(JSON.parse((await upload(ids.draft, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]), u.aurora, 'text/csv')).body).code).toBe('MEASUREMENT_EVIDENCE_CONTENT_MISMATCH');
      expect(JSON.parse((await upload(ids.draft, Buffer.alloc(0), u.aurora)).body).code).toBe('MEASUREMENT_EVIDENCE_EMPTY');
      const big = await upload(ids.draft, Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), u.aurora);
      expect([big.statusCode, JSON.parse(big.body).code]).toEqual([413, 'MEASUREMENT_EVIDENCE_TOO_LARGE']);
      expect(JSON.parse((await upload(ids.draft, pdf, u.aurora, 'application/pdf', '..%2Fetc%2Fpasswd')).body).code).toBe('MEASUREMENT_EVIDENCE_FILENAME_INVALID');
      expect((await upload(ids.draft, pdf, u.borgo)).statusCode).toBe(404);
      expect(JSON.parse((await upload(ids.borgoInd01, pdf, u.auroraLead)).body).code).toBe('AUTH_FORBIDDEN');
      expect({ rows: await ds.getRepository(MeasurementEvidenceEntity).count(), files: readdirSync(evidenceDir).length }).toEqual(before);
    });
  });

  describe('period closing', () => {
    it('closes a period: nothing can be submitted, corrected, reviewed or evidenced until an approver reopens it with a reason', async () => {
      const y3 = fx.periodIds.Y3;
      expect((await post(`/contract-periods/${y3}/close`, {}, u.aurora)).body.code).toBe('AUTH_FORBIDDEN');
      expect((await post(`/contract-periods/${y3}/close`, {}, u.otherManager)).status).toBe(404);
      t.clock.set(new Date('2026-03-01T09:00:00.000Z'));
      const closed = await post(`/contract-periods/${y3}/close`, {}, u.manager);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ periodId: y3, closed: true, history: [{ closedAt: '2026-03-01T09:00:00.000Z', closedBy: u.manager.userId, reopenedAt: null }] });
      expect((await post(`/contract-periods/${y3}/close`, {}, u.approver)).body.code).toBe('MEASUREMENT_PERIOD_ALREADY_CLOSED');

      const before = await counts();
      const refusals = [
        await post(`/contracts/${fx.contractId}/measurements`, item('IND-01', 'Y3', '9'), u.aurora),
        await post(`/measurements/${ids.draft}/versions`, { value: '82', sampleSize: 220, reason: 'x' }, u.aurora),
        await post(`/measurements/${ids.draft}/accept`, {}, u.manager),
        await post(`/measurements/${ids.draft}/return`, { reason: 'x' }, u.manager),
      ];
      expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([422, 'MEASUREMENT_PERIOD_CLOSED']));
      expect(refusals[0].body).toMatchObject({
        message: 'periodId refers to period Y3, which is closed: an approver reopens it first',
        details: { fields: [{ field: 'periodId', code: 'MEASUREMENT_PERIOD_CLOSED', message: 'refers to period Y3, which is closed: an approver reopens it first' }] },
      });
      const csvRes = await csv('indicator,period,grouping,value\nIND-01,Y3,RTI-A,9\n', u.aurora);
      expect(JSON.parse(csvRes.body).details.rows[0]).toEqual({ line: 2, column: 'period', code: 'MEASUREMENT_PERIOD_CLOSED', message: 'refers to period Y3, which is closed: an approver reopens it first' });
      const evidence = await upload(ids.draft, pdf, u.aurora);
      expect(JSON.parse(evidence.body).code).toBe('MEASUREMENT_PERIOD_CLOSED');
      expect(await counts()).toEqual(before);

      expect((await post(`/contract-periods/${y3}/reopen`, { reason: 'x' }, u.manager)).body.code).toBe('AUTH_FORBIDDEN');
      expect((await post(`/contract-periods/${y3}/reopen`, {}, u.approver)).status).toBe(400);
      t.clock.set(new Date('2026-03-02T09:00:00.000Z'));
      const reopened = await post(`/contract-periods/${y3}/reopen`, { reason: 'Dati tardivi del questionario' }, u.approver);
      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({
        closed: false,
        history: [{ closedAt: '2026-03-01T09:00:00.000Z', reopenedAt: '2026-03-02T09:00:00.000Z', reopenedBy: u.approver.userId, reopenReason: 'Dati tardivi del questionario' }],
      });
      expect((await post(`/contract-periods/${y3}/reopen`, { reason: 'x' }, u.approver)).body.code).toBe('MEASUREMENT_PERIOD_NOT_CLOSED');
      expect((await get(`/contract-periods/${y3}/closure`, u.aurora)).body.closed).toBe(false);
      expect(await ds.getRepository(PeriodClosureEntity).countBy({ periodId: y3 })).toBe(1);
      const audit = (await ds.getRepository(AuditEntryEntity).find({ where: { objectId: y3 }, order: { seq: 'ASC' } })).map((e) => e.action);
      expect(audit).toEqual(['close', 'reopen']);
      expect((await post(`/measurements/${ids.draft}/accept`, {}, u.manager)).status).toBe(200);
    });
  });
});
