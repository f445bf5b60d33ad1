import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isForeignKeyViolation, isUniqueViolation } from 'src/database/database';
import {
  CreateValueChainNodeDto,
  ListValueChainNodesQueryDto,
  toValueChainNodeDto,
  UpdateValueChainNodeDto,
  ValueChainNodeDto,
} from 'src/value-chain/dto/value-chain-node.dto';
import { EntityManager } from 'typeorm';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';
import { ValueChainError } from 'src/value-chain/value-chain.errors';
import { findNode, findProject, linkRefs, loadChain, lockProject, nextPosition, projectNotFound, recheckChain } from 'src/value-chain/value-chain.queries';
import { checkNodeFields } from 'src/value-chain/value-chain.rules';

@Injectable()
export class ValueChainNodesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, projectId: string, dto: CreateValueChainNodeDto): Promise<ValueChainNodeDto> {
    const now = this.clock.nowIso();
    const fields = {
      level: dto.level,
      quantity: dto.quantity ?? null,
      unit: dto.unit ?? null,
      monetaryValue: dto.monetaryValue ?? null,
      fundingSource: dto.fundingSource ?? null,
    };
    checkNodeFields(fields);
    try {
      return await this.db.transaction(async (m) => {
        const project = await lockProject(m, projectId);
        await this.access.requireManageableProject(m, principal, project, () => projectNotFound(projectId));
        if (await m.existsBy(ValueChainNodeEntity, { projectId, code: dto.code })) {
          throw codeTaken(dto.code);
        }
        const entity: ValueChainNodeEntity = {
          id: this.ids.next(),
          projectId,
          code: dto.code,
          labelIt: dto.labelIt,
          labelEn: dto.labelEn ?? null,
          description: dto.description ?? null,
          ...fields,
          position: await nextPosition(m, ValueChainNodeEntity, projectId),
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(ValueChainNodeEntity, entity);
        await this.audit.record(m, principal, {
          action: 'create',
          objectType: 'value_chain_node',
          objectId: entity.id,
          municipalityId: project.municipalityId,
          after: toValueChainNodeDto(entity),
        });
        return toValueChainNodeDto(entity);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw codeTaken(dto.code);
      }
      throw error;
    }
  }

  async list(principal: Principal, projectId: string, query: ListValueChainNodesQueryDto): Promise<Page<ValueChainNodeDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await this.db.read(async (m) => {
      await findProject(m, projectId);
      await this.access.requireReadableProject(m, principal, projectId, () => projectNotFound(projectId));
      return m.findAndCount(ValueChainNodeEntity, {
        where: { projectId, ...(query.level ? { level: query.level } : {}) },
        order: { position: 'ASC', code: 'ASC' },
        take,
        skip,
      });
    });
    return toPage(rows, total, query, toValueChainNodeDto);
  }

  async get(principal: Principal, id: string): Promise<ValueChainNodeDto> {
    return this.db.read(async (m) => {
      const node = await findNode(m, id);
      await this.access.requireReadableProject(m, principal, node.projectId, () => nodeNotFound(id));
      return toValueChainNodeDto(node);
    });
  }

  /** The node and its project, for a write: 404 when the caller cannot see the project, 403 when it cannot change it. */
  private async forWrite(m: EntityManager, principal: Principal, id: string): Promise<{ node: ValueChainNodeEntity; project: ProjectEntity }> {
    const node = await findNode(m, id);
    const project = await findProject(m, node.projectId);
    await this.access.requireManageableProject(m, principal, project, () => nodeNotFound(id));
    return { node, project };
  }

  async update(principal: Principal, id: string, dto: UpdateValueChainNodeDto): Promise<ValueChainNodeDto> {
    return this.db.transaction(async (m) => {
      const { node: current, project } = await this.forWrite(m, principal, id);
      const keep = <K extends keyof UpdateValueChainNodeDto & keyof ValueChainNodeEntity>(key: K) =>
        (dto[key] === undefined ? current[key] : dto[key]) as ValueChainNodeEntity[K];
      const next: ValueChainNodeEntity = {
        ...current,
        level: keep('level'),
        labelIt: keep('labelIt'),
        labelEn: keep('labelEn'),
        description: keep('description'),
        quantity: keep('quantity'),
        unit: keep('unit'),
        monetaryValue: keep('monetaryValue'),
        fundingSource: keep('fundingSource'),
        updatedAt: this.clock.nowIso(),
      };
      checkNodeFields(next);
      if (next.level !== current.level) {
        // The links stay; the chain must still flow forward with the node on its new level.
        await lockProject(m, current.projectId);
        const chain = await loadChain(m, current.projectId);
        const nodes = chain.nodes.map((n) => ({ code: n.code, level: n.id === id ? next.level : n.level }));
        recheckChain(nodes, linkRefs(chain.links, chain.codeOf), 'level');
      }
      await m.save(ValueChainNodeEntity, next);
      await this.audit.record(m, principal, {
        action: 'update',
        objectType: 'value_chain_node',
        objectId: id,
        municipalityId: project.municipalityId,
        before: toValueChainNodeDto(current),
        after: toValueChainNodeDto(next),
      });
      return toValueChainNodeDto(next);
    });
  }

  /** Deletes the node and its links; refused while an indicator hangs on it. */
  async remove(principal: Principal, id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        const { node, project } = await this.forWrite(m, principal, id);
        await m.delete(ValueChainNodeEntity, { id });
        await this.audit.record(m, principal, {
          action: 'delete',
          objectType: 'value_chain_node',
          objectId: id,
          municipalityId: project.municipalityId,
          before: toValueChainNodeDto(node),
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ValueChainError('VALUE_CHAIN_NODE_IN_USE', 'The node is still referenced by indicators', { id });
      }
      throw error;
    }
  }
}

function nodeNotFound(id: string): ValueChainError {
  return new ValueChainError('VALUE_CHAIN_NODE_NOT_FOUND', `Value chain node ${id} not found`, { id });
}

function codeTaken(code: string): ValueChainError {
  return new ValueChainError('VALUE_CHAIN_NODE_CODE_TAKEN', `The project already has a node with code ${code}`, {
    fields: [{ field: 'code', message: 'already taken in this project' }],
  });
}
