import { isVisible, Visible } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { isPlatformAdmin, Principal } from 'src/auth/principal';
import { UserEntity } from 'src/auth/user.entity';

// Who manages which users (and their API keys):
// - platform administrators (admin without organisation): every user;
// - an organisation's admin: the users of its own organisation, never platform administrators;
// - everybody: their own API keys.
// A user outside the caller's reach is reported as not found (404), so ids cannot be probed.

/** The organisations whose users the caller administers: 'ALL', its own, or none. */
export function administeredOrganisations(p: Principal): Visible {
  if (isPlatformAdmin(p)) return 'ALL';
  return p.roles.has('admin') && p.organisationId !== null ? [p.organisationId] : [];
}

export function managesUser(p: Principal, user: Pick<UserEntity, 'organisationId'>): boolean {
  const scope = administeredOrganisations(p);
  return scope === 'ALL' || (user.organisationId !== null && isVisible(scope, user.organisationId));
}

/** Own keys, or keys of a user the caller administers. */
export function managesKeysOf(p: Principal, user: Pick<UserEntity, 'id' | 'organisationId'>): boolean {
  return p.userId === user.id || managesUser(p, user);
}

/** Creating a user in `organisationId` (null: a platform administrator). */
export function requireMayCreateIn(p: Principal, organisationId: string | null): void {
  const scope = administeredOrganisations(p);
  if (scope === 'ALL') return;
  if (organisationId === null) {
    throw new AuthError('AUTH_FORBIDDEN', 'Only platform administrators create platform administrators');
  }
  if (!isVisible(scope, organisationId)) {
    throw new AuthError('AUTH_FORBIDDEN', 'You manage the users of your own organisation only', {
      fields: [{ field: 'organisationId', message: 'must be your own organisation' }],
    });
  }
}
