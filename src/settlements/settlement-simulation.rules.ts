import type { ValidateFunction } from 'ajv/dist/2020';
import type { FieldProblem } from 'src/common/errors/domain-error';
import { RULE_SET_SCHEMA_FILE } from 'src/contract-definitions/contract-definition.files';
import { newSchemaAjv, readSchema, schemaProblems } from 'src/contract-definitions/contract-definition.schema';
import { checkMeasurementValues, notAssessableProblem, type MeasuredIndicator, type MeasurementProblem } from 'src/measurements/measurement.rules';
import type { RuleSetTestCase } from 'src/rule-sets/rule-set.types';
import type { SettlementErrorCode } from 'src/settlements/settlements.errors';

// The hypothetical measurements of a what-if (POST /contracts/:id/simulations), checked before anything is
// computed, every problem at once, each at its own field. Nothing here is new law:
// - the shape is a rule-set test case's (contracts/schema/rule-set.schema.json, `testCase.measurements`
//   and `testCase.evaluations`): { value, disaggregations?, sampleSize? }, { status: NOT_ASSESSABLE,
//   sampleSize? } or { status: MISSING }; evaluations { significant, certifiedSavings };
// - a value is held to the rules of a real measurement of the same indicator (checkMeasurementValues:
//   the unit's range, declared dimensions and categories only, every category of a dimension given, SUM
//   parts adding up to the value, a survey's sample size);
// - the grouping, indicator and payer must exist, and each grouping has one entry: an entry that matched
//   nothing used to be ignored, and the answer showed the real results as if they were the hypothesis.
//
// Example: { grouping: "RTI-A", measurements: { "IND-03": { value: "1210", disaggregations: { TARGT: {...} } } } }
//   -> MEASUREMENT_DISAGGREGATION_INVALID at hypothetical[0].measurements.IND-03.disaggregations.TARGT:
//      "IND-03 has no dimension TARGT (it has TARGET_GROUP, NEED_TYPE)".

/** One entry of `hypothetical` as the request's DTO lets it through (grouping checked, the rest free). */
export interface HypotheticalEntry {
  grouping: string;
  measurements: Record<string, unknown>;
  evaluations?: Record<string, unknown>;
}

/** What one simulated period checks entries against. */
export interface SimulationFrame {
  contractCode: string;
  /** Grouping codes of the contract, in contract order. */
  groupings: readonly string[];
  /** The binding indicator-set version in force for the period, and its indicators. */
  version: number;
  indicators: readonly MeasuredIndicator[];
  /** Evaluation payer ids of the rule set simulated (the draft, else the binding one). */
  payers: readonly string[];
}

export type SimulationProblemCode =
  | MeasurementProblem['code']
  | Extract<SettlementErrorCode, 'SETTLEMENT_SIMULATION_INVALID' | 'SETTLEMENT_GROUPING_NOT_IN_CONTRACT' | 'SETTLEMENT_EVALUATION_PAYER_UNKNOWN'>;

export interface SimulationProblem extends FieldProblem {
  code: SimulationProblemCode;
}

/** A checked entry, typed as the test runner's hypothetical rows take it. */
export interface CheckedHypothetical {
  measurements: RuleSetTestCase['measurements'];
  evaluations: NonNullable<RuleSetTestCase['evaluations']>;
}

let compiled: ValidateFunction | null = null;

function entryValidator(): ValidateFunction {
  if (compiled === null) {
    const ajv = newSchemaAjv();
    const ruleSet = readSchema(RULE_SET_SCHEMA_FILE) as { $id: string };
    ajv.addSchema(ruleSet);
    const testCase = `${ruleSet.$id}#/$defs/testCase/properties`;
    compiled = ajv.compile({
      type: 'object',
      properties: { measurements: { $ref: `${testCase}/measurements` }, evaluations: { $ref: `${testCase}/evaluations` } },
    });
  }
  return compiled;
}

/** Every problem of the entries against one period's frame; empty when they can be simulated. `at` is their path. */
export function hypotheticalProblems(entries: readonly HypotheticalEntry[], frame: SimulationFrame, at = 'hypothetical'): SimulationProblem[] {
  const problems: SimulationProblem[] = [];
  const add = (code: SimulationProblemCode, field: string, message: string) => problems.push({ field, message, code });
  const groupings = new Set(frame.groupings);
  const indicators = new Map(frame.indicators.map((i) => [i.code, i]));
  const payers = new Set(frame.payers);
  const firstEntry = new Map<string, number>();

  entries.forEach((entry, i) => {
    const base = `${at}[${i}]`;
    const earlier = firstEntry.get(entry.grouping);
    if (!groupings.has(entry.grouping)) {
      add('SETTLEMENT_GROUPING_NOT_IN_CONTRACT', `${base}.grouping`, `${entry.grouping} is not a grouping of contract ${frame.contractCode} (it has ${frame.groupings.join(', ')})`);
    } else if (earlier !== undefined) {
      add('SETTLEMENT_SIMULATION_INVALID', `${base}.grouping`, `${entry.grouping} appears twice (also ${at}[${earlier}]): give each grouping's measurements in one entry`);
    }
    if (earlier === undefined) firstEntry.set(entry.grouping, i);

    // Shape first (each problem reported where its measurement or payer comes), then meaning where the shape holds.
    const validate = entryValidator();
    const shape: SimulationProblem[] = validate(entry)
      ? []
      : schemaProblems(validate.errors ?? [], entry, base).map((p) => ({ field: p.field, message: p.message, code: 'SETTLEMENT_SIMULATION_INVALID' as const }));
    const reported = new Set<SimulationProblem>();
    const shapeAt = (field: string, exact = false): boolean => {
      const own = shape.filter((p) => p.field === field || (!exact && p.field.startsWith(`${field}.`)));
      own.forEach((p) => reported.add(p));
      problems.push(...own);
      return own.length > 0;
    };

    // A problem of a whole map (too many entries) leaves its entries unchecked.
    const measurements = shapeAt(`${base}.measurements`, true) ? {} : entry.measurements;
    for (const [code, raw] of Object.entries(measurements)) {
      const field = `${base}.measurements.${code}`;
      if (shapeAt(field)) continue;
      const indicator = indicators.get(code);
      if (indicator === undefined) {
        add('MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION', field, `${code} is not an indicator of binding version ${frame.version} (it has ${[...indicators.keys()].join(', ')})`);
        continue;
      }
      const m = raw as RuleSetTestCase['measurements'][string];
      if ('value' in m) {
        problems.push(...checkMeasurementValues(indicator, { value: m.value, sampleSize: m.sampleSize, disaggregations: m.disaggregations }, `${field}.`).problems);
      } else if (m.status === 'NOT_ASSESSABLE') {
        const problem = notAssessableProblem(indicator, m.sampleSize);
        if (problem !== null) add('SETTLEMENT_SIMULATION_INVALID', `${field}.sampleSize`, problem);
      }
    }
    const evaluations = shapeAt(`${base}.evaluations`, true) ? {} : (entry.evaluations ?? {});
    for (const payer of Object.keys(evaluations)) {
      const field = `${base}.evaluations.${payer}`;
      if (shapeAt(field) || payers.has(payer)) continue;
      add('SETTLEMENT_EVALUATION_PAYER_UNKNOWN', field, payers.size === 0 ? 'the rule set has no evaluation payers' : `${payer} is not an evaluation payer of the rule set (it has ${frame.payers.join(', ')})`);
    }
    problems.push(...shape.filter((p) => !reported.has(p))); // inside a map refused as a whole
  });
  return problems;
}

/** The problems of several periods' checks as one list: a problem found in several periods is reported once. */
export function mergeProblems(lists: readonly SimulationProblem[][]): SimulationProblem[] {
  const seen = new Set<string>();
  const out: SimulationProblem[] = [];
  for (const p of lists.flat()) {
    const key = JSON.stringify([p.field, p.code]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** An entry without problems, typed. */
export function checkedHypothetical(entry: HypotheticalEntry): CheckedHypothetical {
  return {
    measurements: entry.measurements as RuleSetTestCase['measurements'],
    evaluations: (entry.evaluations ?? {}) as CheckedHypothetical['evaluations'],
  };
}

/**
 * Every repeat among the periods asked for, at its own field: a period asked twice would be computed and
 * answered twice. Checked before anything is read, as the request's validation would (400 VALIDATION_FAILED).
 * Example: [Y1, Y2, Y1, Y1] -> periodIds[2] and periodIds[3], each "repeats periodIds[0]".
 */
export function repeatedPeriods(periodIds: readonly string[]): FieldProblem[] {
  const first = new Map<string, number>();
  const problems: FieldProblem[] = [];
  for (const [i, id] of periodIds.entries()) {
    const seen = first.get(id);
    if (seen === undefined) first.set(id, i);
    else problems.push({ field: `periodIds[${i}]`, code: 'arrayUnique', message: `periodIds[${i}] repeats periodIds[${seen}]: each period is simulated once` });
  }
  return problems;
}
