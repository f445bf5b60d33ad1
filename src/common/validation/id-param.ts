import { Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { CommonError } from 'src/common/errors/common.errors';

// UUIDs are case-insensitive on input and written in lower case (RFC 9562 §4); ids are stored as
// written by the service, in lower case, so an id a client upper-cased must be read as the same id.
export const lowerCaseUuid: PipeTransform<string, string> = { transform: (value) => value.toLowerCase() };

/**
 * A path id that must be a UUID; anything else is a 400 VALIDATION_FAILED naming the parameter, with the
 * field entry a body's `@IsUUID()` would give (same code and wording), so clients handle both alike. The
 * id reaches the handler in lower case, whatever case it was sent in.
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
    lowerCaseUuid,
  );
}
