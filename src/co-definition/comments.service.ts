import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { hasAnyRole, Principal } from 'src/auth/principal';
import { Role, ROLES } from 'src/auth/roles';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { Database } from 'src/database/database';
import { ContractEntity } from 'src/contracts/contract.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { CoDefinitionAccess, forbidden } from 'src/co-definition/co-definition.access';
import { CoDefinitionError } from 'src/co-definition/co-definition.errors';
import { CommentEntity } from 'src/co-definition/comment.entity';
import { CommentDto, CreateCommentDto, toCommentDto } from 'src/co-definition/dto/comment.dto';
import { IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';

/** Roles that may comment on what they can read; auditors (and platform administrators) only read comments. */
export const COMMENTERS: readonly Role[] = ['evaluator', 'contract_manager', 'approver', 'ets_member', 'grouping_lead'];

/** The commented object: a proposal or a version, with its contract. */
interface Target {
  where: { proposalId: string } | { versionId: string };
  contract: ContractEntity;
}

/**
 * Comments on proposal sheets and indicator-set versions. A comment is visible to exactly those who can
 * see its object (an ETS does not see comments on another ETS's proposal), and is never changed.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: CoDefinitionAccess,
    private readonly audit: AuditService,
  ) {}

  commentOnProposal(principal: Principal, proposalId: string, dto: CreateCommentDto): Promise<CommentDto> {
    return this.db.transaction(async (m) => this.create(m, principal, await this.proposal(m, principal, proposalId, true), dto));
  }

  commentOnVersion(principal: Principal, versionId: string, dto: CreateCommentDto): Promise<CommentDto> {
    return this.db.transaction(async (m) => this.create(m, principal, await this.version(m, principal, versionId, true), dto));
  }

  async listOnProposal(principal: Principal, proposalId: string, query: PageQueryDto): Promise<Page<CommentDto>> {
    return this.db.read(async (m) => this.list(m, await this.proposal(m, principal, proposalId), query));
  }

  async listOnVersion(principal: Principal, versionId: string, query: PageQueryDto): Promise<Page<CommentDto>> {
    return this.db.read(async (m) => this.list(m, await this.version(m, principal, versionId), query));
  }

  private async create(m: EntityManager, principal: Principal, target: Target, dto: CreateCommentDto): Promise<CommentDto> {
    if (!hasAnyRole(principal, COMMENTERS) || !principal.organisationId) {
      throw forbidden('Only evaluators, contract managers, approvers and ETS staff comment; auditors read comments');
    }
    if (dto.replyTo !== undefined) {
      const parent = await m.findOneBy(CommentEntity, { id: dto.replyTo, ...target.where });
      if (!parent) {
        throw new CoDefinitionError('CO_DEFINITION_COMMENT_REPLY_INVALID', 'A comment can only reply to a comment on the same object', {
          fields: [{ field: 'replyTo', message: 'is not a comment on this object' }],
        });
      }
    }
    // The object row is locked (PostgreSQL) by the caller, so numbers are given out one at a time.
    const last = await m.findOne(CommentEntity, { where: target.where, order: { seq: 'DESC' }, select: { id: true, seq: true } });
    const now = this.clock.nowIso();
    const entity: CommentEntity = {
      id: this.ids.next(),
      contractId: target.contract.id,
      proposalId: 'proposalId' in target.where ? target.where.proposalId : null,
      versionId: 'versionId' in target.where ? target.where.versionId : null,
      seq: (last?.seq ?? 0) + 1,
      replyToId: dto.replyTo ?? null,
      text: dto.text,
      organisationId: principal.organisationId,
      authoredBy: principal.userId,
      authoredByLabel: principal.label,
      authorRoles: ROLES.filter((r) => principal.roles.has(r)),
      createdAt: now,
      updatedAt: now,
    };
    await m.insert(CommentEntity, entity);
    const organisation = await m.findOneByOrFail(OrganisationEntity, { id: entity.organisationId });
    const after = toCommentDto(entity, organisation.name);
    await this.audit.record(m, principal, {
      action: 'create',
      objectType: 'co_definition_comment',
      objectId: entity.id,
      contractId: target.contract.id,
      municipalityId: target.contract.municipalityId,
      before: null,
      after,
    });
    return after;
  }

  private async list(m: EntityManager, target: Target, query: PageQueryDto): Promise<Page<CommentDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await m.findAndCount(CommentEntity, { where: target.where, order: { seq: 'ASC' }, take, skip });
    const organisationIds = [...new Set(rows.map((r) => r.organisationId))];
    const organisations = organisationIds.length === 0 ? [] : await m.find(OrganisationEntity, { where: { id: In(organisationIds) }, select: { id: true, name: true } });
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    return toPage(rows, total, query, (row) => toCommentDto(row, names.get(row.organisationId) ?? ''));
  }

  /** The proposal, or 404 for callers who may not see it (exactly as `GET /proposals/:id`). */
  private async proposal(m: EntityManager, principal: Principal, id: string, lock = false): Promise<Target> {
    const { proposal, contract } = await this.access.readableProposal(m, principal, id, lock);
    return { where: { proposalId: proposal.id }, contract };
  }

  /** The version, or 404 for callers who may not read its contract (exactly as `GET /indicator-set-versions/:id`). */
  private async version(m: EntityManager, principal: Principal, id: string, lock = false): Promise<Target> {
    const notFound = () => new CoDefinitionError('CO_DEFINITION_VERSION_NOT_FOUND', `Indicator-set version ${id} not found`, { id });
    const locking = lock && this.db.dialect === 'postgres';
    const version = await m.findOne(IndicatorSetVersionEntity, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!version) throw notFound();
    try {
      return { where: { versionId: version.id }, contract: await this.access.readableContract(m, principal, version.contractId) };
    } catch {
      throw notFound();
    }
  }
}
