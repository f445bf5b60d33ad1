import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { IsCode } from 'src/common/validation/code.validator';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import {
  FUNDING_SOURCES,
  FundingSource,
  VALUE_CHAIN_LEVELS,
  ValueChainLevel,
  ValueChainNodeEntity,
} from 'src/value-chain/value-chain-node.entity';

const UNIT_RE = /^[A-Z][A-Z0-9_]{0,15}$/;
const UNIT_MESSAGE = '$property must be an upper-case unit code such as EUR, HOURS, COUNT or FTE (at most 16 characters)';

export class CreateValueChainNodeDto {
  /** Stable code within the project, e.g. `IN1`, `OD3`, `IO2`. */
  @IsCode()
  code!: string;

  @ApiProperty({ enum: VALUE_CHAIN_LEVELS })
  @IsIn(VALUE_CHAIN_LEVELS)
  level!: ValueChainLevel;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelIt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  labelEn?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  /** Inputs only: how much of the resource, as a decimal string (e.g. `"4000"` volunteer hours). */
  @IsOptional()
  @IsDecimalString({ min: '0' })
  quantity?: string;

  /** Inputs only: the unit of the quantity, e.g. `EUR`, `HOURS`, `COUNT`, `FTE`. */
  @IsOptional()
  @Matches(UNIT_RE, { message: UNIT_MESSAGE })
  unit?: string;

  /** Inputs only: value in EUR, decimal string with at most 2 decimals (e.g. `"600000.00"`). */
  @IsOptional()
  @IsDecimalString({ min: '0', maxScale: 2 })
  monetaryValue?: string;

  /** Inputs only: who pays for (or gives) the resource. */
  @ApiProperty({ enum: FUNDING_SOURCES, required: false })
  @IsOptional()
  @IsIn(FUNDING_SOURCES)
  fundingSource?: FundingSource;
}

/**
 * The code is fixed once the node exists. Changing the level re-checks the node's links; input-only fields
 * must be cleared (`null`) in the same request when a node stops being an input.
 */
export class UpdateValueChainNodeDto {
  @ApiProperty({ enum: VALUE_CHAIN_LEVELS, required: false })
  @PresentIfGiven()
  @IsIn(VALUE_CHAIN_LEVELS)
  level?: ValueChainLevel;

  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelIt?: string;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  labelEn?: string | null;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsDecimalString({ min: '0' })
  quantity?: string | null;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @Matches(UNIT_RE, { message: UNIT_MESSAGE })
  unit?: string | null;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsDecimalString({ min: '0', maxScale: 2 })
  monetaryValue?: string | null;

  /** `null` clears it. */
  @ApiProperty({ enum: FUNDING_SOURCES, nullable: true, required: false })
  @IsOptional()
  @IsIn(FUNDING_SOURCES)
  fundingSource?: FundingSource | null;
}

export class ListValueChainNodesQueryDto extends PageQueryDto {
  @ApiProperty({ enum: VALUE_CHAIN_LEVELS, required: false })
  @IsOptional()
  @IsIn(VALUE_CHAIN_LEVELS)
  level?: ValueChainLevel;
}

export class ValueChainNodeDto {
  id!: string;
  projectId!: string;
  code!: string;
  @ApiProperty({ enum: VALUE_CHAIN_LEVELS })
  level!: ValueChainLevel;
  labelIt!: string;
  @ApiProperty({ type: String, nullable: true })
  labelEn!: string | null;
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Decimal string; inputs only.' })
  quantity!: string | null;
  @ApiProperty({ type: String, nullable: true })
  unit!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'EUR as a decimal string; inputs only.' })
  monetaryValue!: string | null;
  @ApiProperty({ enum: FUNDING_SOURCES, nullable: true })
  fundingSource!: FundingSource | null;
  /** Order of the node in its project's chain. */
  position!: number;
  createdAt!: string;
  updatedAt!: string;
}

export function toValueChainNodeDto(entity: ValueChainNodeEntity): ValueChainNodeDto {
  return {
    id: entity.id,
    projectId: entity.projectId,
    code: entity.code,
    level: entity.level,
    labelIt: entity.labelIt,
    labelEn: entity.labelEn,
    description: entity.description,
    quantity: entity.quantity,
    unit: entity.unit,
    monetaryValue: entity.monetaryValue,
    fundingSource: entity.fundingSource,
    position: entity.position,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export class ValueChainNodePageDto {
  items!: ValueChainNodeDto[];
  page!: PageInfoDto;
}
