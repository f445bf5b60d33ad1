import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate } from 'src/common/dates/iso-date';

export function IsIsoDate(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: () => '$property must be a calendar date as YYYY-MM-DD',
      },
    },
    validationOptions,
  );
}
