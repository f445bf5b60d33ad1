import { HttpStatus } from '@nestjs/common';

/** A field-level problem, named by its path in the request body or document (e.g. `members[1].executionShare`). */
export interface FieldProblem {
  field: string;
  message: string;
  code?: string;
}

export type ErrorDetails = { fields?: FieldProblem[] } & Record<string, unknown>;

/**
 * Base of every error a service throws on purpose. Each module declares its codes in a
 * `<feature>.errors.ts` with a status table typed `Record<Code, HttpStatus>`, so a code
 * without a status does not compile. The HTTP filter turns this into `{ code, message, details }`.
 */
export abstract class DomainError extends Error {
  protected constructor(
    readonly code: string,
    readonly status: HttpStatus,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Declares a module's error class from its status table, keeping the code union exact. */
export function defineErrors<C extends string>(name: string, statuses: Record<C, HttpStatus>) {
  const ErrorClass = class extends DomainError {
    constructor(code: C, message: string, details: ErrorDetails = {}) {
      super(code, statuses[code], message, details);
    }
  };
  Object.defineProperty(ErrorClass, 'name', { value: name });
  return ErrorClass;
}
