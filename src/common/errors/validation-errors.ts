import { ValidationError } from 'class-validator';
import { CommonError } from 'src/common/errors/common.errors';
import { FieldProblem } from 'src/common/errors/domain-error';

/**
 * Flattens class-validator's tree into one problem per field, with paths like `members[0].executionShare`.
 * A field that fails several constraints reports the one that tells the client what to fix: see `mostRelevant`.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent === '' ? error.property : isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    const chosen = mostRelevant(error.constraints ?? {});
    if (chosen) {
      problems.push({ field, code: chosen.constraint, message: rewriteMessage(chosen.constraint, chosen.message, field) });
    }
    if (error.children && error.children.length > 0) {
      problems.push(...flattenValidationErrors(error.children, field));
    }
  }
  return problems;
}

// What kind of value it is comes first: a missing value fails its type check and its length or range
// limits alike, and "must be shorter than 64 characters" would mislead. Limits only make sense once the
// value has the right type and form; "must be an object or array" only repeats a failed type check.
const TYPES = new Set(['isNotEmpty', 'isString', 'isNumber', 'isInt', 'isBoolean', 'isArray', 'isObject', 'isDate']);
const LIMITS = new Set(['minLength', 'maxLength', 'isLength', 'min', 'max', 'arrayMinSize', 'arrayMaxSize', 'arrayNotEmpty', 'minDate', 'maxDate']);

function rank(constraint: string): number {
  if (constraint === 'isDefined') return 0; // class-validator checks it apart from, and before, the rest
  if (TYPES.has(constraint)) return 1;
  if (LIMITS.has(constraint)) return 3;
  if (constraint === 'nestedValidation') return 4;
  return 2; // value and format checks: isUuid, isIn, matches, isDecimalString, custom validators
}

/**
 * The failed constraint to report: the best rank, and within a rank the first declared. TypeScript applies
 * stacked property decorators bottom-up, so class-validator lists them last-declared first: read backwards.
 */
function mostRelevant(constraints: Record<string, string>): { constraint: string; message: string } | undefined {
  const declared = Object.entries(constraints).reverse();
  let best: [string, string] | undefined;
  for (const entry of declared) {
    if (best === undefined || rank(entry[0]) < rank(best[0])) best = entry;
  }
  return best && { constraint: best[0], message: best[1] };
}

function rewriteMessage(constraint: string, message: string, field: string): string {
  if (constraint === 'whitelistValidation') {
    return `${field} is not a known field`;
  }
  return message;
}

export function validationFailed(errors: ValidationError[]): InstanceType<typeof CommonError> {
  const fields = flattenValidationErrors(errors);
  const summary = fields.length === 1 ? fields[0].message : `${fields.length} fields are invalid`;
  return new CommonError('VALIDATION_FAILED', summary, { fields });
}
