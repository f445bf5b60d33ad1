import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { EntityManager } from 'typeorm';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isForeignKeyViolation, isUniqueViolation } from 'src/database/database';
import {
  CreateReferencePopulationDto,
  ReferencePopulationDto,
  toReferencePopulationDto,
  UpdateReferencePopulationDto,
} from 'src/value-chain/dto/reference-population.dto';
import { ReferencePopulationEntity } from 'src/value-chain/reference-population.entity';
import { ValueChainError } from 'src/value-chain/value-chain.errors';
import { findProject, lockProject, nextPosition, projectNotFound } from 'src/value-chain/value-chain.queries';
import { ProjectEntity } from 'src/value-chain/project.entity';

@Injectable()
export class ReferencePopulationsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, projectId: string, dto: CreateReferencePopulationDto): Promise<ReferencePopulationDto> {
    const now = this.clock.nowIso();
    try {
      return await this.db.transaction(async (m) => {
        const project = await lockProject(m, projectId);
        await this.access.requireManageableProject(m, principal, project, () => projectNotFound(projectId));
        if (await m.existsBy(ReferencePopulationEntity, { projectId, code: dto.code })) {
          throw codeTaken(dto.code);
        }
        const entity: ReferencePopulationEntity = {
          id: this.ids.next(),
          projectId,
          code: dto.code,
          labelIt: dto.labelIt,
          labelEn: dto.labelEn ?? null,
          area: dto.area ?? null,
          targetGroup: dto.targetGroup ?? null,
          referenceDate: dto.referenceDate,
          source: dto.source,
          value: dto.value,
          position: await nextPosition(m, ReferencePopulationEntity, projectId),
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(ReferencePopulationEntity, entity);
        await this.audit.record(m, principal, {
          action: 'create',
          objectType: 'reference_population',
          objectId: entity.id,
          municipalityId: project.municipalityId,
          after: toReferencePopulationDto(entity),
        });
        return toReferencePopulationDto(entity);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw codeTaken(dto.code);
      }
      throw error;
    }
  }

  async list(principal: Principal, projectId: string, query: PageQueryDto): Promise<Page<ReferencePopulationDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await this.db.read(async (m) => {
      await findProject(m, projectId);
      await this.access.requireReadableProject(m, principal, projectId, () => projectNotFound(projectId));
      return m.findAndCount(ReferencePopulationEntity, { where: { projectId }, order: { position: 'ASC', code: 'ASC' }, take, skip });
    });
    return toPage(rows, total, query, toReferencePopulationDto);
  }

  async get(principal: Principal, id: string): Promise<ReferencePopulationDto> {
    return this.db.read(async (m) => {
      const population = await findReferencePopulation(m, id);
      await this.access.requireReadableProject(m, principal, population.projectId, () => populationNotFound(id));
      return toReferencePopulationDto(population);
    });
  }

  private async forWrite(m: EntityManager, principal: Principal, id: string): Promise<{ population: ReferencePopulationEntity; project: ProjectEntity }> {
    const population = await findReferencePopulation(m, id);
    const project = await findProject(m, population.projectId);
    await this.access.requireManageableProject(m, principal, project, () => populationNotFound(id));
    return { population, project };
  }

  async update(principal: Principal, id: string, dto: UpdateReferencePopulationDto): Promise<ReferencePopulationDto> {
    return this.db.transaction(async (m) => {
      const { population: current, project } = await this.forWrite(m, principal, id);
      const next: ReferencePopulationEntity = {
        ...current,
        labelIt: dto.labelIt ?? current.labelIt,
        labelEn: dto.labelEn === undefined ? current.labelEn : dto.labelEn,
        area: dto.area === undefined ? current.area : dto.area,
        targetGroup: dto.targetGroup === undefined ? current.targetGroup : dto.targetGroup,
        referenceDate: dto.referenceDate ?? current.referenceDate,
        source: dto.source ?? current.source,
        value: dto.value ?? current.value,
        updatedAt: this.clock.nowIso(),
      };
      await m.save(ReferencePopulationEntity, next);
      await this.audit.record(m, principal, {
        action: 'update',
        objectType: 'reference_population',
        objectId: id,
        municipalityId: project.municipalityId,
        before: toReferencePopulationDto(current),
        after: toReferencePopulationDto(next),
      });
      return toReferencePopulationDto(next);
    });
  }

  /** Refused while an indicator divides by it. */
  async remove(principal: Principal, id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        const { population, project } = await this.forWrite(m, principal, id);
        await m.delete(ReferencePopulationEntity, { id });
        await this.audit.record(m, principal, {
          action: 'delete',
          objectType: 'reference_population',
          objectId: id,
          municipalityId: project.municipalityId,
          before: toReferencePopulationDto(population),
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ValueChainError('REFERENCE_POPULATION_IN_USE', 'The reference population is still the denominator of indicators', { id });
      }
      throw error;
    }
  }
}

export async function findReferencePopulation(m: EntityManager, id: string): Promise<ReferencePopulationEntity> {
  const entity = await m.findOneBy(ReferencePopulationEntity, { id });
  if (!entity) {
    throw populationNotFound(id);
  }
  return entity;
}

function populationNotFound(id: string): ValueChainError {
  return new ValueChainError('REFERENCE_POPULATION_NOT_FOUND', `Reference population ${id} not found`, { id });
}

function codeTaken(code: string): ValueChainError {
  return new ValueChainError('REFERENCE_POPULATION_CODE_TAKEN', `The project already has a reference population with code ${code}`, {
    fields: [{ field: 'code', message: 'already taken in this project' }],
  });
}
