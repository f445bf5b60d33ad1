import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isForeignKeyViolation, isUniqueViolation } from 'src/database/database';
import {
  CreateOrganisationDto,
  ListOrganisationsQueryDto,
  OrganisationDto,
  toOrganisationDto,
  UpdateOrganisationDto,
} from 'src/organisations/dto/organisation.dto';
import { OrganisationEntity, OrganisationKind } from 'src/organisations/organisation.entity';
import { checkOrganisationShape } from 'src/organisations/organisation.rules';
import { OrganisationError } from 'src/organisations/organisations.errors';
import { AuditService } from 'src/audit/audit.service';
import { AuthError } from 'src/auth/auth.errors';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';

/**
 * Who may do what with organisations:
 * - read: every authenticated caller. The directory holds names of municipalities, districts and ETS,
 *   which are public information (awards are published), and ETS users need it to read their groupings.
 * - create and update: platform administrators; contract managers only for ETS and OTHER bodies (the
 *   providers and evaluators of their tenders), never for municipalities or districts.
 * - delete, and changing what defines a municipality or district (districtId, leadOrganisationId):
 *   platform administrators only; an organisation is shared by every tenant that refers to it.
 * Everyone else allowed through the guard (an organisation's own admin) gets 403 AUTH_FORBIDDEN.
 */
const MANAGER_KINDS: readonly OrganisationKind[] = ['ETS', 'OTHER'];

function requireOrganisationWriter(p: Principal, kind: OrganisationKind): void {
  if (isPlatformAdmin(p)) return;
  if (hasAnyRole(p, ['contract_manager']) && MANAGER_KINDS.includes(kind)) return;
  throw new AuthError('AUTH_FORBIDDEN', `Only platform administrators${MANAGER_KINDS.includes(kind) ? ' and contract managers' : ''} may change ${kind} organisations`);
}

function requirePlatformAdmin(p: Principal, what: string): void {
  if (!isPlatformAdmin(p)) {
    throw new AuthError('AUTH_FORBIDDEN', `Only platform administrators may ${what}`);
  }
}

/** The municipality an organisation change belongs to, for scoping the audit log: itself, when it is one. */
function auditScope(o: OrganisationEntity): { municipalityId: string | null } {
  return { municipalityId: o.kind === 'MUNICIPALITY' ? o.id : null };
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateOrganisationDto): Promise<OrganisationDto> {
    requireOrganisationWriter(principal, dto.kind);
    if ((dto.districtId ?? null) !== null || (dto.leadOrganisationId ?? null) !== null) {
      requirePlatformAdmin(principal, 'set districtId or leadOrganisationId');
    }
    const now = this.clock.nowIso();
    const entity: OrganisationEntity = {
      id: this.ids.next(),
      code: dto.code,
      kind: dto.kind,
      name: dto.name,
      taxCode: dto.taxCode ?? null,
      legalForm: dto.legalForm ?? null,
      districtId: dto.districtId ?? null,
      leadOrganisationId: dto.leadOrganisationId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    return this.save(principal, entity, null);
  }

  async list(_principal: Principal, query: ListOrganisationsQueryDto): Promise<Page<OrganisationDto>> {
    const { take, skip } = pageWindow(query);
    const where = {
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.districtId ? { districtId: query.districtId } : {}),
    };
    const [rows, total] = await this.db.read((m) =>
      m.findAndCount(OrganisationEntity, { where, order: { code: 'ASC' }, take, skip }),
    );
    return toPage(rows, total, query, toOrganisationDto);
  }

  async get(_principal: Principal, id: string): Promise<OrganisationDto> {
    return toOrganisationDto(await this.db.read((m) => findOrganisation(m, id)));
  }

  async update(principal: Principal, id: string, dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    const current = await this.db.read((m) => findOrganisation(m, id));
    requireOrganisationWriter(principal, current.kind);
    if (dto.districtId !== undefined || dto.leadOrganisationId !== undefined) {
      requirePlatformAdmin(principal, 'change districtId or leadOrganisationId');
    }
    const next: OrganisationEntity = {
      ...current,
      name: dto.name ?? current.name,
      taxCode: dto.taxCode === undefined ? current.taxCode : dto.taxCode,
      legalForm: dto.legalForm ?? current.legalForm,
      districtId: dto.districtId === undefined ? current.districtId : dto.districtId,
      leadOrganisationId: dto.leadOrganisationId === undefined ? current.leadOrganisationId : dto.leadOrganisationId,
      updatedAt: this.clock.nowIso(),
    };
    return this.save(principal, next, current);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requirePlatformAdmin(principal, 'delete organisations');
    try {
      await this.db.transaction(async (m) => {
        const current = await findOrganisation(m, id);
        await m.delete(OrganisationEntity, { id });
        await this.audit.record(m, principal, {
          action: 'delete',
          objectType: 'organisation',
          objectId: id,
          ...auditScope(current),
          before: toOrganisationDto(current),
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new OrganisationError('ORGANISATION_IN_USE', 'The organisation is still referenced by projects, contracts, groupings or a district', { id });
      }
      throw error;
    }
  }

  /** `before` is null for a new organisation. */
  private async save(principal: Principal, entity: OrganisationEntity, before: OrganisationEntity | null): Promise<OrganisationDto> {
    const isNew = before === null;
    checkOrganisationShape(entity);
    try {
      await this.db.transaction(async (m) => {
        if (!isNew) {
          await findOrganisation(m, entity.id);
        }
        if (entity.districtId !== null) {
          await requireKind(m, entity.districtId, 'DISTRICT', 'districtId');
        }
        if (entity.leadOrganisationId !== null) {
          await requireKind(m, entity.leadOrganisationId, 'MUNICIPALITY', 'leadOrganisationId');
        }
        await m.save(OrganisationEntity, entity);
        await this.audit.record(m, principal, {
          action: isNew ? 'create' : 'update',
          objectType: 'organisation',
          objectId: entity.id,
          ...auditScope(entity),
          before: before === null ? null : toOrganisationDto(before),
          after: toOrganisationDto(entity),
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new OrganisationError('ORGANISATION_CODE_TAKEN', `An organisation with code ${entity.code} already exists`, {
          fields: [{ field: 'code', message: 'already taken' }],
        });
      }
      throw error;
    }
    return toOrganisationDto(entity);
  }
}

export async function findOrganisation(m: EntityManager, id: string): Promise<OrganisationEntity> {
  const entity = await m.findOneBy(OrganisationEntity, { id });
  if (!entity) {
    throw new OrganisationError('ORGANISATION_NOT_FOUND', `Organisation ${id} not found`, { id });
  }
  return entity;
}

/** Loads an organisation that must be of a given kind (the municipality of a project, an ETS member...). */
export async function requireKind(
  m: EntityManager,
  id: string,
  kind: OrganisationKind,
  field: string,
): Promise<OrganisationEntity> {
  const entity = await m.findOneBy(OrganisationEntity, { id });
  if (!entity) {
    throw new OrganisationError('ORGANISATION_NOT_FOUND', `Organisation ${id} not found`, {
      id,
      fields: [{ field, message: 'no such organisation' }],
    });
  }
  if (entity.kind !== kind) {
    throw new OrganisationError('ORGANISATION_WRONG_KIND', `${field} must be a ${kind}, not a ${entity.kind}`, {
      fields: [{ field, message: `must be a ${kind}` }],
    });
  }
  return entity;
}
