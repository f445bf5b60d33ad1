import { dec, isDecimalString } from 'src/common/decimal/decimal';
import type { Condition, TopLevelCondition } from 'src/rules/condition.types';
import { conditionProblems } from 'src/rules/condition.validation';
import { knownFactNames } from 'src/rule-sets/rule-set.facts';
import type { Problems, RuleSetContext } from 'src/rule-sets/rule-set.problems';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import type { RuleSetConditionCode } from 'src/rule-sets/rule-sets.errors';

// The conditions of a rule set (gates, guardrails, milestones): shape, depth, size, known facts and
// decimal values by `conditionProblems` (docs/decisions/0010-rule-conditions.md), then operators that fit
// the fact's type:
//
//   IND-01.accepted                      "1" or "0": only equal / notEqual, against "0" or "1"
//   IND-03.TARGET_GROUP.UNDER60.share    a fraction: only against a value within [0, 1] (or another share)
//   anything else                        a measured decimal: any operator, any decimal, or another such fact
//
// Example: { "fact": "IND-03.TARGET_GROUP.UNDER60.share", "operator": "greaterThanInclusive", "value": "15" }
// gives RULE_SET_OPERATOR_TYPE at `...value`: "a share is a fraction between 0 and 1 (0.15 is 15 %): 15 is outside it".

type FactKind = 'accepted' | 'share' | 'value';

/** The conditions of a rule set with their paths, in document order. */
export function conditionsOf(rules: RuleSetDocument): { condition: TopLevelCondition; at: string }[] {
  const found: { condition: TopLevelCondition; at: string }[] = [];
  (rules.phases ?? []).forEach((p, i) => {
    if (p.milestone) found.push({ condition: p.milestone.condition, at: `phases[${i}].milestone.condition` });
  });
  rules.terms.forEach((t, i) => {
    if (t.gate) found.push({ condition: t.gate.condition, at: `terms[${i}].gate.condition` });
  });
  (rules.guardrails ?? []).forEach((g, i) => found.push({ condition: g.condition, at: `guardrails[${i}].condition` }));
  return found;
}

function factKinds(ctx: RuleSetContext): Map<string, FactKind> {
  const kinds = new Map<string, FactKind>();
  for (const ind of ctx.indicators) {
    for (const name of knownFactNames([ind])) kinds.set(name, 'value');
    kinds.set(`${ind.code}.accepted`, 'accepted');
    for (const d of ind.disaggregations) for (const v of d.values) kinds.set(`${ind.code}.${d.dimension}.${v}.share`, 'share');
  }
  return kinds;
}

export function checkConditions(rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): void {
  const kinds = factKinds(ctx);
  for (const { condition, at } of conditionsOf(rules)) {
    const found = conditionProblems(condition, { knownFacts: kinds.keys(), at: problems.path(at) });
    // Saving never evaluates, so the two FACT_* codes of evaluation cannot occur here.
    problems.list.push(...found.map((p) => ({ code: p.code as RuleSetConditionCode, field: p.field, message: p.message })));
    if (found.length === 0) walk(condition, at, kinds, problems);
  }
}

function walk(condition: Condition, at: string, kinds: Map<string, FactKind>, problems: Problems): void {
  if ('all' in condition) condition.all.forEach((c, i) => walk(c, `${at}.all[${i}]`, kinds, problems));
  else if ('any' in condition) condition.any.forEach((c, i) => walk(c, `${at}.any[${i}]`, kinds, problems));
  else if ('not' in condition) walk(condition.not, `${at}.not`, kinds, problems);
  else leaf(condition, at, kinds, problems);
}

function leaf(c: Extract<Condition, { fact: string }>, at: string, kinds: Map<string, FactKind>, problems: Problems): void {
  const kind = kinds.get(c.fact) ?? 'value';
  const value = c.value;
  if (typeof value !== 'string') {
    const other = kinds.get(value.fact) ?? 'value';
    if (kind === 'accepted' || other === 'accepted') {
      problems.add('RULE_SET_OPERATOR_TYPE', `${at}.value`, 'an .accepted fact is compared only with "0" or "1", never with another fact');
    } else if (kind !== other) {
      problems.add('RULE_SET_OPERATOR_TYPE', `${at}.value`, `compares ${describe(kind)} with ${describe(other)}: compare a fact only with one of the same kind`);
    }
    return;
  }
  if (kind === 'accepted') {
    if (c.operator !== 'equal' && c.operator !== 'notEqual') {
      problems.add('RULE_SET_OPERATOR_TYPE', `${at}.operator`, `${c.fact} is "1" or "0" (accepted or not): use equal or notEqual, not ${c.operator}`);
    }
    if (!isDecimalString(value) || !(dec(value).equals(0) || dec(value).equals(1))) {
      problems.add('RULE_SET_OPERATOR_TYPE', `${at}.value`, `${c.fact} is "1" (an accepted value exists) or "0": compare it with "1" or "0", not ${JSON.stringify(value)}`);
    }
  } else if (kind === 'share' && isDecimalString(value) && (dec(value).isNegative() || dec(value).greaterThan(1))) {
    problems.add('RULE_SET_OPERATOR_TYPE', `${at}.value`, `a share is a fraction between 0 and 1 (0.15 is 15 %): ${value} is outside it`);
  }
}

function describe(kind: FactKind): string {
  return kind === 'share' ? 'a share (between 0 and 1)' : 'a measured value';
}
