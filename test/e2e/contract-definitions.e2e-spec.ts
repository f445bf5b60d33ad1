import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { DataSource } from 'typeorm';
import { IdGenerator } from 'src/common/clock/id-generator';
import { ENTITIES } from 'src/database/entities';
import { createTestApp, TestApp, TEST_NOW } from 'test/support/test-app';

const EXAMPLES = join(__dirname, '..', '..', 'contracts', 'examples');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents are edited freely in tests
type Doc = Record<string, any>;
const padova = (): Doc => JSON.parse(readFileSync(join(EXAMPLES, 'padova-sdc-2.0.json'), 'utf8'));
const bergamo = (): Doc => JSON.parse(readFileSync(join(EXAMPLES, 'bergamo-elderly-platform.json'), 'utf8'));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The contract's own tables: users, keys and the audit log are not part of a contract document.
const NOT_CONTRACT_DATA = new Set(['users', 'api_keys', 'contract_grants', 'audit_entries', 'audit_chain_head']);

async function countRows(t: TestApp): Promise<Record<string, number>> {
  const dataSource = t.app.get(DataSource);
  const counts: Record<string, number> = {};
  for (const entity of ENTITIES.filter((e) => !NOT_CONTRACT_DATA.has(dataSource.getMetadata(e).tableName))) {
    counts[dataSource.getMetadata(entity).tableName] = await dataSource.getRepository(entity).count();
  }
  return counts;
}

/** The tables that hold rows: other modules' tables (proposals, versions, measurements...) must stay empty. */
function nonEmpty(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** The Padova document as a second contract of the same organisations. */
function padovaSequel(): Doc {
  const doc = padova();
  doc.project.code = 'PD-SDC-3.0';
  doc.contract.code = 'PD-SDC-3.0';
  return doc;
}

describe('contract definitions API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const importDoc = (doc: unknown) => t.request('POST', '/api/v1/contract-definitions', doc);

  describe('POST /contract-definitions', () => {
    it('imports the Padova contract and answers with its id, code and counts', async () => {
      const res = await importDoc(padova());
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        code: 'PD-SDC-2.0',
        projectId: expect.stringMatching(UUID),
        projectCode: 'PD-SDC-2.0',
        organisationsCreated: ['C-PADOVA', 'ETS-AURORA', 'ETS-BORGO-VIVO', 'ETS-CICLAMINO', 'ETS-DELTA', 'ETS-EDERA'],
        organisationsReused: [],
        counts: {
          organisationsCreated: 6,
          organisationsReused: 0,
          referencePopulations: 2,
          nodes: 18,
          links: 32,
          periods: 3,
          groupings: 2,
          members: 5,
          fees: 6,
          indicators: 6,
          baselines: 11,
          targets: 20,
          denominators: 2,
        },
      });
      expect(nonEmpty(await countRows(t))).toEqual({
        organisations: 6,
        projects: 1,
        value_chain_nodes: 18,
        value_chain_links: 32,
        reference_populations: 2,
        contracts: 1,
        contract_periods: 3,
        provider_groupings: 2,
        grouping_members: 5,
        grouping_fees: 6,
        indicators: 6,
        indicator_baselines: 11,
        indicator_targets: 20,
        indicator_denominators: 2,
      });

      const orgs = await t.request('GET', '/api/v1/organisations?kind=ETS');
      expect(orgs.body.items.map((o: { code: string }) => o.code)).toEqual(['ETS-AURORA', 'ETS-BORGO-VIVO', 'ETS-CICLAMINO', 'ETS-DELTA', 'ETS-EDERA']);
      expect(orgs.body.items[0]).toMatchObject({ legalForm: 'COOPERATIVA_SOCIALE', taxCode: null, createdAt: TEST_NOW.toISOString() });
    });

    it('reuses organisations that already exist with the same kind, name, legal form and tax code', async () => {
      const res = await importDoc(padovaSequel());
      expect(res.status).toBe(201);
      expect(res.body.organisationsCreated).toEqual([]);
      expect(res.body.organisationsReused).toEqual(['C-PADOVA', 'ETS-AURORA', 'ETS-BORGO-VIVO', 'ETS-CICLAMINO', 'ETS-DELTA', 'ETS-EDERA']);
      expect((await countRows(t)).organisations).toBe(6);
      const exported = await t.request('GET', `/api/v1/contracts/${res.body.id}/definition`);
      expect(canonicalize(exported.body)).toBe(canonicalize(padovaSequel()));
    });

    it('refuses an existing project, an existing contract and an organisation code naming someone else with 409, changing nothing', async () => {
      const before = await countRows(t);

      const sameProject = await importDoc(padova());
      expect(sameProject.status).toBe(409);
      expect(sameProject.body).toEqual({
        code: 'CONTRACT_DEFINITION_PROJECT_EXISTS',
        message: 'A project with code PD-SDC-2.0 already exists',
        details: { code: 'PD-SDC-2.0', fields: [{ field: 'project.code', message: 'already exists' }] },
      });

      const newProjectOnly = padova();
      newProjectOnly.project.code = 'PD-SDC-4.0';
      const sameContract = await importDoc(newProjectOnly);
      expect(sameContract.status).toBe(409);
      expect(sameContract.body.code).toBe('CONTRACT_DEFINITION_CONTRACT_EXISTS');
      expect(sameContract.body.details.fields).toEqual([{ field: 'contract.code', message: 'already exists' }]);

      const renamed = padova();
      renamed.project.code = 'PD-SDC-5.0';
      renamed.contract.code = 'PD-SDC-5.0';
      renamed.organisations[2].name = 'Borgo Vivo Società Cooperativa Sociale';
      renamed.organisations[2].taxCode = '01234567890';
      const conflict = await importDoc(renamed);
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({
        code: 'CONTRACT_DEFINITION_ORGANISATION_CONFLICT',
        message: 'Organisation ETS-BORGO-VIVO already exists with a different name, taxCode',
        details: {
          code: 'ETS-BORGO-VIVO',
          fields: [
            { field: 'organisations[2].name', message: 'differs from the existing organisation ETS-BORGO-VIVO ("Cooperativa Sociale Borgo Vivo (fittizia)")' },
            { field: 'organisations[2].taxCode', message: 'differs from the existing organisation ETS-BORGO-VIVO (none)' },
          ],
        },
      });

      expect(await countRows(t)).toEqual(before);
    });

    it('refuses a document that does not match the schema with 400 and every wrong field by its path', async () => {
      const before = await countRows(t);
      const doc = bergamo();
      doc.contract.groupings[0].members[1].executionShare = 0.35;
      doc.contract.groupings[0].members[2].executionShare = '0,10';
      doc.contract.groupings[0].fees[3].amount = '120000.0001';
      doc.contract.indicators[0].colour = 'red';
      delete doc.project.valueChain.nodes[6].level;
      const res = await importDoc(doc);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'CONTRACT_DEFINITION_SCHEMA_INVALID',
        message: 'The contract definition does not match the schema: 5 fields are invalid',
        details: {
          fields: [
            { field: 'project.valueChain.nodes[6].level', message: 'is required', code: 'required' },
            {
              field: 'contract.groupings[0].members[1].executionShare',
              message: 'must be a decimal string such as "0.25": JSON numbers are not accepted for money or measured values',
              code: 'type',
            },
            { field: 'contract.groupings[0].members[2].executionShare', message: 'must use a decimal point, not a comma (e.g. "0.25")', code: 'pattern' },
            { field: 'contract.groupings[0].fees[3].amount', message: 'must have at most 2 decimal places', code: 'pattern' },
            { field: 'contract.indicators[0].colour', message: 'is not a known field', code: 'additionalProperties' },
          ],
        },
      });
      expect(await countRows(t)).toEqual(before);
    });

    it('refuses bodies that are not a document: an array, nothing, malformed JSON', async () => {
      const array = await importDoc([padova()]);
      expect(array.status).toBe(400);
      expect(array.body.details.fields).toEqual([{ field: '(document)', message: 'must be an object', code: 'type' }]);

      const empty = await t.request('POST', '/api/v1/contract-definitions');
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('CONTRACT_DEFINITION_SCHEMA_INVALID');
      expect(empty.body.details.fields).toEqual([{ field: '(document)', message: 'must be an object', code: 'type' }]);

      const malformed = await importDoc('{"schemaVersion": "1", ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('MALFORMED_REQUEST');
    });

    it('refuses unknown references with 422, listing each one', async () => {
      const doc = bergamo();
      doc.project.valueChain.links[5].to = 'PR7';
      doc.contract.indicators[3].denominators[0].population = 'POP-OVER80';
      doc.contract.paymentRules.terms[1].indicator = 'BG-09';
      const res = await importDoc(doc);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        code: 'CONTRACT_DEFINITION_UNKNOWN_REFERENCE',
        message: '3 references name nothing in the document',
        details: {
          fields: [
            { field: 'project.valueChain.links[5].to', message: 'no node with code PR7 in the document' },
            { field: 'contract.indicators[3].denominators[0].population', message: 'no population with code POP-OVER80 in the document' },
            { field: 'contract.paymentRules.terms[1].indicator', message: 'no indicator with code BG-09 in the document' },
          ],
        },
      });
    });

    it('refuses documents breaking a domain rule with 422, the rule code and the document path', async () => {
      const before = await countRows(t);

      const shares = bergamo();
      shares.contract.groupings[0].members[0].executionShare = '0.56';
      const sharesRes = await importDoc(shares);
      expect(sharesRes.status).toBe(422);
      expect(sharesRes.body.code).toBe('GROUPING_SHARES_NOT_ONE');
      expect(sharesRes.body.details.fields).toEqual([{ field: 'contract.groupings[0].members', message: 'execution shares sum to 1.01, not 1' }]);

      const decrease = bergamo();
      decrease.contract.indicators[0].targets[0].value = '320.0';
      const decreaseRes = await importDoc(decrease);
      expect(decreaseRes.status).toBe(422);
      expect(decreaseRes.body.code).toBe('INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE');
      expect(decreaseRes.body.details.fields).toEqual([{ field: 'contract.indicators[0].targets[0].value', message: 'must be below the baseline 310.0' }]);

      const percent = bergamo();
      percent.contract.indicators[5].targets[1].value = '120';
      const percentRes = await importDoc(percent);
      expect(percentRes.status).toBe(422);
      expect(percentRes.body.code).toBe('INDICATOR_VALUE_OUT_OF_RANGE');
      expect(percentRes.body.details.fields).toEqual([{ field: 'contract.indicators[5].targets[1].value', message: 'must be at most 100 (PERCENT)' }]);

      const gap = bergamo();
      gap.contract.periods[4].startDate = '2026-04-02';
      const gapRes = await importDoc(gap);
      expect(gapRes.status).toBe(422);
      expect(gapRes.body.code).toBe('PERIODS_NOT_CONTIGUOUS');
      expect(gapRes.body.details.fields[0].field).toBe('contract.periods[4].startDate');

      const cycle = bergamo();
      cycle.project.valueChain.links.push({ from: 'OC1', to: 'OC2' }, { from: 'OC2', to: 'OC1' });
      const cycleRes = await importDoc(cycle);
      expect(cycleRes.status).toBe(422);
      expect(cycleRes.body.code).toBe('VALUE_CHAIN_CYCLE');
      expect(cycleRes.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'project.valueChain.links[28]',
        'project.valueChain.links[29]',
      ]);

      expect(await countRows(t)).toEqual(before);
    });

    it('refuses payment rules that are not a valid rule set for the document with 422, every problem at its document path', async () => {
      const before = await countRows(t);
      const doc = padovaSequel();
      const rules = doc.contract.paymentRules;
      rules.terms[4].weight = '0.25';
      rules.terms[2].gate.condition.all[0].value = '15';
      rules.groupingCap = '30000.00';
      rules.tests[0].grouping = 'RTI-C';
      const res = await importDoc(doc);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        code: 'RULE_SET_WEIGHTS_NOT_ONE',
        message: 'The payment rules are not valid: contract.paymentRules.terms: the weights of the weighted terms sum to 1.05, not exactly 1 (and 3 more)',
        details: {
          fields: [
            { field: 'contract.paymentRules.terms', message: 'the weights of the weighted terms sum to 1.05, not exactly 1', code: 'RULE_SET_WEIGHTS_NOT_ONE' },
            {
              field: 'contract.paymentRules.groupingCap',
              message: '30000.00 is above what RTI-B has at risk in Y1: 28000.00 (fee 280000.00 x 0.10); the grouping cap cannot be above the amount at risk',
              code: 'RULE_SET_CAP_ABOVE_AT_RISK',
            },
            {
              field: 'contract.paymentRules.terms[2].gate.condition.all[0].value',
              message: 'a share is a fraction between 0 and 1 (0.15 is 15 %): 15 is outside it',
              code: 'RULE_SET_OPERATOR_TYPE',
            },
            { field: 'contract.paymentRules.tests[0].grouping', message: 'the contract has no grouping RTI-C', code: 'RULE_SET_UNKNOWN_GROUPING' },
          ],
        },
      });

      const jsonPath = padovaSequel();
      jsonPath.contract.paymentRules.guardrails[0].condition.all[0].path = '$.hours';
      const jsonPathRes = await importDoc(jsonPath);
      expect(jsonPathRes.status).toBe(400);
      expect(jsonPathRes.body.code).toBe('CONTRACT_DEFINITION_SCHEMA_INVALID');
      expect(jsonPathRes.body.details.fields).toEqual([
        {
          field: 'contract.paymentRules.guardrails[0].condition.all[0].path',
          message: 'JSONPath is not supported: name a fact directly',
          code: 'RULE_CONDITION_PATH_NOT_ALLOWED',
        },
      ]);
      expect(await countRows(t)).toEqual(before);
    });

    it('writes all or nothing: a failure while writing the last rows leaves every table as it was', async () => {
      const before = await countRows(t);
      const ids = t.app.get(IdGenerator);
      const real = ids.next.bind(ids);
      let calls = 0;
      // From the 70th row on every id is the same: the fees (the first chunk with two such rows) break their
      // primary key after the organisations, project, value chain, contract, periods and groupings were inserted.
      const stuck = real();
      const spy = jest.spyOn(ids, 'next').mockImplementation(() => (++calls >= 70 ? stuck : real()));
      try {
        const res = await importDoc(bergamo());
        expect(res.status).toBe(500);
        expect(res.body.code).toBe('INTERNAL_ERROR');
        expect(calls).toBeGreaterThan(70);
      } finally {
        spy.mockRestore();
      }
      expect(await countRows(t)).toEqual(before);

      const retried = await importDoc(bergamo());
      expect(retried.status).toBe(201);
      expect(retried.body.organisationsCreated).toEqual(['C-BERGAMO', 'ETS-CONS-ORIZZONTE', 'ETS-COOP-GIRASOLE', 'ETS-ODV-NONNI-IN-RETE', 'REG-LOMBARDIA']);
    });
  });

  describe('GET /contracts/:id/definition', () => {
    it('exports the same document every time, byte for byte', async () => {
      const res = await importDoc({ ...padova(), project: { ...padova().project, code: 'PD-SDC-6.0' }, contract: { ...padova().contract, code: 'PD-SDC-6.0' } });
      expect(res.status).toBe(201);
      const first = await t.request('GET', `/api/v1/contracts/${res.body.id}/definition`);
      const second = await t.request('GET', `/api/v1/contracts/${res.body.id}/definition`);
      expect(first.status).toBe(200);
      expect(first.text).toBe(second.text);
      expect(first.body.contract.code).toBe('PD-SDC-6.0');
      expect(first.body.organisations.map((o: { code: string }) => o.code)).toEqual([
        'C-PADOVA',
        'ETS-AURORA',
        'ETS-BORGO-VIVO',
        'ETS-CICLAMINO',
        'ETS-DELTA',
        'ETS-EDERA',
      ]);
    });

    it('answers 404 for an unknown contract and 400 for an id that is not a UUID', async () => {
      const missing = await t.request('GET', '/api/v1/contracts/00000000-0000-4000-8000-000000000000/definition');
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('CONTRACT_NOT_FOUND');

      const bad = await t.request('GET', '/api/v1/contracts/PD-SDC-2.0/definition');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }] } });
    });
  });
});
