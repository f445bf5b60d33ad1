import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { AuditExportService } from 'src/audit/audit-export.service';
import { AuditLogService } from 'src/audit/audit-log.service';
import { AuditPageDto, ChainVerificationDto, ListAuditQueryDto } from 'src/audit/dto/audit.dto';
import { AuditExportDocumentDto, ExportAuditQueryDto } from 'src/audit/dto/audit-export.dto';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';
import { attachmentDisposition } from 'src/common/files/attachment';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly auditLog: AuditLogService,
    private readonly auditExport: AuditExportService,
  ) {}

  /** The audit log, newest first by default, limited to the entries the caller may see. */
  @Allow(...ANY_ROLE)
  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAuditQueryDto): Promise<AuditPageDto> {
    return this.auditLog.list(principal, query);
  }

  /**
   * Recomputes the whole chain and reports the first broken link. Platform administrators and auditors
   * (an organisation's admin is refused in the service with 403 AUTH_FORBIDDEN).
   */
  @Allow('admin', 'auditor')
  @Get('verify')
  verify(@CurrentPrincipal() principal: Principal): Promise<ChainVerificationDto> {
    return this.auditLog.verify(principal);
  }

  /**
   * Every entry of a contract (or a municipality) the caller may see, in chain order, with both hashes
   * and each entry's link check, plus the whole-chain verification: a CSV (verification in `# ` lines)
   * or JSON (`ancora.audit-export/1`) attachment, streamed page by page. Same scope as GET /audit.
   */
  @Allow(...ANY_ROLE)
  @ApiExtraModels(AuditExportDocumentDto)
  @ApiOkResponse({
    description: 'An attachment: CSV, or the same entries and verification as JSON.',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/json': { schema: { $ref: getSchemaPath(AuditExportDocumentDto) } },
    },
  })
  @Get('export')
  async export(@CurrentPrincipal() principal: Principal, @Query() query: ExportAuditQueryDto): Promise<StreamableFile> {
    const file = await this.auditExport.open(principal, query);
    return new StreamableFile(Readable.from(file.body), { type: file.contentType, disposition: attachmentDisposition(file.fileName) });
  }
}
