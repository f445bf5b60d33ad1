import { EntityManager, In } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';

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
    throw contractNotFound(id);
  }
  return entity;
}

export const contractNotFound = (id: string) => new ContractError('CONTRACT_NOT_FOUND', `Contract ${id} not found`, { id });
export const periodNotFound = (id: string) => new ContractError('PERIOD_NOT_FOUND', `Contract period ${id} not found`, { id });
export const groupingNotFound = (id: string) => new ContractError('GROUPING_NOT_FOUND', `Provider grouping ${id} not found`, { id });

/** A contract the caller may read; otherwise `notFound` (CONTRACT_NOT_FOUND by default), as if it did not exist. */
export async function readableContract(
  m: EntityManager,
  access: AccessScope,
  p: Principal,
  id: string,
  notFound: () => Error = () => contractNotFound(id),
): Promise<ContractEntity> {
  const contract = await findContract(m, id);
  await access.requireReadableContract(m, p, id, notFound);
  return contract;
}

/**
 * A contract, locked (findContract), that the caller may change: `notFound` when it may not even read it,
 * 403 AUTH_FORBIDDEN when it may read it but does not manage its municipality.
 */
export async function manageableContract(
  m: EntityManager,
  access: AccessScope,
  p: Principal,
  id: string,
  notFound: () => Error = () => contractNotFound(id),
): Promise<ContractEntity> {
  const contract = await findContract(m, id, true);
  await access.requireManageableContract(m, p, contract, notFound);
  return contract;
}

export async function findPeriod(m: EntityManager, id: string): Promise<ContractPeriodEntity> {
  const entity = await m.findOneBy(ContractPeriodEntity, { id });
  if (!entity) {
    throw periodNotFound(id);
  }
  return entity;
}

export async function findGrouping(m: EntityManager, id: string): Promise<ProviderGroupingEntity> {
  const entity = await m.findOneBy(ProviderGroupingEntity, { id });
  if (!entity) {
    throw groupingNotFound(id);
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

/** Where a change to a contract or to anything in it is filed in the audit log. */
export function auditScope(c: Pick<ContractEntity, 'id' | 'municipalityId'>): { contractId: string; municipalityId: string } {
  return { contractId: c.id, municipalityId: c.municipalityId };
}
