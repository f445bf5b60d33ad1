import { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_COMPONENT, withErrorResponses } from 'src/openapi/error-responses';

describe('the common error body in the OpenAPI document', () => {
  const document = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': { get: { responses: { '200': { description: 'ok' } } }, post: { responses: { '201': { description: 'made' } } } },
      '/health': { get: { responses: { '200': { description: 'up' }, '503': { description: 'down, with its own schema' } } } },
    },
    components: { schemas: { Thing: { type: 'object' } } },
  } as unknown as OpenAPIObject;

  it('adds 4XX and 5XX to every operation, keeping what an operation documents itself', () => {
    const out = withErrorResponses(document);
    const error = { content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_COMPONENT}` } } } };
    for (const op of [out.paths['/things'].get, out.paths['/things'].post, out.paths['/health'].get]) {
      expect(op?.responses['4XX']).toMatchObject(error);
      expect(op?.responses['5XX']).toMatchObject(error);
    }
    expect(Object.keys(out.paths['/health'].get?.responses ?? {})).toEqual(['200', '503', '4XX', '5XX']);
    expect(out.paths['/health'].get?.responses['503']).toEqual({ description: 'down, with its own schema' });
    expect(Object.keys(out.components?.schemas ?? {})).toEqual(['Thing', 'Error', 'FieldProblem']);
    // The input is left as it was.
    expect(Object.keys(document.paths['/things'].get?.responses ?? {})).toEqual(['200']);
  });

  it('refuses to replace a schema of the same name', () => {
    const taken = { ...document, components: { schemas: { Error: { type: 'string' } } } } as unknown as OpenAPIObject;
    expect(() => withErrorResponses(taken)).toThrow('OpenAPI: components.schemas already has Error');
  });
});
