import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIObject } from '@nestjs/swagger';
import { jsonSchemaComponents } from 'src/openapi/json-schema-components';
import { generateOpenApiDocument, OPENAPI_DOCUMENT_PATH, serializeOpenApiDocument } from 'src/openapi/write-openapi';
import { createTestApp, TestApp } from 'test/support/test-app';

const COMMITTED_PATH = join(__dirname, '..', '..', OPENAPI_DOCUMENT_PATH);

// What changed, in words a reviewer can act on, rather than a 2,000-line string diff.
function describeDrift(committed: OpenAPIObject, current: OpenAPIObject): string[] {
  const changes: string[] = [];
  const compare = (kind: string, a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(key in a)) changes.push(`${kind} ${key} is new`);
      else if (!(key in b)) changes.push(`${kind} ${key} was removed`);
      else if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changes.push(`${kind} ${key} changed`);
    }
  };
  compare('path', committed.paths, current.paths);
  compare('schema', committed.components?.schemas, current.components?.schemas);
  return changes.length > 0 ? changes : ['formatting or key order changed'];
}

describe('OpenAPI document', () => {
  let document: OpenAPIObject;
  let t: TestApp;

  beforeAll(async () => {
    document = await generateOpenApiDocument();
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('matches the committed contracts/api/openapi.json', () => {
    const committedText = readFileSync(COMMITTED_PATH, 'utf8');
    const currentText = serializeOpenApiDocument(document);
    if (committedText !== currentText) {
      const drift = describeDrift(JSON.parse(committedText) as OpenAPIObject, document);
      throw new Error(
        `${OPENAPI_DOCUMENT_PATH} is stale: run \`npm run openapi\` and commit the result.\n  - ${drift.join('\n  - ')}`,
      );
    }
  });

  it('serves the same document at /api/docs/openapi.json and the UI at /api/docs', async () => {
    const json = await t.request('GET', '/api/docs/openapi.json');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual(document);

    const ui = await t.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/^text\/html/);
    expect(ui.text).toContain('swagger-ui');
  });

  it('documents every operation under a tag, with an operation id, outside /api/docs', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { tags?: string[]; operationId?: string }>).map(([method, op]) => ({
        where: `${method.toUpperCase()} ${path}`,
        ...op,
      })),
    );
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((op) => !op.tags || op.tags.length === 0).map((op) => op.where)).toEqual([]);
    expect(operations.filter((op) => !op.operationId).map((op) => op.where)).toEqual([]);
    expect(Object.keys(document.paths).filter((p) => p.startsWith('/api/docs'))).toEqual([]);
    // Everything but the health probe is versioned.
    expect(Object.keys(document.paths).filter((p) => !p.startsWith('/api/v1/'))).toEqual(['/health']);
  });

  it('describes every schema it names (DTOs live in *.dto.ts files, which the swagger plugin reads)', () => {
    const schemas = (document.components?.schemas ?? {}) as Record<string, { properties?: object }>;
    // Not DTOs: the components converted from contracts/schema, where a decimal string or a union of conditions has no properties.
    const converted = new Set(Object.keys(jsonSchemaComponents()));
    const empty = Object.entries(schemas)
      .filter(([name, schema]) => !converted.has(name) && Object.keys(schema.properties ?? {}).length === 0)
      .map(([name]) => name);
    expect(empty).toEqual([]);
  });

  it('documents the paging query from src/common', () => {
    const list = document.paths['/api/v1/organisations'].get!;
    const names = (list.parameters ?? []).map((p) => ('name' in p ? p.name : p.$ref));
    expect(names).toEqual(expect.arrayContaining(['limit', 'offset', 'kind', 'districtId']));
    expect(list.parameters).toContainEqual({
      name: 'limit',
      required: false,
      in: 'query',
      description: 'How many items to return.',
      schema: { minimum: 1, maximum: 200, default: 50, type: 'integer' },
    });
  });
});
