import type { ValidateFunction } from 'ajv/dist/2020';
import { RULE_SET_SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { newSchemaAjv, readSchema, schemaProblems } from 'src/contract-definitions/contract-definition.schema';
import type { RuleSetProblem } from 'src/rule-sets/rule-set.problems';

// The JSON Schema step of rule-set validation (contracts/schema/rule-set.schema.json): shape, decimal
// strings, closed objects and the list limits. Problems carry RULE_SET_SCHEMA_INVALID, or
// RULE_SET_TOO_LARGE for a list above its limit, or a condition's own RULE_CONDITION_* code.

let compiled: ValidateFunction | null = null;

export function ruleSetValidator(): ValidateFunction {
  if (compiled === null) {
    compiled = newSchemaAjv().compile(readSchema(RULE_SET_SCHEMA_FILE));
  }
  return compiled;
}

/** Schema problems of a rule set, with paths prefixed by `at`; empty when it matches the schema. */
export function ruleSetSchemaProblems(doc: unknown, at = ''): RuleSetProblem[] {
  const validate = ruleSetValidator();
  if (validate(doc)) return [];
  return schemaProblems(validate.errors ?? [], doc, at).map((p) => ({
    code: p.code?.startsWith('RULE_CONDITION_') ? (p.code as RuleSetProblem['code']) : p.code === 'maxItems' ? 'RULE_SET_TOO_LARGE' : 'RULE_SET_SCHEMA_INVALID',
    field: p.field,
    message: p.message,
  }));
}
