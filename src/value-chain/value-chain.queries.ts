import { EntityManager } from 'typeorm';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ValueChainLinkEntity } from 'src/value-chain/value-chain-link.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';
import { ValueChainError, ValueChainErrorCode } from 'src/value-chain/value-chain.errors';
import { ChainLinkRef, ChainNodeRef, checkValueChain } from 'src/value-chain/value-chain.rules';

// Loaders shared by the value-chain services. Each takes the transaction's or read's EntityManager.

export function projectNotFound(id: string): ValueChainError {
  return new ValueChainError('PROJECT_NOT_FOUND', `Project ${id} not found`, { id });
}

export async function findProject(m: EntityManager, id: string): Promise<ProjectEntity> {
  const project = await m.findOneBy(ProjectEntity, { id });
  if (!project) {
    throw projectNotFound(id);
  }
  return project;
}

/**
 * Loads the project and, on PostgreSQL, locks its row until the transaction ends, so two concurrent
 * writes to one chain (each valid alone, together a cycle) are checked one after the other. SQLite
 * already runs one transaction at a time (Database).
 */
export async function lockProject(m: EntityManager, id: string): Promise<ProjectEntity> {
  if (m.connection.options.type !== 'postgres') {
    return findProject(m, id);
  }
  const project = await m.findOne(ProjectEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!project) {
    throw projectNotFound(id);
  }
  return project;
}

export async function findNode(m: EntityManager, id: string, field?: string): Promise<ValueChainNodeEntity> {
  const node = await m.findOneBy(ValueChainNodeEntity, { id });
  if (!node) {
    throw new ValueChainError('VALUE_CHAIN_NODE_NOT_FOUND', `Value chain node ${id} not found`, {
      id,
      ...(field ? { fields: [{ field, message: 'no such value chain node' }] } : {}),
    });
  }
  return node;
}

export interface LoadedChain {
  nodes: ValueChainNodeEntity[];
  links: ValueChainLinkEntity[];
  codeOf: Map<string, string>;
}

/** The whole chain of a project, nodes and links in their stored order. */
export async function loadChain(m: EntityManager, projectId: string): Promise<LoadedChain> {
  const nodes = await m.find(ValueChainNodeEntity, { where: { projectId }, order: { position: 'ASC', code: 'ASC' } });
  const links = await m.find(ValueChainLinkEntity, { where: { projectId }, order: { position: 'ASC', id: 'ASC' } });
  return { nodes, links, codeOf: new Map(nodes.map((n) => [n.id, n.code])) };
}

export function linkRefs(links: readonly Pick<ValueChainLinkEntity, 'fromNodeId' | 'toNodeId'>[], codeOf: Map<string, string>): ChainLinkRef[] {
  return links.map((l) => ({ from: codeOf.get(l.fromNodeId)!, to: codeOf.get(l.toNodeId)! }));
}

export async function nextPosition(m: EntityManager, entity: new () => { position: number; projectId: string }, projectId: string): Promise<number> {
  const max = await m.maximum(entity, 'position', { projectId });
  return max === null ? 0 : max + 1;
}

/**
 * Re-checks a chain after one write through the API. The rules name problems by their place in the chain
 * (`links[7]`), which means nothing to the client of that one request: they are reported on the request
 * field that caused them (`toNodeId`, `level`), keeping the rule's details (link, cycle).
 */
export function recheckChain(nodes: readonly ChainNodeRef[], links: readonly ChainLinkRef[], field: string): void {
  try {
    checkValueChain(nodes, links);
  } catch (error) {
    if (error instanceof ValueChainError) {
      throw new ValueChainError(error.code as ValueChainErrorCode, error.message, {
        ...error.details,
        fields: [{ field, message: error.message }],
      });
    }
    throw error;
  }
}
