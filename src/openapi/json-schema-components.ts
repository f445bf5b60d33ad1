import { readFileSync } from 'node:fs';
import { OpenAPIObject } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { contractsPath, RULE_SET_SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { convertJsonSchemas, JsonObject, JsonSchemaSource } from 'src/openapi/json-schema-to-openapi';

// The payment rule set and the settlement document are published as JSON Schemas for auditors
// (contracts/schema); the OpenAPI document describes them with the same schemas, converted when it is
// generated, so the files stay the one source of truth. A DTO property refers to one with
// `@ApiProperty({ allOf: [{ $ref: getSchemaPath(name) }] })` and is typed `object` or `unknown`: from
// `Record<string, unknown>` the swagger plugin would add `additionalProperties: true` beside it.

/** components.schemas name of contracts/schema/rule-set.schema.json; its $defs are `RuleSet_<def>`. */
export const RULE_SET_COMPONENT = 'RuleSet';
/** components.schemas name of contracts/schema/settlement-document.schema.json; its $defs are `SettlementDocument_<def>`. */
export const SETTLEMENT_DOCUMENT_COMPONENT = 'SettlementDocument';
/** A settlement's result alone (what a simulation returns per grouping). */
export const SETTLEMENT_RESULT_COMPONENT = `${SETTLEMENT_DOCUMENT_COMPONENT}_result`;

const FILES: Record<string, readonly string[]> = {
  [RULE_SET_COMPONENT]: RULE_SET_SCHEMA_FILE,
  [SETTLEMENT_DOCUMENT_COMPONENT]: ['schema', 'settlement-document.schema.json'],
};

/** The schema files, read from contracts/schema. */
export function publishedJsonSchemas(): JsonSchemaSource[] {
  return Object.entries(FILES).map(([name, file]) => ({ name, schema: JSON.parse(readFileSync(contractsPath(...file), 'utf8')) as JsonObject }));
}

/** The published schemas as OpenAPI 3.0 components, by name. */
export function jsonSchemaComponents(): Record<string, JsonObject> {
  return convertJsonSchemas(publishedJsonSchemas());
}

/** The document with the published schemas added to components.schemas (a name Nest already uses is an error). */
export function withJsonSchemaComponents(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const added = jsonSchemaComponents();
  const taken = Object.keys(added).filter((name) => name in schemas);
  if (taken.length > 0) throw new Error(`OpenAPI: components.schemas already has ${taken.join(', ')}`);
  return { ...document, components: { ...document.components, schemas: { ...schemas, ...(added as Record<string, SchemaObject>) } } };
}
