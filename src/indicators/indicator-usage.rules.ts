import { knownFactNames } from 'src/rule-sets/rule-set.facts';

// Where a contract's payment rules (its working copy, `contracts.payment_rules`) name one of its
// indicators, so that deleting the indicator can be refused while they do (INDICATOR_IN_USE). Read from
// the stored JSON as it is, without trusting its shape: rules saved before an indicator was edited may
// no longer validate, and are still what a freeze would copy. A rule set names an indicator in
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
  arrayAt(rules, 'phases').forEach((phase, i) => walk(field(field(phase, 'milestone'), 'condition'), `${PREFIX}.phases[${i}].milestone.condition`, names, found));
  arrayAt(rules, 'terms').forEach((term, i) => {
    if (field(term, 'indicator') === target.code) found.push(`${PREFIX}.terms[${i}].indicator`);
    walk(field(field(term, 'gate'), 'condition'), `${PREFIX}.terms[${i}].gate.condition`, names, found);
  });
  arrayAt(rules, 'guardrails').forEach((g, i) => walk(field(g, 'condition'), `${PREFIX}.guardrails[${i}].condition`, names, found));
  arrayAt(rules, 'tests').forEach((test, i) => {
    const measurements = field(test, 'measurements');
    if (isObject(measurements) && Object.hasOwn(measurements, target.code)) found.push(`${PREFIX}.tests[${i}].measurements.${target.code}`);
  });
  return found;
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

function walk(condition: unknown, at: string, names: (fact: unknown) => boolean, found: string[]): void {
  if (!isObject(condition)) return;
  if (Array.isArray(condition.all)) condition.all.forEach((c, i) => walk(c, `${at}.all[${i}]`, names, found));
  if (Array.isArray(condition.any)) condition.any.forEach((c, i) => walk(c, `${at}.any[${i}]`, names, found));
  if (condition.not !== undefined) walk(condition.not, `${at}.not`, names, found);
  if (names(condition.fact)) found.push(`${at}.fact`);
  if (names(field(condition.value, 'fact'))) found.push(`${at}.value.fact`);
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
