import { knownFactNames } from 'src/rule-sets/rule-set.facts';

// Where a contract's payment rules (its working copy, `contracts.payment_rules`) name one of its
// indicators, so that deleting or renaming the indicator, or dropping a disaggregation category they
// name, can be refused while they do (INDICATOR_IN_USE). Read from the stored JSON as it is, without
// trusting its shape: rules saved before an indicator was edited may no longer validate, and are still
// what a freeze would copy. A rule set names an indicator in
//
//   terms[i].indicator                          "IND-03"
//   a condition's fact, or the fact it compares  "IND-03", "IND-03.accepted", "IND-03.TARGET_GROUP.UNDER60.share"
//     with (gates, guardrails, milestones)
//   tests[i].measurements.<code>                 a test case's measured value
//
// Codes may contain dots, so a fact belongs to the indicator that offers it (rule-set.facts.ts) and
// otherwise to the longest code it starts with: `IND.A.accepted` is IND.A's when the contract has IND.A,
// IND's otherwise. Example: with IND-03 and IND-04, `{ "fact": "IND-03.TARGET_GROUP.UNDER60.share", ... }`
// in the second term's gate is `paymentRules.terms[1].gate.condition.all[0].fact` for IND-03.

export interface UsageIndicator {
  code: string;
  disaggregations: { dimension: string; values: string[] }[];
}

const PREFIX = 'paymentRules';

/** The paths (`paymentRules.terms[0].indicator`, ...) at which `rules` name `target`: phases, terms, guardrails, tests. */
export function paymentRuleReferences(rules: unknown, target: UsageIndicator, indicators: readonly UsageIndicator[]): string[] {
  if (!isObject(rules)) return [];
  const names = (fact: unknown): boolean => typeof fact === 'string' && factNames(fact, target, indicators);
  const found: string[] = [];
  const terms = arrayAt(rules, 'terms');
  const termFound = (i: number): void => {
    if (field(terms[i], 'indicator') === target.code) found.push(`${PREFIX}.terms[${i}].indicator`);
  };
  eachCondition(
    rules,
    (fact, path) => {
      if (names(fact)) found.push(path);
    },
    termFound,
  );
  arrayAt(rules, 'tests').forEach((test, i) => {
    const measurements = field(test, 'measurements');
    if (isObject(measurements) && Object.hasOwn(measurements, target.code)) found.push(`${PREFIX}.tests[${i}].measurements.${target.code}`);
  });
  return found;
}

export interface RemovedCategoryReferences {
  /** The removed categories the rules name, in the order of `current`'s disaggregations. */
  categories: { dimension: string; value: string }[];
  /** The condition facts naming them (`IND-03.TARGET_GROUP.UNDER60.share`), each once. */
  facts: string[];
  /** Every place naming them: condition facts, and test cases' measured parts (`...measurements.IND-03.disaggregations.TARGET_GROUP.UNDER60`). */
  paths: string[];
}

/**
 * Where `rules` name a disaggregation category that `current` offers and `next` (the same indicator with
 * its disaggregations changed) no longer does: a condition fact `CODE.DIMENSION.CATEGORY[.share]`, or a
 * test case's measured part. Such rules would stop validating (RULE_CONDITION_UNKNOWN_FACT,
 * RULE_SET_UNKNOWN_DISAGGREGATION). A fact another indicator of the contract also offers (dotted codes)
 * stays valid and is not counted. Example: dropping UNDER60 from IND-03's TARGET_GROUP with Padova's gate
 * gives `paymentRules.terms[2].gate.condition.all[0].fact` for `IND-03.TARGET_GROUP.UNDER60.share`.
 */
export function removedCategoryReferences(
  rules: unknown,
  current: UsageIndicator,
  next: UsageIndicator['disaggregations'],
  indicators: readonly UsageIndicator[],
): RemovedCategoryReferences {
  const kept = (dimension: string, value: string): boolean => next.some((d) => d.dimension === dimension && d.values.includes(value));
  const removed = current.disaggregations.flatMap((d) => d.values.filter((v) => !kept(d.dimension, v)).map((value) => ({ dimension: d.dimension, value })));
  const result: RemovedCategoryReferences = { categories: [], facts: [], paths: [] };
  if (removed.length === 0 || !isObject(rules)) return result;
  const offeredElsewhere = new Set(knownFactNames(indicators.filter((i) => i.code !== current.code)));
  const named = new Set<(typeof removed)[number]>();
  eachCondition(rules, (fact, path) => {
    if (typeof fact !== 'string' || offeredElsewhere.has(fact)) return;
    const category = removed.find((c) => [`${current.code}.${c.dimension}.${c.value}`, `${current.code}.${c.dimension}.${c.value}.share`].includes(fact));
    if (category === undefined) return;
    named.add(category);
    if (!result.facts.includes(fact)) result.facts.push(fact);
    result.paths.push(path);
  });
  arrayAt(rules, 'tests').forEach((test, i) => {
    const parts = field(field(field(test, 'measurements'), current.code), 'disaggregations');
    if (!isObject(parts)) return;
    for (const [dimension, values] of Object.entries(parts)) {
      for (const value of isObject(values) ? Object.keys(values) : []) {
        const category = removed.find((c) => c.dimension === dimension && c.value === value);
        if (category === undefined) continue;
        named.add(category);
        result.paths.push(`${PREFIX}.tests[${i}].measurements.${current.code}.disaggregations.${dimension}.${value}`);
      }
    }
  });
  result.categories = removed.filter((c) => named.has(c));
  return result;
}

/** Calls `visit` with every condition fact (and compared fact) of the phases, terms and guardrails, in that order; `onTerm` before each term's gate. */
function eachCondition(rules: Record<string, unknown>, visit: (fact: unknown, path: string) => void, onTerm: (i: number) => void = () => undefined): void {
  arrayAt(rules, 'phases').forEach((phase, i) => walk(field(field(phase, 'milestone'), 'condition'), `${PREFIX}.phases[${i}].milestone.condition`, visit));
  arrayAt(rules, 'terms').forEach((term, i) => {
    onTerm(i);
    walk(field(field(term, 'gate'), 'condition'), `${PREFIX}.terms[${i}].gate.condition`, visit);
  });
  arrayAt(rules, 'guardrails').forEach((g, i) => walk(field(g, 'condition'), `${PREFIX}.guardrails[${i}].condition`, visit));
}

/** Whether `fact` is one of `target`'s facts, given every indicator of the contract (see the header). */
export function factNames(fact: string, target: UsageIndicator, indicators: readonly UsageIndicator[]): boolean {
  if (knownFactNames([target]).includes(fact)) return true;
  if (indicators.some((other) => other.code !== target.code && knownFactNames([other]).includes(fact))) return false;
  const owner = indicators
    .map((i) => i.code)
    .concat(target.code)
    .filter((code) => fact === code || fact.startsWith(`${code}.`))
    .reduce<string | null>((longest, code) => (longest === null || code.length > longest.length ? code : longest), null);
  return owner === target.code;
}

function walk(condition: unknown, at: string, visit: (fact: unknown, path: string) => void): void {
  if (!isObject(condition)) return;
  if (Array.isArray(condition.all)) condition.all.forEach((c, i) => walk(c, `${at}.all[${i}]`, visit));
  if (Array.isArray(condition.any)) condition.any.forEach((c, i) => walk(c, `${at}.any[${i}]`, visit));
  if (condition.not !== undefined) walk(condition.not, `${at}.not`, visit);
  visit(condition.fact, `${at}.fact`);
  visit(field(condition.value, 'fact'), `${at}.value.fact`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function arrayAt(value: Record<string, unknown>, key: string): unknown[] {
  const list = value[key];
  return Array.isArray(list) ? list : [];
}
