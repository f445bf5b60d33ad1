import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate } from 'src/common/dates/iso-date';

// Query times (`from`/`to` of the audit log): ISO-8601 date-times with a time zone, compared with the
// stored `occurred_at` (0004: `2026-01-15T10:00:00.000Z`) after normalising to that exact form.
const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT_RE.exec(value);
  return m !== null && isIsoDate(m[1]);
}

/** The instant as the service stores times: UTC with milliseconds (sub-millisecond digits are cut). */
export function normaliseInstant(value: string): string {
  const m = INSTANT_RE.exec(value);
  if (!m || !isIsoDate(m[1])) {
    throw new TypeError(`not an ISO-8601 date-time: ${value}`);
  }
  // Date keeps milliseconds only; cut longer fractions first so they are truncated, never rounded up.
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
  return new Date(trimmed).toISOString();
}

export function IsIsoInstant(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoInstant',
      validator: {
        validate: (value: unknown) => isIsoInstant(value),
        defaultMessage: () => '$property must be an ISO-8601 date-time with a time zone, e.g. 2026-01-15T10:00:00Z or 2026-01-15T11:00:00+01:00',
      },
    },
    validationOptions,
  );
}
