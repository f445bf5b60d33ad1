import type { FieldProblem } from 'src/common/errors/domain-error';
import { isDecimalString } from 'src/common/decimal/decimal';
import {
  DECIMAL_OPERATORS,
  MAX_CONDITION_DEPTH,
  MAX_CONDITION_NODES,
  type TopLevelCondition,
} from 'src/rules/condition.types';
import { RuleError, type RuleErrorCode } from 'src/rules/rules.errors';

// Pure validation of a rule condition (docs/decisions/0010-rule-conditions.md): shape (the json-rules-engine
// subset of condition.types.ts), known facts, decimal operators and values, no JSONPath, depth and size.
// Problems carry a stable code and a field path such as `all[1].any[0].value`, prefixed by `at`.

export interface ConditionProblem extends FieldProblem {
  code: RuleErrorCode;
}

export interface ConditionValidationOptions {
  /** Facts a condition may name; when omitted, fact names are only checked to be non-empty strings. */
  knownFacts?: Iterable<string>;
  /** Path prefix of the condition in the enclosing document, e.g. `terms[0].gate`. */
  at?: string;
}

const OPERATORS: ReadonlySet<string> = new Set(DECIMAL_OPERATORS);
const GROUP_KEYS = ['all', 'any', 'not'] as const;
const LEAF_KEYS: ReadonlySet<string> = new Set(['fact', 'operator', 'value', 'name']);
const MAX_NAME_LENGTH = 200;

function join(at: string, segment: string): string {
  return at === '' ? segment : `${at}.${segment}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

const MAX_SUGGESTED = 12;

/**
 * What to name instead of an unknown fact: the known facts under the longest dotted prefix it shares with
 * them ("IND-03.TARGET_GROUP.UNDER_60.share" -> the parts of IND-03.TARGET_GROUP), or the first segments
 * of the known facts (the indicator codes) when even its first segment is unknown. Sorted, at most MAX_SUGGESTED.
 */
function nearbyFacts(fact: string, known: ReadonlySet<string>): string {
  if (known.size === 0) return '; the contract offers no facts';
  const segments = fact.split('.');
  for (let n = segments.length - 1; n >= 1; n -= 1) {
    const prefix = segments.slice(0, n).join('.');
    const under = [...known].filter((k) => k === prefix || k.startsWith(`${prefix}.`)).sort();
    if (under.length > 0) return `; known facts under ${prefix}: ${listed(under)}`;
  }
  const indicators = [...new Set([...known].map((k) => k.split('.')[0]))].sort();
  return `; known facts begin with ${listed(indicators)}`;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, MAX_SUGGESTED).join(', ');
  return names.length > MAX_SUGGESTED ? `${shown} and ${names.length - MAX_SUGGESTED} more` : shown;
}

class Walker {
  readonly problems: ConditionProblem[] = [];
  private nodes = 0;
  tooLarge = false;

  constructor(private readonly knownFacts: ReadonlySet<string> | undefined) {}

  problem(code: RuleErrorCode, field: string, message: string): void {
    this.problems.push({ code, field, message });
  }

  node(value: unknown, path: string, depth: number, topLevel: boolean): void {
    if (this.tooLarge) return;
    this.nodes += 1;
    if (this.nodes > MAX_CONDITION_NODES) {
      this.tooLarge = true;
      return;
    }
    if (depth > MAX_CONDITION_DEPTH) {
      this.problem('RULE_CONDITION_TOO_DEEP', path, `conditions may nest at most ${MAX_CONDITION_DEPTH} levels deep`);
      return;
    }
    if (!isRecord(value)) {
      this.problem('RULE_CONDITION_SHAPE_INVALID', path, 'must be a condition object: { all }, { any }, { not } or { fact, operator, value }');
      return;
    }
    if (has(value, 'condition')) {
      this.problem('RULE_CONDITION_SHAPE_INVALID', join(path, 'condition'), 'condition references are not supported: write the condition inline');
      return;
    }
    this.checkName(value, path);
    const groups = GROUP_KEYS.filter((key) => has(value, key));
    if (groups.length > 1) {
      this.problem('RULE_CONDITION_SHAPE_INVALID', path, `must have exactly one of all, any, not (found ${groups.join(', ')})`);
      return;
    }
    if (groups.length === 1) {
      this.group(value, groups[0], path, depth);
      return;
    }
    if (topLevel) {
      this.problem('RULE_CONDITION_SHAPE_INVALID', path, 'the top of a condition must be { all }, { any } or { not }');
      return;
    }
    this.leaf(value, path);
  }

  private checkName(value: Record<string, unknown>, path: string): void {
    if (!has(value, 'name')) return;
    const name = value.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
      this.problem('RULE_CONDITION_SHAPE_INVALID', join(path, 'name'), `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
    }
  }

  private group(value: Record<string, unknown>, key: 'all' | 'any' | 'not', path: string, depth: number): void {
    const extra = Object.keys(value).filter((k) => k !== key && k !== 'name');
    for (const k of extra) {
      this.problem('RULE_CONDITION_SHAPE_INVALID', join(path, k), `is not allowed next to "${key}"`);
    }
    const children = value[key];
    if (key === 'not') {
      if (Array.isArray(children)) {
        this.problem('RULE_CONDITION_SHAPE_INVALID', join(path, 'not'), 'must be a single condition, not an array');
        return;
      }
      this.node(children, join(path, 'not'), depth + 1, false);
      return;
    }
    if (!Array.isArray(children) || children.length === 0) {
      // json-rules-engine treats an empty "any" as true; we do not let that surprise anyone.
      this.problem('RULE_CONDITION_SHAPE_INVALID', join(path, key), 'must be a non-empty array of conditions');
      return;
    }
    children.forEach((child: unknown, i) => this.node(child, join(path, `${key}[${i}]`), depth + 1, false));
  }

  private leaf(value: Record<string, unknown>, path: string): void {
    for (const k of Object.keys(value)) {
      if (k === 'path') {
        this.problem('RULE_CONDITION_PATH_NOT_ALLOWED', join(path, 'path'), 'JSONPath is not supported: name a fact directly');
      } else if (!LEAF_KEYS.has(k)) {
        this.problem('RULE_CONDITION_SHAPE_INVALID', join(path, k), 'is not allowed in a comparison (allowed: fact, operator, value, name)');
      }
    }
    for (const k of ['fact', 'operator', 'value']) {
      if (!has(value, k)) this.problem('RULE_CONDITION_SHAPE_INVALID', join(path, k), 'is required');
    }
    if (has(value, 'fact')) this.factName(value.fact, join(path, 'fact'));
    if (has(value, 'operator')) {
      const op = value.operator;
      if (typeof op !== 'string' || !OPERATORS.has(op)) {
        this.problem(
          'RULE_CONDITION_OPERATOR_NOT_ALLOWED',
          join(path, 'operator'),
          `must be one of ${DECIMAL_OPERATORS.join(', ')} (decimal comparisons)`,
        );
      }
    }
    if (has(value, 'value')) this.comparedValue(value.value, join(path, 'value'));
  }

  private factName(fact: unknown, field: string): void {
    if (typeof fact !== 'string' || fact === '') {
      this.problem('RULE_CONDITION_SHAPE_INVALID', field, 'must be the name of a fact');
      return;
    }
    if (this.knownFacts && !this.knownFacts.has(fact)) {
      this.problem('RULE_CONDITION_UNKNOWN_FACT', field, `unknown fact "${fact}"${nearbyFacts(fact, this.knownFacts)}`);
    }
  }

  private comparedValue(value: unknown, field: string): void {
    if (typeof value === 'string') {
      if (!isDecimalString(value)) {
        this.problem('RULE_CONDITION_VALUE_NOT_DECIMAL', field, `must be a decimal string such as "0.15" (got ${JSON.stringify(value)})`);
      }
      return;
    }
    if (isRecord(value) && has(value, 'fact') && Object.keys(value).length === 1) {
      this.factName(value.fact, join(field, 'fact'));
      return;
    }
    if (isRecord(value) && has(value, 'path')) {
      this.problem('RULE_CONDITION_PATH_NOT_ALLOWED', join(field, 'path'), 'JSONPath is not supported: name a fact directly');
      return;
    }
    const hint = typeof value === 'number' ? `send "${String(value)}" as a string` : 'send a decimal string or { "fact": name }';
    this.problem('RULE_CONDITION_VALUE_NOT_DECIMAL', field, `must be a decimal string such as "0.15" or a fact reference: ${hint}`);
  }
}

/** Every problem of a condition, in document order (a size problem first); empty when it is valid. */
export function conditionProblems(condition: unknown, options: ConditionValidationOptions = {}): ConditionProblem[] {
  const known = options.knownFacts === undefined ? undefined : new Set(options.knownFacts);
  const at = options.at ?? '';
  const walker = new Walker(known);
  walker.node(condition, at, 1, true);
  if (walker.tooLarge) {
    return [
      { code: 'RULE_CONDITION_TOO_LARGE', field: at, message: `a condition may have at most ${MAX_CONDITION_NODES} nodes` },
      ...walker.problems,
    ];
  }
  return walker.problems;
}

/**
 * Throws a 422 RuleError when the condition has problems: the error's code is the first problem's code and
 * `details.fields` lists every problem with its own code and path.
 */
export function assertValidCondition(condition: unknown, options: ConditionValidationOptions = {}): asserts condition is TopLevelCondition {
  const problems = conditionProblems(condition, options);
  if (problems.length > 0) {
    const first = problems[0];
    throw new RuleError(first.code, `invalid condition: ${first.field === '' ? '' : `${first.field} `}${first.message}`, { fields: problems });
  }
}
