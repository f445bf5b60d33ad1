import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessScope, isVisible } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { CoDefinitionError } from 'src/co-definition/co-definition.errors';
import { ProposalEntity } from 'src/co-definition/proposal.entity';

/**
 * Who may do what in co-definition, on top of AccessScope:
 * - proposals are written by ETS users of the contract's groupings and by evaluators granted the contract;
 * - they are read by the contract's municipal staff, granted evaluators (and auditors), and the proposing
 *   organisation; an ETS never sees another ETS's proposals (404);
 * - contract managers consolidate and freeze versions; approvers and grouping leads approve.
 */
@Injectable()
export class CoDefinitionAccess {
  constructor(private readonly scope: AccessScope) {}

  /** The contract, or 404 when it does not exist or the caller may not read it. */
  async readableContract(m: EntityManager, p: Principal, contractId: string, lock = false): Promise<ContractEntity> {
    const locking = lock && m.connection.options.type === 'postgres';
    const contract = await m.findOne(ContractEntity, { where: { id: contractId }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!contract || !(await this.scope.canReadContract(m, p, contractId))) {
      throw new CoDefinitionError('CO_DEFINITION_CONTRACT_NOT_FOUND', `Contract ${contractId} not found`, { contractId });
    }
    return contract;
  }

  /** Contract managers of the contract's municipality (and platform administrators); 403 for other readers. */
  async requireManager(m: EntityManager, p: Principal, contract: ContractEntity): Promise<void> {
    if (!(await this.scope.canManage(m, p, contract.municipalityId))) {
      throw forbidden('Only a contract manager of the municipality may do this');
    }
  }

  async isMunicipalStaff(m: EntityManager, p: Principal, contract: ContractEntity): Promise<boolean> {
    return isVisible(await this.scope.municipalities(m, p), contract.municipalityId);
  }

  /** Evaluators (and external auditors) of an organisation granted the contract. */
  async isGranted(m: EntityManager, p: Principal, contractId: string, roles: ('evaluator' | 'auditor')[]): Promise<boolean> {
    if (!p.organisationId || !hasAnyRole(p, roles)) return false;
    return m.existsBy(ContractGrantEntity, { contractId, organisationId: p.organisationId });
  }

  /** Whether the caller sees every proposal of the contract (not only its own organisation's). */
  async seesAllProposals(m: EntityManager, p: Principal, contract: ContractEntity): Promise<boolean> {
    return isPlatformAdmin(p) || (await this.isMunicipalStaff(m, p, contract)) || (await this.isGranted(m, p, contract.id, ['evaluator', 'auditor']));
  }

  /** The organisation a caller proposes for: an ETS member of one of the contract's groupings, or a granted evaluator. */
  async proposingOrganisation(m: EntityManager, p: Principal, contract: ContractEntity): Promise<string> {
    if (p.organisationId) {
      if (hasAnyRole(p, ['ets_member', 'grouping_lead']) && (await this.isMember(m, p.organisationId, contract.id))) {
        return p.organisationId;
      }
      if (await this.isGranted(m, p, contract.id, ['evaluator'])) {
        return p.organisationId;
      }
    }
    throw forbidden('Only the ETS of the contract and granted evaluators propose indicators');
  }

  /** The proposal, or 404 when it does not exist or the caller may not see it. */
  async readableProposal(m: EntityManager, p: Principal, id: string, lock = false): Promise<{ proposal: ProposalEntity; contract: ContractEntity }> {
    const notFound = () => new CoDefinitionError('CO_DEFINITION_PROPOSAL_NOT_FOUND', `Proposal ${id} not found`, { id });
    const locking = lock && m.connection.options.type === 'postgres';
    const proposal = await m.findOne(ProposalEntity, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!proposal) throw notFound();
    const contract = await m.findOneBy(ContractEntity, { id: proposal.contractId });
    if (!contract || !(await this.scope.canReadContract(m, p, contract.id))) throw notFound();
    if (proposal.organisationId !== p.organisationId && !(await this.seesAllProposals(m, p, contract))) throw notFound();
    return { proposal, contract };
  }

  /** The groupings of this contract whose mandataria is the caller's organisation (grouping leads only). */
  async ledGroupingsOf(m: EntityManager, p: Principal, contractId: string): Promise<ProviderGroupingEntity[]> {
    const led = await this.scope.ledGroupings(m, p);
    if (led.length === 0) return [];
    const groupings = await m.find(ProviderGroupingEntity, { where: { contractId }, order: { position: 'ASC' } });
    return groupings.filter((g) => led.includes(g.id));
  }

  /** Approvers of the contract's municipality (or of its district). */
  async isMunicipalApprover(m: EntityManager, p: Principal, contract: ContractEntity): Promise<boolean> {
    return !isPlatformAdmin(p) && p.roles.has('approver') && (await this.scope.canManage(m, p, contract.municipalityId, ['approver']));
  }

  private async isMember(m: EntityManager, organisationId: string, contractId: string): Promise<boolean> {
    const memberships = await m.find(GroupingMemberEntity, { where: { organisationId }, select: { groupingId: true } });
    if (memberships.length === 0) return false;
    const groupings = await m.find(ProviderGroupingEntity, { where: { contractId }, select: { id: true } });
    return groupings.some((g) => memberships.some((x) => x.groupingId === g.id));
  }
}

export function forbidden(message: string): Error {
  return new AuthError('AUTH_FORBIDDEN', message);
}
