import { ExampleContract, exampleDocument, importExample } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Issue 4, section 1: a rule set carries its own test cases and cannot be approved while one fails. The
// Padova rules (Cases A, B, D) pass, so the imported contract binds; a rule set whose expected amount is
// wrong cannot get either side's approval, and the 422 names the failing case and the amounts.

describe('rule-set test cases gate approval (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
  });

  afterAll(async () => {
    await t.close();
  });

  it('runs the current rule set test cases on demand: Padova Cases A, B and D pass', async () => {
    const res = await t.request('POST', `/api/v1/contracts/${fx.contractId}/payment-rules/test-runs`, {}, { as: fx.leads['RTI-B'].apiKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ruleSetCode: 'PD-SDC-R1', total: 3, passed: 3 });
    expect(res.body.results.map((r: { name: string; premium: string }) => [r.name, r.premium])).toEqual([
      ['Case A: RTI-A, Y2, partial achievement', '18960.00'],
      ['Case B: RTI-B, Y2, survey not assessable, policy ZERO', '20720.00'],
      ['Case D: as Case A, the UNDER60 gate fails', '14160.00'],
    ]);
  });

  it('refuses every approval of a version whose test case expects the wrong premium', async () => {
    const rules = structuredClone((exampleDocument('padova-sdc-2.0.json').contract as { paymentRules: { tests: { expect: { premium: string } }[] } }).paymentRules);
    rules.tests[0].expect.premium = '18961.00';
    const put = await t.request('PUT', `/api/v1/contracts/${fx.contractId}/payment-rules`, { paymentRules: rules }, { as: fx.manager.apiKey });
    expect(put.status).toBe(200);
    const version = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicator-set-versions`, { reason: 'premio rivisto', effectiveFromPeriodId: fx.periodIds.Y2 }, { as: fx.manager.apiKey });
    expect(version.status).toBe(201);
    const approve = (as: string, groupingId?: string) =>
      t.request('POST', `/api/v1/indicator-set-versions/${version.body.id}/approvals`, { contentHash: version.body.contentHash, ...(groupingId ? { groupingId } : {}) }, { as });
    const refused = await approve(fx.approver.apiKey);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CO_DEFINITION_RULE_SET_TESTS_FAILING');
    expect(refused.body.details.fields).toEqual([
      { field: 'paymentRules.tests[0]', code: 'RULE_SET_TEST_FAILED', message: 'Case A: RTI-A, Y2, partial achievement: premium expected 18961.00, got 18960.00' },
    ]);
    expect((await approve(fx.leads['RTI-A'].apiKey, fx.groupingIds['RTI-A'])).status).toBe(422);
    const state = await t.request('GET', `/api/v1/indicator-set-versions/${version.body.id}`, undefined, { as: fx.manager.apiKey });
    expect(state.body).toMatchObject({ state: 'DRAFT' });
    expect(state.body.approvals).toEqual([]);
    const run = await t.request('POST', `/api/v1/contracts/${fx.contractId}/payment-rules/test-runs`, {}, { as: fx.manager.apiKey });
    expect(run.body).toMatchObject({ total: 3, passed: 2 });
    expect(run.body.results[0].mismatches).toEqual([{ field: 'premium', expected: '18961.00', actual: '18960.00' }]);
  });
});
