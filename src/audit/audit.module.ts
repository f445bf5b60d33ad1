import { Global, Module } from '@nestjs/common';
import { AuditController } from 'src/audit/audit.controller';
import { AuditExportService } from 'src/audit/audit-export.service';
import { AuditLogService } from 'src/audit/audit-log.service';
import { AuditService } from 'src/audit/audit.service';

/** Global: every module records its state changes through AuditService inside its own transactions. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditLogService, AuditExportService],
  exports: [AuditService, AuditExportService],
})
export class AuditModule {}
