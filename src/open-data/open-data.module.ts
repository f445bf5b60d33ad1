import { Module } from '@nestjs/common';
import { OpenDataController } from 'src/open-data/open-data.controller';
import { OpenDataService } from 'src/open-data/open-data.service';

/** Open-data exports: IATI activities of projects and OCDS release packages of contracts (docs/open-data.md). */
@Module({
  controllers: [OpenDataController],
  providers: [OpenDataService],
})
export class OpenDataModule {}
