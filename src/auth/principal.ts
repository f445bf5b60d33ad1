import { OrganisationKind } from 'src/organisations/organisation.entity';
import { Role } from 'src/auth/roles';

/** Who is calling: resolved once per request by the AuthGuard from an API key or a bearer token. */
export interface Principal {
  /** The user's id, or the token subject for identities that live in an external provider. */
  userId: string;
  /** Shown in the audit log: the user's name, or `cli`/`system`. */
  label: string;
  /** Null only for platform administrators and the system itself. */
  organisationId: string | null;
  organisationKind: OrganisationKind | null;
  roles: ReadonlySet<Role>;
  /** How the caller authenticated: an API key prefix, `jwt`, or `system`. */
  via: string;
}

/** The service acting on its own behalf (demo data, CLI commands run by the operator on the machine). */
export const SYSTEM_PRINCIPAL: Principal = {
  userId: 'system',
  label: 'system',
  organisationId: null,
  organisationKind: null,
  roles: new Set<Role>(['admin']),
  via: 'system',
};

export function isPlatformAdmin(p: Principal): boolean {
  return p.organisationId === null && p.roles.has('admin');
}

export function hasAnyRole(p: Principal, roles: readonly Role[]): boolean {
  return roles.some((r) => p.roles.has(r));
}
