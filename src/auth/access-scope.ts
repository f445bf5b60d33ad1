import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';
import { MUNICIPAL_ROLES, Role } from 'src/auth/roles';
import { AuthError } from 'src/auth/auth.errors';

export type Visible = 'ALL' | readonly string[];

/**
 * Who may see and change which contracts (docs/decisions/0008-access-model.md):
 * - platform administrators: everything;
 * - municipal staff (admin, contract_manager, approver, auditor of a municipality, or of a district for
 *   its municipalities): the contracts of their municipalities;
 * - ETS staff (ets_member, grouping_lead): the contracts in which their organisation is a grouping member;
 * - evaluators and external auditors: the contracts granted to their organisation.
 * Anything outside is reported as not found by the services, so ids cannot be probed.
 */
@Injectable()
export class AccessScope {
  /** The municipalities whose contracts the caller's organisation administers (municipal roles only). */
  async municipalities(m: EntityManager, p: Principal): Promise<Visible> {
    if (isPlatformAdmin(p)) return 'ALL';
    if (!p.organisationId || !hasAnyRole(p, MUNICIPAL_ROLES)) return [];
    if (p.organisationKind === 'MUNICIPALITY') return [p.organisationId];
    if (p.organisationKind === 'DISTRICT') {
      const members = await m.find(OrganisationEntity, { where: { districtId: p.organisationId }, select: { id: true } });
      return members.map((o) => o.id);
    }
    return [];
  }

  /** Every contract the caller may read. */
  async readableContracts(m: EntityManager, p: Principal): Promise<Visible> {
    const municipalities = await this.municipalities(m, p);
    if (municipalities === 'ALL') return 'ALL';
    const ids = new Set<string>();
    if (municipalities.length > 0) {
      const own = await m.find(ContractEntity, { where: { municipalityId: In([...municipalities]) }, select: { id: true } });
      own.forEach((c) => ids.add(c.id));
    }
    if (p.organisationId && hasAnyRole(p, ['ets_member', 'grouping_lead'])) {
      (await this.memberContracts(m, p.organisationId)).forEach((id) => ids.add(id));
    }
    if (p.organisationId && hasAnyRole(p, ['evaluator', 'auditor'])) {
      const grants = await m.find(ContractGrantEntity, { where: { organisationId: p.organisationId } });
      grants.forEach((g) => ids.add(g.contractId));
    }
    return [...ids].sort();
  }

  async canReadContract(m: EntityManager, p: Principal, contractId: string): Promise<boolean> {
    const visible = await this.readableContracts(m, p);
    return visible === 'ALL' || visible.includes(contractId);
  }

  /** Contract managers of the contract's municipality (and platform administrators) change its structure. */
  async canManage(m: EntityManager, p: Principal, municipalityId: string, roles: readonly Role[] = ['contract_manager']): Promise<boolean> {
    if (isPlatformAdmin(p)) return true;
    if (!hasAnyRole(p, roles)) return false;
    const municipalities = await this.municipalities(m, p);
    return municipalities === 'ALL' || municipalities.includes(municipalityId);
  }

  /** Projects the caller may read: those of its municipalities, and those of contracts it may read. */
  async readableProjects(m: EntityManager, p: Principal): Promise<Visible> {
    const municipalities = await this.municipalities(m, p);
    const contracts = await this.readableContracts(m, p);
    if (municipalities === 'ALL' || contracts === 'ALL') return 'ALL';
    const ids = new Set<string>();
    if (contracts.length > 0) {
      (await m.find(ContractEntity, { where: { id: In([...contracts]) }, select: { projectId: true } })).forEach((c) => ids.add(c.projectId));
    }
    if (municipalities.length > 0) {
      (await m.find(ProjectEntity, { where: { municipalityId: In([...municipalities]) }, select: { id: true } })).forEach((pr) => ids.add(pr.id));
    }
    return [...ids].sort();
  }

  // Object checks for the services. `notFound` builds the module's own *_NOT_FOUND (404): what the caller
  // may not see does not exist for it. Writers who may see an object but not change it get 403.

  async requireReadableContract(m: EntityManager, p: Principal, contractId: string, notFound: () => Error): Promise<void> {
    if (!(await this.canReadContract(m, p, contractId))) throw notFound();
  }

  async requireManageableContract(m: EntityManager, p: Principal, c: { id: string; municipalityId: string }, notFound: () => Error): Promise<void> {
    if (await this.canManage(m, p, c.municipalityId)) return;
    await this.requireReadableContract(m, p, c.id, notFound);
    throw forbidden();
  }

  async requireReadableProject(m: EntityManager, p: Principal, projectId: string, notFound: () => Error): Promise<void> {
    if (!isVisible(await this.readableProjects(m, p), projectId)) throw notFound();
  }

  async requireManageableProject(m: EntityManager, p: Principal, pr: { id: string; municipalityId: string }, notFound: () => Error): Promise<void> {
    if (await this.canManage(m, p, pr.municipalityId)) return;
    await this.requireReadableProject(m, p, pr.id, notFound);
    throw forbidden();
  }

  /** Creating something for a municipality: 403 unless the caller manages it. */
  async requireManage(m: EntityManager, p: Principal, municipalityId: string): Promise<void> {
    if (!(await this.canManage(m, p, municipalityId))) throw forbidden('You do not manage this municipality');
  }

  /** The groupings of which the caller's organisation is the mandataria (for grouping leads). */
  async ledGroupings(m: EntityManager, p: Principal): Promise<readonly string[]> {
    if (!p.organisationId || !p.roles.has('grouping_lead')) return [];
    const rows = await m.find(GroupingMemberEntity, { where: { organisationId: p.organisationId, role: 'MANDATARIA' } });
    return rows.map((r) => r.groupingId).sort();
  }

  private async memberContracts(m: EntityManager, organisationId: string): Promise<readonly string[]> {
    const memberships = await m.find(GroupingMemberEntity, { where: { organisationId }, select: { groupingId: true } });
    if (memberships.length === 0) return [];
    const groupings = await m.find(ProviderGroupingEntity, {
      where: { id: In(memberships.map((x) => x.groupingId)) },
      select: { contractId: true },
    });
    return [...new Set(groupings.map((g) => g.contractId))];
  }
}

export function isVisible(visible: Visible, id: string): boolean {
  return visible === 'ALL' || visible.includes(id);
}

function forbidden(message = 'You may read this object but not change it'): Error {
  return new AuthError('AUTH_FORBIDDEN', message);
}
