import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessScope } from 'src/auth/access-scope';
import { AuthGuard } from 'src/auth/auth.guard';
import { AuthenticationService } from 'src/auth/authentication.service';

/** Global: the guard protects every route, and every module asks AccessScope what a caller may see. */
@Global()
@Module({
  providers: [AuthenticationService, AccessScope, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthenticationService, AccessScope],
})
export class AuthModule {}
