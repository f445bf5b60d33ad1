import { readFileSync } from 'node:fs';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { FieldProblem } from 'src/common/errors/domain-error';
import { DecimalStringOptions, describeDecimalProblem } from 'src/common/decimal/decimal-string.validator';
import { contractsPath, RULE_SET_SCHEMA_FILE, SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { ContractDefinition } from 'src/contract-definitions/contract-definition.types';
import { ContractDefinitionError } from 'src/contract-definitions/contract-definitions.errors';
import { conditionProblems } from 'src/rules/condition.validation';

// The decimal kinds of the schemas' $defs and the checks each stands for, so a wrong decimal gets the
// same explanation as through the API (`describeDecimalProblem`), not a raw regular expression. The
// contract definition and the rule-set schema use the same names.
const DECIMAL_DEFS: Record<string, DecimalStringOptions> = {
  decimal: {},
  nonNegativeDecimal: { min: '0' },
  peopleCount: { min: '1', integer: true },
  money: { min: '0', maxScale: 2 },
  share: { min: '0', max: '1' },
};

const DEF_MESSAGES: Record<string, string> = {
  code: 'must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)',
  date: 'must be a calendar date as YYYY-MM-DD',
};

/** The document itself, when the problem is its top level (not an object, not JSON). */
export const DOCUMENT_FIELD = '(document)';

/** Where a rule-set condition sits (a gate, a guardrail, a milestone), as a JSON pointer prefix. */
const CONDITION_POINTER = /^(.*\/(?:terms\/\d+\/gate|guardrails\/\d+|phases\/\d+\/milestone)\/condition)(?:\/|$)/;

/** Reads a JSON schema from contracts/schema. */
export function readSchema(file: readonly string[]): object {
  return JSON.parse(readFileSync(contractsPath(...file), 'utf8')) as object;
}

/** An Ajv for our schemas: draft 2020-12, strict, every error, calendar dates. */
export function newSchemaAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ['date']);
  return ajv;
}

let compiled: ValidateFunction | null = null;

/** The schema (with the rule-set schema its `paymentRules` refers to), read from contracts/schema and compiled once per process. */
export function contractDefinitionValidator(): ValidateFunction {
  if (compiled === null) {
    const ajv = newSchemaAjv();
    ajv.addSchema(readSchema(RULE_SET_SCHEMA_FILE));
    compiled = ajv.compile(readSchema(SCHEMA_FILE));
  }
  return compiled;
}

/** Throws CONTRACT_DEFINITION_SCHEMA_INVALID (400) with one problem per field unless the document matches the schema. */
export function assertContractDefinitionSchema(document: unknown): asserts document is ContractDefinition {
  const validate = contractDefinitionValidator();
  if (validate(document)) {
    return;
  }
  const fields = schemaProblems(validate.errors ?? [], document);
  const summary = fields.length === 1 ? `${fields[0].field} ${fields[0].message}` : `${fields.length} fields are invalid`;
  throw new ContractDefinitionError('CONTRACT_DEFINITION_SCHEMA_INVALID', `The contract definition does not match the schema: ${summary}`, {
    fields,
  });
}

/**
 * Ajv's errors as field problems with document paths (`contract.groupings[0].members[1].executionShare`),
 * one per field, each with the failed keyword as `code`. `at` is put in front of every path. A rule-set
 * condition that does not match the schema is explained by `conditionProblems` instead (with the
 * RULE_CONDITION_* codes of docs/decisions/0010-rule-conditions.md), which says why far better than a
 * chain of if/then/else failures.
 */
export function schemaProblems(errors: readonly ErrorObject[], document: unknown, at = ''): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  const conditionsDone = new Set<string>();
  const add = (problem: FieldProblem): void => {
    if (!byField.has(problem.field)) byField.set(problem.field, problem);
  };
  for (const error of errors) {
    const condition = CONDITION_POINTER.exec(error.instancePath)?.[1];
    if (condition !== undefined && explainCondition(document, condition, at, conditionsDone, add)) {
      continue;
    }
    if (error.keyword === 'if') {
      continue; // always comes with the failures of the branch it chose
    }
    add(schemaProblem(error, document, at));
  }
  return [...byField.values()];
}

/** Adds a condition's own problems once; false when it has none to tell (then the schema's errors stand). */
function explainCondition(document: unknown, pointer: string, at: string, done: Set<string>, add: (p: FieldProblem) => void): boolean {
  if (done.has(pointer)) return true;
  const { path, value } = resolvePointer(document, pointer);
  const problems = conditionProblems(value, { at: prefixed(at, path) });
  if (problems.length === 0) return false;
  done.add(pointer);
  problems.forEach(add);
  return true;
}

function schemaProblem(error: ErrorObject, document: unknown, at: string): FieldProblem {
  const { path, value } = resolvePointer(document, error.instancePath);
  let field = path;
  let message: string;
  const def = /^#\/\$defs\/([A-Za-z]+)\//.exec(error.schemaPath)?.[1];
  if (error.keyword === 'required') {
    field = join(path, (error.params as { missingProperty: string }).missingProperty);
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    field = join(path, (error.params as { additionalProperty: string }).additionalProperty);
    message = 'is not a known field';
  } else if (error.keyword === 'type' && value === null) {
    message = 'must not be null (leave an optional field out instead of sending null)';
  } else if (def !== undefined && def in DECIMAL_DEFS) {
    message = describeDecimalProblem(value, DECIMAL_DEFS[def]) ?? decimalRangeMessage(def);
  } else if (def !== undefined && def in DEF_MESSAGES) {
    message = DEF_MESSAGES[def];
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  } else if (error.keyword === 'const') {
    message = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
  } else if (error.keyword === 'type') {
    const type = String((error.params as { type: unknown }).type);
    message = `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
  } else if (error.keyword === 'maxItems') {
    message = `must have at most ${String((error.params as { limit: unknown }).limit)} items`;
  } else {
    message = error.message ?? 'is invalid';
  }
  return { field: prefixed(at, field), message, code: error.keyword };
}

function prefixed(at: string, path: string): string {
  if (at === '') return path === '' ? DOCUMENT_FIELD : path;
  if (path === '') return at;
  return path.startsWith('[') ? `${at}${path}` : `${at}.${path}`;
}

function decimalRangeMessage(def: string): string {
  // describeDecimalProblem accepted the value but the schema did not: only the "-0" corner is left.
  return def === 'decimal' ? 'must be a plain decimal string' : 'must not be negative';
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Turns a JSON pointer into a readable path, walking the document to tell array indexes from object keys. */
function resolvePointer(document: unknown, pointer: string): { path: string; value: unknown } {
  let path = '';
  let value: unknown = document;
  if (pointer === '') {
    return { path, value };
  }
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path = `${path}[${key}]`;
      value = (value as unknown[])[Number(key)];
    } else {
      path = join(path, key);
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return { path, value };
}
