import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Observable } from 'rxjs';
import { CommonError } from 'src/common/errors/common.errors';
import type { FieldProblem } from 'src/common/errors/domain-error';

/**
 * Whether a route handler reads the request body: one of its parameters is a `@Body()` (also with pipes,
 * as `@PatchBody()` is) or `@RawBody()`, as Nest records it in the handler's route-argument metadata (`"3:0"`: type 3 =
 * BODY, at parameter 0).
 */
export function readsBody(controller: object, handlerName: string): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<string, unknown>;
  const body = [String(RouteParamtypes.BODY), String(RouteParamtypes.RAW_BODY)];
  return Object.keys(args).some((key) => body.includes(key.split(':')[0]));
}

/**
 * The problems of a body sent to a route that takes none, or `[]` when there is nothing to refuse: no body,
 * `null` and `{}` are the same as none (clients often send `{}`); anything else would be dropped unread,
 * so the caller would believe it recorded, say, a reason it did not.
 */
export function unexpectedBodyProblems(body: unknown): FieldProblem[] {
  if (body === undefined || body === null) return [];
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) {
    return Object.keys(body).map((field) => ({ field, code: 'whitelistValidation', message: `${field} is not a known field: this request takes no body` }));
  }
  return [{ field: '', code: 'noBody', message: 'this request takes no body' }];
}

/**
 * Refuses (400 VALIDATION_FAILED, a problem per field) a body sent to a route that reads none, as the global
 * ValidationPipe refuses unknown fields of the bodies routes do read. Runs after authentication and access
 * guards, before the handler, so nothing changes.
 */
@Injectable()
export class RefuseUnexpectedBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && !readsBody(context.getClass(), context.getHandler().name)) {
      const problems = unexpectedBodyProblems(context.switchToHttp().getRequest<{ body?: unknown }>().body);
      if (problems.length > 0) {
        const message = problems.length === 1 ? problems[0].message : `this request takes no body; ${problems.length} fields were sent`;
        throw new CommonError('VALIDATION_FAILED', message, { fields: problems });
      }
    }
    return next.handle();
  }
}
