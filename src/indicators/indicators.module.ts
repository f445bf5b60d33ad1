import { Module } from '@nestjs/common';
import { IndicatorsController } from 'src/indicators/indicators.controller';
import { IndicatorsService } from 'src/indicators/indicators.service';

@Module({
  controllers: [IndicatorsController],
  providers: [IndicatorsService],
  exports: [IndicatorsService],
})
export class IndicatorsModule {}
