import { IsOptional, IsUUID } from 'class-validator';

export class OptionalIdQuery {
  /** Only the settlements of this period. */
  @IsOptional()
  @IsUUID()
  periodId?: string;
}
