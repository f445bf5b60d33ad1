import { dec } from 'src/common/decimal/decimal';
import type { Facts } from 'src/rules/condition.types';

// The facts a rule-set condition (gate, guardrail, milestone) may name, for one grouping and period.
// All are decimal strings, named after the binding version's indicator codes:
//
//   IND-03                         the accepted value (absent when missing or not assessable)
//   IND-03.accepted                "1" when an assessable accepted value exists, else "0" (always present)
//   IND-03.baseline, IND-03.target the grouping's baseline and the period's target, when defined
//   IND-03.sampleSize              the sample size, when reported
//   IND-03.TARGET_GROUP.UNDER60    a disaggregated part
//   IND-03.TARGET_GROUP.UNDER60.share   that part divided by the value (absent when the value is 0)
//
// A condition naming an absent fact is an error, not false (docs/decisions/0010-rule-conditions.md).
// Example: Padova's gate on the placements term is
//   { "all": [ { "fact": "IND-03.TARGET_GROUP.UNDER60.share", "operator": "greaterThanInclusive", "value": "0.15" } ] }

export interface FactIndicator {
  code: string;
  disaggregations: { dimension: string; values: string[] }[];
}

/** Every fact name the indicators of a binding version offer (what validation accepts). */
export function knownFactNames(indicators: readonly FactIndicator[]): string[] {
  const names: string[] = [];
  for (const ind of indicators) {
    names.push(ind.code, `${ind.code}.accepted`, `${ind.code}.baseline`, `${ind.code}.target`, `${ind.code}.sampleSize`);
    for (const d of ind.disaggregations) {
      for (const v of d.values) names.push(`${ind.code}.${d.dimension}.${v}`, `${ind.code}.${d.dimension}.${v}.share`);
    }
  }
  return names;
}

/** What is known of one indicator for one grouping and period, already aggregated over the members. */
export interface IndicatorFacts {
  code: string;
  /** The accepted, assessable value, or null. */
  value: string | null;
  baseline: string | null;
  target: string | null;
  sampleSize: string | null;
  disaggregations: Record<string, Record<string, string>>;
}

export function buildFacts(indicators: readonly IndicatorFacts[]): Facts {
  const facts: Record<string, string> = {};
  for (const ind of indicators) {
    facts[`${ind.code}.accepted`] = ind.value === null ? '0' : '1';
    if (ind.baseline !== null) facts[`${ind.code}.baseline`] = ind.baseline;
    if (ind.target !== null) facts[`${ind.code}.target`] = ind.target;
    if (ind.sampleSize !== null) facts[`${ind.code}.sampleSize`] = ind.sampleSize;
    if (ind.value === null) continue;
    facts[ind.code] = ind.value;
    const total = dec(ind.value);
    for (const [dimension, parts] of Object.entries(ind.disaggregations)) {
      for (const [category, part] of Object.entries(parts)) {
        facts[`${ind.code}.${dimension}.${category}`] = part;
        if (!total.isZero()) facts[`${ind.code}.${dimension}.${category}.share`] = dec(part).dividedBy(total).toString();
      }
    }
  }
  return facts;
}
