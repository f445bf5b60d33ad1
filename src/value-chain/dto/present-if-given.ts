import { ValidateIf } from 'class-validator';

/**
 * For PATCH fields that cannot be cleared: skipped when absent, validated (so `null` is refused) when
 * given. `@IsOptional()` would let `null` through unvalidated.
 */
export function PresentIfGiven(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}
