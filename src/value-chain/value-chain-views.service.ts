import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { Database } from 'src/database/database';
import { toValueChainLinkDto } from 'src/value-chain/dto/value-chain-link.dto';
import { toValueChainNodeDto } from 'src/value-chain/dto/value-chain-node.dto';
import {
  BudgetDto,
  toBudgetDto,
  toTreeNodeDto,
  ValueChainGraphDto,
  ValueChainTreeDto,
} from 'src/value-chain/dto/value-chain-view.dto';
import { findProject, linkRefs, LoadedChain, loadChain, projectNotFound } from 'src/value-chain/value-chain.queries';
import { buildImpactTrees, calculateBudget } from 'src/value-chain/value-chain.rules';

/** Read-only views of a project's whole chain: the graph, the trees under each objective, the budget. */
@Injectable()
export class ValueChainViewsService {
  constructor(
    private readonly db: Database,
    private readonly access: AccessScope,
  ) {}

  async graph(principal: Principal, projectId: string): Promise<ValueChainGraphDto> {
    const chain = await this.db.read((m) => this.readableChain(m, principal, projectId));
    return {
      projectId,
      nodes: chain.nodes.map(toValueChainNodeDto),
      links: chain.links.map((l) => toValueChainLinkDto(l, chain.codeOf)),
    };
  }

  async tree(principal: Principal, projectId: string): Promise<ValueChainTreeDto> {
    const chain = await this.db.read((m) => this.readableChain(m, principal, projectId));
    const { trees, detached } = buildImpactTrees(chain.nodes, linkRefs(chain.links, chain.codeOf));
    return {
      projectId,
      trees: trees.map(toTreeNodeDto),
      detached: detached.map((n) => ({ id: n.id, code: n.code, level: n.level })),
    };
  }

  async budget(principal: Principal, projectId: string): Promise<BudgetDto> {
    const chain = await this.db.read((m) => this.readableChain(m, principal, projectId));
    return toBudgetDto(projectId, calculateBudget(chain.nodes));
  }

  private async readableChain(m: EntityManager, principal: Principal, projectId: string): Promise<LoadedChain> {
    await findProject(m, projectId);
    await this.access.requireReadableProject(m, principal, projectId, () => projectNotFound(projectId));
    return loadChain(m, projectId);
  }
}
