import { Module } from '@nestjs/common';
import { ContractPeriodsController } from 'src/contracts/contract-periods.controller';
import { ContractPeriodsService } from 'src/contracts/contract-periods.service';
import { ContractsController } from 'src/contracts/contracts.controller';
import { ContractsService } from 'src/contracts/contracts.service';
import { FeesService } from 'src/contracts/fees.service';
import { GroupingsController } from 'src/contracts/groupings.controller';
import { GroupingsService } from 'src/contracts/groupings.service';

@Module({
  controllers: [ContractsController, ContractPeriodsController, GroupingsController],
  providers: [ContractsService, ContractPeriodsService, GroupingsService, FeesService],
  exports: [ContractsService, ContractPeriodsService, GroupingsService, FeesService],
})
export class ContractsModule {}
