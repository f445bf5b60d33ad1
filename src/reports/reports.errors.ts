import { HttpStatus } from '@nestjs/common';
import { defineErrors } from 'src/common/errors/domain-error';

// A settlement the caller may not read answers the settlements module's SETTLEMENT_NOT_FOUND (the access
// check is SettlementAccess's); these codes are for the period report across contracts.
export type ReportErrorCode = 'REPORT_MUNICIPALITY_NOT_FOUND' | 'REPORT_PERIOD_NOT_FOUND';

export const ReportError = defineErrors<ReportErrorCode>('ReportError', {
  /** No municipality with that code. */
  REPORT_MUNICIPALITY_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** No contract of the municipality (that the caller may read) has a period with that code. */
  REPORT_PERIOD_NOT_FOUND: HttpStatus.NOT_FOUND,
});
