import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from 'src/common/pagination/page';
import { SETTLEMENT_RUN_CONTRACT_STATUSES, type SettlementRunContractStatus } from 'src/settlements/settlement-run.entity';
import { IsId } from 'src/common/validation/id-param';

export class SettlementListQueryDto extends PageQueryDto {
  /** Only the settlements of this period. */
  @IsOptional()
  @IsId()
  periodId?: string;
}

export class SettlementRunContractsQueryDto extends PageQueryDto {
  /** Only the contracts with this result. */
  @ApiProperty({ enum: SETTLEMENT_RUN_CONTRACT_STATUSES, required: false })
  @IsOptional()
  @IsIn(SETTLEMENT_RUN_CONTRACT_STATUSES)
  status?: SettlementRunContractStatus;
}
