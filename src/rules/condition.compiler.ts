import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Dec, isDecimalString } from 'src/common/decimal/decimal';
import {
  isLeaf,
  type Condition,
  type DecimalOperator,
  type Facts,
  type LeafCondition,
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
  /** Readable: `UNDER60_SHARE 0.12 >= 0.15 is false`, `all of 2 is false`. */
  text: string;
}

export interface ConditionResult {
  holds: boolean;
  /** Every node, top first, in document order. */
  trace: TraceEntry[];
}

export interface CompiledCondition {
  /** SHA-256 of the canonical JSON (RFC 8785) of the condition. */
  readonly hash: string;
  /** The facts the condition reads, sorted; every one must be given to `evaluate`. */
  readonly facts: readonly string[];
  readonly evaluate: (facts: Facts) => ConditionResult;
}

export const OPERATOR_SYMBOLS: Readonly<Record<DecimalOperator, string>> = {
  equal: '=',
  notEqual: '!=',
  lessThan: '<',
  lessThanInclusive: '<=',
  greaterThan: '>',
  greaterThanInclusive: '>=',
};

/** Decimal comparison: exact, so "9" < "10" and "8.0" equals "8". */
export function compareDecimals(operator: DecimalOperator, left: Dec, right: Dec): boolean {
  const c = left.cmp(right);
  switch (operator) {
    case 'equal':
      return c === 0;
    case 'notEqual':
      return c !== 0;
    case 'lessThan':
      return c < 0;
    case 'lessThanInclusive':
      return c <= 0;
    case 'greaterThan':
      return c > 0;
    case 'greaterThanInclusive':
      return c >= 0;
  }
}

/** Fact values in the order of `CompiledCondition.facts`, as written and as decimals. */
interface Values {
  text: string[];
  dec: Dec[];
}
type Node = (values: Values, trace: TraceEntry[]) => boolean;

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

function compileLeaf(leaf: LeafCondition, path: string, index: ReadonlyMap<string, number>): Node {
  const { operator } = leaf;
  const symbol = OPERATOR_SYMBOLS[operator];
  const left = index.get(leaf.fact) as number;
  const leftName = leaf.fact;
  if (typeof leaf.value === 'string') {
    const literalText = leaf.value;
    const literal = new Dec(literalText);
    return (values, trace) => {
      const holds = compareDecimals(operator, values.dec[left], literal);
      trace.push({ path, holds, text: `${leftName} ${values.text[left]} ${symbol} ${literalText} is ${String(holds)}` });
      return holds;
    };
  }
  const rightName = leaf.value.fact;
  const right = index.get(rightName) as number;
  return (values, trace) => {
    const holds = compareDecimals(operator, values.dec[left], values.dec[right]);
    trace.push({
      path,
      holds,
      text: `${leftName} ${values.text[left]} ${symbol} ${rightName} ${values.text[right]} is ${String(holds)}`,
    });
    return holds;
  };
}

function compileGroup(kind: 'all' | 'any', children: Node[], path: string): Node {
  const label = `${kind} of ${children.length}`;
  return (values, trace) => {
    const slot = trace.length;
    trace.push({ path, holds: false, text: '' });
    // No short circuit: the trace explains every comparison, and all facts were checked up front anyway.
    let holds = kind === 'all';
    for (const child of children) {
      const h = child(values, trace);
      holds = kind === 'all' ? holds && h : holds || h;
    }
    trace[slot] = { path, holds, text: `${label} is ${String(holds)}` };
    return holds;
  };
}

function compileNode(condition: Condition, path: string, index: ReadonlyMap<string, number>): Node {
  if (isLeaf(condition)) return compileLeaf(condition, path, index);
  if ('all' in condition) return compileGroup('all', condition.all.map((c, i) => compileNode(c, join(path, `all[${i}]`), index)), path);
  if ('any' in condition) return compileGroup('any', condition.any.map((c, i) => compileNode(c, join(path, `any[${i}]`), index)), path);
  const inner = compileNode(condition.not, join(path, 'not'), index);
  return (values, trace) => {
    const slot = trace.length;
    trace.push({ path, holds: false, text: '' });
    const holds = !inner(values, trace);
    trace[slot] = { path, holds, text: `not is ${String(holds)}` };
    return holds;
  };
}

function compileUncached(condition: TopLevelCondition, hash: string): CompiledCondition {
  const names = new Set<string>();
  collectFacts(condition, names);
  const facts = Object.freeze([...names].sort());
  const index = new Map(facts.map((name, i) => [name, i]));
  const root = compileNode(condition, '', index);
  const evaluate = (given: Facts): ConditionResult => {
    const text: string[] = [];
    const decs: Dec[] = [];
    for (const name of facts) {
      if (!Object.prototype.hasOwnProperty.call(given, name) || given[name] === undefined || given[name] === null) {
        throw new RuleError('RULE_CONDITION_FACT_UNDEFINED', `fact "${name}" has no value`, { fact: name });
      }
      const value: unknown = given[name];
      if (!isDecimalString(value)) {
        throw new RuleError('RULE_CONDITION_FACT_NOT_DECIMAL', `fact "${name}" is not a decimal string: ${JSON.stringify(value)}`, {
          fact: name,
        });
      }
      text.push(value);
      decs.push(new Dec(value));
    }
    const trace: TraceEntry[] = [];
    const holds = root({ text, dec: decs }, trace);
    return { holds, trace };
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
