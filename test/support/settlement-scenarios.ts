import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { acceptMeasurements, EXAMPLES_DIR, ExampleContract, MeasuredValue } from 'test/support/settlement-fixtures';
import { TestApp } from 'test/support/test-app';
import { insertTestUser } from 'test/support/test-users';

// The scenarios of contracts/examples/settlements (<example>.scenario.json): which measurements and
// evaluation records each period receives. Settling one computes and approves each period in order, so
// lifetime caps and deltas see the earlier periods, as the golden settlements test and the independent
// verifier's test both need.

export const SCENARIOS_DIR = join(EXAMPLES_DIR, 'settlements');

export interface Scenario {
  contract: string;
  periods: {
    period: string;
    measurements: Record<string, Record<string, MeasuredValue>>;
    evaluations?: Record<string, Record<string, { significant: boolean; certifiedSavings: string; method: string }>>;
  }[];
}

export function scenarioFile(example: string): string {
  return join(SCENARIOS_DIR, example.replace(/\.json$/, '.scenario.json'));
}

export interface ComputedSettlement {
  id: string;
  groupingCode: string;
  documentHash: string;
}

/**
 * Accepts each period's measurements, records its evaluations (by an evaluator of a university granted the
 * contract, created on first need), computes the period and approves every draft, in order; `computed` is
 * called with each draft before its approval.
 */
export async function settleScenario(
  t: TestApp,
  fx: ExampleContract,
  scenario: Scenario,
  computed: (period: string, s: ComputedSettlement) => Promise<void> | void = () => {},
): Promise<void> {
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
  for (const p of scenario.periods) {
    for (const [grouping, values] of Object.entries(p.measurements)) await acceptMeasurements(t, fx, p.period, grouping, values);
    for (const [grouping, records] of Object.entries(p.evaluations ?? {})) {
      for (const [payer, r] of Object.entries(records)) {
        const url = `/api/v1/contracts/${fx.contractId}/periods/${fx.periodIds[p.period]}/evaluation-records`;
        const res = await t.request('POST', url, { groupingId: fx.groupingIds[grouping], payer, ...r }, { as: await evaluator() });
        expect([res.status, res.text]).toEqual([201, res.text]);
      }
    }
    const res = await t.request('POST', `/api/v1/contracts/${fx.contractId}/periods/${fx.periodIds[p.period]}/settlements`, {}, { as: fx.manager.apiKey });
    expect([res.status, res.text]).toEqual([201, res.text]);
    for (const s of res.body.computed as ComputedSettlement[]) {
      await computed(p.period, s);
      const approved = await t.request('POST', `/api/v1/settlements/${s.id}/approve`, { documentHash: s.documentHash }, { as: fx.approver.apiKey });
      expect(approved.status).toBe(200);
    }
  }
}
