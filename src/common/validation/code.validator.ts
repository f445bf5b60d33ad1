import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength } from 'class-validator';

// Business codes (IND-01, RTI-A, Y1, PD-SDC-2.0) are what people and documents use to refer to things.
export const CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

export function IsCode(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    MaxLength(64),
    Matches(new RegExp(CODE_PATTERN), {
      message: '$property must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)',
    }),
  );
}
