import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { PageInfoDto } from 'src/common/pagination/page';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { IsCode } from 'src/common/validation/code.validator';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { MemberWithOrganisation } from 'src/contracts/contracts.lookup';
import {
  GROUPING_TYPES,
  GroupingFeeEntity,
  GroupingType,
  MEMBER_ROLES,
  MemberRole,
  ProviderGroupingEntity,
} from 'src/contracts/provider-grouping.entity';
import { IsId } from 'src/common/validation/id-param';

export const MAX_MEMBERS = 50;
export const MAX_AREAS = 50;

export class GroupingMemberInputDto {
  /** An ETS organisation. */
  @IsId()
  organisationId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  /** Quota di esecuzione as a decimal string in (0, 1], e.g. `"0.50"`; a grouping's shares sum to exactly 1. */
  @IsDecimalString()
  executionShare!: string;
}

export class CreateGroupingDto {
  /** Code of the grouping within its contract, e.g. `RTI-A`. */
  @IsCode()
  code!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ enum: GROUPING_TYPES })
  @IsIn(GROUPING_TYPES)
  type!: GroupingType;

  /** Territories served, e.g. neighbourhoods; empty when left out. */
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(MAX_AREAS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(300, { each: true })
  areas?: string[];

  /** Exactly one MANDATARIA; one member for SINGLE, at least two for RTI and CONSORTIUM. */
  @IsArray()
  @ArrayMaxSize(MAX_MEMBERS)
  @ValidateNested({ each: true })
  @Type(() => GroupingMemberInputDto)
  members!: GroupingMemberInputDto[];
}

export class UpdateGroupingDto {
  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  /** Replaces the whole list. */
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(MAX_AREAS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(300, { each: true })
  areas?: string[];
}

export class ReplaceMembersDto {
  /** The complete new list of members, validated as a set. */
  @IsArray()
  @ArrayMaxSize(MAX_MEMBERS)
  @ValidateNested({ each: true })
  @Type(() => GroupingMemberInputDto)
  members!: GroupingMemberInputDto[];
}

export class PutFeeDto {
  /** The grouping's fee for the period, in euros: a decimal string with at most 2 decimals, e.g. `"320000.00"`. */
  @IsDecimalString({ min: '0', maxScale: 2 })
  amount!: string;
}

export class GroupingMemberDto {
  organisationId!: string;
  organisationCode!: string;
  organisationName!: string;
  @ApiProperty({ enum: MEMBER_ROLES })
  role!: MemberRole;
  executionShare!: string;
  /** 0 for the first member. */
  position!: number;
}

export class GroupingDto {
  id!: string;
  contractId!: string;
  code!: string;
  name!: string;
  @ApiProperty({ enum: GROUPING_TYPES })
  type!: GroupingType;
  areas!: string[];
  members!: GroupingMemberDto[];
  /** 0 for the first grouping of the contract. */
  position!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class GroupingPageDto {
  items!: GroupingDto[];
  page!: PageInfoDto;
}

/** One cell of a contract's fee table: a grouping in a period, with its fee or `null` when none is set. */
export class FeeDto {
  groupingId!: string;
  groupingCode!: string;
  periodId!: string;
  periodCode!: string;
  @ApiProperty({ type: String, nullable: true, example: '320000.00' })
  amount!: string | null;
}

export class FeePageDto {
  items!: FeeDto[];
  page!: PageInfoDto;
}

export function toGroupingDto(entity: ProviderGroupingEntity, members: readonly MemberWithOrganisation[]): GroupingDto {
  return {
    id: entity.id,
    contractId: entity.contractId,
    code: entity.code,
    name: entity.name,
    type: entity.type,
    areas: [...entity.areas],
    members: members.map(({ member, organisation }) => ({
      organisationId: member.organisationId,
      organisationCode: organisation.code,
      organisationName: organisation.name,
      role: member.role,
      executionShare: member.executionShare,
      position: member.position,
    })),
    position: entity.position,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toFeeDto(grouping: ProviderGroupingEntity, period: ContractPeriodEntity, fee: GroupingFeeEntity | undefined): FeeDto {
  return {
    groupingId: grouping.id,
    groupingCode: grouping.code,
    periodId: period.id,
    periodCode: period.code,
    amount: fee?.amount ?? null,
  };
}
