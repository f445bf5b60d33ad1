import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import { DomainError } from 'src/common/errors/domain-error';
import { ruleSetContextOf } from 'src/contract-definitions/contract-definition.checks';
import { exampleDocument, padovaRules } from 'src/rule-sets/padova-rule-set.fixture';
import { assertValidRuleSet } from 'src/rule-sets/rule-set.validation';
import { ruleSetContext } from 'src/settlements/rule-set.validator';
import type { ContractFrame } from 'src/settlements/settlement-inputs.loader';

// A draft rule set sent with a simulation is checked against the same context as one saved through the API
// or imported with a contract document: members (for a test case's expected allocation), survey minimums and
// aggregations (for a test case's values) included, so no check is skipped on this path.

/** The Padova contract as a settlement frame and a binding version's indicators would carry it (what ruleSetContext reads). */
function padovaFrame(): { frame: ContractFrame; indicators: IndicatorSnapshot[]; organisations: string[] } {
  const doc = exampleDocument('padova-sdc-2.0.json');
  const { contract } = doc;
  const frame = {
    periods: contract.periods.map((p) => ({ id: `id-${p.code}`, code: p.code })),
    groupings: contract.groupings.map((g) => ({
      id: `id-${g.code}`,
      code: g.code,
      name: g.name,
      fees: g.fees,
      members: g.members.map((m) => ({ code: m.organisation, name: m.organisation, executionShare: m.executionShare, lead: m.role === 'MANDATARIA' })),
    })),
  } as unknown as ContractFrame; // the contract's header and organisation ids play no part here
  const indicators = contract.indicators.map((i) => ({
    ...i,
    minSampleSize: i.minSampleSize ?? null,
    disaggregations: i.disaggregations ?? [],
    baselines: i.baselines.map((b) => ({ grouping: b.grouping ?? null, value: b.value ?? null })),
    targets: i.targets.map((t) => ({ period: t.period, grouping: t.grouping ?? null, value: t.value })),
  })) as unknown as IndicatorSnapshot[];
  return { frame, indicators, organisations: doc.organisations.map((o) => o.code) };
}

describe("a simulation's draft rule set is checked against the contract's members and surveys", () => {
  it('builds the context a contract document gives the same contract, members, survey minimums and aggregations included', () => {
    const { frame, indicators, organisations } = padovaFrame();
    const ctx = ruleSetContext(frame, indicators, organisations);
    expect(ctx).toEqual(ruleSetContextOf(exampleDocument('padova-sdc-2.0.json')));
    expect(ctx.groupings.map((g) => [g.code, g.members])).toEqual([
      ['RTI-A', ['ETS-AURORA', 'ETS-BORGO-VIVO', 'ETS-CICLAMINO']],
      ['RTI-B', ['ETS-DELTA', 'ETS-EDERA']],
    ]);
    expect(ctx.indicators.find((i) => i.code === 'IND-04')).toMatchObject({ minSampleSize: 200, aggregation: 'NONE' });
  });

  it('refuses a draft whose test case allocates to a non-member or gives a survey no sample size, at ruleSet paths', () => {
    const { frame, indicators, organisations } = padovaFrame();
    const rules = padovaRules();
    rules.tests[2].expect.allocation['ETS-SOL'] = '1.00';
    delete rules.tests[0].measurements['IND-04'].sampleSize;
    let refused: unknown;
    try {
      assertValidRuleSet(rules, ruleSetContext(frame, indicators, organisations), { at: 'ruleSet' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    const e = refused as DomainError;
    expect([e.status, e.code]).toEqual([422, 'RULE_SET_SAMPLE_SIZE_REQUIRED']);
    expect(e.details.fields?.map((f) => [f.field, f.code])).toEqual([
      ['ruleSet.tests[0].measurements.IND-04.sampleSize', 'RULE_SET_SAMPLE_SIZE_REQUIRED'],
      ['ruleSet.tests[2].expect.allocation.ETS-SOL', 'RULE_SET_UNKNOWN_MEMBER'],
    ]);
  });
});
