import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { attachmentDisposition } from 'src/common/files/attachment';
import { SettlementReportQueryDto } from 'src/reports/dto/report-query.dto';
import { ReportsService } from 'src/reports/reports.service';
import { REPORT_CONTENT_TYPES } from 'src/reports/settlement-view';

@ApiTags('reports')
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** The settlement as a file (JSON, CSV, XLSX or PDF), to anyone who may read it (ETS staff: their own groupings). Same settlement, same bytes. */
  @Allow(...ANY_ROLE)
  @ApiProduces(...Object.values(REPORT_CONTENT_TYPES))
  @Get('settlements/:id/report')
  async report(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Query() query: SettlementReportQueryDto): Promise<StreamableFile> {
    const f = await this.reports.settlementReport(p, id, query);
    return new StreamableFile(f.bytes, { type: f.contentType, length: f.bytes.length, disposition: attachmentDisposition(f.fileName) });
  }
}
