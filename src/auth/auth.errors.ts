import { HttpStatus } from '@nestjs/common';
import { defineErrors } from 'src/common/errors/domain-error';

export type AuthErrorCode =
  | 'AUTH_REQUIRED'
  | 'AUTH_INVALID_CREDENTIALS'
  | 'AUTH_FORBIDDEN'
  | 'USER_NOT_FOUND'
  | 'USER_EMAIL_TAKEN'
  | 'USER_ROLE_NOT_ALLOWED'
  | 'USER_ORGANISATION_REQUIRED'
  | 'API_KEY_NOT_FOUND'
  | 'API_KEY_ALREADY_REVOKED';

export const AuthError = defineErrors<AuthErrorCode>('AuthError', {
  AUTH_REQUIRED: HttpStatus.UNAUTHORIZED,
  AUTH_INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  AUTH_FORBIDDEN: HttpStatus.FORBIDDEN,
  USER_NOT_FOUND: HttpStatus.NOT_FOUND,
  USER_EMAIL_TAKEN: HttpStatus.CONFLICT,
  USER_ROLE_NOT_ALLOWED: HttpStatus.UNPROCESSABLE_ENTITY,
  USER_ORGANISATION_REQUIRED: HttpStatus.UNPROCESSABLE_ENTITY,
  API_KEY_NOT_FOUND: HttpStatus.NOT_FOUND,
  API_KEY_ALREADY_REVOKED: HttpStatus.CONFLICT,
});
