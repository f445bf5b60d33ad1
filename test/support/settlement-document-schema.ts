import type { ValidateFunction } from 'ajv/dist/2020';
import { RULE_SET_SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { newSchemaAjv, readSchema } from 'src/contract-definitions/contract-definition.schema';

// contracts/schema/settlement-document.schema.json, the published shape of a settlement document for
// auditors, compiled the way the service compiles its own schemas (draft 2020-12, strict, every error),
// with the rule-set schema that `inputs.ruleSet` refers to. The service does not validate its own
// documents with it: the tests check that what it produces matches what it publishes.

export const SETTLEMENT_DOCUMENT_SCHEMA_FILE = ['schema', 'settlement-document.schema.json'] as const;
const SCHEMA_ID = 'https://ancora.example/contracts/schema/settlement-document.schema.json';

let compiled: { document: ValidateFunction; result: ValidateFunction } | null = null;

function validators(): { document: ValidateFunction; result: ValidateFunction } {
  if (compiled === null) {
    const ajv = newSchemaAjv();
    ajv.addSchema(readSchema(RULE_SET_SCHEMA_FILE));
    ajv.addSchema(readSchema(SETTLEMENT_DOCUMENT_SCHEMA_FILE));
    const get = (ref: string): ValidateFunction => {
      const v = ajv.getSchema(ref);
      if (v === undefined) throw new Error(`no schema ${ref}`);
      return v;
    };
    compiled = { document: get(SCHEMA_ID), result: get(`${SCHEMA_ID}#/$defs/result`) };
  }
  return compiled;
}

/** Where and why a value does not match: `/result/premium type must be string`; empty when it matches. */
function problems(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword} ${e.message ?? ''}`.trimEnd());
}

/** Problems of a whole settlement document against the schema. */
export function settlementDocumentProblems(doc: unknown): string[] {
  return problems(validators().document, doc);
}

/** Problems of a document's `result` alone (the golden expected files hold only results). */
export function settlementResultProblems(result: unknown): string[] {
  return problems(validators().result, result);
}
