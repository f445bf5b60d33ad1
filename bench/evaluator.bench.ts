import type { Engine } from 'json-rules-engine';
import { compileConditions, OPERATOR_SYMBOLS, type CompiledConditionSet } from 'src/rules/condition.compiler';
import type { DecimalOperator, Facts } from 'src/rules/condition.types';
import { createReferenceEngine } from 'src/rules/reference-engine';
import type { ConditionTrace } from 'src/settlements/settlement-document';
import { fmtRate, fmtRatio, rateAsync, rateSync, type Rate } from 'bench/measure';
import { benchRuleSets, type BenchCondition, type BenchRuleSet } from 'bench/rule-sets.generator';

// Part 1 of `npm run bench` (issue 4 §4): contract-periods per second, compiled evaluator against
// json-rules-engine, on the same rule sets and facts.
//
// A contract-period = every condition a settlement evaluates for one grouping and period (the gates of
// the terms, the guardrails, the shadow milestone), each with its full per-node trace, turned into the
// settlement document's ConditionTrace list. The decimal settlement maths (payouts, caps, allocation) is
// NOT included on either side: part 2 measures settlements end to end.
//
//   A  compiled: the rule set's conditions compiled once into a set; per contract-period its facts are
//      checked and taken apart once (`prepare(facts)`), then `evaluate(i, table)` per condition;
//   A+ as A, with every trace entry rendered to the text a settlement document stores (informative);
//   B  as src/settlements/engine/settlement-engine.ts does it: the set found by the rule set's content
//      (`compileConditions`: every condition found by object identity, the set by their hashes), the
//      missing facts of each condition checked, then evaluated and its trace rendered (informative);
//   C  json-rules-engine: one Engine per rule set (built once, decimal operators of reference-engine.ts),
//      one rule per condition, `await engine.run(facts)`, then the per-node results of every rule read
//      back into the same trace texts.
// Target: A >= 100 x C.

export const EVALUATOR_TARGET = 100;

interface Prepared {
  set: BenchRuleSet;
  compiled: CompiledConditionSet;
  engine: Engine;
}

interface ContractPeriod {
  prepared: Prepared;
  facts: Facts;
}

/** Every condition of a contract-period with its full trace: every node, its result and the values it compared. */
interface StructuredTrace {
  kind: ConditionTrace['kind'];
  id: string;
  label: string;
  holds: boolean;
  trace: readonly unknown[];
}

// Facts prepared afresh per contract-period, as a settlement does: every value is checked and taken apart
// once per contract-period (shared by its conditions), nothing carried over between iterations. The trace
// is recorded in full (every node's result and the values it compared); its entries are made when read.
function compiledStructured(cp: ContractPeriod): StructuredTrace[] {
  const { conditions } = cp.prepared.set;
  const set = cp.prepared.compiled;
  const table = set.prepare(cp.facts);
  const out: StructuredTrace[] = [];
  for (let i = 0; i < conditions.length; i += 1) {
    const c = conditions[i];
    const r = set.evaluate(i, table);
    out.push({ kind: c.kind, id: c.id, label: c.label, holds: r.holds, trace: [r] });
  }
  return out;
}

/** The same, with the trace rendered to the texts a settlement document stores. */
function compiledTraces(cp: ContractPeriod): ConditionTrace[] {
  return compiledStructured(cp).map((t) => ({ ...t, trace: (t.trace[0] as { trace: { text: string }[] }).trace.map((e) => e.text) }));
}

function engineRouteTraces(cp: ContractPeriod): ConditionTrace[] {
  const { conditions } = cp.prepared.set;
  const set = compileConditions(conditions.map((c) => c.condition));
  const table = set.prepare(cp.facts);
  const out: ConditionTrace[] = [];
  for (let i = 0; i < conditions.length; i += 1) {
    const c = conditions[i];
    if (set.missing(i, table).length > 0) throw new Error(`missing facts for ${c.id}`);
    const r = set.evaluate(i, table);
    out.push({ kind: c.kind, id: c.id, label: c.label, holds: r.holds, trace: r.trace.map((t) => t.text) });
  }
  return out;
}

/** A node of a json-rules-engine rule result: the condition as given, decorated with its results. */
interface ResultNode {
  all?: ResultNode[];
  any?: ResultNode[];
  not?: ResultNode;
  fact?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  valueResult?: unknown;
  result?: boolean;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// json-rules-engine decorates every node but the top one, whose answer is the rule's result.
function resultTrace(node: ResultNode, path: string, out: string[], top?: boolean): void {
  const at = (segment: string): string => (path === '' ? segment : `${path}.${segment}`);
  const holds = String(top ?? node.result === true);
  if (node.all !== undefined || node.any !== undefined) {
    const kind = node.all !== undefined ? 'all' : 'any';
    const children = node.all ?? node.any ?? [];
    out.push(`${kind} of ${children.length} is ${holds}`);
    children.forEach((child, i) => resultTrace(child, at(`${kind}[${i}]`), out));
  } else if (node.not !== undefined) {
    out.push(`not is ${holds}`);
    resultTrace(node.not, at('not'), out);
  } else {
    const symbol = OPERATOR_SYMBOLS[node.operator as DecimalOperator];
    const right = typeof node.value === 'object' && node.value !== null ? `${(node.value as { fact: string }).fact} ${text(node.valueResult)}` : text(node.valueResult);
    out.push(`${node.fact ?? ''} ${text(node.factResult)} ${symbol} ${right} is ${holds}`);
  }
}

/** json-rules-engine's own trace: every rule result with its decorated condition tree (no texts rendered). */
async function referenceStructured(cp: ContractPeriod): Promise<StructuredTrace[]> {
  const { conditions } = cp.prepared.set;
  const run = await cp.prepared.engine.run({ ...cp.facts });
  const byIndex: StructuredTrace[] = new Array<StructuredTrace>(conditions.length);
  for (const r of [...run.results, ...run.failureResults]) {
    const i = Number(r.name);
    const c = conditions[i];
    byIndex[i] = { kind: c.kind, id: c.id, label: c.label, holds: r.result === true, trace: [r.conditions] };
  }
  return byIndex;
}

async function referenceTraces(cp: ContractPeriod): Promise<ConditionTrace[]> {
  const { conditions } = cp.prepared.set;
  const run = await cp.prepared.engine.run({ ...cp.facts });
  const byIndex: ConditionTrace[] = new Array<ConditionTrace>(conditions.length);
  for (const r of [...run.results, ...run.failureResults]) {
    const i = Number(r.name);
    const c = conditions[i];
    const trace: string[] = [];
    resultTrace(r.conditions as unknown as ResultNode, '', trace, r.result === true);
    byIndex[i] = { kind: c.kind, id: c.id, label: c.label, holds: r.result === true, trace };
  }
  return byIndex;
}

function prepare(set: BenchRuleSet): Prepared {
  const engine = createReferenceEngine();
  set.conditions.forEach((c: BenchCondition, i) => {
    // The engine decorates what it is given: a copy, as src/rules/reference-engine.ts does.
    engine.addRule({ name: String(i), conditions: structuredClone(c.condition), event: { type: 'holds' } });
  });
  return { set, compiled: compileConditions(set.conditions.map((c) => c.condition)), engine };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function leaves(c: unknown): number {
  if (typeof c !== 'object' || c === null) return 0;
  if ('fact' in c) return 1;
  const node = c as { all?: unknown[]; any?: unknown[]; not?: unknown };
  return (node.all ?? node.any ?? [node.not]).reduce((n: number, x) => n + leaves(x), 0);
}

export interface EvaluatorBenchOptions {
  ruleSets: number;
  seed: number;
  /** Measuring time per side, after a warm-up of a third of it, spread over `rounds` turns. */
  seconds: number;
  rounds: number;
  log: (line: string) => void;
}

export interface EvaluatorBenchResult {
  compiled: Rate;
  engineRoute: Rate;
  reference: Rate;
  ratio: number;
  passed: boolean;
}

export async function evaluatorBench(o: EvaluatorBenchOptions): Promise<EvaluatorBenchResult> {
  const sets = benchRuleSets(o.ruleSets, o.seed);
  const prepared = sets.map(prepare);
  const cps: ContractPeriod[] = prepared.flatMap((p) => p.set.factSets.map((facts) => ({ prepared: p, facts })));
  const conditionCount = cps.reduce((n, cp) => n + cp.prepared.set.conditions.length, 0);
  const leafCount = cps.reduce((n, cp) => n + cp.prepared.set.conditions.reduce((m, c) => m + leaves(c.condition), 0), 0);
  const distinct = new Set(prepared.flatMap((p) => p.compiled.conditions.map((c) => c.hash))).size;
  o.log(`rule sets: ${sets.length} (Padova + ${sets.length - 1} generated, seed ${o.seed}); contract-periods: ${cps.length}; ` +
    `per contract-period on average ${(conditionCount / cps.length).toFixed(1)} conditions, ${(leafCount / cps.length).toFixed(1)} comparisons; ` +
    `${distinct} distinct conditions`);

  // Both sides must do the same work: every condition's answer and trace length agree.
  let checked = 0;
  let holding = 0;
  for (const cp of cps) {
    const a = compiledTraces(cp);
    const c = await referenceTraces(cp);
    a.forEach((t, i) => {
      if (c[i] === undefined || t.holds !== c[i].holds || t.trace.length !== c[i].trace.length || (i === 0 && t.trace[0] !== c[i].trace[0])) {
        throw new Error(`compiled and json-rules-engine disagree on ${cp.prepared.set.ruleSet.code} ${t.kind} ${t.id}: ${JSON.stringify({ compiled: t, reference: c[i] })}`);
      }
      checked += 1;
      if (t.holds) holding += 1;
    });
  }
  o.log(`agreement: ${checked} condition evaluations (${holding} hold), compiled = json-rules-engine on every one (answer and trace length)`);

  // The sides take turns, round after round, so that a slower stretch of a shared machine falls on all of
  // them alike; the verdict is the median of the per-round ratios A / C.
  const n = cps.length;
  const sides = {
    compiled: (seconds: number) => Promise.resolve(rateSync(seconds, (i) => void compiledStructured(cps[i % n]))),
    compiledText: (seconds: number) => Promise.resolve(rateSync(seconds, (i) => void compiledTraces(cps[i % n]))),
    engineRoute: (seconds: number) => Promise.resolve(rateSync(seconds, (i) => void engineRouteTraces(cps[i % n]))),
    reference: (seconds: number) => rateAsync(seconds, async (i) => void (await referenceStructured(cps[i % n]))),
  };
  type Side = keyof typeof sides;
  const names = Object.keys(sides) as Side[];
  for (const side of names) await sides[side](o.seconds / 3);
  const rounds: Record<Side, Rate>[] = [];
  for (let r = 0; r < o.rounds; r += 1) {
    const round = {} as Record<Side, Rate>;
    for (const side of names) round[side] = await sides[side](o.seconds / o.rounds);
    rounds.push(round);
  }
  const total = (side: Side): Rate => {
    const ops = rounds.reduce((sum, r) => sum + r[side].ops, 0);
    const seconds = rounds.reduce((sum, r) => sum + r[side].seconds, 0);
    return { ops, seconds, perSecond: ops / seconds };
  };
  const compiled = total('compiled');
  const compiledText = total('compiledText');
  const engineRoute = total('engineRoute');
  const reference = total('reference');
  const ratios = rounds.map((r) => r.compiled.perSecond / r.reference.perSecond);
  const ratio = median(ratios);
  const passed = ratio >= EVALUATOR_TARGET;
  const row = (label: string, r: Rate): string => `  ${label.padEnd(74)} ${fmtRate(r.perSecond).padStart(12)}  (${r.ops} in ${r.seconds.toFixed(2)} s)`;
  o.log(`contract-periods per second (conditions + full trace; settlement maths excluded on every side; ${o.rounds} rounds taking turns):`);
  o.log(row('A compiled evaluator (compiled once per rule set, facts prepared per period)', compiled));
  o.log(row('A+ the same, every trace entry rendered to text (as stored in a settlement)', compiledText));
  o.log(row('B as settlement-engine.ts does it (set found by content, texts rendered)', engineRoute));
  o.log(row('C json-rules-engine (one Engine per rule set, decimal operators, run())', reference));
  o.log(`  A / C per round: ${ratios.map(fmtRatio).join(', ')}`);
  o.log(`  A / C = ${fmtRatio(ratio)} (median; target >= ${EVALUATOR_TARGET}x); A+ / C = ${fmtRatio(compiledText.perSecond / reference.perSecond)}, B / C = ${fmtRatio(engineRoute.perSecond / reference.perSecond)} (informative)`);
  return { compiled, engineRoute, reference, ratio, passed };
}
