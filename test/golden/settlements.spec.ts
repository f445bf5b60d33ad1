import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { settlementDocumentProblems } from 'test/support/settlement-document-schema';
import { EXAMPLES_DIR, ExampleContract, importExample } from 'test/support/settlement-fixtures';
import { Scenario, scenarioFile, settleScenario } from 'test/support/settlement-scenarios';
import { createTestApp, TestApp } from 'test/support/test-app';

// Every example contract in contracts/examples settles exactly to its expected settlements.
// contracts/examples/settlements/<example>.scenario.json says which measurements (and evaluation records)
// each period receives; <example>.expected.json holds every grouping's settlement result per period, as the
// API returns it in the document. Periods are computed and approved in order, so lifetime caps and deltas
// see earlier periods. Regenerate after a deliberate change with UPDATE_GOLDEN=1 and review the diff.

const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();

interface Expected {
  contract: string;
  settlements: { period: string; grouping: string; result: unknown }[];
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
      const actual: Expected = { contract: scenario.contract, settlements: [] };
      await settleScenario(t, fx, scenario, async (period, s) => {
        const doc = (await t.request('GET', `/api/v1/settlements/${s.id}`, undefined, { as: fx.auditor.apiKey })).body.document;
        // The whole document as served matches the schema published for auditors (contracts/schema).
        expect([s.groupingCode, settlementDocumentProblems(doc)]).toEqual([s.groupingCode, []]);
        // Evaluation record ids are generated per run: the golden file names them by payer instead.
        const result = JSON.parse(JSON.stringify(doc.result, (key, value: unknown) => (key === 'recordId' && value !== null ? 'evaluation-record' : value))) as unknown;
        actual.settlements.push({ period, grouping: s.groupingCode, result });
        const verified = await t.request('GET', `/api/v1/settlements/${s.id}/verify`, undefined, { as: fx.auditor.apiKey });
        expect(verified.body).toMatchObject({ matches: true });
      });
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
      expect(actual).toEqual(expected);
    });
  });
});
