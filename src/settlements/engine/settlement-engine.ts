import { Dec, dec } from 'src/common/decimal/decimal';
import { compileConditions, type CompiledConditionSet, type FactTable } from 'src/rules/condition.compiler';
import { isLeaf, type TopLevelCondition } from 'src/rules/condition.types';
import { buildFacts } from 'src/rule-sets/rule-set.facts';
import { type RuleSetDocument, type RuleSetTerm, termId } from 'src/rule-sets/rule-set.types';
import { allocateToMembers, largestRemainder } from 'src/settlements/calculation/allocation';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { type Reasons, reasonsFor } from 'src/settlements/calculation/reasons';
import { roundAmount } from 'src/settlements/calculation/rounding';
import type {
  CalculationOptions,
  EvaluatedCheck,
  GroupingInput,
  GroupingSettlement,
  Measurement,
  Phase,
  ReasonStyle,
  TermInput,
} from 'src/settlements/calculation/settlement.types';
import type { ConditionTrace, IndicatorInput, SettlementInputs, SettlementResult } from 'src/settlements/settlement-document';
import { SettlementError } from 'src/settlements/settlements.errors';

// From a settlement's stored inputs to its result, with nothing else: the same function computes a new
// settlement, recomputes a stored one to check its hash, and runs simulations and rule-set test cases.
//
//   facts      <- indicators (values, parts, shares, baselines, targets; rule-set.facts.ts)
//   conditions <- gates (only for terms with an accepted value), guardrails, the shadow milestone:
//                 compiled once, evaluated with a trace; a condition naming a fact with no value (missing
//                 data) does not hold and says so; an unknown fact name is refused when the rule set is saved
//   terms      <- rule-set terms + the indicator's direction, baseline, target and status
//   result     <- settleGrouping (grouping-settlement.ts), then the pool cap: when the groupings'
//                 requested payables exceed it, this grouping gets its largest-remainder share of the
//                 cap computed over `inputs.pool.requests`, exactly as for the whole contract; and no more
//                 than the cap leaves beside the others' approved settlements in force (`pool.committed`).

/** Every condition of a rule set (gates, guardrails, milestones), compiled together once per rule-set object. */
interface RuleConditions {
  set: CompiledConditionSet;
  index: Map<TopLevelCondition, number>;
}

const compiledRules = new WeakMap<RuleSetDocument, RuleConditions>();

function ruleConditions(rules: RuleSetDocument): RuleConditions {
  let known = compiledRules.get(rules);
  if (known === undefined) {
    const list = [
      ...rules.terms.flatMap((t) => (t.gate === undefined ? [] : [t.gate.condition])),
      ...(rules.guardrails ?? []).map((g) => g.condition),
      ...(rules.phases ?? []).flatMap((p) => (p.milestone === undefined ? [] : [p.milestone.condition])),
    ];
    known = { set: compileConditions(list), index: new Map(list.map((c, i) => [c, i])) };
    compiledRules.set(rules, known);
  }
  return known;
}

/** The facts of a grouping-period, checked and taken apart once for all the rule set's conditions. */
interface GroupingFacts {
  conditions: RuleConditions;
  table: FactTable;
}

function factsOf(inputs: SettlementInputs, rules: RuleSetDocument): GroupingFacts {
  const conditions = ruleConditions(rules);
  return { conditions, table: conditions.set.prepare(inputs.facts) };
}

export function factsFor(indicators: readonly IndicatorInput[]): Record<string, string> {
  return buildFacts(
    indicators.map((i) => ({
      code: i.code,
      value: i.status === 'ACCEPTED' ? i.value : null,
      baseline: i.baseline,
      target: i.target,
      sampleSize: i.sampleSize,
      disaggregations: i.status === 'ACCEPTED' ? i.disaggregations : {},
    })),
  );
}

/** The single comparison of a one-leaf condition gives the "actual" and "threshold" quoted by reasons. */
function leafOf(condition: TopLevelCondition): { fact: string; value: string } | null {
  const inner = 'all' in condition ? condition.all : 'any' in condition ? condition.any : null;
  if (inner === null || inner.length !== 1) return null;
  const only = inner[0];
  return isLeaf(only) && typeof only.value === 'string' ? { fact: only.fact, value: only.value } : null;
}

function evaluate(kind: ConditionTrace['kind'], id: string, label: string, condition: TopLevelCondition, facts: GroupingFacts, traces: ConditionTrace[]): EvaluatedCheck {
  const { set, index } = facts.conditions;
  const i = index.get(condition) as number;
  const leaf = leafOf(condition);
  // A known fact without a value is missing data, not a typo (names are checked when the rule set is saved):
  // the condition cannot be shown to hold, so it does not, and the line says which value was missing.
  const missing = set.missing(i, facts.table);
  if (missing.length > 0) {
    traces.push({ kind, id, label, holds: false, trace: [`no value for ${missing.join(', ')}: cannot hold`] });
    return { id, label, missing, holds: false, actual: null, threshold: leaf?.value ?? null };
  }
  const result = set.evaluate(i, facts.table);
  traces.push({ kind, id, label, holds: result.holds, trace: result.trace.map((t) => t.text) });
  // The exact value: the reason rounds it for reading (reason-numbers.ts), the trace keeps it as is.
  return { id, label, holds: result.holds, actual: leaf === null ? null : (facts.table.facts[leaf.fact] ?? null), threshold: leaf?.value ?? null };
}

function measurementOf(ind: IndicatorInput, t: RuleSetTerm, shadow: boolean): Measurement {
  if (ind.status === 'ACCEPTED' && ind.value !== null) {
    // A shadow period may come before any target (Padova's Y1 establishes the baselines): record, do not price.
    const needsBaseline = ind.direction !== 'LEVEL' && t.payout.kind !== 'LEVEL_RATIO';
    const unmeasurable = (t.payout.kind !== 'PRICE_PER_UNIT' && ind.target === null) || (needsBaseline && ind.baseline === null);
    return shadow && unmeasurable ? { status: 'NO_TARGET', value: ind.value } : { status: 'ACCEPTED', value: ind.value };
  }
  if (ind.status === 'NOT_ASSESSABLE') {
    return { status: 'NOT_ASSESSABLE', sampleSize: ind.sampleSize, minSampleSize: ind.minSampleSize === null ? null : String(ind.minSampleSize) };
  }
  return { status: 'MISSING' };
}

function basisAmount(inputs: SettlementInputs, rules: RuleSetDocument): string | null {
  const b = rules.basis;
  if (b === undefined) return null;
  if (b.kind === 'AMOUNT') return b.amount;
  if (inputs.grouping.fee === null) {
    throw new SettlementError('SETTLEMENT_FEE_MISSING', `grouping ${inputs.grouping.code} has no fee for period ${inputs.period.code}`, {
      fields: [{ field: 'grouping.fee', message: 'the rule set pays a share of the fee: enter the fee for the period' }],
    });
  }
  return dec(inputs.grouping.fee).times(dec(b.share)).toString();
}

function term(t: RuleSetTerm, ind: IndicatorInput, facts: GroupingFacts, traces: ConditionTrace[], shadow: boolean): TermInput {
  const id = termId(t);
  const measurement = measurementOf(ind, t, shadow);
  return {
    id,
    indicatorCode: t.indicator,
    direction: ind.direction,
    baseline: ind.baseline,
    target: ind.target,
    measurement,
    payout: t.payout,
    ...(t.weight !== undefined ? { weight: t.weight } : {}),
    ...(t.fixedAmount !== undefined ? { fixedAmount: t.fixedAmount } : {}),
    ...(t.cap !== undefined ? { cap: t.cap } : {}),
    ...(t.floor !== undefined ? { floor: t.floor } : {}),
    ...(t.missingPolicy !== undefined ? { missingPolicy: t.missingPolicy } : {}),
    // A gate is a condition on the term's own data: with no accepted value the missing-data policy decides.
    ...(t.gate !== undefined && measurement.status === 'ACCEPTED' ? { gate: evaluate('GATE', id, t.gate.label, t.gate.condition, facts, traces) } : {}),
  };
}

export function groupingInputFor(inputs: SettlementInputs): { input: GroupingInput; conditions: ConditionTrace[] } {
  const rules = inputs.ruleSet as RuleSetDocument;
  const facts = factsOf(inputs, rules);
  const traces: ConditionTrace[] = [];
  const byCode = new Map(inputs.indicators.map((i) => [i.code, i]));
  const phaseRule = (rules.phases ?? []).find((p) => p.period === inputs.period.code);
  const terms = rules.terms.map((t, i) => {
    const ind = byCode.get(t.indicator);
    if (ind === undefined) throw new CalculationError('SETTLEMENT_CALC_UNKNOWN_TERM', `term ${termId(t)} names indicator ${t.indicator}, not in the inputs`, `terms[${i}].indicator`);
    return term(t, ind, facts, traces, phaseRule?.mode === 'SHADOW');
  });
  const guardrails = (rules.guardrails ?? []).map((g) => ({ check: evaluate('GUARDRAIL', g.id, g.label, g.condition, facts, traces), suspends: g.suspends }));
  const basis = basisAmount(inputs, rules);
  let phase: Phase = { mode: 'LIVE' };
  if (phaseRule?.mode === 'SHADOW') {
    const ms = phaseRule.milestone;
    if (ms === undefined) {
      phase = { mode: 'SHADOW', milestone: null };
    } else {
      const check = evaluate('MILESTONE', 'milestone', ms.label, ms.condition, facts, traces);
      const amount = ms.amount ?? roundAmount(dec(basis ?? '0').times(dec(ms.share ?? '0')), inputs.rounding, 'phases.milestone.share');
      phase = { mode: 'SHADOW', milestone: { label: ms.label, achieved: check.holds, amount } };
    }
  }
  const input: GroupingInput = {
    groupingCode: inputs.grouping.code,
    basis: rules.basis === undefined ? null : rules.basis.kind === 'AMOUNT' ? { kind: 'AMOUNT', amount: rules.basis.amount } : { kind: 'SHARE_OF_FEE', fee: inputs.grouping.fee ?? '0', share: rules.basis.share },
    terms,
    missingPolicy: rules.missingPolicy ?? 'ZERO',
    guardrails,
    phase,
    ...(rules.groupingCap !== undefined ? { cap: rules.groupingCap } : {}),
    ...(rules.groupingFloor !== undefined ? { floor: rules.groupingFloor } : {}),
    ...(rules.lifetimeCap !== undefined ? { lifetime: { cap: rules.lifetimeCap, settledBefore: inputs.settledBefore.map((s) => s.payable) } } : {}),
    members: inputs.grouping.members.map((m) => ({ id: m.code, name: m.name, executionShare: m.executionShare, lead: m.lead })),
    rounding: inputs.rounding,
    evaluationPayers: (rules.evaluationPayers ?? []).map((p) => ({
      id: p.id,
      payer: p.payer,
      label: p.label,
      share: p.share,
      cap: p.cap,
      evaluation: inputs.evaluations[p.id] ?? null,
    })),
  };
  return { input, conditions: traces };
}

/** The grouping's payable before the pool cap: what it asks of the pool (amounts do not depend on the reason style). */
export function requestedPayable(inputs: SettlementInputs): string {
  return beforePool(inputs, {}).settled.payable;
}

interface BeforePool {
  input: GroupingInput;
  conditions: ConditionTrace[];
  settled: GroupingSettlement;
}

// The pool requests are every grouping's settlement before the pool cap, and each grouping's settlement is
// that same computation followed by its pool share: computed once for inputs that differ only in `pool`
// (withPoolRequests copies the inputs, so every other member is the same object; inputs are never mutated).
// One cache per reason style: verifying a format-1 or format-2 document must not be served newer reasons.
const beforePoolCache: Record<ReasonStyle, WeakMap<object, { inputs: SettlementInputs; value: BeforePool }>> = {
  PLAIN: new WeakMap(),
  LOCALISED: new WeakMap(),
  TRANSLATED: new WeakMap(),
};

function sameButPool(a: SettlementInputs, b: SettlementInputs): boolean {
  return (Object.keys(a) as (keyof SettlementInputs)[]).every((k) => k === 'pool' || a[k] === b[k]) && Object.keys(a).length === Object.keys(b).length;
}

function beforePool(inputs: SettlementInputs, options: CalculationOptions): BeforePool {
  const cache = beforePoolCache[options.reasons ?? 'TRANSLATED'];
  const hit = cache.get(inputs.indicators);
  if (hit !== undefined && sameButPool(hit.inputs, inputs)) return hit.value;
  const { input, conditions } = groupingInputFor(inputs);
  const value = { input, conditions, settled: settleGrouping(input, options) };
  cache.set(inputs.indicators, { inputs, value });
  return value;
}

/** Every grouping's share of the pool for these requests: the requests, or their largest-remainder split of the cap. */
export function poolShares(cap: string, requests: readonly { requested: string }[]): Dec[] {
  const asked = requests.map((r) => dec(r.requested));
  const total = asked.reduce((acc, x) => acc.plus(x), dec('0'));
  return total.greaterThan(dec(cap)) ? largestRemainder(dec(cap), asked, null).map((s) => s.amount) : asked;
}

// The pool cap holds for what is in force: this grouping's share of the current requests, reduced pro rata
// when they exceed the cap, and never more than the cap leaves once the other groupings have theirs (each
// its share, or, when listed in `committed`, the payable of its approved settlement in force).
function applyPool(result: GroupingSettlement, inputs: SettlementInputs, members: GroupingInput['members'], reasons: Reasons): GroupingSettlement {
  const pool = inputs.pool;
  if (pool === null) return result;
  const index = pool.requests.findIndex((r) => r.grouping === inputs.grouping.code);
  if (index < 0 || pool.requests[index].requested !== result.payable) {
    throw new SettlementError('SETTLEMENT_POOL_MISMATCH', `the pool requests do not carry ${inputs.grouping.code}'s payable ${result.payable}`, {
      fields: [{ field: 'pool.requests', message: 'recompute the whole contract period' }],
    });
  }
  const cap = dec(pool.cap);
  const shares = poolShares(pool.cap, pool.requests);
  const adjustments = [...result.adjustments];
  let after = dec(result.payable);
  const requested = pool.requests.reduce((acc, r) => acc.plus(dec(r.requested)), dec('0'));
  if (requested.greaterThan(cap)) {
    adjustments.push({ kind: 'POOL_CAP', before: result.payable, after: shares[index].toFixed(2), reason: reasons.poolCap(pool.cap, requested.toFixed(2)) });
    after = shares[index];
  }
  const committed = new Map((pool.committed ?? []).map((c) => [c.grouping, dec(c.payable)]));
  if (committed.size > 0) {
    const others = pool.requests.reduce((acc, r, i) => (i === index ? acc : acc.plus(committed.get(r.grouping) ?? shares[i])), dec('0'));
    const remaining = Dec.max(cap.minus(others), dec('0')).toDecimalPlaces(2, Dec.ROUND_DOWN);
    if (after.greaterThan(remaining)) {
      adjustments.push({ kind: 'POOL_COMMITTED', before: after.toFixed(2), after: remaining.toFixed(2), reason: reasons.poolCommitted(pool.cap, others.toFixed(2), remaining.toFixed(2)) });
      after = remaining;
    }
  }
  if (adjustments.length === result.adjustments.length) return result;
  const withheld = result.atRisk === null ? null : dec(result.atRisk).minus(after);
  return {
    ...result,
    payable: after.toFixed(2),
    withheld: withheld === null ? null : withheld.decimalPlaces() <= 2 ? withheld.toFixed(2) : withheld.toString(),
    adjustments,
    allocation: allocateToMembers(after.toFixed(2), members),
  };
}

/**
 * The settlement result of stored inputs: deterministic, pure. `options.reasons` is the reason style of the
 * document's format (settlement-document.ts `reasonStyleOf`): only the reason texts depend on it.
 */
export function computeSettlement(inputs: SettlementInputs, options: CalculationOptions = {}): SettlementResult {
  const { input, conditions, settled } = beforePool(inputs, options);
  return { ...applyPool(settled, inputs, input.members, reasonsFor(options)), conditions };
}

/** The approved settlement in force of a grouping for the period (the latest APPROVED version). */
export interface InForceSettlement {
  grouping: string;
  settlementId: string;
  payable: string;
}

/**
 * Fills each grouping's `pool.requests` with every grouping's requested payable (contract order) and, from
 * the approved settlements in force for the period, `pool.committed`: those of the other groupings whose
 * payable is not their share of these requests (only when there is one, so that inputs without it keep
 * their hashes).
 */
export function withPoolRequests(all: SettlementInputs[], poolCap: string | null, inForce: readonly InForceSettlement[] = []): SettlementInputs[] {
  if (poolCap === null) return all.map((i) => ({ ...i, pool: null }));
  const requests = all.map((i) => ({ grouping: i.grouping.code, requested: requestedPayable({ ...i, pool: null }) }));
  const shares = poolShares(poolCap, requests);
  const position = new Map(requests.map((r, i) => [r.grouping, i]));
  const kept = inForce
    .filter((s) => position.has(s.grouping) && !dec(s.payable).equals(shares[position.get(s.grouping) as number]))
    .sort((a, b) => (position.get(a.grouping) as number) - (position.get(b.grouping) as number))
    .map((s) => ({ grouping: s.grouping, settlementId: s.settlementId, payable: s.payable }));
  return all.map((i) => {
    const committed = kept.filter((c) => c.grouping !== i.grouping.code);
    return { ...i, pool: committed.length === 0 ? { cap: poolCap, requests } : { cap: poolCap, requests, committed } };
  });
}
