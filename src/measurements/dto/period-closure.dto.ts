import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PeriodClosureEntity } from 'src/measurements/measurement.entity';

export class ReopenPeriodDto {
  /** Why the period is reopened (recorded). */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class PeriodClosureDto {
  id!: string;
  periodId!: string;
  closedAt!: string;
  closedBy!: string;
  @ApiProperty({ type: String, nullable: true })
  reopenedAt!: string | null;
  @ApiProperty({ type: String, nullable: true })
  reopenedBy!: string | null;
  @ApiProperty({ type: String, nullable: true })
  reopenReason!: string | null;
}

export function toPeriodClosureDto(c: PeriodClosureEntity): PeriodClosureDto {
  return {
    id: c.id,
    periodId: c.periodId,
    closedAt: c.closedAt,
    closedBy: c.closedBy,
    reopenedAt: c.reopenedAt,
    reopenedBy: c.reopenedBy,
    reopenReason: c.reopenReason,
  };
}

/** Whether a period is closed now, with every closing and reopening, oldest first. */
export class PeriodClosureStatusDto {
  periodId!: string;
  closed!: boolean;
  history!: PeriodClosureDto[];
}
