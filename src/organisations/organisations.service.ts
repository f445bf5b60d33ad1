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

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(dto: CreateOrganisationDto): Promise<OrganisationDto> {
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
    return this.save(entity, true);
  }

  async list(query: ListOrganisationsQueryDto): Promise<Page<OrganisationDto>> {
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

  async get(id: string): Promise<OrganisationDto> {
    return toOrganisationDto(await this.db.read((m) => findOrganisation(m, id)));
  }

  async update(id: string, dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    const current = await this.db.read((m) => findOrganisation(m, id));
    const next: OrganisationEntity = {
      ...current,
      name: dto.name ?? current.name,
      taxCode: dto.taxCode === undefined ? current.taxCode : dto.taxCode,
      legalForm: dto.legalForm ?? current.legalForm,
      districtId: dto.districtId === undefined ? current.districtId : dto.districtId,
      leadOrganisationId: dto.leadOrganisationId === undefined ? current.leadOrganisationId : dto.leadOrganisationId,
      updatedAt: this.clock.nowIso(),
    };
    return this.save(next, false);
  }

  async remove(id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        await findOrganisation(m, id);
        await m.delete(OrganisationEntity, { id });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new OrganisationError('ORGANISATION_IN_USE', 'The organisation is still referenced by projects, contracts, groupings or a district', { id });
      }
      throw error;
    }
  }

  private async save(entity: OrganisationEntity, isNew: boolean): Promise<OrganisationDto> {
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
