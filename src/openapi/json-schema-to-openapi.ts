// JSON Schema draft 2020-12 documents as OpenAPI 3.0 Schema Objects, for components.schemas. The JSON
// Schema files stay the source of truth; this turns them, at generation time, into what OpenAPI 3.0 can
// say. Every rewrite below validates exactly what the original validates (json-schema-to-openapi.spec.ts
// and json-schema-components.spec.ts check it with ajv), with one exception that OpenAPI 3.0 cannot
// express: `propertyNames`, kept as the extension `x-propertyNames` for readers. A keyword not listed
// here stops the generation rather than being dropped.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One schema file: the component name its top gets; its `$defs` become `<name>_<def>`. */
export interface JsonSchemaSource {
  name: string;
  schema: JsonObject;
}

// Keywords that mean the same in JSON Schema 2020-12 and in an OpenAPI 3.0 Schema Object.
const SAME_KEYWORDS = new Set([
  'title', 'description', 'default', 'format', 'enum', 'required', 'multipleOf', 'minimum', 'maximum',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
  'readOnly', 'writeOnly', 'deprecated',
]);
const ANNOTATIONS = new Set(['title', 'description']);
// Read from the top of a file by convertJsonSchemas; inside one they would change what refs mean.
const FILE_KEYWORDS = new Set(['$schema', '$id', '$defs']);
// An OpenAPI 3.0 component name (spec, Components Object).
const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

interface At {
  source: JsonSchemaSource;
  pointer: string;
}

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNullOnly = (value: Json): boolean => isObject(value) && Object.keys(value).length === 1 && value.type === 'null';
const isPureRef = (value: Json): value is { $ref: string } => isObject(value) && Object.keys(value).length === 1 && typeof value.$ref === 'string';
const child = (at: At, ...keys: (string | number)[]): At => ({ ...at, pointer: `${at.pointer}/${keys.join('/')}` });
const refTo = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

const idOf = (source: JsonSchemaSource): string => (typeof source.schema.$id === 'string' ? source.schema.$id : '(no $id)');

function fail(at: At, problem: string): never {
  throw new Error(`OpenAPI: ${at.source.name} (${idOf(at.source)}) at #${at.pointer}: ${problem}`);
}

/**
 * The components for the given schema files: each file's top as `<name>`, each of its `$defs` that some
 * component refers to as `<name>_<def>`, with every `$ref` (also from one file to another, resolved
 * against `$id`) pointing into components.schemas.
 */
export function convertJsonSchemas(sources: readonly JsonSchemaSource[]): Record<string, JsonObject> {
  const components: Record<string, JsonObject> = {};
  for (const source of sources) {
    const top: At = { source, pointer: '' };
    if (!COMPONENT_NAME.test(source.name)) fail(top, `"${source.name}" cannot name a component`);
    if (typeof source.schema.$id !== 'string') fail(top, 'a schema file needs an absolute $id to resolve references against');
    components[source.name] = convert(sources, source.schema, top);
    const defs = source.schema.$defs ?? {};
    if (!isObject(defs)) fail(child(top, '$defs'), '$defs is not an object');
    for (const [def, schema] of Object.entries(defs)) {
      if (!COMPONENT_NAME.test(def)) fail(child(top, '$defs', def), `"${def}" cannot name a component`);
      components[`${source.name}_${def}`] = convert(sources, schema, child(top, '$defs', def));
    }
  }
  // A $def used only where null is also allowed is inlined there (below), so no component refers to it.
  const used = new Set(sources.map((s) => s.name));
  const visit = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      const name = typeof value.$ref === 'string' ? value.$ref.replace('#/components/schemas/', '') : null;
      if (name !== null && !used.has(name)) {
        used.add(name);
        visit(components[name]);
      }
      Object.values(value).forEach(visit);
    }
  };
  sources.forEach((s) => visit(components[s.name]));
  return Object.fromEntries(Object.entries(components).filter(([name]) => used.has(name)));
}

function convert(sources: readonly JsonSchemaSource[], node: Json, at: At): JsonObject {
  const sub = (value: Json, where: At): JsonObject => convert(sources, value, where);
  if (node === true) return {};
  if (node === false) return { not: {} };
  if (!isObject(node)) fail(at, 'is not a schema');
  const nullable = nullableUnion(sources, node, at);
  if (nullable !== null) return nullable;

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    const here = child(at, key);
    switch (key) {
      case '$schema':
      case '$id':
      case '$defs':
        if (at.pointer !== '') fail(here, `${key} is only understood at the top of a file`);
        break;
      case '$ref': {
        // OpenAPI 3.0 ignores the siblings of a $ref (a description, here), so the ref goes in an allOf.
        const ref = refTo(resolve(sources, value, here).name);
        if (Object.keys(node).length === 1) return ref;
        if ('allOf' in node) fail(here, '$ref beside allOf');
        out.allOf = [ref];
        break;
      }
      case 'type':
        if (value === 'null') fail(here, 'type "null" outside a nullable anyOf/oneOf has no OpenAPI 3.0 form');
        if (Array.isArray(value)) {
          const types = value.filter((t) => t !== 'null');
          if (types.length !== 1 || types.length === value.length || 'enum' in node || 'const' in node) fail(here, `type ${JSON.stringify(value)} has no OpenAPI 3.0 form`);
          out.type = types[0];
          out.nullable = true;
        } else if (typeof value === 'string') out.type = value;
        else fail(here, 'type is neither a name nor a list of names');
        break;
      case 'const':
        if ('enum' in node) fail(here, 'const beside enum');
        out.enum = [value];
        break;
      case 'properties':
        if (!isObject(value)) fail(here, 'properties is not an object');
        out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, sub(s, child(here, name))]));
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : sub(value, here);
        break;
      case 'items':
        if (Array.isArray(value)) fail(here, 'items as a list is not draft 2020-12 (prefixItems is not supported either)');
        out.items = sub(value, here);
        break;
      case 'not':
        out.not = sub(value, here);
        break;
      case 'allOf': {
        if (!Array.isArray(value)) fail(here, `${key} is not a list`);
        if (isDiscriminated(node)) out.oneOf = value.map((s, i) => sub((s as JsonObject).then, child(here, i, 'then')));
        else out.allOf = value.map((s, i) => sub(s, child(here, i)));
        break;
      }
      case 'anyOf':
      case 'oneOf':
        if (!Array.isArray(value)) fail(here, `${key} is not a list`);
        out[key] = value.map((s, i) => sub(s, child(here, i)));
        break;
      case 'if': {
        // if X then Y else Z  ≡  oneOf [allOf [X, Y], allOf [not X, Z]]: the branches exclude each other.
        if ('oneOf' in node || 'oneOf' in out) fail(here, 'if beside oneOf');
        const test = sub(value, here);
        const then = node.then === undefined ? undefined : sub(node.then, child(at, 'then'));
        const otherwise = node.else === undefined ? undefined : sub(node.else, child(at, 'else'));
        // An if in the else is flattened: not X ∧ oneOf [A, B]  ≡  oneOf [not X ∧ A, not X ∧ B].
        const elses = otherwise !== undefined && Object.keys(otherwise).join() === 'oneOf' ? (otherwise.oneOf as JsonObject[]) : [otherwise];
        out.oneOf = [both(test, then), ...elses.map((e) => both({ not: test }, e))];
        break;
      }
      case 'then':
      case 'else':
        if (!('if' in node)) fail(here, `${key} without if`);
        break;
      case 'propertyNames':
        // OpenAPI 3.0 cannot constrain the names of a map's keys: kept for readers, not enforced by tools.
        out['x-propertyNames'] = sub(value, here);
        break;
      default:
        if (!SAME_KEYWORDS.has(key)) fail(here, `keyword "${key}" has no OpenAPI 3.0 conversion here`);
        out[key] = value;
    }
  }
  // OpenAPI 3.0 requires items beside type array; {} says what its absence says in JSON Schema.
  if (out.type === 'array' && !('items' in out)) out.items = {};
  return out;
}

/**
 * `anyOf` (or `oneOf`) of a schema and `{ "type": "null" }`: that schema with `nullable: true`. A `$ref`
 * is inlined, since OpenAPI 3.0 has no nullable reference (`nullable` beside `allOf: [$ref]` still lets
 * the referenced schema refuse null). Only for a schema with one type and no enum or composition, which
 * `nullable` extends exactly.
 */
function nullableUnion(sources: readonly JsonSchemaSource[], node: JsonObject, at: At): JsonObject | null {
  const key = 'anyOf' in node ? 'anyOf' : 'oneOf' in node ? 'oneOf' : null;
  const members = key === null ? null : node[key];
  if (key === null || !Array.isArray(members) || members.length !== 2 || members.filter(isNullOnly).length !== 1) return null;
  const here = child(at, key);
  const others = Object.keys(node).filter((k) => k !== key && !(at.pointer === '' && FILE_KEYWORDS.has(k)));
  if (others.some((k) => !ANNOTATIONS.has(k))) fail(here, `a nullable ${key} beside ${others.join(', ')}`);
  const member = members.find((m) => !isNullOnly(m)) as Json;
  let schema: JsonObject;
  if (isPureRef(member)) {
    const target = resolve(sources, member.$ref, child(here, members.indexOf(member)));
    schema = convert(sources, target.schema, target.at);
  } else schema = convert(sources, member, child(here, members.indexOf(member)));
  const extended = ['enum', '$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'nullable'].filter((k) => k in schema);
  if (typeof schema.type !== 'string' || extended.length > 0) fail(here, `null beside a schema with ${extended.join(', ') || 'no single type'} has no OpenAPI 3.0 form`);
  const annotations = Object.fromEntries(others.map((k) => [k, node[k]]));
  return { ...schema, ...annotations, nullable: true };
}

/**
 * `allOf: [{ if: { properties: { kind: { const: "A" } }, required: ["kind"] }, then: A }, ...]` on an
 * object that requires `kind` from an enum of exactly those constants, where each `then` fixes `kind`
 * to its constant, reads as `oneOf: [A, B, ...]`, which a client generator understands as a union:
 * exactly one `if` holds for a valid object and no other `then` can, so both accept the same objects.
 */
function isDiscriminated(node: JsonObject): boolean {
  const branches = node.allOf;
  if (!Array.isArray(branches) || branches.length === 0 || 'if' in node || 'oneOf' in node) return false;
  let key: string | null = null;
  const values = new Set<Json>();
  for (const branch of branches) {
    if (!isObject(branch) || Object.keys(branch).sort().join() !== 'if,then' || !isObject(branch.if) || !isObject(branch.then)) return false;
    const test = branch.if;
    if (Object.keys(test).sort().join() !== 'properties,required' || !isObject(test.properties)) return false;
    const [name, ...more] = Object.keys(test.properties);
    const condition = test.properties[name];
    if (more.length > 0 || (key !== null && name !== key) || JSON.stringify(test.required) !== JSON.stringify([name])) return false;
    if (!isObject(condition) || Object.keys(condition).join() !== 'const' || typeof condition.const !== 'string' || values.has(condition.const)) return false;
    const fixed = isObject(branch.then.properties) ? branch.then.properties[name] : undefined;
    if (!isObject(fixed) || fixed.const !== condition.const) return false;
    key = name;
    values.add(condition.const);
  }
  const own = isObject(node.properties) && key !== null ? node.properties[key] : undefined;
  const required = Array.isArray(node.required) && node.required.includes(key);
  return required && isObject(own) && Array.isArray(own.enum) && own.enum.every((v) => values.has(v));
}

/** The schema a `$ref` points to, in its own file: the top of a file or one of its `$defs`. */
function resolve(sources: readonly JsonSchemaSource[], ref: Json, at: At): { name: string; schema: Json; at: At } {
  if (typeof ref !== 'string') fail(at, '$ref is not a string');
  const url = new URL(ref, idOf(at.source));
  const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  const source = sources.find((s) => s.schema.$id === url.href);
  if (source === undefined) fail(at, `$ref "${ref}" is to ${url.href}, which is not among the files converted`);
  const top: At = { source, pointer: '' };
  if (fragment === '') return { name: source.name, schema: source.schema, at: top };
  const def = /^\/\$defs\/([^/~]+)$/.exec(fragment)?.[1];
  const defs = source.schema.$defs;
  if (def === undefined || !isObject(defs) || !(def in defs)) fail(at, `$ref "${ref}" is not to a file or one of its $defs`);
  return { name: `${source.name}_${def}`, schema: defs[def], at: child(top, '$defs', def) };
}

/** a ∧ b as one flat allOf. */
function both(a: JsonObject, b: JsonObject | undefined): JsonObject {
  if (b === undefined) return a;
  const parts = (s: JsonObject): Json[] => (Object.keys(s).join() === 'allOf' ? (s.allOf as Json[]) : [s]);
  return { allOf: [...parts(a), ...parts(b)] };
}
