import { OpenAPIObject } from '@nestjs/swagger';
import { PathItemObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

// Every error the API answers is `{ code, message, details }` (docs/decisions/0002-error-model.md), made
// in one place (HttpErrorFilter). The OpenAPI document says so once per operation, as `4XX` and `5XX`
// responses referring to one schema, so a client generator types error bodies and the e2e suite holds
// every error it provokes to that schema (test/support/openapi-responses.ts). The codes themselves are
// listed per module in `src/<module>/<module>.errors.ts`, not per operation.

export const ERROR_COMPONENT = 'Error';
export const FIELD_PROBLEM_COMPONENT = 'FieldProblem';

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

export const ERROR_SCHEMAS: Record<string, SchemaObject> = {
  [ERROR_COMPONENT]: {
    type: 'object',
    description: 'Every error: a stable code to switch on, a message for people, and details (field problems in `details.fields`).',
    required: ['code', 'message', 'details'],
    additionalProperties: false,
    properties: {
      code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable, never renamed once published (e.g. `VALIDATION_FAILED`, `SETTLEMENT_STALE`).', example: 'VALIDATION_FAILED' },
      message: { type: 'string', description: 'For people; may be reworded.', example: '2 fields are invalid' },
      details: {
        type: 'object',
        description: 'What the code needs: `fields` for problems with named fields, other keys per code (ids, limits, lists).',
        additionalProperties: true,
        properties: { fields: { type: 'array', items: ref(FIELD_PROBLEM_COMPONENT) } },
      },
    },
  },
  [FIELD_PROBLEM_COMPONENT]: {
    type: 'object',
    description: 'One problem with one field, named by its path in the request (`members[1].executionShare`).',
    required: ['field', 'message'],
    additionalProperties: true,
    properties: {
      field: { type: 'string', example: 'members[1].executionShare' },
      message: { type: 'string', example: 'executionShare must be a decimal string such as "0.25"' },
      code: { type: 'string', example: 'isDecimalString' },
    },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function errorResponse(description: string): ResponseObject {
  return { description, content: { 'application/json': { schema: ref(ERROR_COMPONENT) } } };
}

/**
 * The document with the error schemas and, on every operation, `4XX` and `5XX` responses that refer to
 * them. A status the operation documents itself (the health probe's 503) keeps its own, more precise entry.
 */
export function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const taken = Object.keys(ERROR_SCHEMAS).filter((name) => name in schemas);
  if (taken.length > 0) throw new Error(`OpenAPI: components.schemas already has ${taken.join(', ')}`);
  const paths: Record<string, PathItemObject> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const copy: PathItemObject = { ...item };
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      copy[method] = {
        ...op,
        responses: {
          ...op.responses,
          '4XX': errorResponse('A client error: the request was refused and nothing changed.'),
          '5XX': errorResponse('A server error (`INTERNAL_ERROR`: the details are in the service log, never in the answer).'),
        },
      };
    }
    paths[path] = copy;
  }
  return { ...document, paths, components: { ...document.components, schemas: { ...schemas, ...ERROR_SCHEMAS } } };
}
