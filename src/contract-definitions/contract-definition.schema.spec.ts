import { readFileSync } from 'node:fs';
import { DECIMAL_PATTERN } from 'src/common/decimal/decimal';
import { DomainError } from 'src/common/errors/domain-error';
import { CODE_PATTERN } from 'src/common/validation/code.validator';
import { GROUPING_TYPES, MEMBER_ROLES } from 'src/contracts/provider-grouping.entity';
import { contractsPath, RULE_SET_SCHEMA_FILE, SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { assertContractDefinitionSchema, DOCUMENT_FIELD } from 'src/contract-definitions/contract-definition.schema';
import { AGGREGATIONS, DATA_OWNERS, DIRECTIONS, FREQUENCIES, INDICATOR_SCOPES, INDICATOR_UNITS } from 'src/indicators/indicator.entity';
import { LEGAL_FORMS, ORGANISATION_KINDS } from 'src/organisations/organisation.entity';
import { FUNDING_SOURCES, VALUE_CHAIN_LEVELS } from 'src/value-chain/value-chain-node.entity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema is walked by name
const schema: any = JSON.parse(readFileSync(contractsPath(...SCHEMA_FILE), 'utf8'));
const defs = schema.$defs;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema is walked by name
const ruleSetSchema: any = JSON.parse(readFileSync(contractsPath(...RULE_SET_SCHEMA_FILE), 'utf8'));
const padova = (): Record<string, any> => JSON.parse(readFileSync(contractsPath('examples', 'padova-sdc-2.0.json'), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

function problems(document: unknown): { field: string; message: string }[] {
  try {
    assertContractDefinitionSchema(document);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONTRACT_DEFINITION_SCHEMA_INVALID');
    expect((error as DomainError).status).toBe(400);
    return ((error as DomainError).details.fields ?? []).map(({ field, message }) => ({ field, message }));
  }
  return [];
}

describe('contract definition schema', () => {
  it('uses the same enums as the entities, so a value the database accepts is one the document accepts', () => {
    expect(defs.organisation.properties.kind.enum).toEqual([...ORGANISATION_KINDS]);
    expect(defs.organisation.properties.legalForm.enum).toEqual([...LEGAL_FORMS]);
    expect(defs.node.properties.level.enum).toEqual([...VALUE_CHAIN_LEVELS]);
    expect(defs.node.properties.fundingSource.enum).toEqual([...FUNDING_SOURCES]);
    expect(defs.grouping.properties.type.enum).toEqual([...GROUPING_TYPES]);
    expect(defs.member.properties.role.enum).toEqual([...MEMBER_ROLES]);
    expect(defs.indicator.properties.unit.enum).toEqual([...INDICATOR_UNITS]);
    expect(defs.indicator.properties.direction.enum).toEqual([...DIRECTIONS]);
    expect(defs.indicator.properties.frequency.enum).toEqual([...FREQUENCIES]);
    expect(defs.indicator.properties.scope.enum).toEqual([...INDICATOR_SCOPES]);
    expect(defs.indicator.properties.aggregation.enum).toEqual([...AGGREGATIONS]);
    expect(defs.indicator.properties.dataOwner.enum).toEqual([...DATA_OWNERS]);
  });

  it('uses the service-wide code and decimal patterns', () => {
    expect(defs.code.pattern).toBe(CODE_PATTERN);
    expect(defs.decimal.pattern).toBe(DECIMAL_PATTERN);
  });

  it('closes every object, and takes the payment rules from the rule-set schema', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) {
        return;
      }
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.additionalProperties !== false) {
        open.push(path);
      }
      for (const [k, v] of Object.entries(n)) {
        walk(v, `${path}/${k}`);
      }
    };
    walk(schema, '#');
    expect(open).toEqual([]);
    expect(defs.contract.properties.paymentRules.$ref).toBe('rule-set.schema.json');
    expect(new URL(defs.contract.properties.paymentRules.$ref, schema.$id).href).toBe(ruleSetSchema.$id);
  });

  it('accepts the Padova example', () => {
    expect(problems(padova())).toEqual([]);
  });

  it('names every wrong field with its document path, one problem per field, with the decimal explanations of the API', () => {
    const doc = padova();
    doc.contract.groupings[0].fees[0].amount = 320000;
    doc.contract.groupings[0].members[1].executionShare = '0,30';
    doc.contract.groupings[1].members[0].executionShare = '1.5';
    doc.contract.groupings[1].fees[1].amount = '280000.123';
    doc.contract.indicators[2].baselines[2].value = '2e3';
    doc.contract.indicators[0].weight = '0.2';
    doc.project.department = null;
    delete doc.contract.periods[1].endDate;
    doc.contract.periods[0].startDate = '2024-02-30';
    doc.contract.indicators[1].direction = 'UP';
    doc.project.referencePopulations[0].value = '0';
    doc.project.referencePopulations[1].value = '28000.0';
    doc.organisations[0].code = 'C PADOVA';
    expect(problems(doc)).toEqual([
      { field: 'organisations[0].code', message: 'must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)' },
      { field: 'project.department', message: 'must not be null (leave an optional field out instead of sending null)' },
      { field: 'project.referencePopulations[0].value', message: 'must be at least 1' },
      { field: 'project.referencePopulations[1].value', message: 'must be a whole number' },
      { field: 'contract.periods[0].startDate', message: 'must be a calendar date as YYYY-MM-DD' },
      { field: 'contract.periods[1].endDate', message: 'is required' },
      {
        field: 'contract.groupings[0].members[1].executionShare',
        message: 'must use a decimal point, not a comma (e.g. "0.25")',
      },
      {
        field: 'contract.groupings[0].fees[0].amount',
        message: 'must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values',
      },
      { field: 'contract.groupings[1].members[0].executionShare', message: 'must be at most 1' },
      { field: 'contract.groupings[1].fees[1].amount', message: 'must have at most 2 decimal places' },
      { field: 'contract.indicators[0].weight', message: 'is not a known field' },
      { field: 'contract.indicators[1].direction', message: 'must be one of INCREASE, DECREASE, LEVEL' },
      { field: 'contract.indicators[2].baselines[2].value', message: 'must be a plain decimal: exponents, NaN and Infinity are not accepted' },
    ]);
  });

  it('reports a document that is not an object at the document itself', () => {
    expect(problems([])).toEqual([{ field: DOCUMENT_FIELD, message: 'must be an object' }]);
    expect(problems(null)).toEqual([{ field: DOCUMENT_FIELD, message: 'must not be null (leave an optional field out instead of sending null)' }]);
    expect(problems({})).toEqual([
      { field: 'schemaVersion', message: 'is required' },
      { field: 'organisations', message: 'is required' },
      { field: 'project', message: 'is required' },
      { field: 'contract', message: 'is required' },
    ]);
  });

  it('checks the payment rules with the rule-set schema, at their document paths', () => {
    const doc = padova();
    doc.contract.paymentRules.anythingElse = { kept: ['as', 'written'] };
    doc.contract.paymentRules.terms[0] = { weight: '0.20', payout: { kind: 'LINEAR', threshold: '0.5', cap: '1.0' } };
    doc.contract.paymentRules.terms[1].indicator = 7;
    doc.contract.paymentRules.terms[2].gate.condition.all[0].value = 0.15;
    expect(problems(doc)).toEqual([
      { field: 'contract.paymentRules.anythingElse', message: 'is not a known field' },
      { field: 'contract.paymentRules.terms[0].indicator', message: 'is required' },
      { field: 'contract.paymentRules.terms[1].indicator', message: 'must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)' },
      {
        field: 'contract.paymentRules.terms[2].gate.condition.all[0].value',
        message: 'must be a decimal string such as "0.15" or a fact reference: send "0.15" as a string',
      },
    ]);
  });
});
