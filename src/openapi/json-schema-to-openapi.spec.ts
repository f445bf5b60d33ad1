import type { ValidateFunction } from 'ajv/dist/2020';
import { newSchemaAjv } from 'src/contract-definitions/contract-definition.schema';
import { convertJsonSchemas, Json, JsonObject, JsonSchemaSource } from 'src/openapi/json-schema-to-openapi';
import { openApiComponentValidators } from 'test/support/openapi-components-ajv';

// Each rewrite on a small schema: what it produces, and (where it restructures) that ajv accepts the
// same values with the converted schema as with the original. The real files are checked in
// json-schema-components.spec.ts.

const file = (name: string, schema: JsonObject): JsonSchemaSource => ({
  name,
  schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `https://example.test/${name.toLowerCase()}.json`, ...schema },
});

/** [value, accepted by the original, accepted by the converted schema] for each value. */
function verdicts(sources: JsonSchemaSource[], values: Json[]): [Json, boolean, boolean][] {
  const ajv = newSchemaAjv();
  sources.forEach((s) => ajv.addSchema(s.schema));
  const original = ajv.getSchema(sources[0].schema.$id as string) as ValidateFunction;
  const converted = openApiComponentValidators(convertJsonSchemas(sources))(sources[0].name);
  return values.map((v) => [v, original(v), converted(v)]);
}

const disagreeing = (rows: [Json, boolean, boolean][]) => rows.filter(([, a, b]) => a !== b);

describe('JSON Schema 2020-12 to OpenAPI 3.0', () => {
  it('names the top of a file and each of its $defs, drops $schema and $id, and points $refs at the components', () => {
    const a = file('A', { type: 'object', properties: { code: { $ref: '#/$defs/code' }, self: { $ref: '#' } }, $defs: { code: { type: 'string', pattern: '^[A-Z]+$' } } });
    expect(convertJsonSchemas([a])).toEqual({
      A: { type: 'object', properties: { code: { $ref: '#/components/schemas/A_code' }, self: { $ref: '#/components/schemas/A' } } },
      A_code: { type: 'string', pattern: '^[A-Z]+$' },
    });
  });

  it('follows a reference to another file by its $id, as inputs.ruleSet refers to the rule-set schema', () => {
    const a = file('A', { type: 'object', $defs: { code: { type: 'string' } } });
    const b = file('B', { type: 'object', properties: { a: { $ref: 'a.json' }, code: { $ref: 'a.json#/$defs/code' } } });
    expect(convertJsonSchemas([a, b]).B).toEqual({ type: 'object', properties: { a: { $ref: '#/components/schemas/A' }, code: { $ref: '#/components/schemas/A_code' } } });
  });

  it('puts a $ref with a description in an allOf, since OpenAPI 3.0 ignores what stands beside a $ref', () => {
    const a = file('A', { type: 'object', properties: { code: { $ref: '#/$defs/code', description: 'Code of the rule set.' } }, $defs: { code: { type: 'string' } } });
    expect((convertJsonSchemas([a]).A.properties as JsonObject).code).toEqual({ allOf: [{ $ref: '#/components/schemas/A_code' }], description: 'Code of the rule set.' });
  });

  it('writes const as a one-value enum', () => {
    const a = file('A', { type: 'string', const: 'SHA-256' });
    expect(convertJsonSchemas([a]).A).toEqual({ type: 'string', enum: ['SHA-256'] });
    expect(disagreeing(verdicts([a], ['SHA-256', 'MD5', null]))).toEqual([]);
  });

  it('writes true as {} and false as { not: {} }', () => {
    const a = file('A', { type: 'object', properties: { any: true, never: false } });
    expect(convertJsonSchemas([a]).A).toEqual({ type: 'object', properties: { any: {}, never: { not: {} } } });
    expect(disagreeing(verdicts([a], [{ any: 1 }, { never: 1 }, {}]))).toEqual([]);
  });

  describe('null', () => {
    const a = file('A', {
      type: 'object',
      properties: {
        reason: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'Why; null for a first version.' },
        fee: { anyOf: [{ $ref: '#/$defs/decimal' }, { type: 'null' }], description: 'The fee; null when none.' },
        count: { type: ['integer', 'null'] },
      },
      $defs: { decimal: { type: 'string', pattern: '^[0-9]+$', description: 'A decimal string.' } },
    });

    it('makes a schema or null nullable, inlining a referenced schema (OpenAPI 3.0 has no nullable $ref)', () => {
      expect(convertJsonSchemas([a]).A.properties).toEqual({
        reason: { type: 'string', description: 'Why; null for a first version.', nullable: true },
        fee: { type: 'string', pattern: '^[0-9]+$', description: 'The fee; null when none.', nullable: true },
        count: { type: 'integer', nullable: true },
      });
    });

    it('accepts null and refuses what the schema beside it refuses, as the original does', () => {
      const values: Json[] = [{ reason: null, fee: null, count: null }, { reason: 'x', fee: '12', count: 3 }, { fee: '1.5' }, { fee: 12 }, { reason: 1 }, { count: 'x' }];
      const rows = verdicts([a], values);
      expect(disagreeing(rows)).toEqual([]);
      expect(rows.map(([, accepted]) => accepted)).toEqual([true, true, false, false, false, false]);
    });

    it('gives no component to a $def used only beside null, since it is inlined there', () => {
      expect(Object.keys(convertJsonSchemas([a]))).toEqual(['A']);
    });

    it('refuses null beside an enum, whose values would still refuse null in OpenAPI 3.0', () => {
      const e = file('A', { anyOf: [{ type: 'string', enum: ['LIVE'] }, { type: 'null' }] });
      expect(() => convertJsonSchemas([e])).toThrow('OpenAPI: A (https://example.test/a.json) at #/anyOf: null beside a schema with enum has no OpenAPI 3.0 form');
    });
  });

  describe('if / then / else', () => {
    // testMeasurement's shape: MISSING alone, or a status with a sample size, or a value.
    const a = file('A', {
      type: 'object',
      if: { properties: { status: { const: 'MISSING' } }, required: ['status'] },
      then: { additionalProperties: false, required: ['status'], properties: { status: { const: 'MISSING' } } },
      else: {
        if: { properties: { status: true }, required: ['status'] },
        then: { additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['NOT_ASSESSABLE', 'MISSING'] }, sampleSize: { type: 'integer' } } },
        else: { additionalProperties: false, required: ['value'], properties: { value: { type: 'string' } } },
      },
    });

    it('becomes oneOf [X and Y, not X and Z], with an if inside an else flattened into the same oneOf', () => {
      const missing = { properties: { status: { enum: ['MISSING'] } }, required: ['status'] };
      const hasStatus = { properties: { status: {} }, required: ['status'] };
      const converted = convertJsonSchemas([a]).A;
      expect(converted.oneOf).toHaveLength(3);
      expect((converted.oneOf as JsonObject[]).map((branch) => (branch.allOf as Json[]).slice(0, -1))).toEqual([[missing], [{ not: missing }, hasStatus], [{ not: missing }, { not: hasStatus }]]);
    });

    it('accepts exactly what the original accepts', () => {
      const values: Json[] = [
        { status: 'MISSING' },
        { status: 'MISSING', sampleSize: 1 }, // refused: MISSING takes the first branch, which is closed
        { status: 'NOT_ASSESSABLE', sampleSize: 150 },
        { status: 'UNKNOWN' },
        { value: '11.0' },
        { value: '11.0', status: 'NOT_ASSESSABLE' },
        { value: 11 },
        {},
      ];
      const rows = verdicts([a], values);
      expect(disagreeing(rows)).toEqual([]);
      expect(rows.map(([, accepted]) => accepted)).toEqual([true, false, true, false, true, false, false, false]);
    });
  });

  describe('an allOf of if/then on a constant kind (basis, payout)', () => {
    const shapes = (kinds: string[]) =>
      file('A', {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string', enum: kinds } },
        allOf: [
          { if: { properties: { kind: { const: 'SHARE' } }, required: ['kind'] }, then: { additionalProperties: false, required: ['kind', 'share'], properties: { kind: { const: 'SHARE' }, share: { type: 'string' } } } },
          { if: { properties: { kind: { const: 'AMOUNT' } }, required: ['kind'] }, then: { additionalProperties: false, required: ['kind', 'amount'], properties: { kind: { const: 'AMOUNT' }, amount: { type: 'string' } } } },
        ],
      });
    const values: Json[] = [{ kind: 'SHARE', share: '0.1' }, { kind: 'AMOUNT', amount: '5' }, { kind: 'SHARE', amount: '5' }, { kind: 'AMOUNT' }, { kind: 'OTHER' }, { kind: 'FIXED' }, {}];

    it('becomes a oneOf of the shapes when the kinds are exactly those of the branches', () => {
      const a = shapes(['SHARE', 'AMOUNT']);
      const converted = convertJsonSchemas([a]).A;
      expect(converted.allOf).toBeUndefined();
      expect((converted.oneOf as JsonObject[]).map((s) => s.required)).toEqual([['kind', 'share'], ['kind', 'amount']]);
      const rows = verdicts([a], values);
      expect(disagreeing(rows)).toEqual([]);
      expect(rows.map(([, accepted]) => accepted)).toEqual([true, true, false, false, false, false, false]);
    });

    it('keeps the general form when a kind has no branch (the original accepts { kind: "FIXED" } as it is)', () => {
      const a = shapes(['SHARE', 'AMOUNT', 'FIXED']);
      const converted = convertJsonSchemas([a]).A;
      expect(converted.oneOf).toBeUndefined();
      expect(converted.allOf).toHaveLength(2);
      const rows = verdicts([a], values);
      expect(disagreeing(rows)).toEqual([]);
      expect(rows.find(([v]) => JSON.stringify(v) === '{"kind":"FIXED"}')?.[1]).toBe(true);
    });
  });

  it('gives an array without items the items: {} OpenAPI 3.0 requires', () => {
    expect(convertJsonSchemas([file('A', { type: 'array', maxItems: 3 })]).A).toEqual({ type: 'array', maxItems: 3, items: {} });
  });

  it('keeps propertyNames, which OpenAPI 3.0 cannot express, as the extension x-propertyNames', () => {
    const a = file('A', { type: 'object', propertyNames: { $ref: '#/$defs/code' }, additionalProperties: { type: 'string' }, $defs: { code: { type: 'string', pattern: '^[A-Z]+$' } } });
    expect(convertJsonSchemas([a]).A).toEqual({ type: 'object', 'x-propertyNames': { $ref: '#/components/schemas/A_code' }, additionalProperties: { type: 'string' } });
  });

  describe('refuses, naming the file and the place, what it cannot convert exactly', () => {
    it.each([
      ['prefixItems', { type: 'array', prefixItems: [{ type: 'string' }] }, '#/prefixItems: keyword "prefixItems" has no OpenAPI 3.0 conversion here'],
      ['unevaluatedProperties', { type: 'object', unevaluatedProperties: false }, '#/unevaluatedProperties: keyword "unevaluatedProperties"'],
      ['a numeric exclusiveMinimum (a boolean in OpenAPI 3.0)', { type: 'number', exclusiveMinimum: 0 }, '#/exclusiveMinimum: keyword "exclusiveMinimum"'],
      ['dependentRequired', { type: 'object', dependentRequired: { a: ['b'] } }, 'keyword "dependentRequired"'],
      ['contains', { type: 'array', contains: { type: 'string' } }, 'keyword "contains"'],
      ['$anchor', { type: 'object', properties: { a: { $anchor: 'a', type: 'string' } } }, '#/properties/a/$anchor: keyword "$anchor"'],
      ['an $id inside the file', { type: 'object', properties: { a: { $id: 'other.json', type: 'string' } } }, '#/properties/a/$id: $id is only understood at the top of a file'],
      ['type "null" alone', { type: 'null' }, 'type "null" outside a nullable anyOf/oneOf'],
      ['a $ref to a file not converted', { $ref: 'other.schema.json' }, '$ref "other.schema.json" is to https://example.test/other.schema.json, which is not among the files converted'],
      ['a $ref that is not to a file or its $defs', { type: 'object', properties: { a: { $ref: '#/properties/b' } } }, '$ref "#/properties/b" is not to a file or one of its $defs'],
      ['a $ref to a missing $def', { $ref: '#/$defs/missing' }, '$ref "#/$defs/missing" is not to a file or one of its $defs'],
    ])('%s', (_, schema, message) => {
      expect(() => convertJsonSchemas([file('A', schema as JsonObject)])).toThrow(message);
    });
  });
});
