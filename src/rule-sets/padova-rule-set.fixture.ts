import { readFileSync } from 'node:fs';
import { contractsPath } from 'src/contract-definitions/contract-definition.files';
import { ruleSetContextOf } from 'src/contract-definitions/contract-definition.checks';
import type { ContractDefinition } from 'src/contract-definitions/contract-definition.types';
import type { RuleSetContext, RuleSetProblem } from 'src/rule-sets/rule-set.validation';
import { ruleSetProblems } from 'src/rule-sets/rule-set.validation';

// For the rule-set specs: the Padova rule set PD-SDC-R1 of contracts/examples/padova-sdc-2.0.json and the
// contract it is checked against (IND-01..05 and IND-G1, RTI-A with fee 320,000.00 and RTI-B with
// 280,000.00 in Y1-Y3, targets in Y2 and Y3, IND-04 a survey with a minimum sample of 200; RTI-A's members
// ETS-AURORA, ETS-BORGO-VIVO, ETS-CICLAMINO). Every call gives a fresh copy to break.

export function exampleDocument(file: string): ContractDefinition {
  return JSON.parse(readFileSync(contractsPath('examples', file), 'utf8')) as ContractDefinition;
}

/** The Padova rule set as plain JSON, to be broken field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs break the document in ways its type forbids
export function padovaRules(): any {
  return exampleDocument('padova-sdc-2.0.json').contract.paymentRules;
}

export function padovaContext(): RuleSetContext {
  return ruleSetContextOf(exampleDocument('padova-sdc-2.0.json'));
}

/** Problems as [code, field] pairs, the shape most specs assert. */
export function problemsOf(doc: unknown, ctx: RuleSetContext = padovaContext()): [string, string][] {
  return ruleSetProblems(doc, ctx).map((p: RuleSetProblem) => [p.code, p.field]);
}

export function messagesOf(doc: unknown, ctx: RuleSetContext = padovaContext()): RuleSetProblem[] {
  return ruleSetProblems(doc, ctx);
}
