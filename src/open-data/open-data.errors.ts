import { HttpStatus } from '@nestjs/common';
import { defineErrors } from 'src/common/errors/domain-error';

export type OpenDataErrorCode = 'OPEN_DATA_PROJECT_NOT_FOUND' | 'OPEN_DATA_CONTRACT_NOT_FOUND';

export const OpenDataError = defineErrors<OpenDataErrorCode>('OpenDataError', {
  /** The project does not exist or the caller may not read it. */
  OPEN_DATA_PROJECT_NOT_FOUND: HttpStatus.NOT_FOUND,
  /** The contract does not exist or the caller may not read it. */
  OPEN_DATA_CONTRACT_NOT_FOUND: HttpStatus.NOT_FOUND,
});
