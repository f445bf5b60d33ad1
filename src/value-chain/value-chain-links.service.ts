import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { EntityManager, In } from 'typeorm';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isUniqueViolation } from 'src/database/database';
import { CreateValueChainLinkDto, toValueChainLinkDto, ValueChainLinkDto } from 'src/value-chain/dto/value-chain-link.dto';
import { ValueChainLinkEntity } from 'src/value-chain/value-chain-link.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';
import { ValueChainError } from 'src/value-chain/value-chain.errors';
import { findNode, findProject, linkRefs, loadChain, lockProject, nextPosition, projectNotFound, recheckChain } from 'src/value-chain/value-chain.queries';

@Injectable()
export class ValueChainLinksService {
  constructor(
    private readonly db: Database,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  /** Links two nodes of the project; the whole chain is re-checked (no backward link, no cycle) before it is written. */
  async create(principal: Principal, projectId: string, dto: CreateValueChainLinkDto): Promise<ValueChainLinkDto> {
    try {
      return await this.db.transaction(async (m) => {
        const project = await lockProject(m, projectId);
        await this.access.requireManageableProject(m, principal, project, () => projectNotFound(projectId));
        const from = await findNode(m, dto.fromNodeId, 'fromNodeId');
        const to = await findNode(m, dto.toNodeId, 'toNodeId');
        requireSameProject(from, projectId, 'fromNodeId');
        requireSameProject(to, projectId, 'toNodeId');
        const chain = await loadChain(m, projectId);
        if (chain.links.some((l) => l.fromNodeId === from.id && l.toNodeId === to.id)) {
          throw duplicate(from.code, to.code);
        }
        const entity: ValueChainLinkEntity = {
          id: this.ids.next(),
          projectId,
          fromNodeId: from.id,
          toNodeId: to.id,
          position: await nextPosition(m, ValueChainLinkEntity, projectId),
        };
        recheckChain(
          chain.nodes.map((n) => ({ code: n.code, level: n.level })),
          linkRefs([...chain.links, entity], chain.codeOf),
          'toNodeId',
        );
        await m.insert(ValueChainLinkEntity, entity);
        await this.audit.record(m, principal, {
          action: 'create',
          objectType: 'value_chain_link',
          objectId: entity.id,
          municipalityId: project.municipalityId,
          after: toValueChainLinkDto(entity, chain.codeOf),
        });
        return toValueChainLinkDto(entity, chain.codeOf);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ValueChainError('VALUE_CHAIN_LINK_DUPLICATE', 'The two nodes are already linked', {
          fields: [{ field: 'toNodeId', message: 'already linked from fromNodeId' }],
        });
      }
      throw error;
    }
  }

  async list(principal: Principal, projectId: string, query: PageQueryDto): Promise<Page<ValueChainLinkDto>> {
    const { take, skip } = pageWindow(query);
    const { rows, total, codeOf } = await this.db.read(async (m) => {
      await findProject(m, projectId);
      await this.access.requireReadableProject(m, principal, projectId, () => projectNotFound(projectId));
      const [links, count] = await m.findAndCount(ValueChainLinkEntity, {
        where: { projectId },
        order: { position: 'ASC', id: 'ASC' },
        take,
        skip,
      });
      const nodes = await m.find(ValueChainNodeEntity, { where: { projectId }, select: { id: true, code: true } });
      return { rows: links, total: count, codeOf: new Map(nodes.map((n) => [n.id, n.code])) };
    });
    return toPage(rows, total, query, (l) => toValueChainLinkDto(l, codeOf));
  }

  async get(principal: Principal, id: string): Promise<ValueChainLinkDto> {
    return this.db.read(async (m) => {
      const link = await findLink(m, id);
      await this.access.requireReadableProject(m, principal, link.projectId, () => linkNotFound(id));
      const nodes = await m.find(ValueChainNodeEntity, { where: { id: In([link.fromNodeId, link.toNodeId]) } });
      return toValueChainLinkDto(link, new Map(nodes.map((n) => [n.id, n.code])));
    });
  }

  /** Removing a link never breaks the chain's rules, so nothing else is checked. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const link = await findLink(m, id);
      const project = await findProject(m, link.projectId);
      await this.access.requireManageableProject(m, principal, project, () => linkNotFound(id));
      const nodes = await m.find(ValueChainNodeEntity, { where: { id: In([link.fromNodeId, link.toNodeId]) } });
      await m.delete(ValueChainLinkEntity, { id });
      await this.audit.record(m, principal, {
        action: 'delete',
        objectType: 'value_chain_link',
        objectId: id,
        municipalityId: project.municipalityId,
        before: toValueChainLinkDto(link, new Map(nodes.map((n) => [n.id, n.code]))),
      });
    });
  }
}

async function findLink(m: EntityManager, id: string): Promise<ValueChainLinkEntity> {
  const link = await m.findOneBy(ValueChainLinkEntity, { id });
  if (!link) {
    throw linkNotFound(id);
  }
  return link;
}

function linkNotFound(id: string): ValueChainError {
  return new ValueChainError('VALUE_CHAIN_LINK_NOT_FOUND', `Value chain link ${id} not found`, { id });
}

function requireSameProject(node: ValueChainNodeEntity, projectId: string, field: string): void {
  if (node.projectId !== projectId) {
    throw new ValueChainError('VALUE_CHAIN_CROSS_PROJECT_LINK', `Node ${node.code} belongs to another project`, {
      fields: [{ field, message: 'the node belongs to another project' }],
    });
  }
}

function duplicate(from: string, to: string): ValueChainError {
  return new ValueChainError('VALUE_CHAIN_LINK_DUPLICATE', `${from} already feeds ${to}`, {
    link: { from, to },
    fields: [{ field: 'toNodeId', message: `${from} -> ${to} is already linked` }],
  });
}
