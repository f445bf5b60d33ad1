import { Param, ParseUUIDPipe } from '@nestjs/common';
import { CommonError } from 'src/common/errors/common.errors';

/** A path id that must be a UUID; anything else is a 400 naming the parameter. */
export function IdParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new CommonError('VALIDATION_FAILED', `${name} must be a UUID`, {
          fields: [{ field: name, message: 'must be a UUID' }],
        }),
    }),
  );
}
