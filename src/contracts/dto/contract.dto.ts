import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { IsCode } from 'src/common/validation/code.validator';
import { IsIsoDate } from 'src/common/validation/is-iso-date.validator';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { RULE_SET_COMPONENT } from 'src/openapi/json-schema-components';
import { IsId } from 'src/common/validation/id-param';

export const CURRENCIES = ['EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const MAX_PERIODS = 100;

export class CreatePeriodDto {
  /** Code of the period within its contract, e.g. `Y1`. */
  @IsCode()
  code!: string;

  /** First day of the period (YYYY-MM-DD). */
  @IsIsoDate()
  startDate!: string;

  /** Last day of the period, inclusive (YYYY-MM-DD). */
  @IsIsoDate()
  endDate!: string;

  /** Free label of the contract's phase in this period, e.g. `TRANSITION`. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  phase?: string | null;
}

export class UpdatePeriodDto {
  /** The phase label; `null` clears it. Dates and code cannot change: remove the last period and append it again. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  phase?: string | null;
}

export class CreateContractDto {
  /** Stable code used by contract documents, e.g. `PD-SDC`. */
  @IsCode()
  code!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title!: string;

  @IsId()
  projectId!: string;

  /** The awarding municipality: must be the project's municipality. */
  @IsId()
  municipalityId!: string;

  /** Only EUR for now; EUR when left out. */
  @ApiProperty({ enum: CURRENCIES, required: false, default: 'EUR' })
  @PresentIfGiven()
  @IsIn(CURRENCIES)
  currency?: Currency;

  /** First day of the contract (YYYY-MM-DD). */
  @IsIsoDate()
  startDate!: string;

  /** Last day of the contract, inclusive (YYYY-MM-DD). */
  @IsIsoDate()
  endDate!: string;

  /** The periods (annualità) in order: contiguous, inside the contract, codes unique. */
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(MAX_PERIODS)
  @ValidateNested({ each: true })
  @Type(() => CreatePeriodDto)
  periods?: CreatePeriodDto[];
}

export class UpdateContractDto {
  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title?: string;

  /** New dates must still contain every period. */
  @PresentIfGiven()
  @IsIsoDate()
  startDate?: string;

  @PresentIfGiven()
  @IsIsoDate()
  endDate?: string;
}

export class ListContractsQueryDto extends PageQueryDto {
  /** Contracts of this project. */
  @IsOptional()
  @IsId()
  projectId?: string;

  /** Contracts awarded by this municipality. */
  @IsOptional()
  @IsId()
  municipalityId?: string;
}

export class ContractPeriodDto {
  id!: string;
  contractId!: string;
  code!: string;
  startDate!: string;
  endDate!: string;
  @ApiProperty({ type: String, nullable: true })
  phase!: string | null;
  /** 0 for the first period. */
  position!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class ContractDto {
  id!: string;
  code!: string;
  title!: string;
  projectId!: string;
  municipalityId!: string;
  @ApiProperty({ enum: CURRENCIES })
  currency!: string;
  startDate!: string;
  endDate!: string;
  /** The periods in order. */
  periods!: ContractPeriodDto[];
  createdAt!: string;
  updatedAt!: string;
}

export class ContractPageDto {
  items!: ContractDto[];
  page!: PageInfoDto;
}

export class ContractPeriodPageDto {
  items!: ContractPeriodDto[];
  page!: PageInfoDto;
}

export class PutPaymentRulesDto {
  /**
   * The contract's payment rule set, format `ancora.rule-set/1` (contracts/schema/rule-set.schema.json,
   * explained in docs/rule-sets.md): basis, phases, typed payment terms with gates, guardrails, caps,
   * rounding, evaluation payers and test cases. It is checked against the contract as it is now (its
   * indicators with baselines and targets, groupings with fees, periods); a rule set that does not fit
   * is refused with 422, the first problem's code (`RULE_SET_*` or `RULE_CONDITION_*`) and every problem
   * in `details.fields` (e.g. `paymentRules.terms[2].gate.condition.all[0].fact`), and nothing changes.
   * Stored exactly as sent.
   */
  @ApiProperty({ allOf: [{ $ref: getSchemaPath(RULE_SET_COMPONENT) }] })
  // Whitelisted as is: the service checks it is an object (PAYMENT_RULES_INVALID, 400), then a valid rule set (422).
  @Allow()
  paymentRules!: unknown;
}

export class PaymentRulesDto {
  contractId!: string;
  /** The stored rule set (docs/rule-sets.md), exactly as it was sent, or `null` when none has been set. */
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(RULE_SET_COMPONENT) }] })
  paymentRules!: object | null;
}

export function toContractPeriodDto(entity: ContractPeriodEntity): ContractPeriodDto {
  return {
    id: entity.id,
    contractId: entity.contractId,
    code: entity.code,
    startDate: entity.startDate,
    endDate: entity.endDate,
    phase: entity.phase,
    position: entity.position,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toContractDto(entity: ContractEntity, periods: readonly ContractPeriodEntity[]): ContractDto {
  return {
    id: entity.id,
    code: entity.code,
    title: entity.title,
    projectId: entity.projectId,
    municipalityId: entity.municipalityId,
    currency: entity.currency,
    startDate: entity.startDate,
    endDate: entity.endDate,
    periods: periods.map(toContractPeriodDto),
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toPaymentRulesDto(entity: ContractEntity): PaymentRulesDto {
  return {
    contractId: entity.id,
    paymentRules: entity.paymentRules === null ? null : (JSON.parse(entity.paymentRules) as Record<string, unknown>),
  };
}
