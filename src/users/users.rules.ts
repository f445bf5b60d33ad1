import { FieldProblem } from 'src/common/errors/domain-error';
import { AuthError } from 'src/auth/auth.errors';
import { Role, ROLE_ORGANISATION_KINDS, ROLES } from 'src/auth/roles';
import { OrganisationKind } from 'src/organisations/organisation.entity';

/**
 * Which roles a user may hold where: without an organisation only `admin` (a platform administrator);
 * in an organisation, only roles that fit its kind (ROLE_ORGANISATION_KINDS). `at` prefixes the field
 * paths (`roles[1]`), `organisationKind` is null for a user without organisation.
 */
export function checkUserRoles(roles: readonly Role[], organisationKind: OrganisationKind | null, at = ''): void {
  if (organisationKind === null) {
    if (roles.length !== 1 || roles[0] !== 'admin') {
      throw new AuthError('USER_ORGANISATION_REQUIRED', 'A user without organisation can only be a platform administrator (roles: ["admin"])', {
        fields: [{ field: `${at}organisationId`, message: 'required unless the user is a platform administrator with the only role admin' }],
      });
    }
    return;
  }
  const fields: FieldProblem[] = [];
  roles.forEach((role, i) => {
    const kinds = ROLE_ORGANISATION_KINDS[role];
    if (!kinds.includes(organisationKind)) {
      fields.push({ field: `${at}roles[${i}]`, message: `${role} is not a role of an organisation of kind ${organisationKind} (only of ${kinds.join(', ')})` });
    }
  });
  if (fields.length > 0) {
    throw new AuthError('USER_ROLE_NOT_ALLOWED', `Some roles do not fit an organisation of kind ${organisationKind}`, { fields });
  }
}

/** Roles in the canonical order of ROLES, so the stored list does not depend on how it was sent. */
export function canonicalRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}
