import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { AuditError } from 'src/audit/audit.errors';
import { AuditService } from 'src/audit/audit.service';
import { AuditPageDto, ChainVerificationDto, ListAuditQueryDto, toAuditEntryDto, toChainVerificationDto } from 'src/audit/dto/audit.dto';
import { normaliseInstant } from 'src/audit/instant';
import { AccessScope } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';
import { MUNICIPAL_ROLES } from 'src/auth/roles';
import { CommonError } from 'src/common/errors/common.errors';
import { pageWindow } from 'src/common/pagination/page';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';

/**
 * Reading the audit log, scoped like everything else (docs/decisions/0008-access-model.md):
 * - platform administrators: every entry;
 * - municipal staff: entries of their municipalities (and of their contracts), plus what their own
 *   organisation's users did;
 * - ETS staff: entries of the contracts their organisation is a member of, except those written by
 *   users of another ETS (per-member data stays private between the members of a grouping);
 * - evaluators and external auditors: entries of the contracts granted to their organisation.
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly db: Database,
    private readonly scope: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: ListAuditQueryDto): Promise<AuditPageDto> {
    const from = query.from === undefined ? undefined : normaliseInstant(query.from);
    const to = query.to === undefined ? undefined : normaliseInstant(query.to);
    if (from !== undefined && to !== undefined && to < from) {
      throw new CommonError('VALIDATION_FAILED', 'to must not be before from', { fields: [{ field: 'to', message: 'must not be before from' }] });
    }
    const { take, skip } = pageWindow(query);
    const [rows, total, organisations] = await this.db.read(async (m) => {
      if (query.contractId !== undefined && !(await this.scope.canReadContract(m, principal, query.contractId))) {
        throw new AuditError('AUDIT_CONTRACT_NOT_FOUND', `Contract ${query.contractId} not found`, {
          id: query.contractId,
          fields: [{ field: 'contractId', message: 'no such contract' }],
        });
      }
      const qb = m.createQueryBuilder(AuditEntryEntity, 'e');
      if (!(await this.restrictToScope(m, principal, qb))) {
        return [[], 0, []] as const;
      }
      if (query.contractId !== undefined) qb.andWhere('e.contract_id = :contractId', { contractId: query.contractId });
      if (query.objectType !== undefined) qb.andWhere('e.object_type = :objectType', { objectType: query.objectType });
      if (query.objectId !== undefined) qb.andWhere('e.object_id = :objectId', { objectId: query.objectId });
      if (query.action !== undefined) qb.andWhere('e.action = :action', { action: query.action });
      if (query.actorId !== undefined) qb.andWhere('e.actor_id = :actorId', { actorId: query.actorId });
      if (from !== undefined) qb.andWhere('e.occurred_at >= :from', { from });
      if (to !== undefined) qb.andWhere('e.occurred_at < :to', { to });
      const [found, count] = await qb
        .orderBy('e.seq', query.order === 'asc' ? 'ASC' : 'DESC')
        .take(take)
        .skip(skip)
        .getManyAndCount();
      const orgIds = [...new Set(found.map((e) => e.organisationId).filter((id): id is string => id !== null))];
      const orgs = orgIds.length === 0 ? [] : await m.findBy(OrganisationEntity, { id: In(orgIds) });
      return [found, count, orgs] as const;
    });
    const byId = new Map(organisations.map((o) => [o.id, o]));
    return {
      items: rows.map((e) => toAuditEntryDto(e, e.organisationId === null ? undefined : byId.get(e.organisationId))),
      page: { limit: take, offset: skip, total },
    };
  }

  /** Platform administrators and auditors (the answer carries seq numbers and reasons, no content). */
  async verify(principal: Principal): Promise<ChainVerificationDto> {
    if (!isPlatformAdmin(principal) && !principal.roles.has('auditor')) {
      throw new AuthError('AUTH_FORBIDDEN', 'Only platform administrators and auditors verify the audit chain', {
        required: ['admin (platform)', 'auditor'],
        roles: [...principal.roles],
      });
    }
    return toChainVerificationDto(await this.audit.verify());
  }

  /** Adds the caller's scope to the query; false when the caller may see no entry at all. */
  private async restrictToScope(m: EntityManager, p: Principal, qb: SelectQueryBuilder<AuditEntryEntity>): Promise<boolean> {
    if (isPlatformAdmin(p)) return true;
    const contracts = await this.scope.readableContracts(m, p);
    if (contracts === 'ALL') return true;
    const municipalities = await this.scope.municipalities(m, p);
    if (municipalities === 'ALL') return true;
    const ownOrganisationEntries = p.organisationId !== null && hasAnyRole(p, MUNICIPAL_ROLES) && p.organisationKind !== 'ETS';
    if (contracts.length === 0 && municipalities.length === 0 && !ownOrganisationEntries) {
      return false;
    }
    qb.andWhere(
      new Brackets((w) => {
        if (contracts.length > 0) {
          if (p.organisationKind === 'ETS') {
            // An ETS sees its contracts' entries, but not what another ETS's users did on them. An actor
            // organisation that no longer exists is hidden too (it cannot be shown not to be an ETS).
            w.orWhere(
              new Brackets((c) => {
                c.where('e.contract_id IN (:...scopeContracts)', { scopeContracts: contracts }).andWhere(
                  new Brackets((a) => {
                    a.where('e.organisation_id IS NULL')
                      .orWhere('e.organisation_id = :scopeOwnOrg', { scopeOwnOrg: p.organisationId })
                      .orWhere("e.organisation_id IN (SELECT so.id FROM organisations so WHERE so.kind <> 'ETS')");
                  }),
                );
              }),
            );
          } else {
            w.orWhere('e.contract_id IN (:...scopeContracts)', { scopeContracts: contracts });
          }
        }
        if (municipalities.length > 0) {
          w.orWhere('e.municipality_id IN (:...scopeMunicipalities)', { scopeMunicipalities: municipalities });
        }
        if (ownOrganisationEntries) {
          w.orWhere('e.organisation_id = :scopeOrg', { scopeOrg: p.organisationId });
        }
      }),
    );
    return true;
  }
}
