import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { dec, DECIMAL_PATTERN, isDecimalString, MAX_DECIMAL_LENGTH, scaleOf } from 'src/common/decimal/decimal';

export interface DecimalStringOptions {
  /** Smallest allowed value, inclusive. */
  min?: string;
  /** Largest allowed value, inclusive. */
  max?: string;
  /** Most digits after the point (2 for euros). */
  maxScale?: number;
  /** Whole numbers only (counts). */
  integer?: boolean;
}

/** Explains why a value is not an acceptable decimal string, or returns null when it is. */
export function describeDecimalProblem(value: unknown, options: DecimalStringOptions = {}): string | null {
  // The example fits the kind of value (a share, a count, an amount), never the number that was sent:
  // a JSON number may already have lost digits when it was parsed.
  const example = options.max !== undefined && dec(options.max).lte(1) ? '"0.25"' : options.integer ? '"12"' : '"12.50"';
  if (typeof value === 'number') {
    return `must be a decimal string such as ${example}: JSON numbers are not accepted for money or measured values`;
  }
  if (typeof value !== 'string') {
    return `must be a decimal string such as ${example}`;
  }
  if (value.length > MAX_DECIMAL_LENGTH) {
    return `must be at most ${MAX_DECIMAL_LENGTH} characters long`;
  }
  if (value.includes(',')) {
    return `must use a decimal point, not a comma (e.g. ${example})`;
  }
  if (/[eE]/.test(value) || /nan|infinity/i.test(value)) {
    return 'must be a plain decimal: exponents, NaN and Infinity are not accepted';
  }
  if (!isDecimalString(value)) {
    return `must be a plain decimal string such as ${example} (digits, optional minus, optional point)`;
  }
  if (options.integer && scaleOf(value) > 0) {
    return 'must be a whole number';
  }
  if (options.maxScale !== undefined && scaleOf(value) > options.maxScale) {
    return `must have at most ${options.maxScale} decimal places`;
  }
  const d = dec(value);
  if (options.min !== undefined && d.lt(dec(options.min))) {
    return `must be at least ${options.min}`;
  }
  if (options.min !== undefined && value.startsWith('-') && dec(options.min).gte(0)) {
    return 'must not be negative: write 0 without a minus sign'; // "-0", "-0.00": zero, but stored and shown as written
  }
  if (options.max !== undefined && d.gt(dec(options.max))) {
    return `must be at most ${options.max}`;
  }
  return null;
}

export function IsDecimalString(options: DecimalStringOptions = {}, validationOptions?: ValidationOptions) {
  return function (object: object, propertyName: string): void {
    // The swagger plugin only sees `string`; tell API clients the exact format (no `required` or
    // `description` here, so the plugin's and the author's stay as they are).
    const schema = { type: 'string', pattern: DECIMAL_PATTERN } as const;
    ApiProperty(validationOptions?.each ? { type: 'array', items: schema } : schema)(object, propertyName);
    registerDecorator({
      name: 'isDecimalString',
      target: object.constructor,
      propertyName,
      options: validationOptions,
      constraints: [options],
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          return describeDecimalProblem(value, args.constraints[0] as DecimalStringOptions) === null;
        },
        defaultMessage(args: ValidationArguments): string {
          const constraint = args.constraints[0] as DecimalStringOptions;
          // With `each`, class-validator passes the whole array here: name the elements that failed.
          if (validationOptions?.each && Array.isArray(args.value)) {
            const problems = (args.value as unknown[]).flatMap((v, i) => {
              const problem = describeDecimalProblem(v, constraint);
              return problem === null ? [] : [`${args.property}[${i}] ${problem}`];
            });
            return problems.length > 0 ? problems.join('; ') : `${args.property} is invalid`;
          }
          return `${args.property} ${describeDecimalProblem(args.value, constraint) ?? 'is invalid'}`;
        },
      },
    });
  };
}
