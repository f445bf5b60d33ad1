import { Global, Module } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';

/** Global: every module records its state changes through AuditService inside its own transactions. */
@Global()
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
