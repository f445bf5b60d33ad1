import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isForeignKeyViolation, isUniqueViolation } from 'src/database/database';
import { requireKind } from 'src/organisations/organisations.service';
import {
  CreateProjectDto,
  ListProjectsQueryDto,
  ProjectDto,
  toProjectDto,
  UpdateProjectDto,
} from 'src/value-chain/dto/project.dto';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ValueChainError } from 'src/value-chain/value-chain.errors';
import { findProject, projectNotFound } from 'src/value-chain/value-chain.queries';

@Injectable()
export class ProjectsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateProjectDto): Promise<ProjectDto> {
    const now = this.clock.nowIso();
    const entity: ProjectEntity = {
      id: this.ids.next(),
      code: dto.code,
      name: dto.name,
      municipalityId: dto.municipalityId,
      department: dto.department ?? null,
      description: dto.description ?? null,
      workAreas: dto.workAreas ?? [],
      targetGroups: dto.targetGroups ?? [],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.db.transaction(async (m) => {
        await requireKind(m, entity.municipalityId, 'MUNICIPALITY', 'municipalityId');
        await this.access.requireManage(m, principal, entity.municipalityId);
        if (await m.existsBy(ProjectEntity, { code: entity.code })) {
          throw codeTaken(entity.code);
        }
        await m.insert(ProjectEntity, entity);
        await this.audit.record(m, principal, {
          action: 'create',
          objectType: 'project',
          objectId: entity.id,
          municipalityId: entity.municipalityId,
          after: toProjectDto(entity),
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw codeTaken(entity.code);
      }
      throw error;
    }
    return toProjectDto(entity);
  }

  /** Only the projects the caller may read (its municipalities', and those of contracts it may read). */
  async list(principal: Principal, query: ListProjectsQueryDto): Promise<Page<ProjectDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await this.db.read(async (m) => {
      const visible = await this.access.readableProjects(m, principal);
      const where = {
        ...(query.municipalityId ? { municipalityId: query.municipalityId } : {}),
        ...(visible === 'ALL' ? {} : { id: In([...visible]) }),
      };
      return m.findAndCount(ProjectEntity, { where, order: { code: 'ASC' }, take, skip });
    });
    return toPage(rows, total, query, toProjectDto);
  }

  async get(principal: Principal, id: string): Promise<ProjectDto> {
    return toProjectDto(await this.db.read((m) => this.readable(m, principal, id)));
  }

  private async readable(m: EntityManager, principal: Principal, id: string): Promise<ProjectEntity> {
    const project = await findProject(m, id);
    await this.access.requireReadableProject(m, principal, id, () => projectNotFound(id));
    return project;
  }

  async update(principal: Principal, id: string, dto: UpdateProjectDto): Promise<ProjectDto> {
    return this.db.transaction(async (m) => {
      const current = await findProject(m, id);
      await this.access.requireManageableProject(m, principal, current, () => projectNotFound(id));
      const next: ProjectEntity = {
        ...current,
        name: dto.name ?? current.name,
        department: dto.department === undefined ? current.department : dto.department,
        description: dto.description === undefined ? current.description : dto.description,
        workAreas: dto.workAreas ?? current.workAreas,
        targetGroups: dto.targetGroups ?? current.targetGroups,
        updatedAt: this.clock.nowIso(),
      };
      await m.save(ProjectEntity, next);
      await this.audit.record(m, principal, {
        action: 'update',
        objectType: 'project',
        objectId: id,
        municipalityId: current.municipalityId,
        before: toProjectDto(current),
        after: toProjectDto(next),
      });
      return toProjectDto(next);
    });
  }

  /** Deletes the project with its value chain and reference populations; refused while a contract refers to it. */
  async remove(principal: Principal, id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        const current = await findProject(m, id);
        await this.access.requireManageableProject(m, principal, current, () => projectNotFound(id));
        await m.delete(ProjectEntity, { id });
        await this.audit.record(m, principal, {
          action: 'delete',
          objectType: 'project',
          objectId: id,
          municipalityId: current.municipalityId,
          before: toProjectDto(current),
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ValueChainError('PROJECT_IN_USE', 'The project is still referenced by contracts', { id });
      }
      throw error;
    }
  }
}

function codeTaken(code: string): ValueChainError {
  return new ValueChainError('PROJECT_CODE_TAKEN', `A project with code ${code} already exists`, {
    fields: [{ field: 'code', message: 'already taken' }],
  });
}
