import { checkUnique, type Problems, type RuleSetContext, type RuleSetIndicatorContext } from 'src/rule-sets/rule-set.problems';
import { checkMeasurementValues, notAssessableProblem, type MeasurementProblem } from 'src/measurements/measurement.rules';
import type { RuleSetErrorCode } from 'src/rule-sets/rule-sets.errors';
import { termId, type RuleSetDocument, type RuleSetTestCase } from 'src/rule-sets/rule-set.types';

// The shape and references of a rule set's test cases; running them is the test runner's job
// (rule-set.test-runner.ts). Each names a period and a grouping of the contract, measurements only of its
// indicators, evaluations only of the rule set's evaluation payers, expected lines only of its terms and an
// expected allocation only to the grouping's members. Names are unique, so a failing case can be named.
// A case describes what a real period could hold: each value is held to the rules of a real measurement
// of its indicator (checkMeasurementValues in src/measurements/measurement.rules.ts, as a what-if's
// hypothetical values are in src/settlements/settlement-simulation.rules.ts): the unit's range, declared
// dimensions and categories only, every category of a dimension given, SUM parts adding up to the value, a
// survey's sample size. A survey marked NOT_ASSESSABLE needs a sample below its minimum: at or above it the
// engine would assess it, with no value, as 0. The measurement codes become rule-set ones (MEASUREMENT_ ->
// RULE_SET_, below), so the payment-rules endpoint answers only rule-set and condition codes.
// A case's grouping is the contract's own and is settled with its current members (the runner takes them
// from the contract), so an allocation to anyone else could only ever fail as "(none)".
//
// Example: measurements { "IND-99": { "value": "3" } } gives RULE_SET_UNKNOWN_INDICATOR at
// `tests[0].measurements.IND-99`: "the contract has no indicator IND-99"; expect.allocation { "ETS-SOL": "1.00" }
// for RTI-A gives RULE_SET_UNKNOWN_MEMBER at `tests[0].expect.allocation.ETS-SOL`; IND-03 (de-duplicated
// people) "1210" with TARGET_GROUP parts 968 + 200 gives RULE_SET_DISAGGREGATION_MISMATCH at
// `tests[0].measurements.IND-03.disaggregations.TARGET_GROUP`: "the de-duplicated value 1210 must lie
// between the largest part 968 and the sum of the parts 1168".

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
      valueProblems(ind, m, field, problems);
    }
    for (const id of Object.keys(test.evaluations ?? {})) {
      if (!payers.has(id)) problems.add('RULE_SET_UNKNOWN_EVALUATION_PAYER', `${at}.evaluations.${id}`, `the rule set has no evaluation payer ${id}`);
    }
    for (const id of Object.keys(test.expect.lines ?? {})) {
      if (!terms.has(id)) problems.add('RULE_SET_UNKNOWN_TERM', `${at}.expect.lines.${id}`, `no term has id ${id}`);
    }
    const members = groupings.get(test.grouping)?.members;
    if (members === undefined) return; // an unknown grouping, reported above
    for (const member of Object.keys(test.expect.allocation ?? {})) {
      if (!members.includes(member)) {
        problems.add('RULE_SET_UNKNOWN_MEMBER', `${at}.expect.allocation.${member}`, `${member} is not a member of ${test.grouping} (its members: ${members.join(', ')})`);
      }
    }
  });
}

/** A case's measurement of a known indicator against the rules of a real measurement of it. */
function valueProblems(ind: RuleSetIndicatorContext, m: RuleSetTestCase['measurements'][string], field: string, problems: Problems): void {
  if ('value' in m) {
    // A test case has no numerator or denominator: its value is the one to check.
    const indicator = { code: ind.code, unit: ind.unit, aggregation: ind.aggregation, minSampleSize: ind.minSampleSize, disaggregations: ind.disaggregations, formula: null };
    const values = { value: m.value, sampleSize: m.sampleSize, disaggregations: m.disaggregations };
    const declared = new Set(ind.disaggregations.map((d) => `${field}.disaggregations.${d.dimension}`));
    for (const p of checkMeasurementValues(indicator, values, `${field}.`).problems) {
      problems.add(ruleSetCodeOf(p, declared), p.field, p.message);
    }
  } else if (m.status === 'NOT_ASSESSABLE') {
    const problem = notAssessableProblem(ind, m.sampleSize);
    if (problem !== null) problems.add('RULE_SET_SAMPLE_REACHES_MINIMUM', `${field}.sampleSize`, problem);
  }
}

/** The rule-set code of each measurement code a case's value can raise. */
const RULE_SET_CODE: Partial<Record<MeasurementProblem['code'], RuleSetErrorCode>> = {
  MEASUREMENT_SAMPLE_SIZE_REQUIRED: 'RULE_SET_SAMPLE_SIZE_REQUIRED',
  MEASUREMENT_DISAGGREGATION_INVALID: 'RULE_SET_UNKNOWN_DISAGGREGATION',
  MEASUREMENT_DISAGGREGATION_MISMATCH: 'RULE_SET_DISAGGREGATION_MISMATCH',
  MEASUREMENT_VALUE_OUT_OF_RANGE: 'RULE_SET_VALUE_OUT_OF_RANGE',
  MEASUREMENT_VALUE_NOT_A_NUMBER: 'RULE_SET_VALUE_OUT_OF_RANGE',
};

/**
 * The rule-set code of a measurement problem. MEASUREMENT_DISAGGREGATION_INVALID is an unknown dimension or
 * category (at the dimension or at the category) or a declared dimension missing categories (at the
 * dimension). The other measurement codes (value required, numerator/denominator) cannot arise: the schema
 * requires a case's value and allows no numerator or denominator.
 */
function ruleSetCodeOf(p: MeasurementProblem, declaredDimensions: ReadonlySet<string>): RuleSetErrorCode {
  if (p.code === 'MEASUREMENT_DISAGGREGATION_INVALID' && declaredDimensions.has(p.field)) return 'RULE_SET_DISAGGREGATION_INCOMPLETE';
  return RULE_SET_CODE[p.code] ?? 'RULE_SET_SCHEMA_INVALID';
}
