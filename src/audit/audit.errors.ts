import { HttpStatus } from '@nestjs/common';
import { defineErrors } from 'src/common/errors/domain-error';

export type AuditErrorCode = 'AUDIT_CONTRACT_NOT_FOUND' | 'AUDIT_MUNICIPALITY_NOT_FOUND';

export const AuditError = defineErrors<AuditErrorCode>('AuditError', {
  /** The `contractId` filter names a contract the caller may not read (or that does not exist). */
  AUDIT_CONTRACT_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** The `municipalityId` of an export names a municipality the caller does not administer (or none). */
  AUDIT_MUNICIPALITY_NOT_FOUND: HttpStatus.NOT_FOUND,
});
