import { Global, Module } from '@nestjs/common';
import { AuditController } from 'src/audit/audit.controller';
import { AuditLogService } from 'src/audit/audit-log.service';
import { AuditService } from 'src/audit/audit.service';

/** Global: every module records its state changes through AuditService inside its own transactions. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditLogService],
  exports: [AuditService],
})
export class AuditModule {}
