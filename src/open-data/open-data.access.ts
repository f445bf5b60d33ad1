import { EntityManager, In } from 'typeorm';
import { AccessScope } from 'src/auth/access-scope';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingMemberEntity } from 'src/contracts/provider-grouping.entity';

/**
 * Whose results a reader of a contract sees in the open-data exports. The exports publish one value per
 * provider grouping (its members' rows aggregated, never a member's own row) and the grouping's approved
 * settlements, to whom may read that grouping's settlements (src/settlements/settlement.access.ts):
 * - platform administrators, the municipality's staff, auditors and evaluators granted the contract: all;
 * - ETS staff: the groupings their organisation is a member of (their own results).
 * Agreed content (indicators, baselines, targets, fees, parties) is the same for every reader of the contract.
 */
export async function visibleGroupings(
  scope: AccessScope,
  m: EntityManager,
  p: Principal,
  contract: ContractEntity,
  groupings: readonly { id: string; code: string }[],
): Promise<Set<string>> {
  const all = new Set(groupings.map((g) => g.code));
  if (isPlatformAdmin(p)) return all;
  const municipalities = await scope.municipalities(m, p);
  if (municipalities === 'ALL' || municipalities.includes(contract.municipalityId)) return all;
  if (!p.organisationId) return new Set();
  if (hasAnyRole(p, ['auditor', 'evaluator']) && (await m.countBy(ContractGrantEntity, { contractId: contract.id, organisationId: p.organisationId })) > 0) {
    return all;
  }
  if (!hasAnyRole(p, ['ets_member', 'grouping_lead']) || groupings.length === 0) return new Set();
  const memberships = await m.find(GroupingMemberEntity, { where: { organisationId: p.organisationId, groupingId: In(groupings.map((g) => g.id)) } });
  const own = new Set(memberships.map((x) => x.groupingId));
  return new Set(groupings.filter((g) => own.has(g.id)).map((g) => g.code));
}
