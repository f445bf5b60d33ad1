import { EntityManager } from 'typeorm';
import { ContractEntity } from 'src/contracts/contract.entity';
import { CoDefinitionError } from 'src/co-definition/co-definition.errors';
import { IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
import { IndicatorSetContent } from 'src/co-definition/indicator-set.snapshot';
import { RuleSetTestResult, runRuleSetTests } from 'src/rule-sets/rule-set.test-runner';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { loadContractFrame, testContext } from 'src/settlements/settlement-inputs.loader';

/** The field code of a case whose amounts differ from its expectations (a case that errs carries the error's code). */
export const RULE_SET_TEST_FAILED = 'RULE_SET_TEST_FAILED';

/**
 * A version whose payment rules carry test cases binds only while every case passes: each side's approval
 * runs them against the frozen indicators and the contract's groupings, fees and members. Otherwise 422 with
 * one field per failing case (`paymentRules.tests[1]`, code `RULE_SET_TEST_FAILED` or the error's own) and
 * `details.tests`: those cases as `POST /contracts/:id/payment-rules/test-runs` lists its results, with their
 * `index` in the rule set's tests.
 */
export async function requirePassingRuleSetTests(m: EntityManager, contract: ContractEntity, version: IndicatorSetVersionEntity, content: IndicatorSetContent): Promise<void> {
  const run = await runVersionRuleSetTests(m, contract, version, content);
  if (run === null) return;
  const { results } = run;
  const failing = results.map((result, index) => ({ index, ...result })).filter((r) => !r.passed);
  if (failing.length === 0) return;
  throw new CoDefinitionError('CO_DEFINITION_RULE_SET_TESTS_FAILING', `${failing.length} of ${results.length} rule-set test cases fail: version ${version.version} cannot be approved`, {
    id: version.id,
    tests: failing,
    fields: failing.map((r) => ({ field: `paymentRules.tests[${r.index}]`, code: r.error?.code ?? RULE_SET_TEST_FAILED, message: readable(r) })),
  });
}

/**
 * The test cases of a frozen version's payment rules, run as its approval runs them (against its frozen
 * indicators and the contract's groupings, fees and members); null when the version has no payment rules.
 */
export async function runVersionRuleSetTests(
  m: EntityManager,
  contract: ContractEntity,
  version: IndicatorSetVersionEntity,
  content: IndicatorSetContent,
): Promise<{ rules: RuleSetDocument; results: RuleSetTestResult[] } | null> {
  const rules = content.paymentRules as RuleSetDocument | null;
  if (rules === null || rules === undefined) return null;
  if ((rules.tests ?? []).length === 0) return { rules, results: [] };
  const frame = await loadContractFrame(m, contract);
  return { rules, results: runRuleSetTests(rules, testContext(frame, { version: version.version, contentHash: version.contentHash }, content.indicators)) };
}

function readable(r: RuleSetTestResult): string {
  if (r.error !== null) return `${r.name}: ${r.error.code} ${r.error.message}`;
  return `${r.name}: ${r.mismatches.map((x) => `${x.field} expected ${x.expected}, got ${x.actual}`).join('; ')}`;
}
