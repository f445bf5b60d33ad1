import canonicalize from 'canonicalize';
import { checkConditions } from 'src/rule-sets/rule-set.condition-checks';
import { checkMoney } from 'src/rule-sets/rule-set.money-checks';
import { checkUnique, Problems, type RuleSetContext, type RuleSetProblem, type RuleSetValidationOptions } from 'src/rule-sets/rule-set.problems';
import { ruleSetSchemaProblems } from 'src/rule-sets/rule-set.schema';
import { checkTerms } from 'src/rule-sets/rule-set.term-checks';
import { checkTests } from 'src/rule-sets/rule-set.test-checks';
import { termId, type RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { RuleSetError } from 'src/rule-sets/rule-sets.errors';

// Validation of a payment rule set when it is saved (PUT /contracts/:id/payment-rules) or imported with a
// contract definition (docs/rule-sets.md). Pure: the caller hands in what the contract holds now.
//
//   1. size: at most 256 KiB of canonical JSON (RFC 8785)
//   2. JSON Schema (contracts/schema/rule-set.schema.json): shape, decimals, list limits; stops here on failure
//   3. meaning, against the contract: indicators, facts and operators of conditions, ids, phases, weights,
//      payout tables, targets and baselines, caps within the amount at risk, payers, test cases
//
// Every problem has a code, a field path (`terms[2].gate.condition.all[0].fact`, prefixed by `at`) and a
// message. Example: Padova's rule set with the weight of IND-05 at "0.25" gives
//   [{ code: "RULE_SET_WEIGHTS_NOT_ONE", field: "terms", message: "the weights of the weighted terms sum to 1.05, not exactly 1" }]

export const MAX_RULE_SET_BYTES = 256 * 1024;

export type { RuleSetContext, RuleSetIndicatorContext, RuleSetProblem, RuleSetValidationOptions } from 'src/rule-sets/rule-set.problems';

/** Every problem of a rule set against the contract's current content, check by check; empty when it is valid. */
export function ruleSetProblems(doc: unknown, ctx: RuleSetContext, options: RuleSetValidationOptions = {}): RuleSetProblem[] {
  const problems = new Problems(options.at ?? '');
  const bytes = Buffer.byteLength(canonicalize(doc) ?? '', 'utf8');
  if (bytes > MAX_RULE_SET_BYTES) {
    problems.add('RULE_SET_TOO_LARGE', '', `is ${bytes} bytes of canonical JSON; a rule set may have at most ${MAX_RULE_SET_BYTES} (256 KiB)`);
    return problems.list;
  }
  const schema = ruleSetSchemaProblems(doc, options.at ?? '');
  if (schema.length > 0) return schema;

  const rules = doc as RuleSetDocument;
  checkPhases(rules, ctx, problems);
  checkTerms(rules, ctx, problems);
  checkGuardrails(rules, problems);
  checkMoney(rules, ctx, problems);
  checkEvaluationPayers(rules, ctx, problems);
  checkConditions(rules, ctx, problems);
  checkTests(rules, ctx, problems);
  return problems.list;
}

/**
 * Throws a 422 RuleSetError unless the rule set is valid: its code is the first problem's, its
 * `details.fields` lists every problem with its own code.
 */
export function assertValidRuleSet(doc: unknown, ctx: RuleSetContext, options: RuleSetValidationOptions = {}): asserts doc is RuleSetDocument {
  const problems = ruleSetProblems(doc, ctx, options);
  if (problems.length === 0) return;
  const first = problems[0];
  const problem = first.field === '' ? first.message : `${first.field}: ${first.message}`;
  const summary = problems.length === 1 ? problem : `${problem} (and ${problems.length - 1} more)`;
  throw new RuleSetError(first.code, `The payment rules are not valid: ${summary}`, {
    fields: problems.map((p) => ({ field: p.field, message: p.message, code: p.code })),
  });
}

function checkPhases(rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): void {
  const periods = new Set(ctx.periods);
  const seen = new Map<string, number>();
  (rules.phases ?? []).forEach((phase, i) => {
    const at = `phases[${i}]`;
    if (!periods.has(phase.period)) {
      problems.add('RULE_SET_UNKNOWN_PERIOD', `${at}.period`, `the contract has no period ${phase.period}`);
    }
    const earlier = seen.get(phase.period);
    if (earlier !== undefined) {
      problems.add('RULE_SET_DUPLICATE_PHASE', `${at}.period`, `period ${phase.period} already has a phase in phases[${earlier}]`);
    } else {
      seen.set(phase.period, i);
    }
    const ms = phase.milestone;
    if (ms === undefined) return;
    if (phase.mode !== 'SHADOW') {
      problems.add('RULE_SET_MILESTONE_NOT_SHADOW', `${at}.milestone`, 'only a SHADOW period can have a milestone: a LIVE period pays its premium');
    }
    if ((ms.share === undefined) === (ms.amount === undefined)) {
      problems.add('RULE_SET_MILESTONE_AMOUNT', `${at}.milestone`, 'needs exactly one of share (of the amount at risk) and amount (in euros)');
    } else if (ms.share !== undefined && rules.basis === undefined) {
      problems.add('RULE_SET_BASIS_REQUIRED', `${at}.milestone.share`, 'a share of the amount at risk needs a basis: give the rule set a basis, or pay a fixed amount');
    }
  });
}

function checkGuardrails(rules: RuleSetDocument, problems: Problems): void {
  const guardrails = rules.guardrails ?? [];
  checkUnique(guardrails.map((g, i) => ({ id: g.id, field: `guardrails[${i}].id` })), 'guardrail id', problems);
  const terms = new Set(rules.terms.map(termId));
  guardrails.forEach((g, i) =>
    g.suspends.forEach((id, j) => {
      if (!terms.has(id)) problems.add('RULE_SET_UNKNOWN_TERM', `guardrails[${i}].suspends[${j}]`, `no term has id ${id}`);
    }),
  );
}

function checkEvaluationPayers(rules: RuleSetDocument, ctx: RuleSetContext, problems: Problems): void {
  const payers = rules.evaluationPayers ?? [];
  checkUnique(payers.map((p, i) => ({ id: p.id, field: `evaluationPayers[${i}].id` })), 'evaluation payer id', problems);
  const organisations = new Set(ctx.organisations);
  payers.forEach((p, i) => {
    if (!organisations.has(p.payer)) problems.add('RULE_SET_UNKNOWN_ORGANISATION', `evaluationPayers[${i}].payer`, `no organisation with code ${p.payer}`);
  });
}
