import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsDecimalString } from 'src/common/decimal/decimal-string.validator';
import { PageInfoDto } from 'src/common/pagination/page';
import { IsCode } from 'src/common/validation/code.validator';
import { IsIsoDate } from 'src/common/validation/is-iso-date.validator';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import { ReferencePopulationEntity } from 'src/value-chain/reference-population.entity';

export class CreateReferencePopulationDto {
  /** Stable code within the project, e.g. `POP-OVER60-Q1`. */
  @IsCode()
  code!: string;

  /** e.g. `Residenti over 60 del Quartiere 1 Centro`. */
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  labelIt!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  labelEn?: string;

  /** The area it counts, e.g. `Quartiere 1 Centro`. */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  area?: string;

  /** e.g. `OVER60`. */
  @IsOptional()
  @IsCode()
  targetGroup?: string;

  /** The date the count refers to, YYYY-MM-DD (e.g. ISTAT residents at 1 January). */
  @IsIsoDate()
  referenceDate!: string;

  /** Where the number comes from, e.g. `ISTAT, popolazione residente all'1/1/2024`. */
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  source!: string;

  /** Number of people, a whole number as a decimal string (e.g. `"30000"`). */
  @IsDecimalString({ integer: true, min: '1' })
  value!: string;
}

/** The code is fixed once the population exists. */
export class UpdateReferencePopulationDto {
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
  @MaxLength(300)
  area?: string | null;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsCode()
  targetGroup?: string | null;

  @PresentIfGiven()
  @IsIsoDate()
  referenceDate?: string;

  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  source?: string;

  @PresentIfGiven()
  @IsDecimalString({ integer: true, min: '1' })
  value?: string;
}

export class ReferencePopulationDto {
  id!: string;
  projectId!: string;
  code!: string;
  labelIt!: string;
  @ApiProperty({ type: String, nullable: true })
  labelEn!: string | null;
  @ApiProperty({ type: String, nullable: true })
  area!: string | null;
  @ApiProperty({ type: String, nullable: true })
  targetGroup!: string | null;
  referenceDate!: string;
  source!: string;
  /** Number of people, decimal string. */
  value!: string;
  position!: number;
  createdAt!: string;
  updatedAt!: string;
}

export function toReferencePopulationDto(entity: ReferencePopulationEntity): ReferencePopulationDto {
  return {
    id: entity.id,
    projectId: entity.projectId,
    code: entity.code,
    labelIt: entity.labelIt,
    labelEn: entity.labelEn,
    area: entity.area,
    targetGroup: entity.targetGroup,
    referenceDate: entity.referenceDate,
    source: entity.source,
    value: entity.value,
    position: entity.position,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export class ReferencePopulationPageDto {
  items!: ReferencePopulationDto[];
  page!: PageInfoDto;
}
