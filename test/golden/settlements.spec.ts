import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { insertTestUser } from 'test/support/test-users';
import { settlementDocumentProblems } from 'test/support/settlement-document-schema';
import { acceptMeasurements, EXAMPLES_DIR, ExampleContract, importExample, MeasuredValue } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Every example contract in contracts/examples settles exactly to its expected settlements.
// contracts/examples/settlements/<example>.scenario.json says which measurements (and evaluation records)
// each period receives; <example>.expected.json holds every grouping's settlement result per period, as the
// API returns it in the document. Periods are computed and approved in order, so lifetime caps and deltas
// see earlier periods. Regenerate after a deliberate change with UPDATE_GOLDEN=1 and review the diff.

const DIR = join(EXAMPLES_DIR, 'settlements');
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();

interface Scenario {
  contract: string;
  periods: {
    period: string;
    measurements: Record<string, Record<string, MeasuredValue>>;
    evaluations?: Record<string, Record<string, { significant: boolean; certifiedSavings: string; method: string }>>;
  }[];
}

interface Expected {
  contract: string;
  settlements: { period: string; grouping: string; result: unknown }[];
}

function scenarioFile(example: string): string {
  return join(DIR, example.replace(/\.json$/, '.scenario.json'));
}

describe('settlements of the example contracts (golden)', () => {
  it('has a scenario and an expected settlement file for every example contract', () => {
    for (const example of EXAMPLES) {
      expect([example, existsSync(scenarioFile(example)), existsSync(scenarioFile(example).replace('.scenario.', '.expected.'))]).toEqual([example, true, true]);
    }
  });

  describe.each(EXAMPLES)('%s', (example) => {
    let t: TestApp;
    let fx: ExampleContract;
    const scenario = JSON.parse(readFileSync(scenarioFile(example), 'utf8')) as Scenario;
    const expectedFile = scenarioFile(example).replace('.scenario.', '.expected.');

    beforeAll(async () => {
      t = await createTestApp();
      fx = await importExample(t, scenario.contract);
    });

    afterAll(async () => {
      await t.close();
    });

    it('settles every period of the scenario to the expected results, and each recomputes to its hash', async () => {
      const ds = t.app.get(DataSource);
      let evaluatorKey: string | null = null;
      const evaluator = async (): Promise<string> => {
        if (evaluatorKey !== null) return evaluatorKey;
        const university = await t.request('POST', '/api/v1/organisations', { code: 'UNI-EVAL', kind: 'OTHER', name: 'Università (valutatore indipendente)' });
        expect(university.status).toBe(201);
        const grant = await t.request('POST', `/api/v1/contracts/${fx.contractId}/grants`, { organisationId: university.body.id }, { as: fx.manager.apiKey });
        expect(grant.status).toBe(201);
        const org = await ds.getRepository(OrganisationEntity).findOneByOrFail({ code: 'UNI-EVAL' });
        evaluatorKey = (await insertTestUser(ds, { name: 'Valutatrice', roles: ['evaluator'], organisationId: org.id }, t.clock.nowIso())).apiKey;
        return evaluatorKey;
      };

      const actual: Expected = { contract: scenario.contract, settlements: [] };
      for (const p of scenario.periods) {
        for (const [grouping, values] of Object.entries(p.measurements)) await acceptMeasurements(t, fx, p.period, grouping, values);
        for (const [grouping, records] of Object.entries(p.evaluations ?? {})) {
          for (const [payer, r] of Object.entries(records)) {
            const res = await t.request(
              'POST',
              `/api/v1/contracts/${fx.contractId}/periods/${fx.periodIds[p.period]}/evaluation-records`,
              { groupingId: fx.groupingIds[grouping], payer, ...r },
              { as: await evaluator() },
            );
            expect([res.status, res.text]).toEqual([201, res.text]);
          }
        }
        const computed = await t.request('POST', `/api/v1/contracts/${fx.contractId}/periods/${fx.periodIds[p.period]}/settlements`, {}, { as: fx.manager.apiKey });
        expect([computed.status, computed.text]).toEqual([201, computed.text]);
        for (const s of computed.body.computed as { id: string; groupingCode: string; documentHash: string }[]) {
          const doc = (await t.request('GET', `/api/v1/settlements/${s.id}`, undefined, { as: fx.auditor.apiKey })).body.document;
          // The whole document as served matches the schema published for auditors (contracts/schema).
          expect([s.groupingCode, settlementDocumentProblems(doc)]).toEqual([s.groupingCode, []]);
          // Evaluation record ids are generated per run: the golden file names them by payer instead.
          const result = JSON.parse(JSON.stringify(doc.result, (key, value: unknown) => (key === 'recordId' && value !== null ? 'evaluation-record' : value))) as unknown;
          actual.settlements.push({ period: p.period, grouping: s.groupingCode, result });
          const verified = await t.request('GET', `/api/v1/settlements/${s.id}/verify`, undefined, { as: fx.auditor.apiKey });
          expect(verified.body).toMatchObject({ matches: true });
          const approved = await t.request('POST', `/api/v1/settlements/${s.id}/approve`, { documentHash: s.documentHash }, { as: fx.approver.apiKey });
          expect(approved.status).toBe(200);
        }
      }
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
      expect(actual).toEqual(expected);
    });
  });
});
