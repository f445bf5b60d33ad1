import { Module } from '@nestjs/common';
import { ReportsController } from 'src/reports/reports.controller';
import { ReportsService } from 'src/reports/reports.service';
import { SettlementsModule } from 'src/settlements/settlements.module';

/** Settlement reports: the renderers of src/reports served over HTTP and written by the CLI (docs/reports.md). */
@Module({
  imports: [SettlementsModule],
  controllers: [ReportsController],
  providers: [ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
