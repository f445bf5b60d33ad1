import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from 'src/common/clock/clock';
import { APP_CONFIG, AppConfig, JwtConfig } from 'src/config/app-config';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { apiKeyMatches, apiKeyPrefix } from 'src/auth/api-key';
import { AuthError } from 'src/auth/auth.errors';
import { Principal } from 'src/auth/principal';
import { Role, ROLE_ORGANISATION_KINDS, ROLES } from 'src/auth/roles';
import { ApiKeyEntity, UserEntity } from 'src/auth/user.entity';

export interface Credentials {
  authorization?: string;
  apiKey?: string;
}

const INVALID = (): InstanceType<typeof AuthError> =>
  new AuthError('AUTH_INVALID_CREDENTIALS', 'The API key or token is not valid, expired or revoked');

/** Turns request credentials into a Principal: an API key (`X-API-Key` or `Authorization: Bearer ancora_...`) or a JWT. */
@Injectable()
export class AuthenticationService {
  private readonly jwt: JwtService | null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.jwt = config.jwt ? new JwtService(jwtOptions(config.jwt)) : null;
  }

  async authenticate(credentials: Credentials): Promise<Principal> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
    const token = credentials.apiKey ?? bearer;
    if (!token) {
      throw new AuthError('AUTH_REQUIRED', 'Authentication required: send an API key in X-API-Key or Authorization: Bearer');
    }
    if (apiKeyPrefix(token) !== null) {
      return this.fromApiKey(token);
    }
    if (this.jwt && this.config.jwt) {
      return this.fromJwt(token, this.config.jwt);
    }
    throw INVALID();
  }

  private async fromApiKey(key: string): Promise<Principal> {
    const prefix = apiKeyPrefix(key) as string;
    const found = await this.db.read(async (m) => {
      const apiKey = await m.findOneBy(ApiKeyEntity, { prefix });
      if (!apiKey) return null;
      const user = await m.findOneBy(UserEntity, { id: apiKey.userId });
      const org = user?.organisationId ? await m.findOneBy(OrganisationEntity, { id: user.organisationId }) : null;
      return { apiKey, user, org };
    });
    const now = this.clock.nowIso();
    if (
      !found ||
      !found.user ||
      found.user.status !== 'ACTIVE' ||
      found.apiKey.revokedAt !== null ||
      (found.apiKey.expiresAt !== null && found.apiKey.expiresAt <= now) ||
      !apiKeyMatches(key, found.apiKey.keyHash)
    ) {
      throw INVALID();
    }
    return {
      userId: found.user.id,
      label: found.user.name,
      organisationId: found.user.organisationId,
      organisationKind: found.org?.kind ?? null,
      roles: new Set(found.user.roles),
      via: found.apiKey.prefix,
    };
  }

  // Tokens from the municipality's identity provider carry the organisation by code and the roles:
  // { sub, name?, org: "C-PADOVA", roles: ["contract_manager"], exp }. The organisation must exist here;
  // roles that are unknown or do not fit its kind are ignored; a token needs an expiry, judged (like
  // `nbf`) by the service's clock. A token cannot make a platform administrator: those use API keys.
  private async fromJwt(token: string, config: JwtConfig): Promise<Principal> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt!.verifyAsync<Record<string, unknown>>(token, {
        algorithms: config.key.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256'],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
        ...(config.issuer ? { issuer: config.issuer } : {}),
        ...(config.audience ? { audience: config.audience } : {}),
      });
    } catch {
      throw INVALID();
    }
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || typeof claims.exp !== 'number') {
      throw INVALID();
    }
    // The subject and name are recorded as who acted (audit log, settlements: 300-character columns);
    // one that could not be stored would otherwise fail every write of a token that reads fine.
    if (!storableClaim(claims.sub, MAX_SUBJECT) || (typeof claims.name === 'string' && !storableClaim(claims.name, MAX_NAME))) {
      throw INVALID();
    }
    const orgCode = claims.org;
    const org = await this.db.read((m) => m.findOneBy(OrganisationEntity, { code: orgCode }));
    if (!org) {
      throw INVALID();
    }
    const roles = Array.isArray(claims.roles)
      ? claims.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r) && ROLE_ORGANISATION_KINDS[r as Role].includes(org.kind))
      : [];
    if (roles.length === 0) {
      throw INVALID();
    }
    return {
      userId: `jwt:${claims.sub}`,
      label: typeof claims.name === 'string' ? claims.name : claims.sub,
      organisationId: org.id,
      organisationKind: org.kind,
      roles: new Set(roles),
      via: 'jwt',
    };
  }
}

/** `jwt:<sub>` must fit the 300-character actor columns. */
export const MAX_SUBJECT = 256;
/** As a user's name (UsersService: 1 to 300 characters). */
export const MAX_NAME = 300;

/**
 * A claim Ancora can record as who acted: a string of 1 to `max` characters (code points) that is not blank
 * and has no control character (U+0000-U+001F, U+007F-U+009F: PostgreSQL refuses NUL in text, and none
 * belongs in a name shown in the audit log).
 */
export function storableClaim(value: unknown, max: number): value is string {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  return typeof value === 'string' && value.trim() !== '' && [...value].length <= max && !/[\u0000-\u001f\u007f-\u009f]/.test(value);
}

function jwtOptions(config: JwtConfig) {
  return config.key.kind === 'secret' ? { secret: config.key.secret } : { publicKey: config.key.pem };
}
