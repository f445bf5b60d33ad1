import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { AuditError } from 'src/audit/audit.errors';
import { applyAuditScope, auditScopeOf } from 'src/audit/audit.scope';
import { AuditService } from 'src/audit/audit.service';
import { AuditPageDto, ChainVerificationDto, ListAuditQueryDto, toAuditEntryDto, toChainVerificationDto } from 'src/audit/dto/audit.dto';
import { normaliseInstant } from 'src/audit/instant';
import { AccessScope } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { isPlatformAdmin, Principal } from 'src/auth/principal';
import { CommonError } from 'src/common/errors/common.errors';
import { pageWindow } from 'src/common/pagination/page';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';

/** Reading the audit log, scoped like everything else (src/audit/audit.scope.ts). */
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
      if (!applyAuditScope(qb, await auditScopeOf(this.scope, m, principal))) {
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
}
