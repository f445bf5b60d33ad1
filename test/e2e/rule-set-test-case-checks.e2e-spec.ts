import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ExampleContract, exampleDocument, importExample } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// Saving payment rules, or importing a contract document with them, refuses a test case that could only fail
// when run, or that describes data no real period could hold: an expected allocation to an organisation that
// is not a member of the case's grouping (the runner allocates to the contract's members), and a value a
// measurement would be refused with (a survey without its sample size, parts that do not add up, a
// dimension missing categories), or a survey marked not assessable with a sample at its minimum. Padova:
// RTI-A is ETS-AURORA, ETS-BORGO-VIVO and ETS-CICLAMINO; IND-03 counts de-duplicated people by TARGET_GROUP
// and NEED_TYPE; IND-04 is a survey with a minimum sample of 200.

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

  it('refuses a value a measurement would be refused with, and a survey not assessable at its minimum sample, and changes nothing', async () => {
    const before = await stored();
    const audit = await ds.getRepository(AuditEntryEntity).count();
    const rules = padovaRules();
    rules.tests[0].measurements['IND-03'] = { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '968', UNDER60: '200' }, NEED_TYPE: { SOCIALITA: '1210' } } };
    rules.tests[1].measurements['IND-04'] = { status: 'NOT_ASSESSABLE', sampleSize: 240 };
    const res = await put(rules);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RULE_SET_DISAGGREGATION_MISMATCH');
    expect(res.body.details.fields).toEqual([
      {
        field: 'paymentRules.tests[0].measurements.IND-03.disaggregations.TARGET_GROUP',
        code: 'RULE_SET_DISAGGREGATION_MISMATCH',
        message: 'the de-duplicated value 1210 must lie between the largest part 968 and the sum of the parts 1168',
      },
      {
        field: 'paymentRules.tests[0].measurements.IND-03.disaggregations.NEED_TYPE',
        code: 'RULE_SET_DISAGGREGATION_INCOMPLETE',
        message: 'must give every value of NEED_TYPE; missing MOVIMENTO, CULTURA, SUPPORTO',
      },
      {
        field: 'paymentRules.tests[1].measurements.IND-04.sampleSize',
        code: 'RULE_SET_SAMPLE_REACHES_MINIMUM',
        message: '240 reaches the minimum sample of IND-04 (200): give the value it measured instead',
      },
    ]);
    expect(await stored()).toEqual(before);
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(audit);
  });

  it('makes the same checks when a contract document is imported, at its document paths, and stores nothing', async () => {
    const doc = exampleDocument('padova-sdc-2.0.json') as { project: { code: string }; contract: { code: string; paymentRules: Rules } };
    doc.project.code = 'PD-SDC-3.0';
    doc.contract.code = 'PD-SDC-3.0';
    const rules = doc.contract.paymentRules;
    rules.tests[2].expect.allocation['ETS-SOL'] = '1.00';
    delete rules.tests[0].measurements['IND-04'].sampleSize;
    rules.tests[0].measurements['IND-03'] = { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '968', UNDER60: '200' } } };
    rules.tests[1].measurements['IND-04'] = { status: 'NOT_ASSESSABLE', sampleSize: 200 };
    const contracts = await ds.getRepository(ContractEntity).count();
    const audit = await ds.getRepository(AuditEntryEntity).count();
    const res = await t.request('POST', '/api/v1/contract-definitions', doc);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RULE_SET_DISAGGREGATION_MISMATCH');
    expect(res.body.details.fields).toEqual([
      {
        field: 'contract.paymentRules.tests[0].measurements.IND-03.disaggregations.TARGET_GROUP',
        code: 'RULE_SET_DISAGGREGATION_MISMATCH',
        message: 'the de-duplicated value 1210 must lie between the largest part 968 and the sum of the parts 1168',
      },
      { field: 'contract.paymentRules.tests[0].measurements.IND-04.sampleSize', code: 'RULE_SET_SAMPLE_SIZE_REQUIRED', message: 'is required: IND-04 is a survey with a minimum sample of 200' },
      {
        field: 'contract.paymentRules.tests[1].measurements.IND-04.sampleSize',
        code: 'RULE_SET_SAMPLE_REACHES_MINIMUM',
        message: '200 reaches the minimum sample of IND-04 (200): give the value it measured instead',
      },
      {
        field: 'contract.paymentRules.tests[2].expect.allocation.ETS-SOL',
        code: 'RULE_SET_UNKNOWN_MEMBER',
        message: 'ETS-SOL is not a member of RTI-A (its members: ETS-AURORA, ETS-BORGO-VIVO, ETS-CICLAMINO)',
      },
    ]);
    expect(await ds.getRepository(ContractEntity).count()).toBe(contracts);
    expect(await ds.getRepository(ContractEntity).findOneBy({ code: 'PD-SDC-3.0' })).toBeNull();
    expect(await ds.getRepository(AuditEntryEntity).count()).toBe(audit);
  });
});
