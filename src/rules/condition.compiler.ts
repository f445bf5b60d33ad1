import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { isLeaf, type Condition, type DecimalOperator, type Facts, type TopLevelCondition } from 'src/rules/condition.types';
import { assertValidCondition } from 'src/rules/condition.validation';
import { compareDecimals, keyOf, scanDecimal, STATE_MISSING, STATE_NOT_DECIMAL, stateOf } from 'src/rules/decimal-compare';
import { RuleError } from 'src/rules/rules.errors';

// Compiles validated conditions once into flat plans evaluated synchronously over decimal facts
// (docs/decisions/0010-rule-conditions.md). json-rules-engine (src/rules/reference-engine.ts) stays the
// reference; condition.equivalence.spec.ts checks with fast-check that both agree.
//
// A settlement evaluates several conditions (gates, guardrails, a milestone) on the facts of one grouping
// and period, so conditions are compiled together into a set: one table of the facts they read and of
// their literals, one plan of all their nodes. Per grouping-period `prepare(facts)` checks and takes apart
// every fact of the set once (decimal-compare.ts), then `evaluate(i, table)` walks condition i's nodes.
// `compileCondition(c).evaluate(facts)` is the same machinery for a single condition.

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
  readonly evaluate: (facts: Facts) => ConditionResult;
}

/** The facts of one grouping-period, checked and taken apart once for every condition of a set. */
export interface FactTable {
  readonly facts: Facts;
}

export interface CompiledConditionSet {
  readonly conditions: readonly CompiledCondition[];
  /** Every fact the conditions read, sorted. */
  readonly facts: readonly string[];
  /** Reads and checks every fact of the set once; a fact with no value or no decimal only fails the conditions naming it. */
  prepare(facts: Facts): FactTable;
  /** The facts condition `index` reads that have no value in `table` (sorted). */
  missing(index: number, table: FactTable): string[];
  /** Evaluates condition `index` with its full trace; throws RULE_CONDITION_FACT_* when one of its facts has no decimal value. */
  evaluate(index: number, table: FactTable): ConditionResult;
}

export const OPERATOR_SYMBOLS: Readonly<Record<DecimalOperator, string>> = {
  equal: '=',
  notEqual: '!=',
  lessThan: '<',
  lessThanInclusive: '<=',
  greaterThan: '>',
  greaterThanInclusive: '>=',
};

// ---- one condition, compiled to nodes ----------------------------------------------------------------
// Nodes are numbered in document order (top first, as the trace lists them), so every node's descendants
// come after it: taking the groups in reverse order evaluates children before their group.

const LEAF = 0;
const ALL = 1;
const ANY = 2;
const NOT = 3;
const OPS: readonly DecimalOperator[] = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];

interface PlanNode {
  readonly path: string;
  readonly kind: number;
  /** Group label ("all of 2", "not"). */
  readonly label: string;
  /** Operator index in OPS (leaves). */
  readonly op: number;
  readonly symbol: string;
  readonly leftName: string;
  /** The other fact's name, or null when the right side is the literal. */
  readonly rightName: string | null;
  readonly literal: string;
  /** Children, as offsets from the condition's first node. */
  readonly children: readonly number[];
}

function join(at: string, segment: string): string {
  return at === '' ? segment : `${at}.${segment}`;
}

function planNodes(condition: Condition, path: string, out: PlanNode[]): number {
  const slot = out.length;
  if (isLeaf(condition)) {
    const other = typeof condition.value === 'string' ? null : condition.value.fact;
    out.push({
      path,
      kind: LEAF,
      label: '',
      op: OPS.indexOf(condition.operator),
      symbol: OPERATOR_SYMBOLS[condition.operator],
      leftName: condition.fact,
      rightName: other,
      literal: typeof condition.value === 'string' ? condition.value : '',
      children: [],
    });
    return slot;
  }
  const children: number[] = [];
  const group = (kind: number, label: string): void => void out.push({ path, kind, label, op: 0, symbol: '', leftName: '', rightName: null, literal: '', children });
  if ('not' in condition) {
    group(NOT, 'not');
    children.push(planNodes(condition.not, join(path, 'not'), out));
    return slot;
  }
  const kind = 'all' in condition ? 'all' : 'any';
  const items = 'all' in condition ? condition.all : condition.any;
  group(kind === 'all' ? ALL : ANY, `${kind} of ${items.length}`);
  items.forEach((c, i) => children.push(planNodes(c, join(path, `${kind}[${i}]`), out)));
  return slot;
}

/** The same characters as the engine's own property keys, so fact lookups need no re-hashing. */
function interned(name: string): string {
  return Object.keys({ [name]: 0 })[0];
}

class Compiled implements CompiledCondition {
  readonly facts: readonly string[];
  private alone: ConditionSet | null = null;

  constructor(
    readonly hash: string,
    readonly nodes: readonly PlanNode[],
  ) {
    const names = new Set<string>();
    for (const n of nodes) {
      if (n.kind !== LEAF) continue;
      names.add(n.leftName);
      if (n.rightName !== null) names.add(n.rightName);
    }
    this.facts = Object.freeze([...names].sort().map(interned));
  }

  readonly evaluate = (facts: Facts): ConditionResult => {
    if (this.alone === null) this.alone = new ConditionSet([this]);
    return this.alone.evaluate(0, this.alone.prepare(facts));
  };
}

// ---- conditions compiled together ------------------------------------------------------------------------
// Everything evaluation reads is in one Int32Array (`code`), so a set's plan sits in a few cache lines, and
// evaluation is two flat loops with few branches: every comparison first, then every group from the
// deepest up (children before their group), each summing its children's results.
//
//   condition i, at 8i:  [leavesAt, leafCount, groupsAt, groupCount, factsAt, factCount, top node, literalLeafCount]
//   a leaf:              [node, operator, left fact, literal or right fact]   (those with a literal first)
//   a group:             [node, 2 * need + (1 for not), childrenAt, childCount]    (in reverse document order)
//   then the children lists (node numbers) and each condition's fact indexes (sorted as its `facts`)
//
// A leaf compares a fact (its index in the set's `facts`) with a literal (its index in the set's constants,
// scanned at compile time) or with another fact. Per
// grouping-period a table holds every fact's key and scan, and one number per node: 1 when it holds.

class Table implements FactTable {
  constructor(
    readonly owner: ConditionSet,
    readonly facts: Facts,
    readonly key: string[],
    readonly info: number[],
    readonly bits: number[],
    /** Every fact has a decimal value: no condition needs its facts checked one by one. */
    readonly complete: boolean,
  ) {}
}

const hasOwn = (facts: Facts, name: string): boolean => Object.prototype.hasOwnProperty.call(facts, name);
const HEADER = 8;
const ENTRY = 4;

/** Whether `operator` holds for a comparison result c (-1, 0, 1), at OPERATOR_RESULTS[3 * operator + c + 1]. */
const OPERATOR_RESULTS: readonly number[] = [
  /* equal */ 0, 1, 0,
  /* notEqual */ 1, 0, 1,
  /* lessThan */ 1, 0, 0,
  /* lessThanInclusive */ 1, 1, 0,
  /* greaterThan */ 0, 0, 1,
  /* greaterThanInclusive */ 0, 1, 1,
];

class ConditionSet implements CompiledConditionSet {
  readonly facts: readonly string[];
  private readonly constKey: readonly string[];
  private readonly constInfo: readonly number[];
  private readonly nodes: PlanNode[] = [];
  private readonly code: Int32Array;

  constructor(readonly conditions: readonly Compiled[]) {
    this.facts = Object.freeze([...new Set(conditions.flatMap((c) => c.facts))].sort());
    const literals = [...new Set(conditions.flatMap((c) => c.nodes.filter((n) => n.kind === LEAF && n.rightName === null).map((n) => n.literal)))];
    const literalIndex = new Map(literals.map((text, i) => [text, i]));
    const factIndex = new Map(this.facts.map((name, i) => [name, i]));
    this.constInfo = literals.map((text) => {
      const info = scanDecimal(text);
      if (stateOf(info) === STATE_NOT_DECIMAL) throw new TypeError(`not a decimal string: ${JSON.stringify(text)}`);
      return info;
    });
    this.constKey = literals.map(keyOf);

    const code: number[] = new Array<number>(conditions.length * HEADER).fill(0);
    conditions.forEach((c, i) => {
      const first = this.nodes.length;
      this.nodes.push(...c.nodes);
      const header = i * HEADER;
      code[header + 6] = first;
      code[header] = code.length;
      // Comparisons with a literal first, then those with another fact: two loops without a branch between them.
      const leaves = c.nodes.map((x, offset) => ({ x, offset })).filter(({ x }) => x.kind === LEAF);
      const withLiteral = leaves.filter(({ x }) => x.rightName === null);
      for (const { x, offset } of withLiteral) code.push(first + offset, x.op, factIndex.get(x.leftName) as number, literalIndex.get(x.literal) as number);
      for (const { x, offset } of leaves.filter(({ x }) => x.rightName !== null)) {
        code.push(first + offset, x.op, factIndex.get(x.leftName) as number, factIndex.get(x.rightName as string) as number);
      }
      code[header + 1] = leaves.length;
      code[header + 7] = withLiteral.length;
      code[header + 2] = code.length;
      const groups = c.nodes.map((x, offset) => ({ x, offset })).filter(({ x }) => x.kind !== LEAF).reverse();
      const childrenAt: number[] = [];
      for (const { x, offset } of groups) {
        // A group holds when at least `need` children hold (all: every one, any: one), or, for not, when not.
        const need = x.kind === ALL ? x.children.length : 1;
        code.push(first + offset, 2 * need + (x.kind === NOT ? 1 : 0), 0, x.children.length);
        childrenAt.push(code.length - 2);
      }
      code[header + 3] = groups.length;
      groups.forEach(({ x }, g) => {
        code[childrenAt[g]] = code.length;
        for (const child of x.children) code.push(first + child);
      });
      code[header + 4] = code.length;
      code[header + 5] = c.facts.length;
      for (const name of c.facts) code.push(factIndex.get(name) as number);
    });
    this.code = Int32Array.from(code);
  }

  prepare(facts: Facts): FactTable {
    const names = this.facts;
    const count = names.length;
    const key = new Array<string>(count);
    const info = new Array<number>(count);
    // Two passes: the lookups first, independent of each other, so the processor overlaps their memory
    // reads (facts objects are large hash tables), then the scans.
    for (let i = 0; i < count; i += 1) key[i] = facts[names[i]];
    let complete = true;
    for (let i = 0; i < count; i += 1) {
      let value: unknown = key[i];
      // Only the facts' own values: a name such as "constructor" does not reach Object.prototype.
      if (value !== undefined && typeof value !== 'string' && !hasOwn(facts, names[i])) value = undefined;
      const scanned = scanDecimal(value);
      info[i] = scanned;
      const state = stateOf(scanned);
      if (state === STATE_MISSING || state === STATE_NOT_DECIMAL) complete = false;
      key[i] = state <= 1 ? keyOf(value as string) : '';
    }
    return new Table(this, facts, key, info, new Array<number>(this.nodes.length), complete);
  }

  missing(index: number, table: FactTable): string[] {
    const { info } = this.own(table);
    const factsAt = this.code[index * HEADER + 4];
    return this.conditions[index].facts.filter((_, k) => stateOf(info[this.code[factsAt + k]]) === STATE_MISSING);
  }

  evaluate(index: number, table: FactTable): ConditionResult {
    const t = this.own(table);
    const { code } = this;
    const header = index * HEADER;
    const factsAt = code[header + 4];
    const factsEnd = factsAt + code[header + 5];
    if (!t.complete) {
      for (let k = factsAt; k < factsEnd; k += 1) {
        const state = stateOf(t.info[code[k]]);
        if (state === STATE_MISSING || state === STATE_NOT_DECIMAL) this.refuse(index, k - factsAt, state, t);
      }
    }
    this.run(header, t.key, t.info, t.bits);
    return new Evaluation(t.bits[code[header + 6]] === 1, this, t, index);
  }

  /** Condition `index`'s trace entries, from the results recorded in `table` when it was evaluated. */
  trace(index: number, table: Table): TraceEntry[] {
    const out: TraceEntry[] = [];
    const first = this.code[index * HEADER + 6];
    for (let n = first; n < first + this.conditions[index].nodes.length; n += 1) {
      const x = this.nodes[n];
      const holds = table.bits[n] === 1;
      if (x.kind !== LEAF) {
        out.push({ path: x.path, holds, text: `${x.label} is ${String(holds)}` });
      } else {
        const right = x.rightName === null ? x.literal : `${x.rightName} ${table.facts[x.rightName]}`;
        out.push({ path: x.path, holds, text: `${x.leftName} ${table.facts[x.leftName]} ${x.symbol} ${right} is ${String(holds)}` });
      }
    }
    return out;
  }

  private own(table: FactTable): Table {
    if (!(table instanceof Table) || table.owner !== this) throw new TypeError('a fact table is evaluated by the condition set that prepared it');
    return table;
  }

  private refuse(index: number, k: number, state: number, t: Table): never {
    const fact = this.conditions[index].facts[k];
    if (state === STATE_MISSING) throw new RuleError('RULE_CONDITION_FACT_UNDEFINED', `fact "${fact}" has no value`, { fact });
    throw new RuleError('RULE_CONDITION_FACT_NOT_DECIMAL', `fact "${fact}" is not a decimal string: ${JSON.stringify(t.facts[fact])}`, { fact });
  }

  private run(header: number, key: readonly string[], info: readonly number[], bits: number[]): void {
    const { code, constKey, constInfo } = this;
    const literalsEnd = code[header] + code[header + 7] * ENTRY;
    for (let at = code[header]; at < literalsEnd; at += ENTRY) {
      const a = code[at + 2];
      const b = code[at + 3];
      bits[code[at]] = OPERATOR_RESULTS[3 * code[at + 1] + compareDecimals(key[a], info[a], constKey[b], constInfo[b]) + 1];
    }
    const leavesEnd = code[header] + code[header + 1] * ENTRY;
    for (let at = literalsEnd; at < leavesEnd; at += ENTRY) {
      const a = code[at + 2];
      const b = code[at + 3];
      bits[code[at]] = OPERATOR_RESULTS[3 * code[at + 1] + compareDecimals(key[a], info[a], key[b], info[b]) + 1];
    }
    // No short circuit: every comparison is evaluated and is in the trace, as json-rules-engine does.
    const groupsEnd = code[header + 2] + code[header + 3] * ENTRY;
    for (let at = code[header + 2]; at < groupsEnd; at += ENTRY) {
      const from = code[at + 2];
      const end = from + code[at + 3];
      let holding = 0;
      for (let i = from; i < end; i += 1) holding += bits[code[i]];
      // Without branches: 1 when holding >= need, flipped for not.
      const rule = code[at + 1];
      bits[code[at]] = ((((rule >> 1) - holding - 1) >>> 31) ^ (rule & 1)) & 1;
    }
  }
}

/** A condition's answer; its trace is made from the table's recorded results and values when first read. */
class Evaluation implements ConditionResult {
  private entries: TraceEntry[] | null = null;

  constructor(
    readonly holds: boolean,
    private readonly set: ConditionSet,
    private readonly table: Table,
    private readonly index: number,
  ) {}

  get trace(): TraceEntry[] {
    if (this.entries === null) this.entries = this.set.trace(this.index, this.table);
    return this.entries;
  }

  toJSON(): { holds: boolean; trace: TraceEntry[] } {
    return { holds: this.holds, trace: this.trace };
  }
}

// ---- compiling, once per content ----------------------------------------------------------------------

export function conditionHash(condition: TopLevelCondition): string {
  const text = canonicalize(condition);
  if (text === undefined) throw new TypeError('condition cannot be canonicalised');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const MAX_CACHED = 1000;

/** A Map that forgets its oldest entry beyond MAX_CACHED. */
function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
  return value;
}

const byHash = new Map<string, Compiled>();
/** Compiled conditions by the condition object they came from (rule-set documents are never mutated once loaded). */
const byObject = new WeakMap<object, Compiled>();
const sets = new Map<string, ConditionSet>();

function compiled(condition: unknown): Compiled {
  // The same object again (a rule set evaluated for many groupings and periods): no re-validation or re-hashing.
  const known = typeof condition === 'object' && condition !== null ? byObject.get(condition) : undefined;
  if (known !== undefined) return known;
  assertValidCondition(condition);
  const hash = conditionHash(condition);
  let result = byHash.get(hash);
  if (result === undefined) {
    const nodes: PlanNode[] = [];
    planNodes(condition, '', nodes);
    result = remember(byHash, hash, new Compiled(hash, Object.freeze(nodes)));
  }
  if (typeof condition === 'object' && condition !== null) byObject.set(condition, result);
  return result;
}

/**
 * Validates (shape, operators, values, limits) and compiles a condition, once per content: conditions with
 * the same canonical JSON share one compiled function. Fact existence is checked by the caller, who knows
 * the binding version (`assertValidCondition(c, { knownFacts })`); a fact missing at evaluation throws.
 */
export function compileCondition(condition: unknown): CompiledCondition {
  return compiled(condition);
}

/**
 * Compiles conditions evaluated on the same facts (a rule set's gates, guardrails and milestones) into one
 * set, once per content; each is validated as by `compileCondition`.
 */
export function compileConditions(conditions: readonly unknown[]): CompiledConditionSet {
  const members = conditions.map(compiled);
  const key = members.map((c) => c.hash).join(',');
  return sets.get(key) ?? remember(sets, key, new ConditionSet(members));
}
