import { Module } from '@nestjs/common';
import { ContractDefinitionsController } from 'src/contract-definitions/contract-definitions.controller';
import { ContractDefinitionsService } from 'src/contract-definitions/contract-definitions.service';
import { DemoDataLoader } from 'src/demo/demo-data.loader';

// The demo loader lives here (not in a module of its own) because app.module.ts registers this module.
@Module({
  controllers: [ContractDefinitionsController],
  providers: [ContractDefinitionsService, DemoDataLoader],
  exports: [ContractDefinitionsService, DemoDataLoader],
})
export class ContractDefinitionsModule {}
