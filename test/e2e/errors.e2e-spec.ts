import { BODY_LIMIT_BYTES } from 'src/app/create-app';
import { committedOpenApiResponses } from 'test/support/openapi-responses';
import { createTestApp, HttpMethod, TestApp } from 'test/support/test-app';

// The error model (docs/decisions/0002-error-model.md) at the edge: whatever goes wrong before a
// service runs (routing, body parsing, validation) still answers { code, message, details }.
describe('error responses', () => {
  let t: TestApp;
  let organisationId: string;

  const send = async (payload: string | Buffer, contentType?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      payload,
      headers: { 'x-api-key': t.admin.apiKey, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
    });
    return { status: res.statusCode, contentType: res.headers['content-type'], body: JSON.parse(res.body) as unknown };
  };

  const total = async (): Promise<number> => (await t.request('GET', '/api/v1/organisations')).body.page.total as number;

  beforeAll(async () => {
    t = await createTestApp();
    const created = await t.request('POST', '/api/v1/organisations', { code: 'C-PD', kind: 'MUNICIPALITY', name: 'Comune di Padova' });
    expect(created.status).toBe(201);
    organisationId = created.body.id as string;
  });

  afterAll(async () => {
    await t.close();
  });

  it('rejects malformed JSON with 400 MALFORMED_REQUEST and the parser\'s reason', async () => {
    const res = await send('{"code": ', 'application/json');
    expect([res.status, res.contentType]).toEqual([400, 'application/json; charset=utf-8']);
    // The reason is V8's own text, which differs between Node versions.
    expect(res.body).toEqual({ code: 'MALFORMED_REQUEST', message: expect.stringMatching(/^The body is not valid JSON: \S/), details: { reason: expect.any(String) } });
  });

  it('reads an empty JSON body as no body: the missing fields are named, and nothing is stored', async () => {
    const before = await total();
    for (const empty of ['', '  \n']) {
      const res = await send(empty, 'application/json');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: '3 fields are invalid' });
      expect((res.body as { details: { fields: { field: string }[] } }).details.fields.map((f) => f.field)).toEqual(['code', 'kind', 'name']);
    }
    expect(await total()).toBe(before);
  });

  it('refuses keys that reach prototypes, naming them, and stores nothing', async () => {
    const before = await total();
    const res = await send('{"__proto__": {"admin": true}, "code": "X", "kind": "MUNICIPALITY", "name": "X"}', 'application/json');
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', details: { fields: [{ field: '__proto__', code: 'forbiddenKey', message: '__proto__ is not allowed: "__proto__" and "constructor.prototype" keys are refused' }] } },
    });
    const nested = await send('{"code": "X", "kind": "MUNICIPALITY", "name": "X", "a": {"constructor": {"prototype": {}}}}', 'application/json');
    expect(nested.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'a.constructor', code: 'forbiddenKey' }] } });
    expect(await total()).toBe(before);
  });

  it('refuses a NUL character in a string or a key, naming the field, and stores nothing (PostgreSQL cannot hold one)', async () => {
    const before = await total();
    const res = await send('{"code": "C-NUL", "kind": "MUNICIPALITY", "name": "a\\u0000b"}', 'application/json');
    expect(res).toEqual({
      status: 400,
      contentType: 'application/json; charset=utf-8',
      body: { code: 'VALIDATION_FAILED', message: 'name must not contain a NUL character (\\u0000)', details: { fields: [{ field: 'name', code: 'noNulCharacter', message: 'name must not contain a NUL character (\\u0000)' }] } },
    });
    const query = await t.request('GET', '/api/v1/audit?action=a%00b');
    expect([query.status, query.body]).toEqual([
      400,
      { code: 'VALIDATION_FAILED', message: 'action must not contain a NUL character (%00)', details: { fields: [{ field: 'action', code: 'noNulCharacter', message: 'action must not contain a NUL character (%00)' }] } },
    ]);
    expect(await total()).toBe(before);
  });

  it('refuses a body nested deeper than 64 levels with 400 (it overflowed the validation\'s stack: a 500)', async () => {
    const nest = (levels: number) => `{"code": "C-DEEP", "kind": "MUNICIPALITY", "name": "X", "zz": ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    expect(await send(nest(2000), 'application/json')).toEqual({
      status: 400,
      contentType: 'application/json; charset=utf-8',
      body: { code: 'MALFORMED_REQUEST', message: 'The JSON body nests objects and arrays deeper than 64 levels', details: { maxDepth: 64 } },
    });
    // 64 levels are read, and refused for what they say.
    expect((await send(nest(64), 'application/json')).body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'zz', code: 'whitelistValidation' }] } });
    // Brackets inside strings do not count.
    expect((await send(`{"code": "C-DEEP", "kind": "MUNICIPALITY", "name": "${'['.repeat(100)}", "x": 1}`, 'application/json')).body).toMatchObject({
      details: { fields: [{ field: 'x', code: 'whitelistValidation' }] },
    });
  });

  it('answers a URL that does not decode, and a path segment over 100 characters, with the common body', async () => {
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/organisations/%E0%A4%A', headers: { 'x-api-key': t.admin.apiKey } });
    expect([bad.statusCode, JSON.parse(bad.body)]).toEqual([
      400,
      { code: 'MALFORMED_REQUEST', message: 'The URL is not valid: a percent-encoded sequence in it does not decode (write a literal % as %25)', details: {} },
    ]);
    const long = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${'a'.repeat(101)}`, headers: { 'x-api-key': t.admin.apiKey } });
    expect([long.statusCode, JSON.parse(long.body)]).toEqual([
      414,
      { code: 'MALFORMED_REQUEST', message: 'A path segment is longer than the 100 characters an id or code may have', details: { maxLength: 100 } },
    ]);
  });

  it('rejects a body that is not JSON, or has no content type, with 415 UNSUPPORTED_MEDIA_TYPE naming what it takes', async () => {
    expect(await send('<organisation/>', 'application/xml; charset=utf-8')).toEqual({
      status: 415,
      contentType: 'application/json; charset=utf-8',
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This request takes application/json, not application/xml', details: { contentType: 'application/xml', allowed: ['application/json'] } },
    });
    expect(await send('{}')).toEqual({
      status: 415,
      contentType: 'application/json; charset=utf-8',
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This request takes application/json: send a Content-Type header with the body', details: { contentType: null, allowed: ['application/json'] } },
    });
  });

  it('rejects text/plain and form-encoded bodies with 415 UNSUPPORTED_MEDIA_TYPE and stores nothing', async () => {
    const before = await t.request('GET', '/api/v1/organisations');
    for (const [payload, type] of [
      ['code=X&kind=MUNICIPALITY&name=X', 'application/x-www-form-urlencoded'],
      ['{"code":"X","kind":"MUNICIPALITY","name":"X"}', 'text/plain'],
    ] as const) {
      const res = await send(payload, type);
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const after = await t.request('GET', '/api/v1/organisations');
    expect(after.body.page.total).toBe(before.body.page.total);
  });

  it('rejects a body over the 10 MiB limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ code: 'BIG', kind: 'MUNICIPALITY', name: 'x'.repeat(BODY_LIMIT_BYTES) });
    expect(await send(body, 'application/json')).toEqual({
      status: 413,
      contentType: 'application/json; charset=utf-8',
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than the 10485760 bytes (10 MiB) a request may carry', details: { maxBytes: BODY_LIMIT_BYTES } },
    });
  });

  it('answers a path the API does not serve with 404 ROUTE_NOT_FOUND, whatever the method', async () => {
    const route = await t.request('GET', '/api/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /api/v1/nothing-here', details: {} });
    expect(route.headers.allow).toBeUndefined();

    const unversioned = await t.request('GET', '/organisations');
    expect(unversioned.status).toBe(404);
    expect(unversioned.body.code).toBe('ROUTE_NOT_FOUND');

    // Deeper than any route, a trailing slash after an id, and a segment too long to be a parameter.
    for (const url of [`/api/v1/organisations/${organisationId}/members/x`, `/api/v1/organisations/${organisationId}/`, `/api/v1/organisations/${'a'.repeat(101)}/x`]) {
      const res = await t.request('PUT', url, {});
      expect([url, res.status, res.body.code, res.headers.allow]).toEqual([url, 404, 'ROUTE_NOT_FOUND', undefined]);
    }
  });

  // RFC 9110 §15.5.6: the path exists, the method does not; Allow says which do.
  it('answers a method a served path does not take with 405 METHOD_NOT_ALLOWED, an Allow header and the allowed methods', async () => {
    const cases: [HttpMethod, string, string[]][] = [
      ['PUT', '/api/v1/organisations', ['GET', 'HEAD', 'POST']],
      ['DELETE', '/api/v1/contracts?limit=5', ['GET', 'HEAD', 'POST']],
      // An id nobody has stored: a 405 depends on the route, never on the data.
      ['PUT', '/api/v1/settlements/7d1f5c2e-3b4a-4c8d-9e0f-1a2b3c4d5e6f', ['GET', 'HEAD']],
      ['POST', `/api/v1/organisations/${organisationId}`, ['DELETE', 'GET', 'HEAD', 'PATCH']],
      ['GET', '/api/v1/settlements/7d1f5c2e-3b4a-4c8d-9e0f-1a2b3c4d5e6f/approve', ['POST']],
      ['DELETE', '/health', ['GET', 'HEAD']],
    ];
    for (const [method, url, allowed] of cases) {
      const res = await t.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      const path = url.split('?')[0];
      expect([method, url, res.status, res.headers.allow, res.headers['content-type'], res.body]).toEqual([
        method,
        url,
        405,
        allowed.join(', '),
        'application/json; charset=utf-8',
        { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${path}: it allows ${allowed.join(', ')}`, details: { method, allowed } },
      ]);
      // The document has no operation for the refused method, so the check around app.inject lets any
      // error through; held to the 4XX (the Error schema) of an operation the path does have, it must fit.
      const documented = allowed.find((m) => m !== 'HEAD')!;
      expect(committedOpenApiResponses().operation(documented, path)).toBeDefined();
      expect(committedOpenApiResponses().check({ method: documented, url, status: 405, contentType: res.headers['content-type'] as string, body: res.text })).toBeNull();
    }
    // Without credentials too: the route table is the published OpenAPI document, no secret.
    const anonymous = await t.request('PUT', '/api/v1/organisations', {}, { as: null });
    expect([anonymous.status, anonymous.headers.allow]).toEqual([405, 'GET, HEAD, POST']);
  });

  it('still serves HEAD on a GET route as Fastify does, and answers OPTIONS, which no route takes, with 405', async () => {
    // Fastify's own instance: the OpenAPI check around app.inject knows GET, not the HEAD Fastify adds.
    const head = await t.app.getHttpAdapter().getInstance().inject({ method: 'HEAD', url: '/api/v1/organisations', headers: { 'x-api-key': t.admin.apiKey } });
    expect([head.statusCode, head.body]).toEqual([200, '']);
    const options = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/organisations', headers: { 'x-api-key': t.admin.apiKey } });
    expect([options.statusCode, options.headers.allow, JSON.parse(options.body)]).toEqual([
      405,
      'GET, HEAD, POST',
      { code: 'METHOD_NOT_ALLOWED', message: 'OPTIONS is not allowed on /api/v1/organisations: it allows GET, HEAD, POST', details: { method: 'OPTIONS', allowed: ['GET', 'HEAD', 'POST'] } },
    ]);
  });

  it('leaves a 404 for an id that is not there a 404: the route takes the method, the data has no such thing', async () => {
    const res = await t.request('PATCH', '/api/v1/organisations/7d1f5c2e-3b4a-4c8d-9e0f-1a2b3c4d5e6f', { name: 'X' });
    expect(res.status).toBe(404);
    expect(res.body.code).not.toBe('ROUTE_NOT_FOUND');
    expect(res.headers.allow).toBeUndefined();
  });

  it('reads a path id in upper case as the same id (RFC 9562: UUIDs are case-insensitive on input)', async () => {
    const upper = organisationId.toUpperCase();
    expect(upper).not.toBe(organisationId);
    const read = await t.request('GET', `/api/v1/organisations/${upper}`);
    expect([read.status, read.body.id, read.body.code]).toEqual([200, organisationId, 'C-PD']);
    const updated = await t.request('PATCH', `/api/v1/organisations/${upper}`, { name: 'Comune di Padova (Settore Servizi Sociali)' });
    expect([updated.status, updated.body.id, updated.body.name]).toEqual([200, organisationId, 'Comune di Padova (Settore Servizi Sociali)']);
    expect((await t.request('GET', `/api/v1/organisations/${organisationId}`)).body.name).toBe('Comune di Padova (Settore Servizi Sociali)');
    // Mixed case too; anything that is not a UUID is still refused.
    const mixed = `${organisationId.slice(0, 8).toUpperCase()}${organisationId.slice(8)}`;
    expect((await t.request('GET', `/api/v1/organisations/${mixed}`)).body.id).toBe(organisationId);
    expect((await t.request('GET', `/api/v1/organisations/${upper}X`)).body.code).toBe('VALIDATION_FAILED');
  });

  it('rejects an unknown body field with 400 VALIDATION_FAILED naming it', async () => {
    const res = await t.request('POST', '/api/v1/organisations', { code: 'C-X', kind: 'MUNICIPALITY', name: 'X', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'colour is not a known field',
      details: { fields: [{ field: 'colour', code: 'whitelistValidation', message: 'colour is not a known field' }] },
    });
  });

  it('rejects an unknown query parameter the same way', async () => {
    const res = await t.request('GET', '/api/v1/organisations?colour=red');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'colour is not a known field',
      details: { fields: [{ field: 'colour', code: 'whitelistValidation', message: 'colour is not a known field' }] },
    });
  });

  it('rejects a JSON body that is not an object with 400 VALIDATION_FAILED', async () => {
    for (const payload of ['[]', 'null', '"C-X"', '42']) {
      const res = await send(payload, 'application/json');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: expect.arrayContaining([expect.objectContaining({ field: 'code' })]) } });
    }
  });

  it('rejects a path id that is not a UUID with 400 VALIDATION_FAILED on that parameter', async () => {
    const res = await t.request('DELETE', '/api/v1/organisations/42');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'VALIDATION_FAILED', message: 'id must be a UUID', details: { fields: [{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }] } });
  });

  it('answers a bad path id in the shape of a bad body field: same code, same keys, a message naming the field', async () => {
    const path = await t.request('PATCH', '/api/v1/users/x', { name: 'Anna' });
    expect(path.status).toBe(400);
    expect(path.body).toEqual({ code: 'VALIDATION_FAILED', message: 'id must be a UUID', details: { fields: [{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }] } });
    const body = await t.request('POST', '/api/v1/users', { name: 'Anna', organisationId: 'x', roles: ['admin'] });
    expect(body.status).toBe(400);
    expect(body.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'organisationId must be a UUID',
      details: { fields: [{ field: 'organisationId', code: 'isUuid', message: 'organisationId must be a UUID' }] },
    });
  });

  it('reports each invalid field once, by its most telling problem, and counts fields in the message', async () => {
    const res = await t.request('POST', '/api/v1/organisations', { kind: 'MUNICIPALITY', name: '' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: '2 fields are invalid',
      details: {
        fields: [
          { field: 'code', code: 'isString', message: 'code must be a string' },
          { field: 'name', code: 'minLength', message: 'name must be longer than or equal to 1 characters' },
        ],
      },
    });
  });

  it('stored nothing from any of the rejected requests above', async () => {
    expect(await total()).toBe(1);
  });
});
