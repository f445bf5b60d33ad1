import { ArgumentMetadata, Body, Injectable, PipeTransform, Type } from '@nestjs/common';
import { getMetadataStorage, ValidateIf } from 'class-validator';
import { CommonError } from 'src/common/errors/common.errors';

/**
 * For PATCH fields that cannot be cleared: skipped when absent, validated (so `null` is refused) when
 * given. `@IsOptional()` would let `null` through unvalidated, and the service would then keep the stored
 * value while still recording an update.
 */
export function PresentIfGiven(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/** The fields a body class declares, in declaration order, as the global ValidationPipe knows them. */
export function declaredFields(metatype: Type<unknown>): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false);
  return [...new Set(metadatas.map((m) => m.propertyName))];
}

/**
 * Runs after the global ValidationPipe, on the validated DTO: a PATCH that names no field to change
 * (`{}`, `null` or no body at all) is a client mistake, not an update, so it is refused before the
 * service records a change that did not happen (docs/conventions.md, "PATCH").
 */
@Injectable()
export class RequireAChangePipe implements PipeTransform<unknown, unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const given = value !== null && typeof value === 'object' && Object.values(value).some((v) => v !== undefined);
    if (given) return value;
    const fields = metadata.metatype ? declaredFields(metadata.metatype as Type<unknown>) : [];
    const message = `name at least one field to change${fields.length > 0 ? `: ${fields.join(', ')}` : ''}`;
    throw new CommonError('VALIDATION_FAILED', message, { fields: [{ field: '', code: 'noChange', message }] });
  }
}

/** The body of a PATCH: validated like any `@Body()`, then refused (400) when it changes nothing. */
export function PatchBody(): ParameterDecorator {
  return Body(new RequireAChangePipe());
}
