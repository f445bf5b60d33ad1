import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditLogService } from 'src/audit/audit-log.service';
import { AuditPageDto, ChainVerificationDto, ListAuditQueryDto } from 'src/audit/dto/audit.dto';
import { Allow, CurrentPrincipal } from 'src/auth/auth.decorators';
import { Principal } from 'src/auth/principal';
import { ANY_ROLE } from 'src/auth/roles';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly auditLog: AuditLogService) {}

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
}
