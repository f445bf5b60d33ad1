import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AccessScope } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { MeasurementEntity } from 'src/measurements/measurement.entity';
import { MeasurementError } from 'src/measurements/measurements.errors';

/**
 * What a caller sees of a contract's measurements (per-member data):
 * - ALL: platform administrators, municipal staff of the contract's municipality (managers, approvers,
 *   auditors), and auditors or evaluators whose organisation holds a grant on the contract;
 * - OWN: ETS staff of a member organisation see their organisation's submissions, and a grouping lead
 *   (mandataria) also every submission of the groupings it leads;
 * - null: nothing (the contract is reported as not found).
 */
export type MeasurementView = { kind: 'ALL' } | { kind: 'OWN'; organisationId: string; ledGroupingIds: readonly string[] };

export const ETS_ROLES = ['ets_member', 'grouping_lead'] as const;

@Injectable()
export class MeasurementAccess {
  constructor(private readonly scope: AccessScope) {}

  async view(m: EntityManager, p: Principal, contract: ContractEntity): Promise<MeasurementView | null> {
    if (isPlatformAdmin(p)) return { kind: 'ALL' };
    const municipalities = await this.scope.municipalities(m, p);
    if (municipalities === 'ALL' || municipalities.includes(contract.municipalityId)) return { kind: 'ALL' };
    if (!p.organisationId) return null;
    if (hasAnyRole(p, ['auditor', 'evaluator']) && (await m.countBy(ContractGrantEntity, { contractId: contract.id, organisationId: p.organisationId })) > 0) {
      return { kind: 'ALL' };
    }
    if (hasAnyRole(p, ETS_ROLES) && (await this.memberGroupings(m, p, contract.id)).length > 0) {
      const led = await this.scope.ledGroupings(m, p);
      return { kind: 'OWN', organisationId: p.organisationId, ledGroupingIds: led };
    }
    return null;
  }

  /** Loads a contract the caller may see measurements of, or 404 CONTRACT_NOT_FOUND. */
  async contract(m: EntityManager, p: Principal, contractId: string): Promise<{ contract: ContractEntity; view: MeasurementView }> {
    const contract = await m.findOneBy(ContractEntity, { id: contractId });
    const view = contract ? await this.view(m, p, contract) : null;
    if (!contract || !view) {
      throw new ContractError('CONTRACT_NOT_FOUND', `Contract ${contractId} not found`, { id: contractId });
    }
    return { contract, view };
  }

  /** The groupings of the contract the caller's organisation is a member of (ETS staff only). */
  async memberGroupings(m: EntityManager, p: Principal, contractId: string): Promise<string[]> {
    if (!p.organisationId || !hasAnyRole(p, ETS_ROLES)) return [];
    const memberships = await m.find(GroupingMemberEntity, { where: { organisationId: p.organisationId }, select: { groupingId: true } });
    if (memberships.length === 0) return [];
    const groupings = await m.find(ProviderGroupingEntity, { where: { id: In(memberships.map((x) => x.groupingId)), contractId }, select: { id: true } });
    return groupings.map((g) => g.id);
  }

  /**
   * Loads a measurement the caller may read, or 404 MEASUREMENT_NOT_FOUND. With `lock`, on PostgreSQL the
   * row stays locked until the transaction ends, so two reviewers or editors act one after the other.
   */
  async measurement(m: EntityManager, p: Principal, id: string, lock = false): Promise<{ measurement: MeasurementEntity; contract: ContractEntity }> {
    const locking = lock && m.connection.options.type === 'postgres';
    const measurement = await m.findOne(MeasurementEntity, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    const contract = measurement ? await m.findOneBy(ContractEntity, { id: measurement.contractId }) : null;
    const view = contract ? await this.view(m, p, contract) : null;
    if (!measurement || !contract || !view || !sees(view, measurement)) {
      throw new MeasurementError('MEASUREMENT_NOT_FOUND', `Measurement ${id} not found`, { id });
    }
    return { measurement, contract };
  }

  /** Only staff of the submitting organisation change a measurement's content (403 for other readers). */
  requireSubmitter(p: Principal, measurement: MeasurementEntity): void {
    if (!hasAnyRole(p, ETS_ROLES) || p.organisationId !== measurement.organisationId) {
      throw new AuthError('AUTH_FORBIDDEN', 'Only the organisation that submitted a measurement may change it', {});
    }
  }

  /** Reviews: a contract manager of the contract's municipality (403 for other readers). */
  async requireReviewer(m: EntityManager, p: Principal, contract: ContractEntity): Promise<void> {
    if (!(await this.scope.canManage(m, p, contract.municipalityId, ['contract_manager'])) || isPlatformAdmin(p)) {
      throw new AuthError('AUTH_FORBIDDEN', 'Only a contract manager of the contract may review its measurements', {});
    }
  }
}

export function sees(view: MeasurementView, measurement: Pick<MeasurementEntity, 'organisationId' | 'groupingId'>): boolean {
  return view.kind === 'ALL' || measurement.organisationId === view.organisationId || view.ledGroupingIds.includes(measurement.groupingId);
}
