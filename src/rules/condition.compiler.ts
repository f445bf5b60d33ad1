import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Dec, DECIMAL_PATTERN, MAX_DECIMAL_LENGTH } from 'src/common/decimal/decimal';
import {
  isLeaf,
  type Condition,
  type DecimalOperator,
  type Facts,
  type TopLevelCondition,
} from 'src/rules/condition.types';
import { assertValidCondition } from 'src/rules/condition.validation';
import { RuleError } from 'src/rules/rules.errors';

// Compiles a validated condition once into a plain synchronous function over decimal facts
// (docs/decisions/0010-rule-conditions.md). json-rules-engine (src/rules/reference-engine.ts) stays the
// reference; condition.equivalence.spec.ts checks with fast-check that both agree.

export interface TraceEntry {
  /** Path of the node in the condition, e.g. `all[1].any[0]` ('' for the top). */
  path: string;
  holds: boolean;
  /** Readable: `UNDER60_SHARE 0.12 >= 0.15 is false`, `all of 2 is false` (made when first read). */
  readonly text: string;
}

export interface ConditionResult {
  readonly holds: boolean;
  /** Every node, top first, in document order (made from the recorded results when first read). */
  readonly trace: TraceEntry[];
}

export interface CompiledCondition {
  /** SHA-256 of the canonical JSON (RFC 8785) of the condition. */
  readonly hash: string;
  /** The facts the condition reads, sorted; every one must be given to `evaluate`. */
  readonly facts: readonly string[];
  /** Facts as given, or prepared once per contract-period with `prepareFacts` and shared by its conditions. */
  readonly evaluate: (facts: Facts | PreparedFacts) => ConditionResult;
}

export const OPERATOR_SYMBOLS: Readonly<Record<DecimalOperator, string>> = {
  equal: '=',
  notEqual: '!=',
  lessThan: '<',
  lessThanInclusive: '<=',
  greaterThan: '>',
  greaterThanInclusive: '>=',
};

// ---- exact decimal comparison on the written strings ------------------------------------------------
// Values are validated decimal strings (DECIMAL_PATTERN: optional minus, no leading zeros, optional
// fraction), so they compare exactly without building Decimal objects: by sign, then integer length,
// then integer digits, then fraction digits with trailing zeros removed ("8.0" equals "8", "-0" equals "0").
// condition.equivalence.spec.ts proves this equal to decimal.js comparisons inside json-rules-engine.

/** A decimal string taken apart once. */
export interface PreparedDecimal {
  readonly text: string;
  /** -1, 0 or 1. */
  readonly sign: number;
  readonly int: string;
  readonly frac: string;
}

const DECIMAL_SHAPE = new RegExp(DECIMAL_PATTERN);

/** One class, so every prepared value has the same shape and comparisons stay monomorphic. */
class Prepared implements PreparedDecimal {
  constructor(
    readonly text: string,
    readonly sign: number,
    readonly int: string,
    readonly frac: string,
  ) {}
}

/** Takes a decimal string apart; null when it is not one (DECIMAL_PATTERN, at most 64 characters). */
export function parseDecimal(value: unknown): PreparedDecimal | null {
  if (typeof value !== 'string' || value.length > MAX_DECIMAL_LENGTH || !DECIMAL_SHAPE.test(value)) return null;
  const negative = value.charCodeAt(0) === 45; // '-'
  const start = negative ? 1 : 0;
  const dot = value.indexOf('.', start);
  if (dot < 0) {
    const int = negative ? value.slice(1) : value;
    return new Prepared(value, int === '0' ? 0 : negative ? -1 : 1, int, '');
  }
  let end = value.length;
  while (end > dot + 1 && value.charCodeAt(end - 1) === 48) end -= 1; // trailing zeros
  const int = value.slice(start, dot);
  const frac = value.slice(dot + 1, end);
  return new Prepared(value, int === '0' && frac === '' ? 0 : negative ? -1 : 1, int, frac);
}

export function prepareDecimal(text: string): PreparedDecimal {
  const prepared = parseDecimal(text);
  if (prepared === null) throw new TypeError(`not a decimal string: ${JSON.stringify(text)}`);
  return prepared;
}

/** Digit strings compared digit by digit; the shorter one as if padded with zeros on the right. */
function compareDigits(x: string, y: string): number {
  const n = x.length < y.length ? x.length : y.length;
  for (let i = 0; i < n; i += 1) {
    const d = x.charCodeAt(i) - y.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

export function comparePrepared(a: PreparedDecimal, b: PreparedDecimal): number {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign === 0) return 0;
  let c = a.int.length === b.int.length ? compareDigits(a.int, b.int) : a.int.length < b.int.length ? -1 : 1;
  if (c === 0) c = compareDigits(a.frac, b.frac);
  return a.sign > 0 ? c : -c;
}

const OPERATOR_TESTS: Readonly<Record<DecimalOperator, (c: number) => boolean>> = {
  equal: (c) => c === 0,
  notEqual: (c) => c !== 0,
  lessThan: (c) => c < 0,
  lessThanInclusive: (c) => c <= 0,
  greaterThan: (c) => c > 0,
  greaterThanInclusive: (c) => c >= 0,
};

/** Decimal comparison with decimal.js (for callers holding Decimals): exact, so "9" < "10" and "8.0" equals "8". */
export function compareDecimals(operator: DecimalOperator, left: Dec, right: Dec): boolean {
  return OPERATOR_TESTS[operator](left.cmp(right));
}

// ---- facts, checked and parsed once per contract-period -------------------------------------------------
// A settlement evaluates several conditions on the same facts: `prepareFacts(facts)` once, then every
// `evaluate(prepared)` shares the parsed values (each parsed when first needed). Plain facts objects work
// too (prepared once per object and remembered while the object lives; treat it as immutable).

export class PreparedFacts {
  private readonly parsed = new Map<string, PreparedDecimal>();

  constructor(readonly facts: Facts) {}

  get(name: string): PreparedDecimal {
    const hit = this.parsed.get(name);
    if (hit !== undefined) return hit;
    const value: unknown = this.facts[name];
    const prepared = parseDecimal(value);
    if (prepared === null) {
      const own = Object.prototype.hasOwnProperty.call(this.facts, name) && value !== undefined && value !== null;
      if (!own) throw new RuleError('RULE_CONDITION_FACT_UNDEFINED', `fact "${name}" has no value`, { fact: name });
      throw new RuleError('RULE_CONDITION_FACT_NOT_DECIMAL', `fact "${name}" is not a decimal string: ${JSON.stringify(value)}`, { fact: name });
    }
    this.parsed.set(name, prepared);
    return prepared;
  }
}

export function prepareFacts(facts: Facts): PreparedFacts {
  return new PreparedFacts(facts);
}

const remembered = new WeakMap<object, PreparedFacts>();

function preparedOf(given: Facts | PreparedFacts): PreparedFacts {
  if (given instanceof PreparedFacts) return given;
  let prepared = remembered.get(given);
  if (prepared === undefined) {
    prepared = new PreparedFacts(given);
    remembered.set(given, prepared);
  }
  return prepared;
}

/** The same characters as the engine's own property keys, so fact lookups need no re-hashing. */
function interned(name: string): string {
  return Object.keys({ [name]: 0 })[0];
}

// ---- the compiled plan --------------------------------------------------------------------------------
// Nodes are numbered in document order (top first), so every node's descendants come after it: walking
// the plan backwards evaluates children before their group in one flat loop over typed arrays. Each
// node's result is recorded (1 or 0) and the compared values are kept: that is the whole trace.
// Its entries, with their texts, are made from this record when `trace` is first read.

const LEAF_LITERAL = 0;
const LEAF_FACT = 1;
const ALL = 2;
const ANY = 3;
const NOT = 4;
const OPS: readonly DecimalOperator[] = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];

interface PlanNode {
  path: string;
  kind: number;
  /** Group label ("all of 2", "not"). */
  label: string;
  leftName: string;
  rightName: string;
  symbol: string;
  /** Index of the left and right fact values (right -1: the literal). */
  left: number;
  right: number;
  literal: PreparedDecimal | null;
  children: number[];
}

interface Plan {
  nodes: readonly PlanNode[];
  kind: Uint8Array;
  op: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  literal: (PreparedDecimal | null)[];
  childStart: Int32Array;
  childCount: Int32Array;
  childIndex: Int32Array;
}

function run(plan: Plan, values: PreparedDecimal[], bits: number[]): boolean {
  const { kind, op, left, right, literal, childStart, childCount, childIndex } = plan;
  for (let n = kind.length - 1; n >= 0; n -= 1) {
    const k = kind[n];
    let holds: boolean;
    if (k === LEAF_LITERAL || k === LEAF_FACT) {
      const c = comparePrepared(values[left[n]], k === LEAF_LITERAL ? (literal[n] as PreparedDecimal) : values[right[n]]);
      switch (op[n]) {
        case 0:
          holds = c === 0;
          break;
        case 1:
          holds = c !== 0;
          break;
        case 2:
          holds = c < 0;
          break;
        case 3:
          holds = c <= 0;
          break;
        case 4:
          holds = c > 0;
          break;
        default:
          holds = c >= 0;
      }
    } else if (k === NOT) {
      holds = bits[childIndex[childStart[n]]] === 0;
    } else {
      // No short circuit: every comparison was evaluated and is in the trace.
      const from = childStart[n];
      const to = from + childCount[n];
      holds = k === ALL;
      for (let i = from; i < to; i += 1) {
        const h = bits[childIndex[i]] === 1;
        if (k === ALL ? !h : h) {
          holds = k !== ALL;
          break;
        }
      }
    }
    if (holds) bits[n] = 1;
  }
  return bits[0] === 1;
}

class Evaluation implements ConditionResult {
  private entries: TraceEntry[] | null = null;

  constructor(
    readonly holds: boolean,
    private readonly plan: Plan,
    private readonly bits: readonly number[],
    private readonly values: readonly PreparedDecimal[],
  ) {}

  get trace(): TraceEntry[] {
    if (this.entries === null) this.entries = this.plan.nodes.map((n, i) => traceEntry(n, this.bits[i] === 1, this.values));
    return this.entries;
  }

  toJSON(): { holds: boolean; trace: TraceEntry[] } {
    return { holds: this.holds, trace: this.trace };
  }
}

function traceEntry(n: PlanNode, holds: boolean, values: readonly PreparedDecimal[]): TraceEntry {
  if (n.kind !== LEAF_LITERAL && n.kind !== LEAF_FACT) return { path: n.path, holds, text: `${n.label} is ${String(holds)}` };
  const left = values[n.left].text;
  const right = n.kind === LEAF_LITERAL ? (n.literal as PreparedDecimal).text : `${n.rightName} ${values[n.right].text}`;
  return { path: n.path, holds, text: `${n.leftName} ${left} ${n.symbol} ${right} is ${String(holds)}` };
}

export function conditionHash(condition: TopLevelCondition): string {
  const text = canonicalize(condition);
  if (text === undefined) throw new TypeError('condition cannot be canonicalised');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function collectFacts(condition: Condition, into: Set<string>): void {
  if (isLeaf(condition)) {
    into.add(condition.fact);
    if (typeof condition.value !== 'string') into.add(condition.value.fact);
  } else if ('all' in condition) {
    condition.all.forEach((c) => collectFacts(c, into));
  } else if ('any' in condition) {
    condition.any.forEach((c) => collectFacts(c, into));
  } else {
    collectFacts(condition.not, into);
  }
}

function join(at: string, segment: string): string {
  return at === '' ? segment : `${at}.${segment}`;
}

function planNodes(condition: Condition, path: string, index: ReadonlyMap<string, number>, out: PlanNode[]): number {
  const slot = out.length;
  const node: PlanNode = { path, kind: ALL, label: '', leftName: '', rightName: '', symbol: '', left: -1, right: -1, literal: null, children: [] };
  out.push(node);
  if (isLeaf(condition)) {
    node.leftName = condition.fact;
    node.left = index.get(condition.fact) as number;
    node.symbol = OPERATOR_SYMBOLS[condition.operator];
    if (typeof condition.value === 'string') {
      node.kind = LEAF_LITERAL;
      node.literal = prepareDecimal(condition.value);
    } else {
      node.kind = LEAF_FACT;
      node.rightName = condition.value.fact;
      node.right = index.get(condition.value.fact) as number;
    }
    return slot;
  }
  if ('not' in condition) {
    node.kind = NOT;
    node.label = 'not';
    node.children = [planNodes(condition.not, join(path, 'not'), index, out)];
    return slot;
  }
  const kind = 'all' in condition ? 'all' : 'any';
  const items = 'all' in condition ? condition.all : condition.any;
  node.kind = kind === 'all' ? ALL : ANY;
  node.label = `${kind} of ${items.length}`;
  node.children = items.map((c, i) => planNodes(c, join(path, `${kind}[${i}]`), index, out));
  return slot;
}

function toPlan(nodes: PlanNode[], operators: (DecimalOperator | null)[]): Plan {
  const n = nodes.length;
  const plan: Plan = {
    nodes: Object.freeze(nodes),
    kind: new Uint8Array(n),
    op: new Uint8Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    literal: nodes.map((x) => x.literal),
    childStart: new Int32Array(n),
    childCount: new Int32Array(n),
    childIndex: new Int32Array(nodes.reduce((acc, x) => acc + x.children.length, 0)),
  };
  let next = 0;
  nodes.forEach((x, i) => {
    plan.kind[i] = x.kind;
    const operator = operators[i];
    plan.op[i] = operator === null ? 0 : OPS.indexOf(operator);
    plan.left[i] = x.left;
    plan.right[i] = x.right;
    plan.childStart[i] = next;
    plan.childCount[i] = x.children.length;
    for (const c of x.children) plan.childIndex[next++] = c;
  });
  return plan;
}

function operatorsOf(condition: Condition, out: (DecimalOperator | null)[]): void {
  if (isLeaf(condition)) {
    out.push(condition.operator);
    return;
  }
  out.push(null);
  if ('not' in condition) operatorsOf(condition.not, out);
  else ('all' in condition ? condition.all : condition.any).forEach((c) => operatorsOf(c, out));
}

function compileUncached(condition: TopLevelCondition, hash: string): CompiledCondition {
  const names = new Set<string>();
  collectFacts(condition, names);
  const facts = Object.freeze([...names].sort().map(interned));
  const index = new Map(facts.map((name, i) => [name, i]));
  const nodes: PlanNode[] = [];
  planNodes(condition, '', index, nodes);
  const operators: (DecimalOperator | null)[] = [];
  operatorsOf(condition, operators);
  const plan = toPlan(nodes, operators);
  const size = nodes.length;
  const evaluate = (given: Facts | PreparedFacts): ConditionResult => {
    const prepared = preparedOf(given);
    const values = new Array<PreparedDecimal>(facts.length);
    for (let i = 0; i < facts.length; i += 1) values[i] = prepared.get(facts[i]);
    const bits = new Array<number>(size).fill(0);
    return new Evaluation(run(plan, values, bits), plan, bits, values);
  };
  return Object.freeze({ hash, facts, evaluate });
}

const MAX_CACHED = 1000;
const cache = new Map<string, CompiledCondition>();

/**
 * Validates (shape, operators, values, limits) and compiles a condition, once per content: conditions with
 * the same canonical JSON share one compiled function. Fact existence is checked by the caller, who knows
 * the binding version (`assertValidCondition(c, { knownFacts })`); a fact missing at evaluation throws.
 */
export function compileCondition(condition: unknown): CompiledCondition {
  // The same object again (a rule set evaluated for many groupings and periods): no re-validation or re-hashing.
  const known = typeof condition === 'object' && condition !== null ? byObject.get(condition) : undefined;
  if (known !== undefined) return known;
  const compiled = compileByContent(condition);
  if (typeof condition === 'object' && condition !== null) byObject.set(condition, compiled);
  return compiled;
}

/** Compiled conditions by the condition object they came from (rule-set documents are never mutated once loaded). */
const byObject = new WeakMap<object, CompiledCondition>();

function compileByContent(condition: unknown): CompiledCondition {
  assertValidCondition(condition);
  const hash = conditionHash(condition);
  const hit = cache.get(hash);
  if (hit) return hit;
  const compiled = compileUncached(condition, hash);
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(hash, compiled);
  return compiled;
}
