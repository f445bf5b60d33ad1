import { applyDecorators, Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID, ValidationOptions } from 'class-validator';
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

/** A string in lower case; anything else (a number, an array's non-string item) as it is, for the validator to refuse. */
function lowerCased(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  return Array.isArray(value) ? value.map(lowerCased) : value;
}

/**
 * A body or query field holding an id: `@IsUUID()` (same code `isUuid` and wording on failure), read in
 * lower case like a path id, so `organisationId: "3F2504E0-…"` finds the organisation stored as `3f2504e0-…`.
 * `{ each: true }` for an array of ids.
 */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  // The Swagger plugin reads `format: uuid` off a literal @IsUUID() only, so it is declared here.
  const schema = options?.each === true ? ApiProperty({ type: String, isArray: true, format: 'uuid' }) : ApiProperty({ format: 'uuid' });
  return applyDecorators(schema, Transform(({ value }: { value: unknown }) => lowerCased(value)), IsUUID(undefined, options));
}
