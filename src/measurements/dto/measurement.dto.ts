import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { IsCode } from 'src/common/validation/code.validator';
import { IsDisaggregationMap } from 'src/measurements/dto/disaggregation-map.validator';
import { MeasurementCodes } from 'src/measurements/measurement-codes';
import {
  DisaggregationValues,
  MEASUREMENT_STATUSES,
  MeasurementEntity,
  MeasurementStatus,
  MeasurementVersionEntity,
  REVIEW_OUTCOMES,
  ReviewOutcome,
} from 'src/measurements/measurement.entity';
import { MAX_SAMPLE_SIZE } from 'src/measurements/measurement.rules';
import { IsId } from 'src/common/validation/id-param';

export const MAX_BATCH_ITEMS = 1000;
export const MAX_METHOD_NOTES_LENGTH = 4000;

/** The measured content, shared by submissions and corrections. Ranges are checked against the indicator. */
export class MeasurementValuesDto {
  /** The measured value, a decimal string; may be omitted when numerator and denominator are given (it is then computed). */
  @IsOptional()
  @IsDecimalString()
  value?: string;

  /** Only for indicators whose formula has a numerator and a denominator; both or neither. */
  @IsOptional()
  @IsDecimalString()
  numerator?: string;

  @IsOptional()
  @IsDecimalString()
  denominator?: string;

  /** Respondents of a survey (0 to 1000000000): required when the indicator has a minimum sample size; below it the value is not assessable. */
  @IsOptional()
  @IsInt()
  @Min(0)
  // Without a bound, 3000000000 overflowed PostgreSQL's integer column (a 500) and 1e20 was stored as such on SQLite.
  @Max(MAX_SAMPLE_SIZE)
  sampleSize?: number;

  @IsOptional()
  @IsDisaggregationMap()
  disaggregations?: DisaggregationValues;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_METHOD_NOTES_LENGTH)
  methodNotes?: string;

  /** false keeps it as a DRAFT; true (default) submits it for review. */
  @IsOptional()
  @IsBoolean()
  submit?: boolean;
}

export class CreateMeasurementDto extends MeasurementValuesDto {
  /** Code of an indicator of the binding indicator set in force for the period. */
  @IsCode()
  indicatorCode!: string;

  @IsId()
  periodId!: string;

  @IsId()
  groupingId!: string;
}

export class CreateMeasurementBatchDto {
  @ApiProperty({ type: [CreateMeasurementDto], minItems: 1, maxItems: MAX_BATCH_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => CreateMeasurementDto)
  items!: CreateMeasurementDto[];
}

/** A new version replacing the content (not a patch: give every value again). */
export class CorrectMeasurementDto extends MeasurementValuesDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;

  /** The version being corrected; a different current version is a 409 MEASUREMENT_STATE_CONFLICT. */
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ExpectedVersionDto {
  /** The version the caller saw; a different current version is a 409 MEASUREMENT_STATE_CONFLICT. */
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ReturnMeasurementDto extends ExpectedVersionDto {
  /** Why the measurement goes back to the ETS. */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class ListMeasurementsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsId()
  periodId?: string;

  @IsOptional()
  @IsId()
  groupingId?: string;

  @ApiProperty({ enum: MEASUREMENT_STATUSES, required: false })
  @IsOptional()
  @IsIn(MEASUREMENT_STATUSES)
  status?: MeasurementStatus;

  @IsOptional()
  @IsCode()
  indicatorCode?: string;
}

export class CsvUploadQueryDto {
  /** `false` stores the rows as drafts; anything else submits them. */
  @IsOptional()
  @IsIn(['true', 'false'])
  submit?: 'true' | 'false';
}

export class MeasurementDto {
  id!: string;
  contractId!: string;
  periodId!: string;
  /** The period's code (`Y2`). */
  periodCode!: string;
  groupingId!: string;
  /** The provider grouping's code (`RTI-A`). */
  groupingCode!: string;
  /** The member organisation that submitted it. */
  organisationId!: string;
  /** The submitting organisation's code (`ETS-AURORA`). */
  organisationCode!: string;
  indicatorCode!: string;
  @ApiProperty({ enum: MEASUREMENT_STATUSES })
  status!: MeasurementStatus;
  /** Current version number: the version whose values, status and review this shows. */
  version!: number;
  /**
   * The version that counts in settlements and open data: the last accepted one, null while none was. Lower
   * than `version` while a correction of an accepted value is pending (DRAFT, SUBMITTED or RETURNED).
   */
  @ApiProperty({ type: Number, nullable: true })
  acceptedVersion!: number | null;
  indicatorSetVersionId!: string;
  value!: string;
  @ApiProperty({ type: String, nullable: true })
  numerator!: string | null;
  @ApiProperty({ type: String, nullable: true })
  denominator!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  sampleSize!: number | null;
  /** Below the indicator's minimum sample: kept, but settlement applies its missing-data policy. */
  notAssessable!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } })
  disaggregations!: DisaggregationValues;
  @ApiProperty({ type: String, nullable: true })
  methodNotes!: string | null;
  @ApiProperty({ type: String, nullable: true })
  submittedAt!: string | null;
  @ApiProperty({ enum: REVIEW_OUTCOMES, nullable: true })
  reviewOutcome!: ReviewOutcome | null;
  @ApiProperty({ type: String, nullable: true })
  reviewReason!: string | null;
  @ApiProperty({ type: String, nullable: true })
  reviewedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

/**
 * A measurement as the audit log records it: the stored row and version, ids only, as it did before answers
 * carried codes (those are read from the rows the ids name). Answers add them (`toMeasurementDto`).
 */
export type MeasurementRecord = Omit<MeasurementDto, keyof MeasurementCodes>;

export function toMeasurementDto(m: MeasurementEntity, v: MeasurementVersionEntity, codes: MeasurementCodes): MeasurementDto {
  const { id, contractId, periodId, groupingId, organisationId, ...rest } = toMeasurementRecord(m, v);
  const { periodCode, groupingCode, organisationCode } = codes;
  return { id, contractId, periodId, periodCode, groupingId, groupingCode, organisationId, organisationCode, ...rest };
}

export function toMeasurementRecord(m: MeasurementEntity, v: MeasurementVersionEntity): MeasurementRecord {
  return {
    id: m.id,
    contractId: m.contractId,
    periodId: m.periodId,
    groupingId: m.groupingId,
    organisationId: m.organisationId,
    indicatorCode: m.indicatorCode,
    status: m.status,
    version: m.version,
    acceptedVersion: m.acceptedVersion ?? null,
    indicatorSetVersionId: v.indicatorSetVersionId,
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    sampleSize: v.sampleSize,
    notAssessable: v.notAssessable,
    disaggregations: v.disaggregations,
    methodNotes: v.methodNotes,
    submittedAt: v.submittedAt,
    reviewOutcome: v.reviewOutcome,
    reviewReason: v.reviewReason,
    reviewedAt: v.reviewedAt,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export class MeasurementVersionDto {
  version!: number;
  indicatorSetVersionId!: string;
  value!: string;
  @ApiProperty({ type: String, nullable: true })
  numerator!: string | null;
  @ApiProperty({ type: String, nullable: true })
  denominator!: string | null;
  @ApiProperty({ type: Number, nullable: true })
  sampleSize!: number | null;
  notAssessable!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } })
  disaggregations!: DisaggregationValues;
  @ApiProperty({ type: String, nullable: true })
  methodNotes!: string | null;
  @ApiProperty({ type: String, nullable: true })
  correctionReason!: string | null;
  createdBy!: string;
  @ApiProperty({ type: String, nullable: true })
  submittedAt!: string | null;
  @ApiProperty({ enum: REVIEW_OUTCOMES, nullable: true })
  reviewOutcome!: ReviewOutcome | null;
  @ApiProperty({ type: String, nullable: true })
  reviewReason!: string | null;
  @ApiProperty({ type: String, nullable: true })
  reviewedBy!: string | null;
  @ApiProperty({ type: String, nullable: true })
  reviewedAt!: string | null;
  createdAt!: string;
}

export function toMeasurementVersionDto(v: MeasurementVersionEntity): MeasurementVersionDto {
  return {
    version: v.version,
    indicatorSetVersionId: v.indicatorSetVersionId,
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    sampleSize: v.sampleSize,
    notAssessable: v.notAssessable,
    disaggregations: v.disaggregations,
    methodNotes: v.methodNotes,
    correctionReason: v.correctionReason,
    createdBy: v.createdBy,
    submittedAt: v.submittedAt,
    reviewOutcome: v.reviewOutcome,
    reviewReason: v.reviewReason,
    reviewedBy: v.reviewedBy,
    reviewedAt: v.reviewedAt,
    createdAt: v.createdAt,
  };
}

export class MeasurementPageDto {
  items!: MeasurementDto[];
  page!: PageInfoDto;
}

export class MeasurementListDto {
  items!: MeasurementDto[];
}

export class MeasurementVersionListDto {
  items!: MeasurementVersionDto[];
}
