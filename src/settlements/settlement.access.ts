import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessScope } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { isPlatformAdmin, Principal } from 'src/auth/principal';
import { ContractEntity } from 'src/contracts/contract.entity';
import { MeasurementAccess } from 'src/measurements/measurement.access';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { SettlementError } from 'src/settlements/settlements.errors';

/**
 * Who sees and does what with settlements:
 * - read every grouping's settlement: platform administrators, the municipality's staff, auditors and
 *   evaluators with a grant on the contract; ETS staff only the settlements of groupings their organisation
 *   is a member of (their own results);
 * - compute, simulate, run portfolios: contract managers of the municipality (and the CLI as the system);
 * - approve and reopen: the municipality's approvers, never the person who computed the version.
 * Anything the caller may not read answers 404; readable but not allowed answers 403 AUTH_FORBIDDEN.
 */
@Injectable()
export class SettlementAccess {
  constructor(
    private readonly scope: AccessScope,
    private readonly measurements: MeasurementAccess,
  ) {}

  /** The grouping ids of the contract the caller may see settlements of ('ALL' for municipal staff and granted roles). */
  async visibleGroupings(m: EntityManager, p: Principal, contract: ContractEntity): Promise<'ALL' | string[] | null> {
    const view = await this.measurements.view(m, p, contract);
    if (view === null) return null;
    if (view.kind === 'ALL') return 'ALL';
    return this.measurements.memberGroupings(m, p, contract.id);
  }

  async contract(m: EntityManager, p: Principal, contractId: string, lock = false): Promise<{ contract: ContractEntity; groupings: 'ALL' | string[] }> {
    const locking = lock && m.connection.options.type === 'postgres';
    const contract = await m.findOne(ContractEntity, { where: { id: contractId }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    const groupings = contract ? await this.visibleGroupings(m, p, contract) : null;
    if (!contract || groupings === null) {
      throw new SettlementError('SETTLEMENT_NOT_FOUND', `Contract ${contractId} not found`, { contractId });
    }
    return { contract, groupings };
  }

  async settlement(m: EntityManager, p: Principal, id: string, lock = false): Promise<{ settlement: SettlementEntity; contract: ContractEntity }> {
    const locking = lock && m.connection.options.type === 'postgres';
    const settlement = await m.findOne(SettlementEntity, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    const contract = settlement ? await m.findOneBy(ContractEntity, { id: settlement.contractId }) : null;
    const groupings = contract ? await this.visibleGroupings(m, p, contract) : null;
    if (!settlement || !contract || groupings === null || (groupings !== 'ALL' && !groupings.includes(settlement.groupingId))) {
      throw new SettlementError('SETTLEMENT_NOT_FOUND', `Settlement ${id} not found`, { id });
    }
    return { settlement, contract };
  }

  async requireManager(m: EntityManager, p: Principal, contract: ContractEntity): Promise<void> {
    if (!(await this.scope.canManage(m, p, contract.municipalityId, ['contract_manager']))) {
      throw new AuthError('AUTH_FORBIDDEN', 'Only a contract manager of the contract may compute its settlements', {});
    }
  }

  async requireApprover(m: EntityManager, p: Principal, contract: ContractEntity): Promise<void> {
    if (isPlatformAdmin(p) || !(await this.scope.canManage(m, p, contract.municipalityId, ['approver']))) {
      throw new AuthError('AUTH_FORBIDDEN', 'Only an approver of the contract municipality may approve or reopen settlements', {});
    }
  }
}
