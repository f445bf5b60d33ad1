import { NotFoundException } from '@nestjs/common';
import fastify, { FastifyInstance, FastifyRequest } from 'fastify';
import { allowedMethods, methodNotAllowed } from 'src/common/errors/method-not-allowed';

// Fastify's own router, with routes shaped like the API's: a collection, an item under a parameter, a
// literal segment beside that parameter, and a route outside the prefix.
describe('the methods a path is served with', () => {
  let app: FastifyInstance;
  const ok = () => ({});

  beforeAll(async () => {
    app = fastify();
    app.get('/api/v1/things', ok);
    app.post('/api/v1/things', ok);
    app.get('/api/v1/things/:id', ok);
    app.patch('/api/v1/things/:id', ok);
    app.delete('/api/v1/things/:id', ok);
    app.post('/api/v1/things/:id/approve', ok);
    app.get('/api/v1/things/summary', ok);
    app.get('/health', ok);
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it('lists every method with a route for the path, HEAD with each GET, in alphabetical order', () => {
    expect(allowedMethods(app, '/api/v1/things', 100)).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowedMethods(app, '/api/v1/things/0b6f3c4e-2f7e-4d1b-9a55-3f1c2b7d8e90', 100)).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
    expect(allowedMethods(app, '/api/v1/things/any-value/approve', 100)).toEqual(['POST']);
    expect(allowedMethods(app, '/health', 100)).toEqual(['GET', 'HEAD']);
  });

  it('matches by route, not by text: a literal segment beside a parameter, and the query string ignored', () => {
    // GET /things/summary is its own route; PATCH and DELETE still reach /things/:id with "summary".
    expect(allowedMethods(app, '/api/v1/things/summary', 100)).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
    expect(allowedMethods(app, '/api/v1/things?limit=5&x=/api/v1/other', 100)).toEqual(['GET', 'HEAD', 'POST']);
    // As the router reads it, a trailing slash is an empty :id (which the API then refuses as no UUID).
    expect(allowedMethods(app, '/api/v1/things/', 100)).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
  });

  it('finds none for a path the router does not serve: unknown, unprefixed, longer, or with a trailing slash', () => {
    for (const url of ['/api/v1/nothing', '/things', '/api/v1/health', '/api/v1/things/x/approve/now', '/api/v1/things/x/']) {
      expect([url, allowedMethods(app, url, 100)]).toEqual([url, []]);
    }
  });

  it('finds none where a segment is longer than the router reads a parameter (its 414 handler is no route)', () => {
    expect(allowedMethods(app, `/api/v1/things/${'a'.repeat(101)}/nowhere`, 100)).toEqual([]);
    expect(allowedMethods(app, `/api/v1/things/${'a'.repeat(100)}`, 100)).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
  });

  describe('as an error', () => {
    const request = (method: string, url: string, is404 = true) => ({ method, url, is404, server: app }) as unknown as FastifyRequest;
    const notFound = (method: string, url: string) => new NotFoundException(`Cannot ${method} ${url}`);

    it('turns the not-found handler\'s 404 on a served path into 405 METHOD_NOT_ALLOWED with method and allowed', () => {
      const error = methodNotAllowed(notFound('PUT', '/api/v1/things?x=1'), request('PUT', '/api/v1/things?x=1'), 100);
      expect(error).toMatchObject({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        message: 'PUT is not allowed on /api/v1/things: it allows GET, HEAD, POST',
        details: { method: 'PUT', allowed: ['GET', 'HEAD', 'POST'] },
      });
    });

    it('leaves everything else alone: unknown paths, 404s thrown on a matched route, other errors', () => {
      expect(methodNotAllowed(notFound('GET', '/api/v1/nothing'), request('GET', '/api/v1/nothing'), 100)).toBeUndefined();
      // A route's own 404 (an id that is not there, or not visible) is about data, never the method.
      expect(methodNotAllowed(notFound('PUT', '/api/v1/things'), request('PUT', '/api/v1/things', false), 100)).toBeUndefined();
      expect(methodNotAllowed(new Error('boom'), request('PUT', '/api/v1/things'), 100)).toBeUndefined();
    });

    it('keeps the 404 should the router claim the refused method has a route after all', () => {
      expect(methodNotAllowed(notFound('GET', '/api/v1/things'), request('GET', '/api/v1/things'), 100)).toBeUndefined();
    });
  });
});
