import { Injectable } from '@nestjs/common';
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
import { findProject } from 'src/value-chain/value-chain.queries';

@Injectable()
export class ProjectsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(dto: CreateProjectDto): Promise<ProjectDto> {
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
        if (await m.existsBy(ProjectEntity, { code: entity.code })) {
          throw codeTaken(entity.code);
        }
        await m.insert(ProjectEntity, entity);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw codeTaken(entity.code);
      }
      throw error;
    }
    return toProjectDto(entity);
  }

  async list(query: ListProjectsQueryDto): Promise<Page<ProjectDto>> {
    const { take, skip } = pageWindow(query);
    const where = query.municipalityId ? { municipalityId: query.municipalityId } : {};
    const [rows, total] = await this.db.read((m) => m.findAndCount(ProjectEntity, { where, order: { code: 'ASC' }, take, skip }));
    return toPage(rows, total, query, toProjectDto);
  }

  async get(id: string): Promise<ProjectDto> {
    return toProjectDto(await this.db.read((m) => findProject(m, id)));
  }

  async update(id: string, dto: UpdateProjectDto): Promise<ProjectDto> {
    return this.db.transaction(async (m) => {
      const current = await findProject(m, id);
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
      return toProjectDto(next);
    });
  }

  /** Deletes the project with its value chain and reference populations; refused while a contract refers to it. */
  async remove(id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        await findProject(m, id);
        await m.delete(ProjectEntity, { id });
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
