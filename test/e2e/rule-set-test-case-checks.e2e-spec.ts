import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ExampleContract, exampleDocument, importExample } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Saving payment rules refuses a test case that could only fail when run, or that describes data no real
// period could hold: an expected allocation to an organisation that is not a member of the case's grouping
// (the runner allocates to the contract's members), and a survey's value without its sample size (a
// measurement is refused for it, MEASUREMENT_SAMPLE_SIZE_REQUIRED). Padova: RTI-A is ETS-AURORA,
// ETS-BORGO-VIVO and ETS-CICLAMINO; IND-04 is a survey with a minimum sample of 200.

type Rules = { tests: { measurements: Record<string, Record<string, unknown>>; expect: { allocation: Record<string, string> } }[] };

describe('payment rules: test cases are checked when saved (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ExampleContract;

  const padovaRules = (): Rules => structuredClone((exampleDocument('padova-sdc-2.0.json').contract as { paymentRules: Rules }).paymentRules);
  const put = (paymentRules: unknown) => t.request('PUT', `/api/v1/contracts/${fx.contractId}/payment-rules`, { paymentRules }, { as: fx.manager.apiKey });
  const stored = async () => (await t.request('GET', `/api/v1/contracts/${fx.contractId}/payment-rules`, undefined, { as: fx.manager.apiKey })).body.paymentRules as unknown;

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await importExample(t, 'padova-sdc-2.0.json');
  }, 30_000); // the app and the Padova import, bound once

  afterAll(async () => {
    await t.close();
  });

  it("refuses an expected allocation to anyone but the grouping's members, naming them, and changes nothing", async () => {
    const before = await stored();
    const audit = await ds.getRepository(AuditEntryEntity).count();
    const rules = padovaRules();
    rules.tests[2].expect.allocation['ETS-SOL'] = '1.00';
    const res = await put(rules);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RULE_SET_UNKNOWN_MEMBER');
    expect(res.body.message).toBe(
      'The payment rules are not valid: paymentRules.tests[2].expect.allocation.ETS-SOL: ETS-SOL is not a member of RTI-A (its members: ETS-AURORA, ETS-BORGO-VIVO, ETS-CICLAMINO)',
    );
    expect(res.body.details.fields).toEqual([
      {
        field: 'paymentRules.tests[2].expect.allocation.ETS-SOL',
        code: 'RULE_SET_UNKNOWN_MEMBER',
        message: 'ETS-SOL is not a member of RTI-A (its members: ETS-AURORA, ETS-BORGO-VIVO, ETS-CICLAMINO)',
      },
    ]);
    expect(await stored()).toEqual(before);
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(audit);
  });

  it("refuses a survey's value without its sample size, as a measurement is refused, and changes nothing", async () => {
    const before = await stored();
    const audit = await ds.getRepository(AuditEntryEntity).count();
    const rules = padovaRules();
    delete rules.tests[0].measurements['IND-04'].sampleSize;
    rules.tests[1].expect.allocation['ETS-AURORA'] = '0'; // a member of RTI-A, not of Case B's RTI-B
    const res = await put(rules);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RULE_SET_SAMPLE_SIZE_REQUIRED');
    expect(res.body.details.fields).toEqual([
      { field: 'paymentRules.tests[0].measurements.IND-04.sampleSize', code: 'RULE_SET_SAMPLE_SIZE_REQUIRED', message: 'is required: IND-04 is a survey with a minimum sample of 200' },
      { field: 'paymentRules.tests[1].expect.allocation.ETS-AURORA', code: 'RULE_SET_UNKNOWN_MEMBER', message: 'ETS-AURORA is not a member of RTI-B (its members: ETS-DELTA, ETS-EDERA)' },
    ]);
    expect(await stored()).toEqual(before);
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(audit);

    // With the sample size back (and below the minimum) the case is a not-assessable survey, and saves.
    rules.tests[0].measurements['IND-04'].sampleSize = 150;
    delete rules.tests[1].expect.allocation['ETS-AURORA'];
    expect((await put(rules)).status).toBe(200);
  });
});
