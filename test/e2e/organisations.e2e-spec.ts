import { createTestApp, TestApp } from 'test/support/test-app';

describe('organisations API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates, reads, lists, updates and deletes an ETS', async () => {
    const created = await t.request('POST', '/api/v1/organisations', {
      code: 'ETS-AURORA',
      kind: 'ETS',
      name: 'Cooperativa Sociale Aurora',
      legalForm: 'COOPERATIVA_SOCIALE',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'ETS-AURORA',
      kind: 'ETS',
      legalForm: 'COOPERATIVA_SOCIALE',
      taxCode: null,
      createdAt: '2026-01-15T10:00:00.000Z',
    });
    const id = created.body.id as string;

    const read = await t.request('GET', `/api/v1/organisations/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Cooperativa Sociale Aurora');

    const list = await t.request('GET', '/api/v1/organisations?kind=ETS&limit=10');
    expect(list.status).toBe(200);
    expect(list.body.page).toEqual({ limit: 10, offset: 0, total: 1 });
    expect(list.body.items.map((o: { code: string }) => o.code)).toEqual(['ETS-AURORA']);

    const updated = await t.request('PATCH', `/api/v1/organisations/${id}`, { taxCode: '01234567890' });
    expect(updated.status).toBe(200);
    expect(updated.body.taxCode).toBe('01234567890');

    expect((await t.request('DELETE', `/api/v1/organisations/${id}`)).status).toBe(204);
    const gone = await t.request('GET', `/api/v1/organisations/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('ORGANISATION_NOT_FOUND');
  });

  it('links a municipality to its district and refuses a district as a member of itself', async () => {
    const lead = await t.request('POST', '/api/v1/organisations', { code: 'C-COMO', kind: 'MUNICIPALITY', name: 'Comune di Como' });
    const district = await t.request('POST', '/api/v1/organisations', {
      code: 'AMB-COMO',
      kind: 'DISTRICT',
      name: 'Ambito di Como',
      leadOrganisationId: lead.body.id,
    });
    expect(district.status).toBe(201);
    const member = await t.request('PATCH', `/api/v1/organisations/${lead.body.id}`, { districtId: district.body.id });
    expect(member.status).toBe(200);
    const byDistrict = await t.request('GET', `/api/v1/organisations?districtId=${district.body.id}`);
    expect(byDistrict.body.items.map((o: { code: string }) => o.code)).toEqual(['C-COMO']);

    const wrong = await t.request('PATCH', `/api/v1/organisations/${district.body.id}`, { districtId: district.body.id });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('ORGANISATION_INVALID_DISTRICT');

    const inUse = await t.request('DELETE', `/api/v1/organisations/${district.body.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('ORGANISATION_IN_USE');
  });

  it('reads an id in a body or a query in upper case as the same id, and still refuses one that is not a UUID', async () => {
    const district = await t.request('POST', '/api/v1/organisations', { code: 'D-UPPER', kind: 'DISTRICT', name: 'Ambito di prova' });
    expect(district.status).toBe(201);
    const districtId = district.body.id as string;
    const created = await t.request('POST', '/api/v1/organisations', { code: 'C-UPPER', kind: 'MUNICIPALITY', name: 'Comune di prova', districtId: districtId.toUpperCase() });
    expect([created.status, created.body.districtId]).toEqual([201, districtId]);
    const listed = await t.request('GET', `/api/v1/organisations?districtId=${districtId.toUpperCase()}`);
    expect([listed.status, listed.body.items.map((o: { code: string }) => o.code)]).toEqual([200, ['C-UPPER']]);
    const refused = await t.request('POST', '/api/v1/organisations', { code: 'C-UPPER-2', kind: 'MUNICIPALITY', name: 'X', districtId: `${districtId.toUpperCase()}X` });
    expect([refused.status, refused.body.details.fields]).toEqual([400, [{ field: 'districtId', code: 'isUuid', message: 'districtId must be a UUID' }]]);
  });

  it('rejects bad input with field details and changes nothing', async () => {
    const before = await t.request('GET', '/api/v1/organisations');

    const unknownField = await t.request('POST', '/api/v1/organisations', {
      code: 'X',
      kind: 'MUNICIPALITY',
      name: 'X',
      colour: 'red',
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'colour is not a known field',
      details: { fields: [{ field: 'colour', code: 'whitelistValidation', message: 'colour is not a known field' }] },
    });

    const badKind = await t.request('POST', '/api/v1/organisations', { code: 'bad code!', kind: 'CITY', name: '' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['code', 'kind', 'name']);

    const noLegalForm = await t.request('POST', '/api/v1/organisations', { code: 'ETS-X', kind: 'ETS', name: 'X' });
    expect(noLegalForm.status).toBe(422);
    expect(noLegalForm.body.code).toBe('ORGANISATION_LEGAL_FORM_REQUIRED');

    const malformed = await t.request('POST', '/api/v1/organisations', '{"code": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_REQUEST');

    const badId = await t.request('GET', '/api/v1/organisations/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.details.fields).toEqual([{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }]);

    const after = await t.request('GET', '/api/v1/organisations');
    expect(after.body.page.total).toBe(before.body.page.total);
  });

  it('refuses a duplicate code with 409', async () => {
    const body = { code: 'C-PD', kind: 'MUNICIPALITY', name: 'Comune di Padova' };
    expect((await t.request('POST', '/api/v1/organisations', body)).status).toBe(201);
    const dup = await t.request('POST', '/api/v1/organisations', body);
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('ORGANISATION_CODE_TAKEN');
  });

  it('answers unknown routes with a coded 404', async () => {
    const res = await t.request('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
