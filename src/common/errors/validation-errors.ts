import { ValidationError } from 'class-validator';
import { CommonError } from 'src/common/errors/common.errors';
import { FieldProblem } from 'src/common/errors/domain-error';

/** Flattens class-validator's tree into one problem per field, with paths like `members[0].executionShare`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent === '' ? error.property : isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      problems.push({ field, code: constraint, message: rewriteMessage(constraint, message, field) });
    }
    if (error.children && error.children.length > 0) {
      problems.push(...flattenValidationErrors(error.children, field));
    }
  }
  return problems;
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
