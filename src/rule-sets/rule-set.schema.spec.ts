import { readFileSync } from 'node:fs';
import { DECIMAL_PATTERN } from 'src/common/decimal/decimal';
import { contractsPath, RULE_SET_SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { DECIMAL_OPERATORS } from 'src/rules/condition.types';
import { messagesOf, padovaRules } from 'src/rule-sets/padova-rule-set.fixture';
import { ROUNDING_MODES } from 'src/rule-sets/rule-set.types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema is walked by name
const schema: any = JSON.parse(readFileSync(contractsPath(...RULE_SET_SCHEMA_FILE), 'utf8'));
const defs = schema.$defs;

describe('rule-set schema: the document shape comes first, and stops validation when it fails', () => {
  it('uses the service-wide decimal pattern and the enums of the code', () => {
    expect(defs.decimal.pattern).toBe(DECIMAL_PATTERN);
    expect(defs.leafCondition.properties.operator.enum).toEqual([...DECIMAL_OPERATORS]);
    expect(defs.rounding.properties.mode.enum).toEqual([...ROUNDING_MODES]);
    expect(defs.payout.properties.kind.enum).toEqual(['THRESHOLD', 'LINEAR', 'LEVEL_RATIO', 'BANDS', 'MARGINAL_TIERS', 'PRICE_PER_UNIT']);
  });

  it('closes every object; only the keyed maps of test cases take open keys, each with a schema for its values', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.additionalProperties !== false && n.if === undefined && n.allOf === undefined) open.push(path);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    expect(open).toEqual([
      '#/$defs/testMeasurement/else/else/properties/disaggregations',
      '#/$defs/testMeasurement/else/else/properties/disaggregations/additionalProperties',
      '#/$defs/testCase/properties/measurements',
      '#/$defs/testCase/properties/evaluations',
      '#/$defs/testCase/properties/expect/properties/lines',
      '#/$defs/testCase/properties/expect/properties/allocation',
    ]);
    for (const path of open) {
      const node = path
        .slice(2)
        .split('/')
        .reduce((acc: Record<string, unknown>, k) => acc[k] as Record<string, unknown>, schema);
      expect([path, typeof node.additionalProperties]).toEqual([path, 'object']);
      expect(node.propertyNames).toBeDefined();
    }
  });

  it('reports JSON numbers, unknown fields, nulls and missing fields with their paths, one problem per field', () => {
    const rules = padovaRules();
    rules.terms[0].weight = 0.2;
    rules.terms[1].payout.cap = '1,0';
    rules.basis.share = '1.5';
    rules.poolCap = null;
    rules.terms[3].bonus = '100.00';
    delete rules.terms[4].payout.threshold;
    rules.tests[0].expect.premium = '18960.001';
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'basis.share', message: 'must be at most 1' },
      {
        code: 'RULE_SET_SCHEMA_INVALID',
        field: 'terms[0].weight',
        message: 'must be a decimal string such as "0.25": JSON numbers are not accepted for money or measured values',
      },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'terms[1].payout.cap', message: 'must use a decimal point, not a comma (e.g. "12.50")' },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'terms[3].bonus', message: 'is not a known field' },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'terms[4].payout.threshold', message: 'is required' },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'poolCap', message: 'must not be null (leave an optional field out instead of sending null)' },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'tests[0].expect.premium', message: 'must have at most 2 decimal places' },
    ]);
  });

  it('checks each payout kind for its own fields', () => {
    const rules = padovaRules();
    rules.terms[0].payout = { kind: 'THRESHOLD', cap: '1' };
    rules.terms[1].payout = { kind: 'PRICE_PER_UNIT' };
    rules.terms[2].payout = { kind: 'STEPS', threshold: '0.5' };
    expect(messagesOf(rules).map((p) => [p.field, p.message])).toEqual([
      ['terms[0].payout.cap', 'is not a known field'],
      ['terms[1].payout.unitPrice', 'is required'],
      ['terms[2].payout.kind', 'must be one of THRESHOLD, LINEAR, LEVEL_RATIO, BANDS, MARGINAL_TIERS, PRICE_PER_UNIT'],
    ]);
  });

  it('explains a condition that does not match the schema with the condition codes, JSONPath included', () => {
    const rules = padovaRules();
    rules.terms[2].gate.condition.all[0] = { fact: 'IND-03', operator: 'in', value: 3, path: '$.parts[0]' };
    rules.guardrails[0].condition = { fact: 'IND-G1', operator: 'lessThan', value: '10' };
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_CONDITION_PATH_NOT_ALLOWED', field: 'terms[2].gate.condition.all[0].path', message: 'JSONPath is not supported: name a fact directly' },
      {
        code: 'RULE_CONDITION_OPERATOR_NOT_ALLOWED',
        field: 'terms[2].gate.condition.all[0].operator',
        message: 'must be one of equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive (decimal comparisons)',
      },
      {
        code: 'RULE_CONDITION_VALUE_NOT_DECIMAL',
        field: 'terms[2].gate.condition.all[0].value',
        message: 'must be a decimal string such as "0.15" or a fact reference: send "3" as a string',
      },
      { code: 'RULE_CONDITION_SHAPE_INVALID', field: 'guardrails[0].condition', message: 'the top of a condition must be { all }, { any } or { not }' },
    ]);
  });

  it('stops at the schema: a document with schema problems gets no semantic ones', () => {
    const rules = padovaRules();
    rules.terms[0].weight = '0.90'; // weights no longer sum to 1 ...
    rules.code = 'PD SDC'; // ... but the code is malformed, so only that is reported
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'code', message: 'must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)' },
    ]);
  });

  it('reports a rule set that is not an object at the document itself', () => {
    expect(messagesOf([])).toEqual([{ code: 'RULE_SET_SCHEMA_INVALID', field: '(document)', message: 'must be an object' }]);
    expect(messagesOf({})).toEqual([
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'code', message: 'is required' },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'terms', message: 'is required' },
    ]);
  });
});
