import { Injectable } from '@nestjs/common';
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
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';
import { ValueChainError } from 'src/value-chain/value-chain.errors';
import { findNode, findProject, linkRefs, loadChain, lockProject, nextPosition, recheckChain } from 'src/value-chain/value-chain.queries';
import { checkNodeFields } from 'src/value-chain/value-chain.rules';

@Injectable()
export class ValueChainNodesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async create(projectId: string, dto: CreateValueChainNodeDto): Promise<ValueChainNodeDto> {
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
        await lockProject(m, projectId);
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
        return toValueChainNodeDto(entity);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw codeTaken(dto.code);
      }
      throw error;
    }
  }

  async list(projectId: string, query: ListValueChainNodesQueryDto): Promise<Page<ValueChainNodeDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await this.db.read(async (m) => {
      await findProject(m, projectId);
      return m.findAndCount(ValueChainNodeEntity, {
        where: { projectId, ...(query.level ? { level: query.level } : {}) },
        order: { position: 'ASC', code: 'ASC' },
        take,
        skip,
      });
    });
    return toPage(rows, total, query, toValueChainNodeDto);
  }

  async get(id: string): Promise<ValueChainNodeDto> {
    return toValueChainNodeDto(await this.db.read((m) => findNode(m, id)));
  }

  async update(id: string, dto: UpdateValueChainNodeDto): Promise<ValueChainNodeDto> {
    return this.db.transaction(async (m) => {
      const current = await findNode(m, id);
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
      return toValueChainNodeDto(next);
    });
  }

  /** Deletes the node and its links; refused while an indicator hangs on it. */
  async remove(id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        await findNode(m, id);
        await m.delete(ValueChainNodeEntity, { id });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ValueChainError('VALUE_CHAIN_NODE_IN_USE', 'The node is still referenced by indicators', { id });
      }
      throw error;
    }
  }
}

function codeTaken(code: string): ValueChainError {
  return new ValueChainError('VALUE_CHAIN_NODE_CODE_TAKEN', `The project already has a node with code ${code}`, {
    fields: [{ field: 'code', message: 'already taken in this project' }],
  });
}
