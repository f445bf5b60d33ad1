// Rule-set conditions: the subset of json-rules-engine's condition syntax Ancora accepts
// (docs/decisions/0010-rule-conditions.md). A stock json-rules-engine with the six comparison operators
// re-bound to decimal semantics evaluates these documents unchanged (src/rules/reference-engine.ts).

/** The comparison operators, all re-bound to decimal semantics: "9" < "10", "8.0" equals "8". */
export const DECIMAL_OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;
export type DecimalOperator = (typeof DECIMAL_OPERATORS)[number];

/** Compares against another fact instead of a constant: `{ "fact": "UNDER60_SHARE", ..., "value": { "fact": "MIN_SHARE" } }`. */
export interface FactReference {
  fact: string;
}

/** A comparison: fact <operator> value, where value is a decimal string or another fact. */
export interface LeafCondition {
  fact: string;
  operator: DecimalOperator;
  value: string | FactReference;
  name?: string;
}

export interface AllCondition {
  all: Condition[];
  name?: string;
}

export interface AnyCondition {
  any: Condition[];
  name?: string;
}

export interface NotCondition {
  not: Condition;
  name?: string;
}

/** json-rules-engine requires a boolean group at the top of a rule. */
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition;
export type Condition = LeafCondition | TopLevelCondition;

/** Facts are decimal strings keyed by name (e.g. `{ UNDER60_SHARE: "0.12" }`). */
export type Facts = Readonly<Record<string, string>>;

/** Limits checked when a condition is saved or compiled. */
export const MAX_CONDITION_DEPTH = 8;
export const MAX_CONDITION_NODES = 200;

export function isLeaf(condition: Condition): condition is LeafCondition {
  return 'fact' in condition;
}
