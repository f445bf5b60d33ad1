import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsObject, IsOptional, IsString, Length, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { PageInfoDto } from 'src/common/pagination/page';
import { RULE_SET_COMPONENT, SETTLEMENT_DOCUMENT_COMPONENT, SETTLEMENT_RESULT_COMPONENT } from 'src/openapi/json-schema-components';
import {
  SETTLEMENT_RUN_CONTRACT_STATUSES,
  SETTLEMENT_RUN_STATUSES,
  type SettlementRunContractEntity,
  type SettlementRunContractStatus,
  type SettlementRunEntity,
  type SettlementRunStatus,
} from 'src/settlements/settlement-run.entity';
import type { SettlementDocument, SettlementState } from 'src/settlements/settlement-document';
import { SETTLEMENT_RUN_WARNING_CODES, type SettlementRunWarningCode } from 'src/settlements/settlement-run.warnings';
import type { SettlementEntity } from 'src/settlements/settlement.entity';
import { IsId } from 'src/common/validation/id-param';

export class ApproveSettlementDto {
  /** The documentHash of the draft you read and approve: approving anything else is refused (409). */
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'documentHash must be a SHA-256 in lowercase hex (64 characters)' })
  documentHash!: string;
}

export class ReopenSettlementDto {
  /** Why the approved settlement is reopened (recorded, trimmed, in the new version and the audit log): not only blanks. */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class SettlementSummaryDto {
  id!: string;
  contractId!: string;
  periodId!: string;
  periodCode!: string;
  groupingId!: string;
  groupingCode!: string;
  version!: number;
  @ApiProperty({ enum: ['DRAFT', 'APPROVED', 'SUPERSEDED'] })
  state!: SettlementState;
  /** Decimal string, euros. */
  premium!: string;
  /** Decimal string, euros. */
  payable!: string;
  documentHash!: string;
  computedAt!: string;
  computedBy!: string;
  approvedAt!: string | null;
  approvedBy!: string | null;
  /** The approved version this one reopens. */
  previousId!: string | null;
  reopenReason!: string | null;
}

export class SettlementDto extends SettlementSummaryDto {
  /** The settlement document (format ancora.settlement/3; documents stored before it are ancora.settlement/1 or /2 and still verify; docs/settlements.md): inputs, result with lines and reasons, delta, manifest. */
  @ApiProperty({ allOf: [{ $ref: getSchemaPath(SETTLEMENT_DOCUMENT_COMPONENT) }] })
  document!: SettlementDocument;
}

/** A page of settlement versions, by period, then grouping (contract order), then version. */
export class SettlementListDto {
  @ApiProperty({ type: [SettlementSummaryDto] })
  items!: SettlementSummaryDto[];
  page!: PageInfoDto;
}

export class SettlementManifestDto {
  algorithm!: string;
  canonicalization!: string;
  inputsHash!: string;
  ruleSetHash!: string;
  resultHash!: string;
  documentHash!: string;
}

export class SettlementVerificationDto {
  settlementId!: string;
  /** True when recomputing from the stored inputs reproduces every stored hash. */
  matches!: boolean;
  stored!: SettlementManifestDto;
  /** Null when the stored inputs could not be settled at all (see error). */
  recomputed!: SettlementManifestDto | null;
  /** What differs: inputsHash, ruleSetHash, resultHash, documentHash, canonicalText, recomputation. */
  differences!: string[];
  /** Why the recomputation failed, when it did. */
  @ApiProperty({ nullable: true, type: Object })
  error!: { code: string; message: string } | null;
}

export class ComputeSettlementsResultDto {
  /** The drafts written by this call. */
  @ApiProperty({ type: [SettlementSummaryDto] })
  computed!: SettlementSummaryDto[];
  /** Groupings left alone because their latest version is approved (reopen them to change). */
  @ApiProperty({ type: [SettlementSummaryDto] })
  unchanged!: SettlementSummaryDto[];
}

export class CreateEvaluationRecordDto {
  @IsId()
  groupingId!: string;

  /** The `evaluationPayers[].id` of the binding rule set. */
  @IsString()
  @Length(1, 64)
  payer!: string;

  /** Whether the evaluation found the impact statistically significant. */
  @IsBoolean()
  significant!: boolean;

  /** Savings certified by the evaluation, in euros (decimal string, e.g. "125000.00"). */
  @IsDecimalString()
  certifiedSavings!: string;

  /** Method and evidence, e.g. "difference in differences against the 2023 cohort, p = 0.01". */
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  method!: string;
}

export class EvaluationRecordDto {
  id!: string;
  contractId!: string;
  periodId!: string;
  groupingId!: string;
  payer!: string;
  significant!: boolean;
  certifiedSavings!: string;
  method!: string;
  recordedBy!: string;
  recordedAt!: string;
}

export class EvaluationRecordListDto {
  @ApiProperty({ type: [EvaluationRecordDto] })
  items!: EvaluationRecordDto[];
}

export class SimulationMeasurementsDto {
  /** Code of a grouping of the contract (e.g. "RTI-A") whose measurements are replaced; one entry per grouping. */
  @IsString()
  @Length(1, 64)
  grouping!: string;

  /** By indicator code of the binding version: `{ "value": "11.0", "disaggregations": { "TARGET_GROUP": { "OVER60": "968", "UNDER60": "242" } }, "sampleSize": 250 }`, `{ "status": "NOT_ASSESSABLE", "sampleSize": 150 }` or `{ "status": "MISSING" }`, as in a rule-set test case. A value is held to the rules of a real measurement of the indicator (unit range, declared dimensions with all their categories, parts adding up, a survey's sample size). Indicators not named keep their real accepted values. */
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(`${RULE_SET_COMPONENT}_testMeasurement`) } })
  @IsObject()
  measurements!: Record<string, unknown>;

  /** Hypothetical evaluation records by evaluation payer id of the rule set simulated: `{ "significant": true, "certifiedSavings": "125000.00" }`. */
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      type: 'object',
      additionalProperties: false,
      required: ['significant', 'certifiedSavings'],
      properties: { significant: { type: 'boolean' }, certifiedSavings: { type: 'string', example: '125000.00' } },
    },
  })
  @IsOptional()
  @IsObject()
  evaluations?: Record<string, unknown>;
}

export class SimulateDto {
  /** The periods to evaluate (1 to 12), e.g. the last real ones, each once (a repeat is 400 VALIDATION_FAILED at its `periodIds[i]`). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @IsId({ each: true })
  periodIds!: string[];

  /** A draft rule set to try (ancora.rule-set/1); without it, the binding rule set of each period. */
  @ApiProperty({ allOf: [{ $ref: getSchemaPath(RULE_SET_COMPONENT) }] })
  @IsOptional()
  @IsObject()
  ruleSet?: object;

  /** Hypothetical measurements per grouping, applied in every period; without them, the accepted measurements. Every problem is reported at once (422 SETTLEMENT_SIMULATION_INVALID). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SimulationMeasurementsDto)
  hypothetical?: SimulationMeasurementsDto[];
}

export class SimulationGroupingDto {
  groupingCode!: string;
  /** The same result a settlement would hold: lines with reasons, adjustments, allocation, condition traces. */
  @ApiProperty({ allOf: [{ $ref: getSchemaPath(SETTLEMENT_RESULT_COMPONENT) }] })
  result!: object;
  /** The indicators as the simulation saw them (real or hypothetical). */
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  indicators!: Record<string, unknown>[];
}

export class SimulationPeriodDto {
  periodId!: string;
  periodCode!: string;
  @ApiProperty({ type: [SimulationGroupingDto] })
  groupings!: SimulationGroupingDto[];
}

export class SimulationDto {
  ruleSetCode!: string;
  /** SHA-256 of the canonical JSON of the rule set used. */
  ruleSetHash!: string;
  @ApiProperty({ enum: ['BINDING', 'DRAFT'] })
  ruleSetSource!: 'BINDING' | 'DRAFT';
  @ApiProperty({ type: [SimulationPeriodDto] })
  periods!: SimulationPeriodDto[];
}

export class StartSettlementRunDto {
  /** The period code to settle in every contract of the municipality that has it (e.g. "Y2"). */
  @IsString()
  @Length(1, 64)
  periodCode!: string;
}

export class SettlementRunWarningGroupingDto {
  /** Grouping code, e.g. "RTI-A". */
  grouping!: string;
  /** Terms (lines) of its draft. */
  terms!: number;
  /** Of them, settled by the missing-data policy (line status MISSING_ZERO or EXCLUDED). */
  onMissingData!: number;
}

export class SettlementRunWarningDto {
  /** PERIOD_OPEN: the period is not closed; NO_ACCEPTED_MEASUREMENTS: drafted groupings with no accepted measurement at all; MISSING_DATA: the other drafted groupings with terms settled by the missing-data policy. */
  @ApiProperty({ enum: SETTLEMENT_RUN_WARNING_CODES })
  code!: SettlementRunWarningCode;
  message!: string;
  /** The drafted groupings concerned, in contract order; empty for PERIOD_OPEN. */
  @ApiProperty({ type: [SettlementRunWarningGroupingDto] })
  groupings!: SettlementRunWarningGroupingDto[];
}

export class SettlementRunContractDto {
  contractId!: string;
  contractCode!: string;
  @ApiProperty({ enum: SETTLEMENT_RUN_CONTRACT_STATUSES })
  status!: SettlementRunContractStatus;
  /** Drafts written. */
  computed!: number;
  /** Why skipped or failed: a stable code and a message. */
  @ApiProperty({ nullable: true, type: Object })
  problem!: { code: string; message: string } | null;
  /** What the manager should know about a SETTLED contract, without failing it or changing an amount (docs/settlements.md): its period not closed, drafts settled on missing data. Empty otherwise, and in runs recorded before warnings. */
  @ApiProperty({ type: [SettlementRunWarningDto] })
  warnings!: SettlementRunWarningDto[];
}

/** A run without its per-contract results (lists). */
export class SettlementRunSummaryDto {
  id!: string;
  /** RUNNING until every contract is settled (DONE); FAILED after an unexpected error; INTERRUPTED when the process running it stopped (start it again: settling is per contract). */
  @ApiProperty({ enum: SETTLEMENT_RUN_STATUSES })
  status!: SettlementRunStatus;
  municipalityId!: string;
  periodCode!: string;
  /** Contracts of the municipality that have the period. */
  total!: number;
  /** Contracts settled, skipped or failed so far. */
  done!: number;
  settled!: number;
  skipped!: number;
  failed!: number;
  /** Why a FAILED or INTERRUPTED run stopped: a stable code (INTERNAL_ERROR, SETTLEMENT_RUN_INTERRUPTED, ...) and a message. */
  @ApiProperty({ nullable: true, type: Object })
  problem!: { code: string; message: string } | null;
  /** Who started it (`system` for the CLI). */
  startedBy!: string;
  startedAt!: string;
  /** Null while RUNNING. */
  finishedAt!: string | null;
  /** When progress was last written: after every batch of contracts and at least every second while RUNNING. */
  updatedAt!: string;
}

export class SettlementRunDto extends SettlementRunSummaryDto {
  /** One result per contract settled so far, in the order they were settled (contract code); paged and by status at `/settlement-runs/{id}/contracts`. */
  @ApiProperty({ type: [SettlementRunContractDto] })
  contracts!: SettlementRunContractDto[];
}

export class SettlementRunPageDto {
  @ApiProperty({ type: [SettlementRunSummaryDto] })
  items!: SettlementRunSummaryDto[];
  page!: PageInfoDto;
}

export class SettlementRunContractPageDto {
  @ApiProperty({ type: [SettlementRunContractDto] })
  items!: SettlementRunContractDto[];
  page!: PageInfoDto;
}

export function toSettlementRunSummary(r: SettlementRunEntity): SettlementRunSummaryDto {
  return {
    id: r.id,
    status: r.status,
    municipalityId: r.municipalityId,
    periodCode: r.periodCode,
    total: r.total,
    done: r.done,
    settled: r.settled,
    skipped: r.skipped,
    failed: r.failed,
    problem: r.problemCode === null ? null : { code: r.problemCode, message: r.problemMessage ?? '' },
    startedBy: r.startedByLabel,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    updatedAt: r.updatedAt,
  };
}

export function toSettlementRunDto(r: SettlementRunEntity, contracts: SettlementRunContractDto[]): SettlementRunDto {
  return { ...toSettlementRunSummary(r), contracts };
}

export function toSettlementRunContract(c: SettlementRunContractEntity): SettlementRunContractDto {
  return {
    contractId: c.contractId,
    contractCode: c.contractCode,
    status: c.status,
    computed: c.computed,
    problem: c.problemCode === null ? null : { code: c.problemCode, message: c.problemMessage ?? '' },
    warnings: c.warnings === null ? [] : (JSON.parse(c.warnings) as SettlementRunWarningDto[]),
  };
}

export function toSettlementSummary(s: SettlementEntity, codes: { period: string; grouping: string }): SettlementSummaryDto {
  return {
    id: s.id,
    contractId: s.contractId,
    periodId: s.periodId,
    periodCode: codes.period,
    groupingId: s.groupingId,
    groupingCode: codes.grouping,
    version: s.version,
    state: s.state,
    premium: s.premium,
    payable: s.payable,
    documentHash: s.documentHash,
    computedAt: s.computedAt,
    computedBy: s.computedByLabel,
    approvedAt: s.approvedAt,
    approvedBy: s.approvedByLabel,
    previousId: s.previousId,
    reopenReason: s.reopenReason,
  };
}
