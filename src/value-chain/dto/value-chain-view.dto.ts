import { ApiProperty } from '@nestjs/swagger';
import { FUNDING_SOURCES, VALUE_CHAIN_LEVELS, ValueChainLevel, ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';
import { ValueChainLinkDto } from 'src/value-chain/dto/value-chain-link.dto';
import { ValueChainNodeDto } from 'src/value-chain/dto/value-chain-node.dto';
import { Budget, BudgetGroup, ChainTree } from 'src/value-chain/value-chain.rules';

/** The whole chain of a project: nodes and links in their stored order. */
export class ValueChainGraphDto {
  projectId!: string;
  nodes!: ValueChainNodeDto[];
  links!: ValueChainLinkDto[];
}

export class ValueChainNodeRefDto {
  id!: string;
  code!: string;
  @ApiProperty({ enum: VALUE_CHAIN_LEVELS })
  level!: ValueChainLevel;
}

export class ValueChainTreeNodeDto extends ValueChainNodeRefDto {
  labelIt!: string;
  @ApiProperty({ type: String, nullable: true })
  labelEn!: string | null;
  /** The nodes that feed this one, in chain order; a node feeding several others appears under each. */
  @ApiProperty({ type: () => [ValueChainTreeNodeDto] })
  children!: ValueChainTreeNodeDto[];
}

export class ValueChainTreeDto {
  projectId!: string;
  /** One tree per IMPACT node (objective), in chain order. */
  trees!: ValueChainTreeNodeDto[];
  /** Nodes that feed no objective yet, in chain order. */
  detached!: ValueChainNodeRefDto[];
}

export function toTreeNodeDto(tree: ChainTree<ValueChainNodeEntity>): ValueChainTreeNodeDto {
  const { node } = tree;
  return {
    id: node.id,
    code: node.code,
    level: node.level,
    labelIt: node.labelIt,
    labelEn: node.labelEn,
    children: tree.children.map(toTreeNodeDto),
  };
}

export class BudgetLineDto {
  @ApiProperty({ enum: [...FUNDING_SOURCES, 'UNSPECIFIED'] })
  fundingSource!: BudgetGroup;
  /** Inputs from this source, valued or not. */
  itemCount!: number;
  /** Inputs from this source without a monetary value. */
  unvaluedCount!: number;
  /** EUR, decimal string with 2 decimals. */
  total!: string;
  inputCodes!: string[];
}

/** The project's single budget: its inputs by funding source. */
export class BudgetDto {
  projectId!: string;
  @ApiProperty({ enum: ['EUR'] })
  currency!: 'EUR';
  lines!: BudgetLineDto[];
  /** EUR, all sources including valued in-kind resources. */
  grandTotal!: string;
  /** EUR, all sources but IN_KIND. */
  totalExcludingInKind!: string;
  /** In-kind inputs without a monetary value, so not in the totals. */
  inKindWithoutValuation!: number;
}

export function toBudgetDto(projectId: string, budget: Budget): BudgetDto {
  return {
    projectId,
    currency: 'EUR',
    lines: budget.lines.map((l) => ({ ...l, inputCodes: [...l.inputCodes] })),
    grandTotal: budget.grandTotal,
    totalExcludingInKind: budget.totalExcludingInKind,
    inKindWithoutValuation: budget.inKindWithoutValuation,
  };
}
