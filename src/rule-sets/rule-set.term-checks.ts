import { Dec, dec } from 'src/common/decimal/decimal';
import { checkUnique, livePeriods, type Problems, type RuleSetContext, type RuleSetIndicatorContext } from 'src/rule-sets/rule-set.problems';
import type { RuleSetDocument, RuleSetTerm } from 'src/rule-sets/rule-set.types';
import { termId } from 'src/rule-sets/rule-set.types';
import type { Band, Tier } from 'src/settlements/calculation/settlement.types';

// The payment terms of a rule set: each names an indicator of the contract; ids are unique; a term has
// exactly one of weight and fixedAmount (a price-per-unit term neither); weighted terms need a basis and
// their weights sum to exactly 1; a LEVEL_RATIO term names a LEVEL indicator; payout tables start at 0 and
// go strictly up; a threshold is not above its cap; a floor not above its cap; and the contract holds the targets (every LIVE period, every
// grouping) and baselines the term will need.
//
// Example: Padova's weights 0.20 + 0.15 + 0.30 + 0.15 + 0.20 = 1.00 pass; IND-05 at 0.25 gives
//   RULE_SET_WEIGHTS_NOT_ONE at `terms`: "the weights of the weighted terms sum to 1.05, not exactly 1".

const MAX_LISTED = 5;

export function checkTerms(rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): void {
  const indicators = new Map(ctx.indicators.map((i) => [i.code, i]));
  checkUnique(
    rules.terms.map((t, i) => ({ id: termId(t), field: t.id === undefined ? `terms[${i}].indicator` : `terms[${i}].id` })),
    'term id',
    problems,
  );
  rules.terms.forEach((term, i) => {
    const at = `terms[${i}]`;
    const indicator = indicators.get(term.indicator);
    if (indicator === undefined) {
      problems.add('RULE_SET_UNKNOWN_INDICATOR', `${at}.indicator`, `the contract has no indicator ${term.indicator}`);
    } else if (term.payout.kind === 'LEVEL_RATIO' && indicator.direction !== 'LEVEL') {
      // Achievement follows the indicator's direction: on an INCREASE or DECREASE indicator a LEVEL_RATIO
      // term would measure from the baseline, not actual / target as its name and the docs promise.
      problems.add(
        'RULE_SET_PAYOUT_DIRECTION',
        `${at}.payout.kind`,
        `LEVEL_RATIO pays actual / target, for an indicator that holds a LEVEL; ${indicator.code} is ${indicator.direction}: use LINEAR (baseline to target)`,
      );
    }
    checkAmount(term, at, rules, problems);
    checkPayout(term, at, problems);
    if (term.cap !== undefined && term.floor !== undefined && dec(term.floor).greaterThan(dec(term.cap))) {
      problems.add('RULE_SET_FLOOR_ABOVE_CAP', `${at}.floor`, `${term.floor} is above the term's cap ${term.cap}`);
    }
    if (indicator !== undefined) checkIndicatorData(term, indicator, at, rules, ctx, problems);
  });
  const weighted = rules.terms.filter((t) => t.weight !== undefined);
  if (weighted.length > 0) {
    const sum = weighted.reduce((acc, t) => acc.plus(dec(t.weight ?? '0')), new Dec(0));
    if (!sum.equals(1)) {
      problems.add('RULE_SET_WEIGHTS_NOT_ONE', 'terms', `the weights of the weighted terms sum to ${sum.toFixed()}, not exactly 1`);
    }
  }
}

function checkAmount(term: RuleSetTerm, at: string, rules: RuleSetDocument, problems: Problems): void {
  if (term.payout.kind === 'PRICE_PER_UNIT') {
    for (const key of ['weight', 'fixedAmount'] as const) {
      if (term[key] !== undefined) {
        problems.add('RULE_SET_TERM_AMOUNT', `${at}.${key}`, 'a price-per-unit term pays unitPrice per unit: it takes no weight or fixedAmount');
      }
    }
    return;
  }
  if (term.weight !== undefined && term.fixedAmount !== undefined) {
    problems.add('RULE_SET_TERM_AMOUNT', `${at}.fixedAmount`, 'a term has either a weight or a fixedAmount, not both');
  } else if (term.weight === undefined && term.fixedAmount === undefined) {
    problems.add('RULE_SET_TERM_AMOUNT', at, 'needs a weight (share of the amount at risk) or a fixedAmount (in euros)');
  } else if (term.weight !== undefined && rules.basis === undefined) {
    problems.add('RULE_SET_BASIS_REQUIRED', `${at}.weight`, 'a weighted term shares the amount at risk: give the rule set a basis, or use a fixedAmount');
  }
}

function checkPayout(term: RuleSetTerm, at: string, problems: Problems): void {
  const p = term.payout;
  switch (p.kind) {
    case 'LINEAR':
    case 'LEVEL_RATIO':
      if (dec(p.threshold).greaterThan(dec(p.cap))) {
        problems.add('RULE_SET_THRESHOLD_ABOVE_CAP', `${at}.payout.threshold`, `${p.threshold} is above the cap ${p.cap}: the term could never pay`);
      }
      return;
    case 'BANDS':
      checkTable(p.bands, `${at}.payout.bands`, problems);
      p.bands.forEach((band, k) => {
        const factor = dec(band.factor);
        if (factor.greaterThan(1)) {
          problems.add('RULE_SET_TABLE_INVALID', `${at}.payout.bands[${k}].factor`, `${band.factor} is above 1: a band pays at most the whole amount`);
        } else if (k > 0 && factor.lessThan(dec(p.bands[k - 1].factor))) {
          problems.add('RULE_SET_TABLE_INVALID', `${at}.payout.bands[${k}].factor`, `${band.factor} is below the previous band's ${p.bands[k - 1].factor}: more achievement never pays less`);
        }
      });
      return;
    case 'MARGINAL_TIERS':
      checkTable(p.tiers, `${at}.payout.tiers`, problems);
      return;
    case 'THRESHOLD':
    case 'PRICE_PER_UNIT':
      return; // the schema already holds them: a non-negative threshold, a price in euros
  }
}

/** A stepped table: the first row starts at 0, every next one strictly above the previous (no gap, no overlap). */
function checkTable(rows: readonly (Band | Tier)[], at: string, problems: Problems): void {
  rows.forEach((row, k) => {
    const from = dec(row.from);
    if (k === 0 && !from.isZero()) {
      problems.add('RULE_SET_TABLE_INVALID', `${at}[0].from`, `the first row must start at "0" (not ${row.from}), so every achievement falls in a row`);
    } else if (k > 0 && !from.greaterThan(dec(rows[k - 1].from))) {
      problems.add('RULE_SET_TABLE_INVALID', `${at}[${k}].from`, `${row.from} must be above the previous row's ${rows[k - 1].from}`);
    }
  });
}

/**
 * Targets for every scored term in every LIVE period and grouping (a SHADOW period may still lack them:
 * Padova sets its targets from Y2); a baseline per grouping for price per unit (unless the indicator holds
 * a LEVEL, counted from zero). A grouping's own value wins; a contract-wide one stands for the rest.
 */
function checkIndicatorData(term: RuleSetTerm, ind: RuleSetIndicatorContext, at: string, rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): void {
  if (term.payout.kind === 'PRICE_PER_UNIT') {
    if (ind.direction === 'LEVEL') return;
    const missing = ctx.groupings
      .map((g) => g.code)
      .filter((g) => !ind.baselines.some((b) => b.value !== null && (b.grouping === g || b.grouping === null)));
    if (missing.length > 0) {
      problems.add('RULE_SET_BASELINE_MISSING', `${at}.indicator`, `${ind.code} has no baseline value for ${list(missing)}: price per unit pays the units beyond it`);
    }
    return;
  }
  const missing: string[] = [];
  for (const period of livePeriods(rules, ctx)) {
    for (const g of ctx.groupings) {
      if (!ind.targets.some((t) => t.period === period && (t.grouping === g.code || t.grouping === null))) missing.push(`${g.code} in ${period}`);
    }
  }
  if (missing.length > 0) {
    problems.add(
      'RULE_SET_TARGET_MISSING',
      `${at}.indicator`,
      `${ind.code} has no target for ${list(missing)}: a ${term.payout.kind} term needs one in every LIVE period (mark a period SHADOW in phases, or add the targets)`,
    );
  }
}

function list(items: string[]): string {
  return items.length <= MAX_LISTED ? items.join(', ') : `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}
