import { Param, ParseUUIDPipe } from '@nestjs/common';
import { CommonError } from 'src/common/errors/common.errors';

/**
 * A path id that must be a UUID; anything else is a 400 VALIDATION_FAILED naming the parameter, with the
 * field entry a body's `@IsUUID()` would give (same code and wording), so clients handle both alike.
 */
export function IdParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new CommonError('VALIDATION_FAILED', `${name} must be a UUID`, {
          fields: [{ field: name, code: 'isUuid', message: `${name} must be a UUID` }],
        }),
    }),
  );
}
