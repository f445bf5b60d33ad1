import { OrganisationKind } from 'src/organisations/organisation.entity';

export const ROLES = ['admin', 'contract_manager', 'approver', 'ets_member', 'grouping_lead', 'auditor', 'evaluator'] as const;
export type Role = (typeof ROLES)[number];

// Which organisations a role makes sense in (docs/decisions/0008-access-model.md). An admin without an
// organisation is a platform administrator; with one, it administers that organisation's users.
export const ROLE_ORGANISATION_KINDS: Record<Role, readonly OrganisationKind[]> = {
  admin: ['MUNICIPALITY', 'DISTRICT', 'ETS', 'OTHER'],
  contract_manager: ['MUNICIPALITY', 'DISTRICT'],
  approver: ['MUNICIPALITY', 'DISTRICT'],
  auditor: ['MUNICIPALITY', 'DISTRICT', 'OTHER'],
  ets_member: ['ETS'],
  grouping_lead: ['ETS'],
  evaluator: ['OTHER', 'MUNICIPALITY', 'DISTRICT'],
};

/** Roles of the municipality side: they act on the contracts of their municipality (or district). */
export const MUNICIPAL_ROLES: readonly Role[] = ['admin', 'contract_manager', 'approver', 'auditor'];
/**
 * Roles that may change contract structure (organisations, projects, value chains, contracts, groupings,
 * indicators). `admin` passes this coarse check only to let platform administrators through: services
 * still require `contract_manager` of the contract's municipality for everyone else.
 */
export const STRUCTURE_EDITORS: readonly Role[] = ['admin', 'contract_manager'];
/** Every role: for reads any authenticated caller may attempt (services narrow them to what it may see). */
export const ANY_ROLE: readonly Role[] = ROLES;
