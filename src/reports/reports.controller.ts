import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { IdParam } from 'src/common/validation/id-param';
import { attachmentDisposition } from 'src/common/files/attachment';
import { SETTLEMENT_DOCUMENT_COMPONENT } from 'src/openapi/json-schema-components';
import { SettlementReportQueryDto } from 'src/reports/dto/report-query.dto';
import { ReportsService } from 'src/reports/reports.service';
import { REPORT_CONTENT_TYPES } from 'src/reports/settlement-view';

@ApiTags('reports')
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** The settlement as a file (JSON, CSV, XLSX or PDF), to anyone who may read it (ETS staff: their own groupings). CSV, XLSX and PDF say its state; JSON is the document alone. Same settlement and state, same bytes. */
  @Allow(...ANY_ROLE)
  // One media type per format (ApiProduces alone leaves a response without a schema undescribed).
  @ApiOkResponse({
    description: "An attachment: the stored settlement document itself (json, without the state), or its rendering with the settlement's state.",
    content: {
      [REPORT_CONTENT_TYPES.json]: { schema: { $ref: getSchemaPath(SETTLEMENT_DOCUMENT_COMPONENT) } },
      'text/csv': { schema: { type: 'string' } },
      [REPORT_CONTENT_TYPES.xlsx]: { schema: { type: 'string', format: 'binary' } },
      [REPORT_CONTENT_TYPES.pdf]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @Get('settlements/:id/report')
  async report(@CurrentPrincipal() p: Principal, @IdParam() id: string, @Query() query: SettlementReportQueryDto): Promise<StreamableFile> {
    const f = await this.reports.settlementReport(p, id, query);
    return new StreamableFile(f.bytes, { type: f.contentType, length: f.bytes.length, disposition: attachmentDisposition(f.fileName) });
  }
}
