import { dec, isDecimalString } from 'src/common/decimal/decimal';
import { DomainError } from 'src/common/errors/domain-error';
import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { indicatorInput, type MeasurementRow } from 'src/settlements/engine/indicator-inputs';
import { computeSettlement, factsFor } from 'src/settlements/engine/settlement-engine';
import type { SettlementInputs } from 'src/settlements/settlement-document';
import { SettlementError } from 'src/settlements/settlements.errors';
import { DEFAULT_ROUNDING, type RuleSetDocument, type RuleSetTestCase } from 'src/rule-sets/rule-set.types';

// Runs a rule set's own test cases: measured values in, expected amounts out, through the same engine
// that settles (src/settlements/engine/settlement-engine.ts). Baselines, targets, fees and members come
// from the contract; the pool cap is not applied (a test case is one grouping). A rule set whose tests
// fail cannot be approved (co-definition approval runs this).
//
// Example (Padova Case A): { period: "Y2", grouping: "RTI-A", measurements: { "IND-01": { value: "11.0" }, ... },
//   expect: { premium: "18960.00", payable: "18960.00", allocation: { "ETS-AURORA": "9480.00", ... } } } -> passed.

export interface RuleSetTestContext {
  contract: SettlementInputs['contract'];
  indicatorSet: SettlementInputs['indicatorSet'];
  indicators: IndicatorSnapshot[];
  periods: SettlementInputs['period'][];
  groupings: { code: string; name: string; fees: { period: string; amount: string }[]; members: SettlementInputs['grouping']['members'] }[];
}

export interface RuleSetTestMismatch {
  field: string;
  expected: string;
  actual: string;
}

export interface RuleSetTestResult {
  name: string;
  passed: boolean;
  mismatches: RuleSetTestMismatch[];
  /** When the case could not be computed: the error code and message. */
  error: { code: string; message: string } | null;
  premium: string | null;
  payable: string | null;
}

/** Measurement rows standing for a test case's (or a simulation's) value of one indicator. */
export function hypotheticalRows(code: string, measurements: RuleSetTestCase['measurements']): MeasurementRow[] {
  const m = measurements[code];
  if (m === undefined || ('status' in m && m.status === 'MISSING')) return [];
  const base = { measurementId: `hypothetical:${code}`, version: 1, organisation: 'TEST', numerator: null, denominator: null, sampleSize: m.sampleSize ?? null };
  if ('status' in m) return [{ ...base, value: '0', notAssessable: true, disaggregations: {} }];
  return [{ ...base, value: m.value, notAssessable: false, disaggregations: m.disaggregations ?? {} }];
}

/** The settlement inputs a test case describes (exported for simulations, which work the same way). */
export function testCaseInputs(rules: RuleSetDocument, ctx: RuleSetTestContext, test: RuleSetTestCase): SettlementInputs {
  const period = ctx.periods.find((p) => p.code === test.period);
  const grouping = ctx.groupings.find((g) => g.code === test.grouping);
  if (period === undefined || grouping === undefined) {
    const field = period === undefined ? 'period' : 'grouping';
    throw new SettlementError('SETTLEMENT_SIMULATION_INVALID', `the contract has no ${field} ${period === undefined ? test.period : test.grouping}`, {
      fields: [{ field, message: 'not in the contract' }],
    });
  }
  const indicators = ctx.indicators.map((ind) => indicatorInput(ind, period.code, grouping.code, hypotheticalRows(ind.code, test.measurements)));
  const evaluations: SettlementInputs['evaluations'] = {};
  for (const [id, e] of Object.entries(test.evaluations ?? {})) evaluations[id] = { recordId: `test:${id}`, significant: e.significant, certifiedSavings: e.certifiedSavings };
  return {
    contract: ctx.contract,
    period,
    grouping: { code: grouping.code, name: grouping.name, fee: grouping.fees.find((f) => f.period === period.code)?.amount ?? null, members: grouping.members },
    indicatorSet: ctx.indicatorSet,
    ruleSet: rules,
    rounding: rules.rounding ?? DEFAULT_ROUNDING,
    indicators,
    facts: factsFor(indicators),
    evaluations,
    settledBefore: [],
    pool: null,
  };
}

function compare(field: string, expected: string, actual: string | undefined, out: RuleSetTestMismatch[]): void {
  const same = actual !== undefined && isDecimalString(expected) && isDecimalString(actual) && dec(expected).equals(dec(actual));
  if (!same) out.push({ field, expected, actual: actual ?? '(none)' });
}

export function runRuleSetTest(rules: RuleSetDocument, ctx: RuleSetTestContext, test: RuleSetTestCase): RuleSetTestResult {
  try {
    const result = computeSettlement(testCaseInputs(rules, ctx, test));
    const mismatches: RuleSetTestMismatch[] = [];
    compare('premium', test.expect.premium, result.premium, mismatches);
    compare('payable', test.expect.payable, result.payable, mismatches);
    for (const [termId, amount] of Object.entries(test.expect.lines ?? {})) {
      compare(`lines.${termId}`, amount, result.lines.find((l) => l.termId === termId)?.amount, mismatches);
    }
    for (const [member, amount] of Object.entries(test.expect.allocation ?? {})) {
      compare(`allocation.${member}`, amount, result.allocation.find((a) => a.memberId === member)?.amount, mismatches);
    }
    return { name: test.name, passed: mismatches.length === 0, mismatches, error: null, premium: result.premium, payable: result.payable };
  } catch (error) {
    if (error instanceof CalculationError || error instanceof DomainError) {
      return { name: test.name, passed: false, mismatches: [], error: { code: error.code, message: error.message }, premium: null, payable: null };
    }
    throw error;
  }
}

export function runRuleSetTests(rules: RuleSetDocument, ctx: RuleSetTestContext): RuleSetTestResult[] {
  return (rules.tests ?? []).map((t) => runRuleSetTest(rules, ctx, t));
}
