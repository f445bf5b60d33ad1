import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { jsonSchemaComponents } from 'src/openapi/json-schema-components';
import { OPENAPI_DOCUMENT_PATH } from 'src/openapi/write-openapi';

// Every e2e response is checked against the committed contracts/api/openapi.json, the document
// integrators generate clients from (test-app.ts wraps `app.inject`). A check answers `null` when the
// response matches, or a message naming the route template, the status and what is wrong:
//  - a documented status with a JSON schema: the body must be JSON and valid against it, with no
//    property a response DTO does not name (committedOpenApiResponses);
//  - a documented status lists its media types (a report as JSON, CSV, XLSX or PDF): the response's
//    content type must be one of them, and only a JSON one is read, so a file is excluded by its content
//    type, not by route; a status documented without content (204) must not answer JSON;
//  - a 1xx/2xx/3xx the operation does not document (a 201 documented as 200) is a mismatch;
//  - a 4xx/5xx the operation does not document is not: the document describes errors once, in its
//    description (`{ code, message, details }`, docs/decisions/0002-error-model.md), not per operation,
//    so there is no schema to hold them to. An operation that does list an error status (the health
//    probe's 503) is held to its list.
//  - /api/docs (Swagger UI and the document itself) is the tooling that serves the document, not part of it.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Operation {
  method: string;
  template: string;
  /** One entry per path segment: a literal, or null for a `{param}`. */
  segments: (string | null)[];
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

export interface ResponseToCheck {
  method: string;
  /** As sent, with or without a query string. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isJsonType = (contentType: string | undefined): boolean => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '');

/**
 * An OpenAPI 3.0 Schema Object as the JSON Schema ajv validates. `nullable: true` admits null whatever
 * else the schema says, as client generators read it (`T | null` beside an `enum` or an `allOf: [$ref]`,
 * which Nest emits for nullable enums and nullable references); the components converted from
 * contracts/schema only put it beside a single `type`, where every reading agrees. `example` is an
 * annotation, `x-*` extensions are not checked.
 */
function toJsonSchema(node: Json, closed = false): Json {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'example' || key.startsWith('x-')) continue;
    // Keyword values that are not schemas, or maps whose keys are names rather than keywords.
    if (key === 'enum' || key === 'required' || key === 'default' || key === 'examples') out[key] = value;
    else if (key === 'properties' && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, toJsonSchema(s)]));
    else out[key] = toJsonSchema(value);
  }
  if (closed && isObject(out.properties) && !('additionalProperties' in out)) out.additionalProperties = false;
  return node.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

class OpenApiResponses {
  private readonly operations: Operation[] = [];
  private readonly ajv = new Ajv({ strict: true, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly name: string,
    document: JsonObject,
    /** Components whose properties are all there is (see committedOpenApiResponses). */
    closed: (component: string) => boolean = () => false,
  ) {
    addFormats(this.ajv, ['date', 'date-time', 'uuid', 'email']);
    // File uploads (request bodies only): not a constraint on a string.
    this.ajv.addFormat('binary', true);
    this.ajv.addKeyword('components');
    const components = isObject(document.components) ? document.components : {};
    const schemas = isObject(components.schemas) ? components.schemas : {};
    // Refs inside are `#/components/schemas/X`: they resolve against this $id.
    const converted = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema, closed(name))]));
    this.ajv.addSchema({ $id: 'openapi.json', components: { schemas: converted } });
    for (const [template, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
      if (!isObject(item)) continue;
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method) || !isObject(op) || !isObject(op.responses)) continue;
        const segments = template.split('/').map((s) => (/^\{[^}]+\}$/.test(s) ? null : s));
        this.operations.push({ method: method.toUpperCase(), template, segments, responses: op.responses as Operation['responses'] });
      }
    }
  }

  /** The operation a concrete path belongs to; a literal segment wins over a parameter, as Fastify routes. */
  operation(method: string, path: string): Operation | undefined {
    const parts = path.split('/');
    let best: Operation | undefined;
    for (const op of this.operations) {
      if (op.method !== method.toUpperCase() || op.segments.length !== parts.length) continue;
      if (!op.segments.every((s, i) => (s === null ? parts[i] !== '' : s === parts[i]))) continue;
      if (best === undefined || moreSpecific(op, best)) best = op;
    }
    return best;
  }

  check(res: ResponseToCheck): string | null {
    const path = res.url.split(/[?#]/)[0];
    if (path === '/api/docs' || path.startsWith('/api/docs/')) return null;
    const op = this.operation(res.method, path);
    const where = op === undefined ? `${res.method.toUpperCase()} ${path}` : `${op.method} ${op.template}`;
    const problem = (text: string): string => `Response does not match ${this.name}: ${where} (${res.method.toUpperCase()} ${res.url}) answered ${res.status}: ${text}`;
    const isError = res.status >= 400;
    if (op === undefined) return isError ? null : problem('the document has no such operation');
    const documented = Object.keys(op.responses);
    const key = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find((k) => k in op.responses);
    if (key === undefined) {
      if (isError && !documented.some((k) => /^[45]/.test(k))) return null;
      return problem(`the operation does not document this status (it documents ${documented.join(', ')})`);
    }
    const content = op.responses[key].content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      return isJsonType(res.contentType) && res.body.length > 0 ? problem(`a JSON body, where the document describes none for ${key}`) : null;
    }
    // A route with several renderings (a report as JSON, CSV, XLSX or PDF) lists each; only JSON is read.
    const actual = (res.contentType ?? '').split(';')[0].trim().toLowerCase();
    const mediaType = mediaTypes.find((m) => m.toLowerCase() === actual);
    if (mediaType === undefined) return problem(`content-type ${res.contentType ?? '(none)'}, where the document says ${mediaTypes.join(' or ')}`);
    const schema = content[mediaType].schema;
    if (!isJsonType(mediaType) || schema === undefined) return null;
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      return problem('a body that is not JSON, where the document says application/json');
    }
    const validate = this.validator(op, key, schema);
    if (validate(body)) return null;
    return problem(`the body breaks the documented schema ${describe(schema)}:\n${formatErrors(validate.errors ?? [])}\nbody: ${excerpt(res.body)}`);
  }

  // Compiled on first use, once per operation and status for as long as this module lives.
  private validator(op: Operation, status: string, schema: Json): ValidateFunction {
    const id = `${op.method} ${op.template} ${status}`;
    let validate = this.validators.get(id);
    if (validate === undefined) {
      // Inline response schemas refer to components with `#/components/...`, of the document added above.
      validate = this.ajv.compile(rebase(toJsonSchema(schema)) as object);
      this.validators.set(id, validate);
    }
    return validate;
  }
}

/** `#/components/...` refs of an inline schema, pointed at the document that holds the components. */
function rebase(node: Json): Json {
  if (Array.isArray(node)) return node.map(rebase);
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi.json${v}` : rebase(v)]));
}

function moreSpecific(a: Operation, b: Operation): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    if ((a.segments[i] === null) !== (b.segments[i] === null)) return a.segments[i] !== null;
  }
  return false;
}

function describe(schema: Json): string {
  if (isObject(schema) && typeof schema.$ref === 'string') return schema.$ref;
  if (isObject(schema) && schema.type === 'array' && isObject(schema.items) && typeof schema.items.$ref === 'string') return `array of ${schema.items.$ref}`;
  return JSON.stringify(schema).slice(0, 200);
}

function formatErrors(errors: ErrorObject[]): string {
  const detail = (e: ErrorObject): string =>
    e.keyword === 'enum' ? ` ${JSON.stringify(e.params.allowedValues)}` : e.keyword === 'additionalProperties' ? ` ${JSON.stringify(e.params)}` : '';
  const lines = errors.map((e) => `  ${e.instancePath || '(body)'} ${e.message ?? e.keyword}${detail(e)} (${e.schemaPath})`);
  return [...new Set(lines)].slice(0, 30).join('\n');
}

function excerpt(body: string): string {
  return body.length > 600 ? `${body.slice(0, 600)}…` : body;
}

let instance: OpenApiResponses | undefined;

/**
 * The checker for the committed document, read and set up once per module registry (Jest gives each spec
 * file its own), its validators compiled on first use. A response DTO's component is held closed: a
 * property the document does not name is one that clients generated from it never see (TypeScript lets
 * a service return `{ ...entity }` as a DTO). The components converted from contracts/schema keep their
 * own `additionalProperties`, which their union branches rely on.
 */
export function committedOpenApiResponses(): OpenApiResponses {
  if (instance === undefined) {
    const converted = new Set(Object.keys(jsonSchemaComponents()));
    const document = JSON.parse(readFileSync(join(__dirname, '..', '..', OPENAPI_DOCUMENT_PATH), 'utf8')) as JsonObject;
    instance = new OpenApiResponses(OPENAPI_DOCUMENT_PATH, document, (component) => !converted.has(component));
  }
  return instance;
}

/** A checker for any document (the validator's own spec feeds it small ones). */
export function openApiResponses(name: string, document: object, closed?: (component: string) => boolean): OpenApiResponses {
  return new OpenApiResponses(name, document as JsonObject, closed);
}

export type { OpenApiResponses };

/** On unless ANCORA_VALIDATE_RESPONSES=0. */
export function responseValidationEnabled(): boolean {
  return process.env.ANCORA_VALIDATE_RESPONSES !== '0';
}
