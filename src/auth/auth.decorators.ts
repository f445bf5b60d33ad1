import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Principal } from 'src/auth/principal';
import { Role } from 'src/auth/roles';

export const PUBLIC_KEY = 'ancora:public';
export const ALLOWED_ROLES_KEY = 'ancora:allowed-roles';

/** No credentials needed (health, API docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * The roles that may call a handler. Default deny: a handler with no `@Allow` answers 403 to everyone.
 * This is the coarse check; which objects a caller may see is decided in the services (404 otherwise).
 */
export function Allow(...roles: readonly Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ALLOWED_ROLES_KEY, roles), ApiSecurity('api-key'), ApiSecurity('bearer'));
}

export interface RequestWithPrincipal {
  principal?: Principal;
}

/** The authenticated caller, set by the AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
  if (!request.principal) {
    // Only reachable if a handler is @Public() and still asks for a principal: a programming error.
    throw new Error('No principal on a public route');
  }
  return request.principal;
});
