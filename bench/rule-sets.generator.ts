import { dec } from 'src/common/decimal/decimal';
import { buildFacts, type IndicatorFacts } from 'src/rule-sets/rule-set.facts';
import type { RuleSetDocument, RuleSetTerm } from 'src/rule-sets/rule-set.types';
import { termId } from 'src/rule-sets/rule-set.types';
import { DECIMAL_OPERATORS, type Condition, type Facts, type LeafCondition, type TopLevelCondition } from 'src/rules/condition.types';
import { padovaIndicatorSnapshots, padovaRules, padovaTestCases } from 'bench/padova';
import { Prng } from 'bench/prng';

// Rule sets for the evaluator benchmark: the Padova rule set plus generated ones shaped like it (a share
// of the fee at risk spread over weighted terms, gates on some terms, guardrails that suspend terms, a
// shadow first period with a milestone), with conditions of 3 to 30 comparisons under all/any/not and
// facts built by the real `buildFacts` (values, `.accepted`, baselines, targets, sample sizes,
// disaggregated parts and shares). Literals mix values near the facts with decimals that trip string and
// float comparison ("9" vs "10", "8" vs "8.0", "0.15").

export interface BenchCondition {
  kind: 'GATE' | 'GUARDRAIL' | 'MILESTONE';
  id: string;
  label: string;
  condition: TopLevelCondition;
}

/** One rule set and the grouping-periods it is evaluated for: each fact set is one contract-period. */
export interface BenchRuleSet {
  ruleSet: RuleSetDocument;
  period: string;
  conditions: BenchCondition[];
  factSets: Facts[];
}

/** What a settlement evaluates for one grouping and period when every indicator has an accepted value. */
export function conditionsOf(rules: RuleSetDocument, period: string): BenchCondition[] {
  const out: BenchCondition[] = [];
  for (const t of rules.terms) if (t.gate) out.push({ kind: 'GATE', id: termId(t), label: t.gate.label, condition: t.gate.condition });
  for (const g of rules.guardrails ?? []) out.push({ kind: 'GUARDRAIL', id: g.id, label: g.label, condition: g.condition });
  const milestone = (rules.phases ?? []).find((p) => p.period === period && p.mode === 'SHADOW')?.milestone;
  if (milestone) out.push({ kind: 'MILESTONE', id: 'milestone', label: milestone.label, condition: milestone.condition });
  return out;
}

const TRAPS = ['9', '10', '8', '8.0', '0.15', '0.150', '0.5', '1', '1.00', '0', '100', '12.50', '1210', '0.05', '200', '0.30000000000000000001'];

interface GeneratedIndicator {
  code: string;
  disaggregations: { dimension: string; values: string[] }[];
}

function indicatorsFor(rng: Prng): GeneratedIndicator[] {
  const count = rng.int(3, 8);
  const out: GeneratedIndicator[] = [];
  for (let i = 1; i <= count; i += 1) {
    const disaggregations: GeneratedIndicator['disaggregations'] = [];
    if (rng.chance(0.5)) disaggregations.push({ dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] });
    if (rng.chance(0.25)) disaggregations.push({ dimension: 'NEED_TYPE', values: ['SOCIALITA', 'MOVIMENTO', 'CULTURA', 'SUPPORTO'] });
    out.push({ code: `IND-${String(i).padStart(2, '0')}`, disaggregations });
  }
  for (let g = 1; g <= rng.int(1, 2); g += 1) out.push({ code: `IND-G${g}`, disaggregations: [] });
  return out;
}

/** A value of one of the shapes the Padova indicators have: a count, a percentage, a rate, a score. */
function measuredValue(rng: Prng): string {
  switch (rng.int(0, 4)) {
    case 0:
      return rng.decimal(0, 2000, 0);
    case 1:
      return rng.decimal(0, 1000, 1);
    case 2:
      return rng.decimal(0, 100, 2);
    case 3:
      return rng.pick(['9', '10', '11', '8', '8.0', '12']);
    default:
      return rng.decimal(0, 100000, 3);
  }
}

function indicatorFacts(rng: Prng, indicators: readonly GeneratedIndicator[]): IndicatorFacts[] {
  return indicators.map((ind) => {
    const value = measuredValue(rng);
    const disaggregations: Record<string, Record<string, string>> = {};
    for (const d of ind.disaggregations) {
      // Parts that add up to the value (the last one takes the rest), so shares lie in [0, 1].
      let rest = dec(value);
      const parts: Record<string, string> = {};
      d.values.forEach((category, i) => {
        const part = i === d.values.length - 1 ? rest : rest.times(dec(rng.decimal(0, 100, 2))).toDecimalPlaces(0);
        parts[category] = part.toString();
        rest = rest.minus(part);
      });
      disaggregations[d.dimension] = parts;
    }
    return {
      code: ind.code,
      value: dec(value).isZero() ? '1' : value,
      baseline: measuredValue(rng),
      target: measuredValue(rng),
      sampleSize: String(rng.int(50, 400)),
      disaggregations,
    };
  });
}

/** A literal for a comparison with `fact`: near the facts' values, a trap, or any decimal. */
function literal(rng: Prng, factValues: readonly string[]): string {
  const roll = rng.next();
  if (roll < 0.45) {
    const near = dec(rng.pick(factValues));
    const scale = rng.int(0, 3);
    switch (rng.int(0, 3)) {
      case 0:
        return near.toFixed(Math.max(scale, near.decimalPlaces()));
      case 1:
        return near.plus(dec(rng.decimal(1, 50, 2))).toFixed(scale);
      case 2:
        return near.minus(dec(rng.decimal(1, 50, 2))).abs().toFixed(scale);
      default:
        return near.toFixed(near.decimalPlaces());
    }
  }
  if (roll < 0.8) return rng.pick(TRAPS);
  return rng.decimal(0, 100000, rng.int(0, 4));
}

function leaf(rng: Prng, factNames: readonly string[], samples: readonly Facts[]): LeafCondition {
  const fact = rng.pick(factNames);
  const operator = rng.pick(DECIMAL_OPERATORS);
  if (rng.chance(0.12)) return { fact, operator, value: { fact: rng.pick(factNames) } };
  return { fact, operator, value: literal(rng, samples.map((s) => s[fact])) };
}

/** A condition over `leaves` comparisons: nested all/any groups, some wrapped in not, depth at most 5. */
function tree(rng: Prng, leaves: number, depth: number, factNames: readonly string[], samples: readonly Facts[]): Condition {
  if (leaves === 1) return leaf(rng, factNames, samples);
  const kind = rng.chance(0.6) ? 'all' : 'any';
  const groups = depth >= 4 ? leaves : Math.min(leaves, rng.int(2, 5));
  const sizes = Array.from({ length: groups }, () => 1);
  for (let left = leaves - groups; left > 0; left -= 1) sizes[rng.int(0, groups - 1)] += 1;
  const children = sizes.map((n) => {
    const child = tree(rng, n, depth + 1, factNames, samples);
    return rng.chance(0.1) ? { not: child } : child;
  });
  return kind === 'all' ? { all: children } : { any: children };
}

function topLevel(rng: Prng, factNames: readonly string[], samples: readonly Facts[]): TopLevelCondition {
  const c = tree(rng, rng.int(3, 30), 0, factNames, samples);
  if ('fact' in c) return { all: [c] };
  return rng.chance(0.05) ? { not: c } : c;
}

function weights(rng: Prng, count: number): string[] {
  // Hundredths that sum to exactly 100, so the weights sum to exactly 1.
  const cents = Array.from({ length: count }, () => 1);
  for (let left = 100 - count; left > 0; left -= 1) cents[rng.int(0, count - 1)] += 1;
  return cents.map((c) => dec(String(c)).dividedBy(100).toFixed(2));
}

function generated(rng: Prng, index: number, factSetsPerRuleSet: number): BenchRuleSet {
  const indicators = indicatorsFor(rng);
  const factSets = Array.from({ length: factSetsPerRuleSet }, () => buildFacts(indicatorFacts(rng, indicators)));
  // Only names every fact set has (a share is absent when its total is 0), so no evaluation is an error.
  const factNames = Object.keys(factSets[0]).filter((name) => factSets.every((f) => f[name] !== undefined)).sort();
  const termIndicators = indicators.filter((i) => !i.code.startsWith('IND-G'));
  const w = weights(rng, termIndicators.length);
  const terms: RuleSetTerm[] = termIndicators.map((ind, i) => ({
    indicator: ind.code,
    payout: { kind: 'LINEAR', threshold: '0.5', cap: '1.0' },
    weight: w[i],
    ...(rng.chance(0.4) ? { gate: { label: `gate ${ind.code}`, condition: topLevel(rng, factNames, factSets) } } : {}),
  }));
  const guardrails = indicators
    .filter((i) => i.code.startsWith('IND-G'))
    .map((g) => ({ id: g.code, label: `${g.code} guardrail`, condition: topLevel(rng, factNames, factSets), suspends: rng.sample(terms.map(termId), rng.int(1, 2)) }));
  const shadow = rng.chance(0.3);
  const ruleSet: RuleSetDocument = {
    format: 'ancora.rule-set/1',
    code: `BENCH-R${index}`,
    basis: { kind: 'SHARE_OF_FEE', share: '0.10' },
    missingPolicy: 'ZERO',
    phases: [shadow ? { period: 'Y1', mode: 'SHADOW', milestone: { label: 'baseline dataset', condition: topLevel(rng, factNames, factSets), share: '1.00' } } : { period: 'Y1', mode: 'LIVE' }],
    terms,
    guardrails,
  };
  return { ruleSet, period: 'Y1', conditions: conditionsOf(ruleSet, 'Y1'), factSets };
}

/** The Padova rule set in its shadow year (gate, guardrail and milestone), with the facts of its test cases. */
export function padovaBenchRuleSet(): BenchRuleSet {
  const rules = padovaRules();
  const indicators = padovaIndicatorSnapshots();
  const factSets = padovaTestCases().map((tc) =>
    buildFacts(
      indicators.map((ind): IndicatorFacts => {
        const m = tc.measurements[ind.code];
        const value = m !== undefined && 'value' in m ? m.value : null;
        return {
          code: ind.code,
          value,
          baseline: ind.baselines.find((b) => b.grouping === tc.grouping)?.value ?? null,
          target: ind.targets.find((t) => t.period === tc.period && t.grouping === tc.grouping)?.value ?? null,
          sampleSize: m !== undefined && 'sampleSize' in m && m.sampleSize !== undefined ? String(m.sampleSize) : null,
          disaggregations: m !== undefined && 'value' in m ? (m.disaggregations ?? {}) : {},
        };
      }),
    ),
  );
  return { ruleSet: rules, period: 'Y1', conditions: conditionsOf(rules, 'Y1'), factSets };
}

/** Padova first, then `count - 1` generated rule sets; the same for the same seed. */
export function benchRuleSets(count: number, seed: number, factSetsPerRuleSet = 4): BenchRuleSet[] {
  const rng = new Prng(seed);
  const out = [padovaBenchRuleSet()];
  for (let i = 1; i < count; i += 1) out.push(generated(rng, i, factSetsPerRuleSet));
  return out;
}
