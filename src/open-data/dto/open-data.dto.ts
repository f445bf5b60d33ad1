import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_SUPPRESSION_THRESHOLD = 1000;

export class OpenDataQueryDto {
  /**
   * Small-number suppression: disaggregated counts of people below this number are not published, nor
   * the cells that would let them be recovered from the total (docs/open-data.md). 0 or absent: none.
   */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_SUPPRESSION_THRESHOLD, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SUPPRESSION_THRESHOLD)
  suppressBelow?: number;
}
