import { PageInfoDto } from 'src/common/pagination/page';
import { ValueChainLinkEntity } from 'src/value-chain/value-chain-link.entity';
import { IsId } from 'src/common/validation/id-param';

export class CreateValueChainLinkDto {
  /** The node that feeds: an input feeding a process, an outcome feeding an impact... */
  @IsId()
  fromNodeId!: string;

  /** The node it feeds, on the same level or a later one. */
  @IsId()
  toNodeId!: string;
}

export class ValueChainLinkDto {
  id!: string;
  fromNodeId!: string;
  toNodeId!: string;
  fromCode!: string;
  toCode!: string;
}

export function toValueChainLinkDto(entity: ValueChainLinkEntity, codeOf: ReadonlyMap<string, string>): ValueChainLinkDto {
  return {
    id: entity.id,
    fromNodeId: entity.fromNodeId,
    toNodeId: entity.toNodeId,
    fromCode: codeOf.get(entity.fromNodeId)!,
    toCode: codeOf.get(entity.toNodeId)!,
  };
}

export class ValueChainLinkPageDto {
  items!: ValueChainLinkDto[];
  page!: PageInfoDto;
}
