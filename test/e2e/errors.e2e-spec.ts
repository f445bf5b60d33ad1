import { BODY_LIMIT_BYTES } from 'src/app/create-app';
import { createTestApp, TestApp } from 'test/support/test-app';

// The error model (docs/decisions/0002-error-model.md) at the edge: whatever goes wrong before a
// service runs (routing, body parsing, validation) still answers { code, message, details }.
describe('error responses', () => {
  let t: TestApp;

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
    expect((await t.request('POST', '/api/v1/organisations', { code: 'C-PD', kind: 'MUNICIPALITY', name: 'Comune di Padova' })).status).toBe(201);
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

  it('answers an unknown route or method with 404 ROUTE_NOT_FOUND', async () => {
    const route = await t.request('GET', '/api/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /api/v1/nothing-here', details: {} });

    const unversioned = await t.request('GET', '/organisations');
    expect(unversioned.status).toBe(404);
    expect(unversioned.body.code).toBe('ROUTE_NOT_FOUND');

    const method = await t.request('PUT', '/api/v1/organisations', {});
    expect(method.status).toBe(404);
    expect(method.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'Cannot PUT /api/v1/organisations', details: {} });
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
