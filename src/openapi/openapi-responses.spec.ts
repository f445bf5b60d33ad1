import { committedOpenApiResponses, openApiResponses, ResponseToCheck } from 'test/support/openapi-responses';

// The check every e2e response goes through (test/support/openapi-responses.ts) must be able to fail:
// here it is fed responses that break the committed document, and a small document of its own for the
// rules the committed one has no example of.

const ORG_ID = '3f1c2a9e-5b7d-4c1e-9a2b-7d8e6f5a4b3c';
const organisation = {
  id: ORG_ID,
  code: 'C-PADOVA',
  kind: 'MUNICIPALITY',
  name: 'Comune di Padova',
  taxCode: null,
  legalForm: null,
  districtId: null,
  leadOrganisationId: null,
  createdAt: '2026-01-15T10:00:00.000Z',
  updatedAt: '2026-01-15T10:00:00.000Z',
};
const json = (method: string, url: string, status: number, body: unknown): ResponseToCheck => ({
  method,
  url,
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

describe('responses checked against the committed OpenAPI document', () => {
  const committed = committedOpenApiResponses();

  it('accepts an organisation as GET /organisations/{id} documents it', () => {
    expect(committed.check(json('GET', `/api/v1/organisations/${ORG_ID}?x=1`, 200, organisation))).toBeNull();
  });

  it('refuses a body that breaks the schema, naming the route template, the status and each ajv error', () => {
    const problem = committed.check(json('GET', `/api/v1/organisations/${ORG_ID}`, 200, { ...organisation, kind: 'CITY', name: 42, code: undefined }));
    expect(problem).toContain(`GET /api/v1/organisations/{id} (GET /api/v1/organisations/${ORG_ID}) answered 200`);
    expect(problem).toContain('#/components/schemas/OrganisationDto');
    expect(problem).toContain("(body) must have required property 'code'");
    expect(problem).toContain('/kind must be equal to one of the allowed values ["MUNICIPALITY","DISTRICT","ETS","OTHER"]');
    expect(problem).toContain('/name must be string');
  });

  it('refuses a property the response DTO does not name', () => {
    expect(committed.check(json('GET', `/api/v1/organisations/${ORG_ID}`, 200, { ...organisation, deletedAt: null }))).toContain(
      '(body) must NOT have additional properties {"additionalProperty":"deletedAt"} (openapi.json#/components/schemas/OrganisationDto/additionalProperties)',
    );
  });

  it('refuses a success status the operation does not document', () => {
    expect(committed.check(json('GET', `/api/v1/organisations/${ORG_ID}`, 201, organisation))).toMatch(/answered 201: the operation does not document this status \(it documents 200, 4XX, 5XX\)$/);
    expect(committed.check(json('POST', '/api/v1/organisations', 200, organisation))).toMatch(/POST \/api\/v1\/organisations .*answered 200: .*it documents 201/);
  });

  it('refuses a success on a route the document does not have, but leaves errors and /api/docs alone', () => {
    expect(committed.check(json('GET', '/api/v1/nowhere', 200, {}))).toMatch(/GET \/api\/v1\/nowhere .*no such operation/);
    expect(committed.check(json('GET', '/api/v1/nowhere', 404, { code: 'ROUTE_NOT_FOUND' }))).toBeNull();
    expect(committed.check({ method: 'GET', url: '/api/docs', status: 200, contentType: 'text/html', body: '<html>' })).toBeNull();
  });

  it('holds every error of an operation to the common error body (4XX, 5XX)', () => {
    const notFound = { code: 'ORGANISATION_NOT_FOUND', message: `Organisation ${ORG_ID} not found`, details: {} };
    expect(committed.check(json('GET', `/api/v1/organisations/${ORG_ID}`, 404, notFound))).toBeNull();
    const invalid = { code: 'VALIDATION_FAILED', message: '1 field is invalid', details: { fields: [{ field: 'taxCode', code: 'isString', message: 'taxCode must be a string' }] } };
    expect(committed.check(json('POST', '/api/v1/organisations', 400, invalid))).toBeNull();
    expect(committed.check(json('POST', '/api/v1/organisations', 500, { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} }))).toBeNull();
    const partial = committed.check(json('GET', `/api/v1/organisations/${ORG_ID}`, 404, { code: 'ORGANISATION_NOT_FOUND' }));
    expect(partial).toContain('#/components/schemas/Error');
    expect(partial).toContain("(body) must have required property 'message'");
    expect(committed.check(json('POST', '/api/v1/organisations', 400, { ...invalid, error: 'Bad Request' }))).toContain('must NOT have additional properties');
    expect(committed.check(json('POST', '/api/v1/organisations', 400, { ...invalid, code: 'bad request' }))).toContain('/code must match pattern');
    expect(committed.check(json('POST', '/api/v1/organisations', 400, { ...invalid, details: { fields: [{ field: 'taxCode' }] } }))).toContain(
      "/details/fields/0 must have required property 'message'",
    );
  });

  it('refuses JSON documented as JSON but sent as something else, and a body not JSON at all', () => {
    const asText = { ...json('GET', `/api/v1/organisations/${ORG_ID}`, 200, organisation), contentType: 'text/plain' };
    expect(committed.check(asText)).toContain('content-type text/plain, where the document says application/json');
    expect(committed.check({ ...asText, contentType: 'application/json', body: '{' })).toContain('not JSON');
  });

  it('reads the JSON rendering of a route that has several, and takes the others by their content type', () => {
    const report = { method: 'GET', url: `/api/v1/settlements/${ORG_ID}/report?format=pdf`, status: 200, body: '%PDF-1.7' };
    expect(committed.check({ ...report, contentType: 'application/pdf' })).toBeNull();
    expect(committed.check({ ...report, contentType: 'text/csv; charset=utf-8' })).toBeNull();
    expect(committed.check({ ...report, contentType: 'text/html' })).toMatch(/content-type text\/html, where the document says application\/json or text\/csv or .* or application\/pdf$/);
    expect(committed.check(json('GET', report.url, 200, { format: 'not a settlement' }))).toContain('the body breaks the documented schema #/components/schemas/SettlementDocument');
  });

  it('holds a status an operation documents itself to its own schema, before the common 5XX', () => {
    // The health probe documents its 503 (code SERVICE_UNAVAILABLE, the failing checks).
    const down = { code: 'SERVICE_UNAVAILABLE', message: 'The service cannot serve requests: database does not answer', details: { failing: ['database'] } };
    expect(committed.check(json('GET', '/health', 503, down))).toBeNull();
    expect(committed.check(json('GET', '/health', 503, { ...down, code: 'INTERNAL_ERROR' }))).toContain('/code must be equal to one of the allowed values');
    expect(committed.check(json('GET', '/health', 500, { code: 'INTERNAL_ERROR', message: 'Internal error', details: {} }))).toBeNull();
  });
});

describe('responses checked against a small document', () => {
  const checker = openApiResponses('the test document', {
    openapi: '3.0.0',
    paths: {
      '/things/{id}': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } } } },
      '/things/latest': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } } } } } },
      '/things/{id}/file': { get: { responses: { '200': { description: 'a PDF' } } } },
      '/things/{id}/gone': { delete: { responses: { '204': { description: '' } } } },
    },
    components: {
      schemas: {
        Kind: { type: 'string', enum: ['A', 'B'] },
        Thing: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid', example: ORG_ID },
            kind: { type: 'string', enum: ['A', 'B'], nullable: true },
            parent: { nullable: true, allOf: [{ $ref: '#/components/schemas/Kind' }] },
            size: { type: 'string', nullable: true, 'x-unit': 'bytes' },
          },
          required: ['id', 'kind', 'parent', 'size'],
        },
      },
    },
  });
  const thing = { id: ORG_ID, kind: null, parent: null, size: null };

  it('reads nullable as admitting null beside an enum and beside an allOf reference, and nowhere else', () => {
    expect(checker.check(json('GET', `/things/${ORG_ID}`, 200, thing))).toBeNull();
    expect(checker.check(json('GET', `/things/${ORG_ID}`, 200, { ...thing, kind: 'A', parent: 'B', size: '12' }))).toBeNull();
    expect(checker.check(json('GET', `/things/${ORG_ID}`, 200, { ...thing, kind: 'C', parent: 'C' }))).toMatch(/\/kind must be equal to one of the allowed values[\s\S]*\/parent must be equal to one of/);
    expect(checker.check(json('GET', `/things/${ORG_ID}`, 200, { ...thing, id: null }))).toContain('/id must be string');
    expect(checker.check(json('GET', `/things/${ORG_ID}`, 200, { ...thing, id: 'not-a-uuid' }))).toContain('/id must match format "uuid"');
  });

  it('matches a literal segment before a path parameter', () => {
    expect(checker.check(json('GET', '/things/latest', 200, [thing]))).toBeNull();
    expect(checker.check(json('GET', '/things/latest', 200, thing))).toMatch(/^Response does not match the test document: GET \/things\/latest [\s\S]*\(body\) must be array/);
    expect(checker.check(json('GET', '/things/', 200, thing))).toContain('no such operation');
  });

  it('leaves a file alone by its content type, but not JSON where none is documented', () => {
    expect(checker.check({ method: 'GET', url: `/things/${ORG_ID}/file`, status: 200, contentType: 'application/pdf', body: '%PDF-1.7' })).toBeNull();
    expect(checker.check(json('GET', `/things/${ORG_ID}/file`, 200, thing))).toContain('a JSON body, where the document describes none for 200');
    expect(checker.check({ method: 'DELETE', url: `/things/${ORG_ID}/gone`, status: 204, contentType: undefined, body: '' })).toBeNull();
    expect(checker.check(json('DELETE', `/things/${ORG_ID}/gone`, 200, {}))).toContain('it documents 204');
  });
});
