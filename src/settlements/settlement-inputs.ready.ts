import { EntityManager } from 'typeorm';
import type { BindingIndicatorSet } from 'src/co-definition/indicator-set.resolver';
import { ContractEntity } from 'src/contracts/contract.entity';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import type { SettlementInputs } from 'src/settlements/settlement-document';
import { assembleInputs, bindingsInForce, type ContractFrame, fetchInputRows, type InputRows } from 'src/settlements/settlement-inputs.loader';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { calculating, SettlementError } from 'src/settlements/settlements.errors';

// The inputs of a contract period, ready to settle: what compute, approve (staleness) and reopen read.

export interface ReadyInputs {
  inputs: SettlementInputs[];
  /** The latest version of each grouping's settlement for the period (without documents), by grouping id. */
  latest: Map<string, SettlementEntity>;
  groupingIds: string[];
  frame: ContractFrame;
  period: ContractFrame['periods'][number];
  bindingVersionId: string;
}

/** The inputs of a contract period from rows already read; 404/409/422 when it cannot be settled. */
export function readyInputs(rows: InputRows, bindings: ReadonlyMap<string, BindingIndicatorSet>, contract: ContractEntity, periodId: string): ReadyInputs {
  const period = (rows.periods.get(contract.id) ?? []).find((x) => x.id === periodId);
  if (!period) {
    throw new SettlementError('SETTLEMENT_PERIOD_NOT_IN_CONTRACT', `Period ${periodId} is not a period of contract ${contract.id}`, { periodId });
  }
  const binding = bindings.get(contract.id);
  if (!binding) {
    throw new SettlementError('SETTLEMENT_NO_BINDING_INDICATOR_SET', `No binding indicator set is in force for period ${period.code}`, { periodId });
  }
  if (binding.paymentRules === null || binding.paymentRules === undefined) {
    throw new SettlementError('SETTLEMENT_NO_RULE_SET', `Binding version ${binding.version} has no payment rules: add them and approve a new version`, {
      periodId,
      version: binding.version,
    });
  }
  const { frame, inputs } = calculating(() => assembleInputs(rows, contract, periodId, binding, binding.paymentRules as RuleSetDocument));
  return {
    inputs,
    latest: rows.latest.get(contract.id) ?? new Map<string, SettlementEntity>(),
    groupingIds: frame.groupings.map((g) => g.id),
    frame,
    period: frame.periods.find((x) => x.id === periodId) as ContractFrame['periods'][number],
    bindingVersionId: binding.versionId,
  };
}

/** Everything the period's settlements are computed from, read once. */
export async function readCurrentInputs(m: EntityManager, contract: ContractEntity, periodId: string): Promise<ReadyInputs> {
  const periodIds = new Map([[contract.id, periodId]]);
  const rows = await fetchInputRows(m, [contract], periodIds);
  const bindings = await bindingsInForce(m, rows, periodIds);
  return readyInputs(rows, bindings, contract, periodId);
}
