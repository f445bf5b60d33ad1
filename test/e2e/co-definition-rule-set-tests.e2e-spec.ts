import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { ExampleContract, exampleDocument, importExample } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// An approval refused for failing rule-set test cases says per case what failed in data, not only in
// words: each `details.fields` entry has a code (RULE_SET_TEST_FAILED, or the error's own code when the
// case could not be computed), and `details.tests` lists the failing cases as the test-runs endpoint
// does, with their index. Padova: Case A expects a wrong premium, Case B's grouping lost a target after
// the rules were saved (so it cannot be computed), Case D passes.

type TestResult = { name: string; passed: boolean; mismatches: unknown[]; error: { code: string; message: string } | null; premium: string | null; payable: string | null };

describe('co-definition: an approval refused for failing rule-set test cases (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ExampleContract;
  let version: { id: string; contentHash: string };

  const approve = (as: string, groupingId?: string) =>
    t.request('POST', `/api/v1/indicator-set-versions/${version.id}/approvals`, { contentHash: version.contentHash, ...(groupingId ? { groupingId } : {}) }, { as });

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await importExample(t, 'padova-sdc-2.0.json');

    const rules = structuredClone((exampleDocument('padova-sdc-2.0.json').contract as { paymentRules: { tests: { expect: { premium: string } }[] } }).paymentRules);
    rules.tests[0].expect.premium = '18961.00';
    expect((await t.request('PUT', `/api/v1/contracts/${fx.contractId}/payment-rules`, { paymentRules: rules }, { as: fx.manager.apiKey })).status).toBe(200);
    // The rules were checked against the targets when saved; IND-01 then loses RTI-B's Y2 target.
    const indicators = await t.request('GET', `/api/v1/contracts/${fx.contractId}/indicators?limit=50`, undefined, { as: fx.manager.apiKey });
    const ind01 = (indicators.body.items as { id: string; code: string; targets: { periodId: string; periodCode: string; groupingId: string | null; groupingCode: string | null; value: string }[] }[]).find(
      (i) => i.code === 'IND-01',
    );
    const targets = ind01!.targets.filter((x) => !(x.periodCode === 'Y2' && x.groupingCode === 'RTI-B')).map((x) => ({ periodId: x.periodId, groupingId: x.groupingId, value: x.value }));
    expect(targets).toHaveLength(ind01!.targets.length - 1);
    expect((await t.request('PUT', `/api/v1/indicators/${ind01!.id}/targets`, { targets }, { as: fx.manager.apiKey })).status).toBe(200);

    const frozen = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicator-set-versions`, { reason: 'premio rivisto', effectiveFromPeriodId: fx.periodIds.Y2 }, { as: fx.manager.apiKey });
    expect(frozen.status).toBe(201);
    version = frozen.body as { id: string; contentHash: string };
  }, 30_000); // the app and the Padova import, bound once

  afterAll(async () => {
    await t.close();
  });

  it('gives each failing case a field with a code, and the cases as the test-runs endpoint lists them', async () => {
    const auditCount = await ds.getRepository(AuditEntryEntity).count();
    const refused = await approve(fx.approver.apiKey);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CO_DEFINITION_RULE_SET_TESTS_FAILING');
    expect(refused.body.message).toBe('2 of 3 rule-set test cases fail: version 2 cannot be approved');
    expect(refused.body.details.fields).toEqual([
      { field: 'paymentRules.tests[0]', code: 'RULE_SET_TEST_FAILED', message: 'Case A: RTI-A, Y2, partial achievement: premium expected 18961.00, got 18960.00' },
      { field: 'paymentRules.tests[1]', code: 'SETTLEMENT_CALC_TARGET_REQUIRED', message: expect.stringMatching(/^Case B: RTI-B, Y2, survey not assessable, policy ZERO: SETTLEMENT_CALC_TARGET_REQUIRED .*target is required$/) },
    ]);
    expect(refused.body.details.tests).toEqual([
      {
        index: 0,
        name: 'Case A: RTI-A, Y2, partial achievement',
        passed: false,
        mismatches: [{ field: 'premium', expected: '18961.00', actual: '18960.00' }],
        error: null,
        premium: '18960.00',
        payable: '18960.00',
      },
      {
        index: 1,
        name: 'Case B: RTI-B, Y2, survey not assessable, policy ZERO',
        passed: false,
        mismatches: [],
        error: { code: 'SETTLEMENT_CALC_TARGET_REQUIRED', message: expect.stringMatching(/target is required$/) },
        premium: null,
        payable: null,
      },
    ]);

    // The same cases, in the same shape, as the test-runs endpoint answers for the working copy.
    const run = await t.request('POST', `/api/v1/contracts/${fx.contractId}/payment-rules/test-runs`, {}, { as: fx.leads['RTI-A'].apiKey });
    expect(run.status).toBe(200);
    const failing = (run.body.results as TestResult[]).map((r, index) => ({ index, ...r })).filter((r) => !r.passed);
    expect(refused.body.details.tests).toEqual(failing);

    // Nothing changed: no approval, still a draft, nothing in the audit log.
    expect((await approve(fx.leads['RTI-B'].apiKey, fx.groupingIds['RTI-B'])).body.details.fields).toHaveLength(2);
    const state = await t.request('GET', `/api/v1/indicator-set-versions/${version.id}`, undefined, { as: fx.manager.apiKey });
    expect(state.body).toMatchObject({ state: 'DRAFT', approvals: [] });
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(auditCount);
  });

  it("runs a frozen version's cases as its approval will, while the working copy may since have changed", async () => {
    const before = await t.request('POST', `/api/v1/indicator-set-versions/${version.id}/test-runs`, {}, { as: fx.leads['RTI-B'].apiKey });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ versionId: version.id, version: 2, contentHash: version.contentHash, ruleSetCode: 'PD-SDC-R1', total: 3, passed: 1 });
    const refused = await approve(fx.approver.apiKey);
    expect((before.body.results as TestResult[]).map((r, index) => ({ index, ...r })).filter((r) => !r.passed)).toEqual(refused.body.details.tests);

    // The manager gives IND-01 its RTI-B Y2 target back in the working copy: the contract's test run sees it
    // (Case B computes and passes), the frozen version does not.
    const indicators = await t.request('GET', `/api/v1/contracts/${fx.contractId}/indicators?limit=50`, undefined, { as: fx.manager.apiKey });
    const ind01 = (indicators.body.items as { id: string; code: string; targets: { periodId: string; groupingId: string | null; value: string }[] }[]).find((i) => i.code === 'IND-01');
    const targets = [...ind01!.targets.map((x) => ({ periodId: x.periodId, groupingId: x.groupingId, value: x.value })), { periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-B'], value: '14.0' }];
    expect((await t.request('PUT', `/api/v1/indicators/${ind01!.id}/targets`, { targets }, { as: fx.manager.apiKey })).status).toBe(200);
    const workingCopy = await t.request('POST', `/api/v1/contracts/${fx.contractId}/payment-rules/test-runs`, {}, { as: fx.leads['RTI-B'].apiKey });
    expect((workingCopy.body.results as TestResult[]).map((r) => r.passed)).toEqual([false, true, true]);
    const frozen = await t.request('POST', `/api/v1/indicator-set-versions/${version.id}/test-runs`, {}, { as: fx.leads['RTI-B'].apiKey });
    expect(frozen.body).toEqual(before.body);

    const unknown = await t.request('POST', '/api/v1/indicator-set-versions/00000000-0000-4000-8000-000000000000/test-runs', {}, { as: fx.leads['RTI-B'].apiKey });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'CO_DEFINITION_VERSION_NOT_FOUND']);
  });

  it('answers a co-definition code for a version frozen without payment rules: there is nothing to run', async () => {
    const bare = await seedContract(t.app, { key: 'NORULES' });
    for (const body of Object.values(padovaIndicatorBodies(bare))) {
      expect((await t.request('POST', `/api/v1/contracts/${bare.contractId}/indicators`, body)).status).toBe(201);
    }
    const frozen = await t.request('POST', `/api/v1/contracts/${bare.contractId}/indicator-set-versions`, {});
    expect([frozen.status, frozen.body.content.paymentRules]).toEqual([201, null]);
    const auditCount = await ds.getRepository(AuditEntryEntity).count();

    const res = await t.request('POST', `/api/v1/indicator-set-versions/${frozen.body.id}/test-runs`, {});
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'CO_DEFINITION_NO_RULE_SET',
      message: 'Version 1 of contract CTR-NORULES has no payment rules: it was frozen before any were saved',
      details: { id: frozen.body.id },
    });
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(auditCount);
  });
});
