import { DOCUMENT_FIELD } from 'src/contract-definitions/contract-definition.schema';
import type { Aggregation, Direction, IndicatorUnit } from 'src/indicators/indicator.entity';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import type { RuleSetProblemCode } from 'src/rule-sets/rule-sets.errors';

// What rule-set checks share: the contract context they check against, and the problem list.

/** One indicator of the contract, with what rule-set checks need of it. */
export interface RuleSetIndicatorContext {
  code: string;
  unit: IndicatorUnit;
  direction: Direction;
  disaggregations: { dimension: string; values: string[] }[];
  /** `grouping` null: a contract-wide baseline, which stands for every grouping without its own. `value` null: still to be established. */
  baselines: { grouping: string | null; value: string | null }[];
  /** `grouping` null: a contract-wide target for the period. */
  targets: { period: string; grouping: string | null; value: string }[];
  /** How its parts relate to its value (SUM parts add up to it): a test case's parts are held to it, as a measurement's are. */
  aggregation: Aggregation;
  /** A survey's minimum sample (null: not a survey). A test case's value of a survey needs its sample size, as a measurement does. */
  minSampleSize: number | null;
}

/** What the contract holds now: a rule set is checked against it. */
export interface RuleSetContext {
  indicators: RuleSetIndicatorContext[];
  /**
   * Provider groupings with their fee per period (period codes) and their members' organisation codes, in
   * order (what a test case's expected allocation may name).
   */
  groupings: { code: string; fees: { period: string; amount: string }[]; members: string[] }[];
  /** Period codes, in order. */
  periods: string[];
  /** Organisation codes an evaluation payer may name. */
  organisations: string[];
}

export interface RuleSetProblem {
  code: RuleSetProblemCode;
  field: string;
  message: string;
}

export interface RuleSetValidationOptions {
  /** Path of the rule set in the enclosing document or body: `paymentRules`, `contract.paymentRules`. */
  at?: string;
}

/** Adds problems with paths relative to the rule set; `path('terms[0].cap')` gives the full field. */
export class Problems {
  readonly list: RuleSetProblem[] = [];

  constructor(readonly at: string) {}

  path(relative: string): string {
    if (this.at === '') return relative === '' ? DOCUMENT_FIELD : relative;
    if (relative === '') return this.at;
    return relative.startsWith('[') ? `${this.at}${relative}` : `${this.at}.${relative}`;
  }

  add(code: RuleSetProblemCode, relative: string, message: string): void {
    this.list.push({ code, field: this.path(relative), message });
  }
}

/** Periods where the premium is paid: every period not listed as SHADOW. */
export function livePeriods(rules: RuleSetDocument, ctx: RuleSetContext): string[] {
  const shadow = new Set((rules.phases ?? []).filter((p) => p.mode === 'SHADOW').map((p) => p.period));
  return ctx.periods.filter((p) => !shadow.has(p));
}

/** Reports the second and later uses of the same id. */
export function checkUnique(ids: { id: string; field: string }[], what: string, problems: Problems): void {
  const first = new Map<string, string>();
  for (const { id, field } of ids) {
    const earlier = first.get(id);
    if (earlier !== undefined) {
      problems.add('RULE_SET_DUPLICATE_ID', field, `${what} ${id} is already used by ${problems.path(earlier)}`);
    } else {
      first.set(id, field);
    }
  }
}

