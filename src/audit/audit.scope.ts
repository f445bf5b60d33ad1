import { Brackets, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { AccessScope } from 'src/auth/access-scope';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';
import { MUNICIPAL_ROLES } from 'src/auth/roles';

/**
 * Which audit entries a caller may read (docs/decisions/0008-access-model.md), computed once and applied
 * to any query over `audit_entries e`:
 * - platform administrators: every entry;
 * - municipal staff: entries of their municipalities (and of their contracts), plus what their own
 *   organisation's users did;
 * - ETS staff: entries of the contracts their organisation is a member of, except those written by
 *   users of another ETS (per-member data stays private between the members of a grouping);
 * - evaluators and external auditors: entries of the contracts granted to their organisation.
 */
export type AuditScope =
  | { kind: 'ALL' }
  | { kind: 'NONE' }
  | { kind: 'SOME'; contracts: readonly string[]; municipalities: readonly string[]; ownOrganisation: string | null; etsOrganisation: string | null };

export async function auditScopeOf(scope: AccessScope, m: EntityManager, p: Principal): Promise<AuditScope> {
  if (isPlatformAdmin(p)) return { kind: 'ALL' };
  const contracts = await scope.readableContracts(m, p);
  if (contracts === 'ALL') return { kind: 'ALL' };
  const municipalities = await scope.municipalities(m, p);
  if (municipalities === 'ALL') return { kind: 'ALL' };
  const ownOrganisationEntries = p.organisationId !== null && hasAnyRole(p, MUNICIPAL_ROLES) && p.organisationKind !== 'ETS';
  if (contracts.length === 0 && municipalities.length === 0 && !ownOrganisationEntries) {
    return { kind: 'NONE' };
  }
  return {
    kind: 'SOME',
    contracts,
    municipalities,
    ownOrganisation: ownOrganisationEntries ? p.organisationId : null,
    etsOrganisation: p.organisationKind === 'ETS' ? p.organisationId : null,
  };
}

/** Adds the scope to the query; false when the caller may see no entry at all (do not run the query). */
export function applyAuditScope(qb: SelectQueryBuilder<AuditEntryEntity>, s: AuditScope): boolean {
  if (s.kind === 'ALL') return true;
  if (s.kind === 'NONE') return false;
  qb.andWhere(
    new Brackets((w) => {
      if (s.contracts.length > 0) {
        if (s.etsOrganisation !== null) {
          // An ETS sees its contracts' entries, but not what another ETS's users did on them. An actor
          // organisation that no longer exists is hidden too (it cannot be shown not to be an ETS).
          w.orWhere(
            new Brackets((c) => {
              c.where('e.contract_id IN (:...scopeContracts)', { scopeContracts: s.contracts }).andWhere(
                new Brackets((a) => {
                  a.where('e.organisation_id IS NULL')
                    .orWhere('e.organisation_id = :scopeOwnOrg', { scopeOwnOrg: s.etsOrganisation })
                    .orWhere("e.organisation_id IN (SELECT so.id FROM organisations so WHERE so.kind <> 'ETS')");
                }),
              );
            }),
          );
        } else {
          w.orWhere('e.contract_id IN (:...scopeContracts)', { scopeContracts: s.contracts });
        }
      }
      if (s.municipalities.length > 0) {
        w.orWhere('e.municipality_id IN (:...scopeMunicipalities)', { scopeMunicipalities: s.municipalities });
      }
      if (s.ownOrganisation !== null) {
        w.orWhere('e.organisation_id = :scopeOrg', { scopeOrg: s.ownOrganisation });
      }
    }),
  );
  return true;
}
