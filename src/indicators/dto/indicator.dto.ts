import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { IsCode } from 'src/common/validation/code.validator';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import {
  Aggregation,
  AGGREGATIONS,
  DATA_OWNERS,
  DataOwner,
  Direction,
  DIRECTIONS,
  Frequency,
  FREQUENCIES,
  INDICATOR_SCOPES,
  INDICATOR_UNITS,
  IndicatorBaselineEntity,
  IndicatorDenominatorEntity,
  IndicatorEntity,
  IndicatorScope,
  IndicatorTargetEntity,
  IndicatorUnit,
} from 'src/indicators/indicator.entity';
import { IsId } from 'src/common/validation/id-param';

const MAX_ROWS = 1000;
/** A minimum sample far beyond any survey, within every database's integer column (as in contracts/schema). */
export const MAX_MIN_SAMPLE_SIZE = 1_000_000_000;

export class FormulaDto {
  /** The formula as agreed, e.g. `over60 conosciuti (unici) / residenti over60 dell'area * 100`. */
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  text!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  numerator?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  denominator?: string;
}

export class DisaggregationDto {
  /** e.g. `target`, `needType`, `neighbourhood`. */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  dimension!: string;

  /** e.g. `[OVER60, UNDER60]`; each once. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  values!: string[];
}

export class BaselineInputDto {
  /** The grouping this baseline is for; omitted or null for a contract-wide baseline. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false })
  @IsOptional()
  @IsId()
  groupingId?: string | null;

  /** A decimal string in the indicator's unit, or null while the baseline is still to be established. */
  @ApiProperty({ type: String, nullable: true, example: '8.0' })
  @ValidateIf((_, v) => v !== null)
  @IsDecimalString()
  value!: string | null;

  /** The period whose data establishes (or established) the baseline, e.g. Y1. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false })
  @IsOptional()
  @IsId()
  establishedInPeriodId?: string | null;

  /** What the baseline refers to, e.g. the year `2022`. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reference?: string | null;

  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string | null;
}

export class TargetInputDto {
  @IsId()
  periodId!: string;

  /** The grouping this target is for; omitted or null for a contract-wide target. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false })
  @IsOptional()
  @IsId()
  groupingId?: string | null;

  /** A decimal string in the indicator's unit. */
  @ApiProperty({ type: String, example: '12.0' })
  @IsDecimalString()
  value!: string;
}

export class DenominatorInputDto {
  /** The grouping whose rate divides by this population; omitted or null for contract-wide. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true, required: false })
  @IsOptional()
  @IsId()
  groupingId?: string | null;

  /** A reference population of the contract's project. */
  @IsId()
  referencePopulationId!: string;
}

export class CreateIndicatorDto {
  /** Unique within the contract, e.g. `IND-01`. */
  @IsCode()
  code!: string;

  /** The value-chain node of the contract's project the indicator hangs on. */
  @IsId()
  nodeId!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelIt!: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelEn?: string;

  @ApiProperty({ enum: INDICATOR_UNITS })
  @IsIn(INDICATOR_UNITS)
  unit!: IndicatorUnit;

  @ApiProperty({ enum: DIRECTIONS, description: 'INCREASE: higher is better; DECREASE: lower is better; LEVEL: hold a level.' })
  @IsIn(DIRECTIONS)
  direction!: Direction;

  @IsOptional()
  @ValidateNested()
  @Type(() => FormulaDto)
  formula?: FormulaDto;

  /** Collection instrument (strumento di rilevazione), e.g. `questionario di gradimento annuale`. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  instrument?: string;

  @ApiProperty({ enum: DATA_OWNERS, required: false })
  @IsOptional()
  @IsIn(DATA_OWNERS)
  dataOwner?: DataOwner;

  @ApiProperty({ enum: FREQUENCIES })
  @IsIn(FREQUENCIES)
  frequency!: Frequency;

  /** Minimum number of answers for a survey to be assessable (a whole number from 1 to 1,000,000,000). */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MIN_SAMPLE_SIZE, required: false })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MIN_SAMPLE_SIZE)
  minSampleSize?: number;

  /** Each dimension once, each value once. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DisaggregationDto)
  disaggregations?: DisaggregationDto[];

  @ApiProperty({ enum: INDICATOR_SCOPES })
  @IsIn(INDICATOR_SCOPES)
  scope!: IndicatorScope;

  /** How disaggregated parts relate to the total. Defaults by unit when omitted: COUNT -> SUM, every other unit -> NONE. */
  @ApiProperty({ enum: AGGREGATIONS, required: false })
  @IsOptional()
  @IsIn(AGGREGATIONS)
  aggregation?: Aggregation;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => BaselineInputDto)
  baselines?: BaselineInputDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => TargetInputDto)
  targets?: TargetInputDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => DenominatorInputDto)
  denominators?: DenominatorInputDto[];
}

/** Every field optional; `null` clears the optional ones. Baselines, targets and denominators have their own PUTs. */
export class UpdateIndicatorDto {
  @PresentIfGiven()
  @IsCode()
  code?: string;

  @PresentIfGiven()
  @IsId()
  nodeId?: string;

  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelIt?: string;

  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelEn?: string | null;

  /** Changing it re-validates the stored baselines and targets. */
  @ApiProperty({ enum: INDICATOR_UNITS, required: false })
  @PresentIfGiven()
  @IsIn(INDICATOR_UNITS)
  unit?: IndicatorUnit;

  /** Changing it re-validates the stored targets against their baselines. */
  @ApiProperty({ enum: DIRECTIONS, required: false })
  @PresentIfGiven()
  @IsIn(DIRECTIONS)
  direction?: Direction;

  @ApiProperty({ type: FormulaDto, nullable: true, required: false })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => FormulaDto)
  formula?: FormulaDto | null;

  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  instrument?: string | null;

  @ApiProperty({ enum: DATA_OWNERS, nullable: true, required: false })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(DATA_OWNERS)
  dataOwner?: DataOwner | null;

  @ApiProperty({ enum: FREQUENCIES, required: false })
  @PresentIfGiven()
  @IsIn(FREQUENCIES)
  frequency?: Frequency;

  @ApiProperty({ type: 'integer', nullable: true, required: false, minimum: 1, maximum: MAX_MIN_SAMPLE_SIZE })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_MIN_SAMPLE_SIZE)
  minSampleSize?: number | null;

  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DisaggregationDto)
  disaggregations?: DisaggregationDto[];

  /** Changing it re-validates the stored baselines, targets and denominators. */
  @ApiProperty({ enum: INDICATOR_SCOPES, required: false })
  @PresentIfGiven()
  @IsIn(INDICATOR_SCOPES)
  scope?: IndicatorScope;

  /** Kept as stored when omitted, even if the unit changes. */
  @ApiProperty({ enum: AGGREGATIONS, required: false })
  @PresentIfGiven()
  @IsIn(AGGREGATIONS)
  aggregation?: Aggregation;
}

export class ReplaceBaselinesDto {
  /** The complete new list, in document order (an empty list removes every baseline). */
  @IsArray()
  @ArrayMaxSize(MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => BaselineInputDto)
  baselines!: BaselineInputDto[];
}

export class ReplaceTargetsDto {
  /** The complete new list, in document order (an empty list removes every target). */
  @IsArray()
  @ArrayMaxSize(MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => TargetInputDto)
  targets!: TargetInputDto[];
}

export class ReplaceDenominatorsDto {
  /** The complete new list, in document order (an empty list removes every denominator). */
  @IsArray()
  @ArrayMaxSize(MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => DenominatorInputDto)
  denominators!: DenominatorInputDto[];
}

export class ListIndicatorsQueryDto extends PageQueryDto {
  /** Indicators hanging on this value-chain node. */
  @IsOptional()
  @IsId()
  nodeId?: string;

  @ApiProperty({ enum: INDICATOR_UNITS, required: false })
  @IsOptional()
  @IsIn(INDICATOR_UNITS)
  unit?: IndicatorUnit;

  @ApiProperty({ enum: DIRECTIONS, required: false })
  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: Direction;
}

export class FormulaOutDto {
  text!: string;
  @ApiProperty({ type: String, nullable: true })
  numerator!: string | null;
  @ApiProperty({ type: String, nullable: true })
  denominator!: string | null;
}

export class DisaggregationOutDto {
  dimension!: string;
  values!: string[];
}

export class IndicatorBaselineDto {
  @ApiProperty({ type: String, nullable: true })
  groupingId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  groupingCode!: string | null;
  /** Null while still to be established. */
  @ApiProperty({ type: String, nullable: true, example: '8.0' })
  value!: string | null;
  @ApiProperty({ type: String, nullable: true })
  establishedInPeriodId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  establishedInPeriodCode!: string | null;
  @ApiProperty({ type: String, nullable: true })
  reference!: string | null;
  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export class IndicatorTargetDto {
  periodId!: string;
  periodCode!: string;
  @ApiProperty({ type: String, nullable: true })
  groupingId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  groupingCode!: string | null;
  @ApiProperty({ type: String, example: '12.0' })
  value!: string;
}

export class IndicatorDenominatorDto {
  @ApiProperty({ type: String, nullable: true })
  groupingId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  groupingCode!: string | null;
  referencePopulationId!: string;
  referencePopulationCode!: string;
  /** The population's number of people (a whole number as a decimal string). */
  @ApiProperty({ type: String, example: '30000' })
  populationValue!: string;
}

export class IndicatorDto {
  id!: string;
  contractId!: string;
  code!: string;
  nodeId!: string;
  nodeCode!: string;
  labelIt!: string;
  @ApiProperty({ type: String, nullable: true })
  labelEn!: string | null;
  @ApiProperty({ enum: INDICATOR_UNITS })
  unit!: IndicatorUnit;
  @ApiProperty({ enum: DIRECTIONS })
  direction!: Direction;
  @ApiProperty({ type: FormulaOutDto, nullable: true })
  formula!: FormulaOutDto | null;
  @ApiProperty({ type: String, nullable: true })
  instrument!: string | null;
  @ApiProperty({ enum: DATA_OWNERS, nullable: true })
  dataOwner!: DataOwner | null;
  @ApiProperty({ enum: FREQUENCIES })
  frequency!: Frequency;
  @ApiProperty({ type: 'integer', nullable: true })
  minSampleSize!: number | null;
  disaggregations!: DisaggregationOutDto[];
  @ApiProperty({ enum: INDICATOR_SCOPES })
  scope!: IndicatorScope;
  @ApiProperty({ enum: AGGREGATIONS })
  aggregation!: Aggregation;
  /** Order of the indicator within its contract. */
  @ApiProperty({ type: 'integer' })
  position!: number;
  baselines!: IndicatorBaselineDto[];
  targets!: IndicatorTargetDto[];
  denominators!: IndicatorDenominatorDto[];
  createdAt!: string;
  updatedAt!: string;
}

export class IndicatorPageDto {
  items!: IndicatorDto[];
  page!: PageInfoDto;
}

/** An indicator with its rows and the codes of everything they point at, as loaded for a response. */
export interface IndicatorView {
  indicator: IndicatorEntity;
  nodeCode: string;
  baselines: readonly IndicatorBaselineEntity[];
  targets: readonly IndicatorTargetEntity[];
  denominators: readonly IndicatorDenominatorEntity[];
  periodCodes: ReadonlyMap<string, string>;
  groupingCodes: ReadonlyMap<string, string>;
  populations: ReadonlyMap<string, { code: string; value: string }>;
}

export function toIndicatorDto(view: IndicatorView): IndicatorDto {
  const e = view.indicator;
  const codeOf = (map: ReadonlyMap<string, string>, id: string | null): string | null => (id === null ? null : (map.get(id) ?? null));
  return {
    id: e.id,
    contractId: e.contractId,
    code: e.code,
    nodeId: e.nodeId,
    nodeCode: view.nodeCode,
    labelIt: e.labelIt,
    labelEn: e.labelEn,
    unit: e.unit,
    direction: e.direction,
    formula: e.formulaText === null ? null : { text: e.formulaText, numerator: e.formulaNumerator, denominator: e.formulaDenominator },
    instrument: e.instrument,
    dataOwner: e.dataOwner,
    frequency: e.frequency,
    minSampleSize: e.minSampleSize,
    disaggregations: e.disaggregations.map((d) => ({ dimension: d.dimension, values: [...d.values] })),
    scope: e.scope,
    aggregation: e.aggregation,
    position: e.position,
    baselines: view.baselines.map((b) => ({
      groupingId: b.groupingId,
      groupingCode: codeOf(view.groupingCodes, b.groupingId),
      value: b.value,
      establishedInPeriodId: b.establishedInPeriodId,
      establishedInPeriodCode: codeOf(view.periodCodes, b.establishedInPeriodId),
      reference: b.reference,
      note: b.note,
    })),
    targets: view.targets.map((t) => ({
      periodId: t.periodId,
      periodCode: view.periodCodes.get(t.periodId) ?? '',
      groupingId: t.groupingId,
      groupingCode: codeOf(view.groupingCodes, t.groupingId),
      value: t.value,
    })),
    denominators: view.denominators.map((d) => {
      const population = view.populations.get(d.referencePopulationId);
      return {
        groupingId: d.groupingId,
        groupingCode: codeOf(view.groupingCodes, d.groupingId),
        referencePopulationId: d.referencePopulationId,
        referencePopulationCode: population?.code ?? '',
        populationValue: population?.value ?? '',
      };
    }),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
