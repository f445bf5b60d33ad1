import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { contractsPath, RULE_SET_SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { newSchemaAjv, readSchema } from 'src/contract-definitions/contract-definition.schema';
import { jsonSchemaComponents, RULE_SET_COMPONENT, SETTLEMENT_DOCUMENT_COMPONENT, SETTLEMENT_RESULT_COMPONENT } from 'src/openapi/json-schema-components';
import { OPENAPI_DOCUMENT_PATH } from 'src/openapi/write-openapi';
import type { SettlementDocument } from 'src/settlements/settlement-document';
import { buildDocument } from 'src/settlements/settlement-document.builder';
import { bergamoReasonInputs, padovaReasonInputs, reasonFixtureMeta } from 'src/settlements/testing/reason-coverage.fixture';
import { openApiComponentValidators } from 'test/support/openapi-components-ajv';
import { settlementDocumentProblems, settlementResultProblems } from 'test/support/settlement-document-schema';

// The OpenAPI components converted from contracts/schema must accept what the JSON Schemas accept and
// refuse what they refuse, on the documents the schema tests use (settlement-document.schema.spec.ts,
// the contract examples): both are compiled by ajv and asked about the same documents.

type Rules = Record<string, unknown>;
type Change = (old: unknown) => unknown;

const converted = openApiComponentValidators(jsonSchemaComponents());
const ruleSetSchema = newSchemaAjv().compile(readSchema(RULE_SET_SCHEMA_FILE));

/** [accepted by the JSON Schema, accepted by the OpenAPI component] */
const ruleSetVerdicts = (rules: unknown): [boolean, boolean] => [ruleSetSchema(rules), converted(RULE_SET_COMPONENT)(rules)];
const documentVerdicts = (doc: unknown): [boolean, boolean] => [settlementDocumentProblems(doc).length === 0, converted(SETTLEMENT_DOCUMENT_COMPONENT)(doc)];
const resultVerdicts = (result: unknown): [boolean, boolean] => [settlementResultProblems(result).length === 0, converted(SETTLEMENT_RESULT_COMPONENT)(result)];

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The payment rules of every contract document in contracts/examples and contracts/invalid, by file. */
function contractRuleSets(): [string, unknown][] {
  return ['examples', 'invalid'].flatMap((dir) =>
    readdirSync(contractsPath(dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => [`${dir}/${f}`, (readJson(contractsPath(dir, f)) as { contract?: { paymentRules?: unknown } }).contract?.paymentRules] as [string, unknown])
      .filter(([, rules]) => rules !== undefined),
  );
}

const padovaRules = (): Rules => structuredClone(contractRuleSets().find(([f]) => f === 'examples/padova-sdc-2.0.json')![1]) as Rules;

const stored = (name: 'padova' | 'bergamo'): SettlementDocument =>
  readJson(join(__dirname, '..', 'settlements', 'testing', `format-1-${name}.settlement.json`)) as SettlementDocument;
const built = (name: 'padova' | 'bergamo'): SettlementDocument =>
  buildDocument(reasonFixtureMeta(name), name === 'padova' ? padovaReasonInputs() : bergamoReasonInputs(), null).doc;
/** Padova reopened against its approved format-1 version: version 2, with a delta. */
const reopened = (): SettlementDocument =>
  buildDocument({ ...reasonFixtureMeta('padova'), version: 2, computedAt: '2026-09-01T08:00:00.000Z', reopenReason: 'IND-01 corrected' }, padovaReasonInputs(), stored('padova')).doc;

/** A copy of `value` with what is at `path` changed by `change` (which returns undefined to remove it). */
function changed<T>(value: T, path: (string | number)[], change: (old: unknown) => unknown): T {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, copy);
  const last = path[path.length - 1];
  const next = change(parent[last]);
  if (next === undefined) delete parent[last];
  else parent[last] = next;
  return copy as T;
}

describe('the OpenAPI components converted from contracts/schema', () => {
  describe('RuleSet', () => {
    it('agrees with rule-set.schema.json on the payment rules of every example and invalid contract document', () => {
      const rows = contractRuleSets().map(([file, rules]) => [file, ...ruleSetVerdicts(rules)] as const);
      expect(rows.length).toBeGreaterThan(50);
      expect(rows.filter(([, original, openApi]) => original !== openApi)).toEqual([]);
      expect(rows.filter(([file]) => file.startsWith('examples/')).map(([, original]) => original)).toEqual([true, true]);
      expect(rows.filter(([, original]) => !original).map(([file]) => file)).toEqual(
        expect.arrayContaining(['invalid/CONTRACT_DEFINITION_SCHEMA_INVALID.rule-set-jsonpath.json', 'invalid/CONTRACT_DEFINITION_SCHEMA_INVALID.payment-term-without-indicator.json']),
      );
    });

    it.each<[string, (string | number)[], Change]>([
      ['a LINEAR payout without its cap', ['terms', 0, 'payout'], () => ({ kind: 'LINEAR', threshold: '0.5' })],
      ['a payout of an unknown kind', ['terms', 0, 'payout'], () => ({ kind: 'STEP', threshold: '0.5' })],
      ['a SHARE_OF_FEE basis with an amount', ['basis'], () => ({ kind: 'SHARE_OF_FEE', amount: '1000.00' })],
      ['a condition that is both a group and a comparison', ['guardrails', 0, 'condition', 'all', 0], (c) => ({ ...(c as Rules), all: [c] })],
      ['a comparison without its value', ['guardrails', 0, 'condition', 'all', 0, 'value'], () => undefined],
      ['a guardrail condition that is a bare comparison', ['guardrails', 0, 'condition'], (c) => (c as { all: unknown[] }).all[0]],
      ['a MISSING test measurement with a sample size', ['tests', 0, 'measurements', 'IND-01'], () => ({ status: 'MISSING', sampleSize: 10 })],
      ['a test measurement with both a value and a status', ['tests', 0, 'measurements', 'IND-01'], () => ({ value: '11.0', status: 'NOT_ASSESSABLE' })],
      ['another format', ['format'], () => 'ancora.rule-set/2'],
      ['a weight as a JSON number', ['terms', 0, 'weight'], () => 0.2],
      ['money with three decimals', ['poolCap'], () => '1000.001'],
      ['a field the format does not have', ['note'], () => 'x'],
      ['no terms', ['terms'], () => undefined],
    ])('refuses, as the JSON Schema does, %s', (_, path, change) => {
      expect(ruleSetVerdicts(padovaRules())).toEqual([true, true]);
      expect(ruleSetVerdicts(changed(padovaRules(), path, change))).toEqual([false, false]);
    });

    it('differs only where OpenAPI 3.0 cannot follow: a map key that is not a code (propertyNames, kept as x-propertyNames)', () => {
      const rules = changed(padovaRules(), ['tests', 0, 'measurements', 'not a code!'], () => ({ value: '1' }));
      expect(ruleSetVerdicts(rules)).toEqual([false, true]);
      const testCase = jsonSchemaComponents().RuleSet_testCase.properties as Record<string, Rules>;
      expect(testCase.measurements['x-propertyNames']).toEqual({ $ref: '#/components/schemas/RuleSet_code' });
    });
  });

  describe('SettlementDocument', () => {
    it.each<[string, () => SettlementDocument]>([
      ['the stored ancora.settlement/1 document (Padova)', () => stored('padova')],
      ['the stored ancora.settlement/1 document (Bergamo: no fee, no pool)', () => stored('bergamo')],
      ['the stored ancora.settlement/2 document (Padova, a sample size and a guardrail value not there)', () =>
        readJson(join(__dirname, '..', 'settlements', 'testing', 'format-2-padova-unreported.settlement.json')) as SettlementDocument],
      ['an ancora.settlement/3 document built now (Padova)', () => built('padova')],
      ['an ancora.settlement/3 document built now (Bergamo)', () => built('bergamo')],
      ['a reopened version with its delta', reopened],
    ])('accepts, as the JSON Schema does, %s', (_, doc) => {
      expect(documentVerdicts(doc())).toEqual([true, true]);
    });

    it('accepts, as the JSON Schema does, the expected results of every example contract (SettlementDocument_result)', () => {
      const dir = contractsPath('examples', 'settlements');
      const results = readdirSync(dir)
        .filter((f) => f.endsWith('.expected.json'))
        .flatMap((f) => (readJson(join(dir, f)) as { settlements: { result: unknown }[] }).settlements.map((s) => s.result));
      expect(results.length).toBeGreaterThan(2);
      expect(results.map(resultVerdicts)).toEqual(results.map(() => [true, true]));
    });

    it.each<[string, (string | number)[], Change, () => SettlementDocument]>([
      ['an amount as a JSON number', ['result', 'premium'], () => 8300, () => built('padova')],
      ['a decimal with an exponent', ['result', 'lines', 0, 'amount'], () => '4.8e3', () => built('padova')],
      ['a fee as a JSON number (a nullable decimal)', ['inputs', 'grouping', 'fee'], () => 320000, () => built('padova')],
      ['a score that is neither a decimal nor null', ['result', 'score'], () => '0,75', () => built('padova')],
      ['an omitted delta (null, never absent)', ['delta'], () => undefined, () => built('padova')],
      ['a delta that is not in cents', ['delta', 'payable', 'change'], () => '0', reopened],
      ['a reopen reason that is not a string', ['reopenReason'], () => 7, () => built('padova')],
      ['a pool that is neither an object nor null', ['inputs', 'pool'], () => 'none', () => built('padova')],
      ['an empty pool.committed', ['inputs', 'pool', 'committed'], () => [], () => built('padova')],
      ['another hash algorithm (a const)', ['manifest', 'algorithm'], () => 'MD5', () => built('padova')],
      ['a rule set without terms (the reference to rule-set.schema.json)', ['inputs', 'ruleSet', 'terms'], () => undefined, () => built('padova')],
      ['an unknown field in a closed object', ['result', 'lines', 0, 'note'], () => 'x', () => built('padova')],
      ['a format other than the three', ['format'], () => 'ancora.settlement/4', () => built('padova')],
    ])('refuses, as the JSON Schema does, %s', (_, path, change, doc) => {
      expect(documentVerdicts(changed(doc(), path, change))).toEqual([false, false]);
    });
  });

  describe('agree on documents changed at random (seeded)', () => {
    /** Every place in a JSON value, as a path. */
    const places = (value: unknown, at: (string | number)[] = []): (string | number)[][] =>
      value !== null && typeof value === 'object'
        ? Object.entries(value).flatMap(([k, v]) => {
            const path = [...at, Array.isArray(value) ? Number(k) : k];
            return [path, ...places(v, path)];
          })
        : [];
    const CHANGES: ((old: unknown) => unknown)[] = [
      () => undefined,
      () => null,
      () => 7,
      () => 'x',
      () => true,
      () => ({}),
      () => [],
      (old) => (old !== null && typeof old === 'object' && !Array.isArray(old) ? { ...old, zz: 'x' } : old),
    ];

    it.each<[string, () => unknown, (v: unknown) => [boolean, boolean]]>([
      ['a settlement document (format 3)', () => built('padova'), documentVerdicts],
      ['a reopened settlement document', reopened, documentVerdicts],
      ['the Padova rule set', padovaRules, ruleSetVerdicts],
    ])('%s', (_, make, verdicts) => {
      const original = make();
      const paths = places(original);
      const seen = { accepted: 0, refused: 0 };
      fc.assert(
        fc.property(fc.nat(paths.length - 1), fc.nat(CHANGES.length - 1), (p, c) => {
          const [schema, openApi] = verdicts(changed(original, paths[p], CHANGES[c]));
          seen[schema ? 'accepted' : 'refused'] += 1;
          return schema === openApi;
        }),
        { seed: 20260720, numRuns: 300 },
      );
      // Both outcomes occur, so the agreement says something.
      expect(seen.accepted).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(100);
    });
  });

  describe('in the committed contracts/api/openapi.json', () => {
    type Property = { allOf?: unknown; nullable?: boolean; additionalProperties?: unknown; description?: string };
    const document = readJson(join(__dirname, '..', '..', OPENAPI_DOCUMENT_PATH)) as { components: { schemas: Record<string, { properties: Record<string, Property> }> } };
    const schemas = document.components.schemas;

    it('are the converted schemas as they are now', () => {
      const components = jsonSchemaComponents();
      expect(Object.fromEntries(Object.keys(components).map((name) => [name, schemas[name]]))).toEqual(components);
    });

    it.each([
      ['PutPaymentRulesDto', 'paymentRules', RULE_SET_COMPONENT, false],
      ['PaymentRulesDto', 'paymentRules', RULE_SET_COMPONENT, true],
      ['BindingIndicatorSetDto', 'paymentRules', RULE_SET_COMPONENT, true],
      ['SimulateDto', 'ruleSet', RULE_SET_COMPONENT, false],
      ['SettlementDto', 'document', SETTLEMENT_DOCUMENT_COMPONENT, false],
      ['SimulationGroupingDto', 'result', SETTLEMENT_RESULT_COMPONENT, false],
    ])('describe %s.%s', (dto, property, component, nullable) => {
      const schema = schemas[dto].properties[property];
      expect(schema.allOf).toEqual([{ $ref: `#/components/schemas/${component}` }]);
      expect(schema.nullable === true).toBe(nullable);
      expect(schema.additionalProperties).toBeUndefined();
    });

    it('keep the descriptions the DTOs give', () => {
      expect(schemas.SettlementDto.properties.document.description).toMatch(/^The settlement document/);
      expect(schemas.PutPaymentRulesDto.properties.paymentRules.description).toMatch(/^The contract's payment rule set/);
    });

    it('leave no reference pointing nowhere', () => {
      const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      expect(refs.filter((name) => !(name in schemas))).toEqual([]);
    });
  });
});
