import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ALLOWED_ROLES_KEY, PUBLIC_KEY, RequestWithPrincipal } from 'src/auth/auth.decorators';
import { AuthError } from 'src/auth/auth.errors';
import { AuthenticationService } from 'src/auth/authentication.service';
import { hasAnyRole } from 'src/auth/principal';
import { Role } from 'src/auth/roles';

/** Global guard: authenticates every non-public request, then checks the handler's `@Allow` roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest & RequestWithPrincipal>();
    const apiKey = request.headers['x-api-key'];
    const principal = await this.authentication.authenticate({
      authorization: request.headers.authorization,
      apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    });
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ALLOWED_ROLES_KEY, targets) ?? [];
    if (!hasAnyRole(principal, allowed)) {
      throw new AuthError('AUTH_FORBIDDEN', 'Your roles do not allow this operation', {
        required: [...allowed],
        roles: [...principal.roles],
      });
    }
    return true;
  }
}
