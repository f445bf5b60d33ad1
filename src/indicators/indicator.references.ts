import { EntityManager, In } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { IndicatorView } from 'src/indicators/dto/indicator.dto';
import {
  IndicatorBaselineEntity,
  IndicatorDenominatorEntity,
  IndicatorEntity,
  IndicatorTargetEntity,
} from 'src/indicators/indicator.entity';
import { checkBaselinesAndTargets, checkDenominators, IndicatorShape } from 'src/indicators/indicator.rules';
import { IndicatorError } from 'src/indicators/indicators.errors';
import { ReferencePopulationEntity } from 'src/value-chain/reference-population.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';

// What an indicator points at lives in other modules (contracts, value chain). It is read here through
// the EntityManager and the entity classes only, so this module does not depend on their services.

/** A contract with its periods and groupings, by id: everything an indicator's rows may refer to. */
export interface ContractScope {
  contract: ContractEntity;
  periods: ReadonlyMap<string, ContractPeriodEntity>;
  groupings: ReadonlyMap<string, ProviderGroupingEntity>;
}

export async function requireContract(m: EntityManager, contractId: string): Promise<void> {
  if (!(await m.existsBy(ContractEntity, { id: contractId }))) {
    throw new IndicatorError('INDICATOR_CONTRACT_NOT_FOUND', `Contract ${contractId} not found`, { contractId });
  }
}

export async function loadContractScope(m: EntityManager, contractId: string): Promise<ContractScope> {
  const contract = await m.findOneBy(ContractEntity, { id: contractId });
  if (!contract) {
    throw new IndicatorError('INDICATOR_CONTRACT_NOT_FOUND', `Contract ${contractId} not found`, { contractId });
  }
  const periods = await m.find(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' } });
  const groupings = await m.find(ProviderGroupingEntity, { where: { contractId }, order: { position: 'ASC' } });
  return { contract, periods: new Map(periods.map((p) => [p.id, p])), groupings: new Map(groupings.map((g) => [g.id, g])) };
}

/** The node must be one of the contract's project value chain. */
export async function requireNode(m: EntityManager, scope: ContractScope, nodeId: string): Promise<ValueChainNodeEntity> {
  const node = await m.findOneBy(ValueChainNodeEntity, { id: nodeId });
  if (!node || node.projectId !== scope.contract.projectId) {
    throw new IndicatorError('INDICATOR_NODE_NOT_IN_PROJECT', `Node ${nodeId} is not in the value chain of the contract's project`, {
      nodeId,
      fields: [{ field: 'nodeId', message: "not a node of the contract's project value chain" }],
    });
  }
  return node;
}

export function requirePeriod(scope: ContractScope, periodId: string, field: string): ContractPeriodEntity {
  const period = scope.periods.get(periodId);
  if (!period) {
    throw new IndicatorError('INDICATOR_UNKNOWN_PERIOD', `Period ${periodId} is not a period of contract ${scope.contract.code}`, {
      periodId,
      fields: [{ field, message: 'not a period of this contract' }],
    });
  }
  return period;
}

export function requireGrouping(scope: ContractScope, groupingId: string | null, field: string): ProviderGroupingEntity | null {
  if (groupingId === null) {
    return null;
  }
  const grouping = scope.groupings.get(groupingId);
  if (!grouping) {
    throw new IndicatorError('INDICATOR_UNKNOWN_GROUPING', `Grouping ${groupingId} is not a grouping of contract ${scope.contract.code}`, {
      groupingId,
      fields: [{ field, message: 'not a grouping of this contract' }],
    });
  }
  return grouping;
}

/** Loads the reference populations by id; every one must belong to the contract's project. */
export async function requirePopulations(
  m: EntityManager,
  scope: ContractScope,
  rows: readonly { referencePopulationId: string }[],
  path = 'denominators',
): Promise<Map<string, ReferencePopulationEntity>> {
  const ids = [...new Set(rows.map((r) => r.referencePopulationId))];
  const found = ids.length === 0 ? [] : await m.find(ReferencePopulationEntity, { where: { id: In(ids) } });
  const byId = new Map(found.filter((p) => p.projectId === scope.contract.projectId).map((p) => [p.id, p]));
  rows.forEach((r, i) => {
    if (!byId.has(r.referencePopulationId)) {
      throw new IndicatorError('INDICATOR_UNKNOWN_POPULATION', `Reference population ${r.referencePopulationId} is not in the contract's project`, {
        referencePopulationId: r.referencePopulationId,
        fields: [{ field: `${path}[${i}].referencePopulationId`, message: "not a reference population of the contract's project" }],
      });
    }
  });
  return byId;
}

/** Every row of an indicator, as stored or about to be stored. */
export interface IndicatorRows {
  baselines: readonly IndicatorBaselineEntity[];
  targets: readonly IndicatorTargetEntity[];
  denominators: readonly IndicatorDenominatorEntity[];
}

/**
 * The domain rules on the whole set, with periods and groupings named by their codes in messages
 * (codes are unique within a contract, so they key the rules as well as ids would).
 */
export function checkIndicatorRows(shape: IndicatorShape, scope: ContractScope, rows: IndicatorRows): void {
  const groupingCode = (id: string | null): string | null => (id === null ? null : (scope.groupings.get(id)?.code ?? id));
  checkBaselinesAndTargets(
    shape,
    rows.baselines.map((b) => ({ grouping: groupingCode(b.groupingId), value: b.value })),
    rows.targets.map((t) => ({ period: scope.periods.get(t.periodId)?.code ?? t.periodId, grouping: groupingCode(t.groupingId), value: t.value })),
  );
  checkDenominators(
    shape,
    rows.denominators.map((d) => ({ grouping: groupingCode(d.groupingId), population: d.referencePopulationId })),
  );
}

export async function loadRows(m: EntityManager, indicatorId: string): Promise<IndicatorRows> {
  const order = { position: 'ASC' } as const;
  return {
    baselines: await m.find(IndicatorBaselineEntity, { where: { indicatorId }, order }),
    targets: await m.find(IndicatorTargetEntity, { where: { indicatorId }, order }),
    denominators: await m.find(IndicatorDenominatorEntity, { where: { indicatorId }, order }),
  };
}

/** Indicators with their rows and the codes they point at, in the order given, loaded in a few queries. */
export async function loadIndicatorViews(m: EntityManager, indicators: readonly IndicatorEntity[]): Promise<IndicatorView[]> {
  if (indicators.length === 0) {
    return [];
  }
  const ids = indicators.map((i) => i.id);
  const contractIds = [...new Set(indicators.map((i) => i.contractId))];
  const order = { position: 'ASC' } as const;
  // One query after another: inside a transaction they share a single connection.
  const baselines = await m.find(IndicatorBaselineEntity, { where: { indicatorId: In(ids) }, order });
  const targets = await m.find(IndicatorTargetEntity, { where: { indicatorId: In(ids) }, order });
  const denominators = await m.find(IndicatorDenominatorEntity, { where: { indicatorId: In(ids) }, order });
  const nodes = await m.find(ValueChainNodeEntity, { where: { id: In([...new Set(indicators.map((i) => i.nodeId))]) } });
  const periods = await m.find(ContractPeriodEntity, { where: { contractId: In(contractIds) } });
  const groupings = await m.find(ProviderGroupingEntity, { where: { contractId: In(contractIds) } });
  const populationIds = [...new Set(denominators.map((d) => d.referencePopulationId))];
  const populations = populationIds.length === 0 ? [] : await m.find(ReferencePopulationEntity, { where: { id: In(populationIds) } });

  const nodeCodes = new Map(nodes.map((n) => [n.id, n.code]));
  const periodCodes = new Map(periods.map((p) => [p.id, p.code]));
  const groupingCodes = new Map(groupings.map((g) => [g.id, g.code]));
  const populationsById = new Map(populations.map((p) => [p.id, { code: p.code, value: p.value }]));
  return indicators.map((indicator) => ({
    indicator,
    nodeCode: nodeCodes.get(indicator.nodeId) ?? '',
    baselines: baselines.filter((b) => b.indicatorId === indicator.id),
    targets: targets.filter((t) => t.indicatorId === indicator.id),
    denominators: denominators.filter((d) => d.indicatorId === indicator.id),
    periodCodes,
    groupingCodes,
    populations: populationsById,
  }));
}
