import { EntityManager, In } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';

// Loaders shared by the contracts module's services; each takes the transaction's EntityManager.

/**
 * Loads a contract. With `lock`, on PostgreSQL the row is locked until the transaction ends: every write
 * to a contract's structure (periods, groupings, members, fees) takes it, so two concurrent writers cannot
 * both pass a check (contiguity, last period) against the same state. SQLite already serialises writers.
 */
export async function findContract(m: EntityManager, id: string, lock = false): Promise<ContractEntity> {
  const locking = lock && m.connection.options.type === 'postgres';
  const entity = await m.findOne(ContractEntity, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (!entity) {
    throw new ContractError('CONTRACT_NOT_FOUND', `Contract ${id} not found`, { id });
  }
  return entity;
}

export async function findPeriod(m: EntityManager, id: string): Promise<ContractPeriodEntity> {
  const entity = await m.findOneBy(ContractPeriodEntity, { id });
  if (!entity) {
    throw new ContractError('PERIOD_NOT_FOUND', `Contract period ${id} not found`, { id });
  }
  return entity;
}

export async function findGrouping(m: EntityManager, id: string): Promise<ProviderGroupingEntity> {
  const entity = await m.findOneBy(ProviderGroupingEntity, { id });
  if (!entity) {
    throw new ContractError('GROUPING_NOT_FOUND', `Provider grouping ${id} not found`, { id });
  }
  return entity;
}

/** The periods of some contracts, each contract's in position order. */
export async function periodsOf(m: EntityManager, contractIds: readonly string[]): Promise<Map<string, ContractPeriodEntity[]>> {
  const byContract = new Map<string, ContractPeriodEntity[]>(contractIds.map((id) => [id, []]));
  if (contractIds.length === 0) {
    return byContract;
  }
  const rows = await m.find(ContractPeriodEntity, { where: { contractId: In([...contractIds]) }, order: { position: 'ASC' } });
  for (const row of rows) {
    byContract.get(row.contractId)?.push(row);
  }
  return byContract;
}

export interface MemberWithOrganisation {
  member: GroupingMemberEntity;
  organisation: OrganisationEntity;
}

/** The members of some groupings with their organisations, each grouping's in position order. */
export async function membersOf(m: EntityManager, groupingIds: readonly string[]): Promise<Map<string, MemberWithOrganisation[]>> {
  const byGrouping = new Map<string, MemberWithOrganisation[]>(groupingIds.map((id) => [id, []]));
  if (groupingIds.length === 0) {
    return byGrouping;
  }
  const members = await m.find(GroupingMemberEntity, { where: { groupingId: In([...groupingIds]) }, order: { position: 'ASC' } });
  const organisationIds = [...new Set(members.map((x) => x.organisationId))];
  const organisations = organisationIds.length === 0 ? [] : await m.findBy(OrganisationEntity, { id: In(organisationIds) });
  const byId = new Map(organisations.map((o) => [o.id, o]));
  for (const member of members) {
    const organisation = byId.get(member.organisationId);
    if (organisation) {
      byGrouping.get(member.groupingId)?.push({ member, organisation });
    }
  }
  return byGrouping;
}
