import { checkUnique, type Problems, type RuleSetContext } from 'src/rule-sets/rule-set.problems';
import { termId, type RuleSetDocument } from 'src/rule-sets/rule-set.types';

// The shape and references of a rule set's test cases; running them is the test runner's job
// (rule-set.test-runner.ts). Each names a period and a grouping of the contract, measurements only of its
// indicators (and only their disaggregations), evaluations only of the rule set's evaluation payers,
// expected lines only of its terms and an expected allocation only to the grouping's members. Names are
// unique, so a failing case can be named. A case describes what a real period could hold: a survey's value
// comes with its sample size, as a measurement must (MEASUREMENT_SAMPLE_SIZE_REQUIRED in
// src/measurements/measurement.rules.ts); without one the engine would judge it not assessable unasked.
// A case's grouping is the contract's own and is settled with its current members (the runner takes them
// from the contract), so an allocation to anyone else could only ever fail as "(none)".
//
// Example: measurements { "IND-99": { "value": "3" } } gives RULE_SET_UNKNOWN_INDICATOR at
// `tests[0].measurements.IND-99`: "the contract has no indicator IND-99"; expect.allocation { "ETS-SOL": "1.00" }
// for RTI-A gives RULE_SET_UNKNOWN_MEMBER at `tests[0].expect.allocation.ETS-SOL`.

export function checkTests(rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): void {
  const tests = rules.tests ?? [];
  checkUnique(tests.map((t, i) => ({ id: t.name, field: `tests[${i}].name` })), 'test name', problems);
  const periods = new Set(ctx.periods);
  const groupings = new Map(ctx.groupings.map((g) => [g.code, g]));
  const indicators = new Map(ctx.indicators.map((i) => [i.code, i]));
  const payers = new Set((rules.evaluationPayers ?? []).map((p) => p.id));
  const terms = new Set(rules.terms.map(termId));
  tests.forEach((test, i) => {
    const at = `tests[${i}]`;
    if (!periods.has(test.period)) problems.add('RULE_SET_UNKNOWN_PERIOD', `${at}.period`, `the contract has no period ${test.period}`);
    if (!groupings.has(test.grouping)) problems.add('RULE_SET_UNKNOWN_GROUPING', `${at}.grouping`, `the contract has no grouping ${test.grouping}`);
    for (const [code, m] of Object.entries(test.measurements)) {
      const field = `${at}.measurements.${code}`;
      const ind = indicators.get(code);
      if (ind === undefined) {
        problems.add('RULE_SET_UNKNOWN_INDICATOR', field, `the contract has no indicator ${code}`);
        continue;
      }
      if (!('value' in m)) continue;
      const minimum = ind.minSampleSize ?? null;
      if (minimum !== null && m.sampleSize === undefined) {
        problems.add('RULE_SET_SAMPLE_SIZE_REQUIRED', `${field}.sampleSize`, `is required: ${code} is a survey with a minimum sample of ${minimum}`);
      }
      for (const [dimension, parts] of Object.entries(m.disaggregations ?? {})) {
        const d = ind.disaggregations.find((x) => x.dimension === dimension);
        if (d === undefined) {
          problems.add('RULE_SET_UNKNOWN_DISAGGREGATION', `${field}.disaggregations.${dimension}`, `${code} is not disaggregated by ${dimension}`);
          continue;
        }
        for (const value of Object.keys(parts)) {
          if (!d.values.includes(value)) {
            problems.add('RULE_SET_UNKNOWN_DISAGGREGATION', `${field}.disaggregations.${dimension}.${value}`, `${dimension} of ${code} has no value ${value} (it has ${d.values.join(', ')})`);
          }
        }
      }
    }
    for (const id of Object.keys(test.evaluations ?? {})) {
      if (!payers.has(id)) problems.add('RULE_SET_UNKNOWN_EVALUATION_PAYER', `${at}.evaluations.${id}`, `the rule set has no evaluation payer ${id}`);
    }
    for (const id of Object.keys(test.expect.lines ?? {})) {
      if (!terms.has(id)) problems.add('RULE_SET_UNKNOWN_TERM', `${at}.expect.lines.${id}`, `no term has id ${id}`);
    }
    const members = groupings.get(test.grouping)?.members;
    if (members === undefined) return;
    for (const member of Object.keys(test.expect.allocation ?? {})) {
      if (!members.includes(member)) {
        problems.add('RULE_SET_UNKNOWN_MEMBER', `${at}.expect.allocation.${member}`, `${member} is not a member of ${test.grouping} (its members: ${members.join(', ')})`);
      }
    }
  });
}
