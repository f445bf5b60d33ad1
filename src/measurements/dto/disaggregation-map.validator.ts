import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { describeDecimalProblem } from 'src/common/decimal/decimal-string.validator';
import { DECIMAL_PATTERN } from 'src/common/decimal/decimal';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first problem of a `{ dimension: { value: "decimal" } }` map, or null. */
export function describeDisaggregationProblem(value: unknown, property: string): string | null {
  if (!isPlainObject(value)) {
    return `${property} must be an object { dimension: { value: "decimal" } }`;
  }
  for (const [dimension, parts] of Object.entries(value)) {
    if (dimension.length === 0 || dimension.length > 64) {
      return `${property} has a dimension name that is empty or longer than 64 characters`;
    }
    if (!isPlainObject(parts)) {
      return `${property}.${dimension} must be an object { value: "decimal" }`;
    }
    for (const [key, part] of Object.entries(parts)) {
      const problem = describeDecimalProblem(part);
      if (problem !== null) {
        return `${property}.${dimension}.${key} ${problem}`;
      }
    }
  }
  return null;
}

/** Parts of a disaggregated value: `{ "target": { "OVER60": "820", "UNDER60": "400" } }`, decimal strings only. */
export function IsDisaggregationMap() {
  return function (object: object, propertyName: string): void {
    ApiProperty({
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: { type: 'string', pattern: DECIMAL_PATTERN } },
      example: { target: { OVER60: '820', UNDER60: '400' } },
    })(object, propertyName);
    registerDecorator({
      name: 'isDisaggregationMap',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => describeDisaggregationProblem(value, args.property) === null,
        defaultMessage: (args: ValidationArguments) => describeDisaggregationProblem(args.value, args.property) ?? `${args.property} is invalid`,
      },
    });
  };
}
