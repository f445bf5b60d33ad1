import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommonError } from 'src/common/errors/common.errors';
import { FieldProblem } from 'src/common/errors/domain-error';

// The API's JSON body parser, in place of Fastify's default, so that every way a body can be unusable is a
// 400 with a code and a reason instead of a generic text or a 500 further on:
// - an empty body (a POST action sent with `content-type: application/json` and nothing else) is no body,
//   exactly as when the header is absent: routes without a body run, DTOs report their missing fields;
// - not JSON: MALFORMED_REQUEST with the parser's own reason and position;
// - nested deeper than MAX_JSON_DEPTH: MALFORMED_REQUEST. class-transformer and the validation pipe walk
//   bodies recursively, and ~1,400 levels (3 KB) overflowed the stack: a 500 on every DTO route;
// - a `__proto__` key, or `constructor.prototype`: VALIDATION_FAILED naming the field (Fastify's parser
//   refused them as "not valid JSON", which they are; a merge of such a body could reach Object.prototype);
// - a NUL character in a string or key: VALIDATION_FAILED naming the field. PostgreSQL cannot store it
//   (a 500 there) and SQLite would keep a string no other client expects.
// The last three look at the text first, so an ordinary body is parsed once and walked not at all.

/** Far deeper than any document of the API (a rule-set condition nests at most 8 levels inside ~6). */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/** The deepest nesting of objects and arrays in JSON text, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/** Field problems of a parsed body: keys that reach prototypes, and NUL characters in keys and strings. */
export function unsafeJsonProblems(value: unknown, checkPrototype: boolean, checkNul: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const visit = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      if (checkNul && v.includes('\u0000')) problems.push({ field: path, code: 'noNulCharacter', message: `${path || 'the body'} must not contain a NUL character (\\u0000)` });
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${path}[${i}]`));
      return;
    }
    for (const key of Object.keys(v)) {
      const at = path === '' ? key : `${path}.${key}`;
      const child = (v as Record<string, unknown>)[key];
      if (checkPrototype && (key === '__proto__' || (key === 'constructor' && typeof child === 'object' && child !== null && Object.prototype.hasOwnProperty.call(child, 'prototype')))) {
        problems.push({ field: at, code: 'forbiddenKey', message: `${at} is not allowed: "__proto__" and "constructor.prototype" keys are refused` });
        continue;
      }
      if (checkNul && key.includes('\u0000')) {
        problems.push({ field: at, code: 'noNulCharacter', message: `a key of ${path || 'the body'} contains a NUL character (\\u0000)` });
        continue;
      }
      visit(child, at);
    }
  };
  visit(value, '');
  return problems;
}

/** Parses a JSON body as described above; throws the CommonError to answer. Empty text is `undefined`. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new CommonError('MALFORMED_REQUEST', `The JSON body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommonError('MALFORMED_REQUEST', `The body is not valid JSON: ${reason}`, { reason });
  }
  const checkPrototype = text.includes('__proto__') || text.includes('prototype');
  const checkNul = text.includes('\\u0000');
  if (checkPrototype || checkNul) {
    const fields = unsafeJsonProblems(value, checkPrototype, checkNul);
    if (fields.length > 0) {
      throw new CommonError('VALIDATION_FAILED', fields.length === 1 ? fields[0].message : `${fields.length} fields are invalid`, { fields });
    }
  }
  return value;
}

/** Replaces Fastify's JSON parser with parseJsonBody, and refuses NUL characters in parameters. */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', refuseNulInParameters);
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/**
 * A preValidation hook: a NUL character in a query parameter or path parameter is refused like one in the
 * body (`GET /audit?action=a%00b` reached PostgreSQL, which cannot compare it: a 500).
 */
export function refuseNulInParameters(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  const fields: FieldProblem[] = [];
  for (const source of [request.params, request.query]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === 'string' && v.includes('\u0000'))) {
        fields.push({ field: name, code: 'noNulCharacter', message: `${name} must not contain a NUL character (%00)` });
      }
    }
  }
  if (fields.length === 0) {
    done();
    return;
  }
  done(new CommonError('VALIDATION_FAILED', fields.length === 1 ? fields[0].message : `${fields.length} fields are invalid`, { fields }));
}
