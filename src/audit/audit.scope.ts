import { Brackets, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { CONTRACT_WIDE_OBJECT_TYPES, PrivateObjectType } from 'src/audit/audit.objects';
import { AccessScope } from 'src/auth/access-scope';
import { hasAnyRole, isPlatformAdmin, Principal } from 'src/auth/principal';
import { MUNICIPAL_ROLES } from 'src/auth/roles';

/**
 * Which audit entries a caller may read (docs/decisions/0008-access-model.md), computed once and applied
 * to any query over `audit_entries e`:
 * - platform administrators: every entry;
 * - municipal staff: entries of their municipalities (and of their contracts), plus what their own
 *   organisation's users did;
 * - ETS staff: entries of the contracts their organisation is a member of, except those written by users
 *   of another ETS, and except those about an object they may not read themselves (another organisation's
 *   measurement or proposal, another grouping's settlement: src/audit/audit.objects.ts);
 * - evaluators and external auditors: entries of the contracts granted to their organisation.
 */
export type AuditScope =
  | { kind: 'ALL' }
  | { kind: 'NONE' }
  | { kind: 'SOME'; contracts: readonly string[]; municipalities: readonly string[]; ownOrganisation: string | null; ets: EtsAuditView | null };

/** An ETS caller: its organisation, and whether it reads the measurements of the groupings it leads (grouping_lead). */
export interface EtsAuditView {
  organisationId: string;
  leadsGroupings: boolean;
}

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
    ets: p.organisationKind === 'ETS' && p.organisationId !== null ? { organisationId: p.organisationId, leadsGroupings: p.roles.has('grouping_lead') } : null,
  };
}

/** Adds the scope to the query; false when the caller may see no entry at all (do not run the query). */
export function applyAuditScope(qb: SelectQueryBuilder<AuditEntryEntity>, s: AuditScope): boolean {
  if (s.kind === 'ALL') return true;
  if (s.kind === 'NONE') return false;
  qb.andWhere(
    new Brackets((w) => {
      const ets = s.ets;
      if (s.contracts.length > 0) {
        if (ets !== null) {
          w.orWhere(
            new Brackets((c) => {
              c.where('e.contract_id IN (:...scopeContracts)', { scopeContracts: s.contracts })
                // Not what another ETS's users did. An actor organisation that no longer exists is hidden
                // too (it cannot be shown not to be an ETS).
                .andWhere(
                  new Brackets((a) => {
                    a.where('e.organisation_id IS NULL')
                      .orWhere('e.organisation_id = :scopeEtsOrg', { scopeEtsOrg: ets.organisationId })
                      .orWhere("e.organisation_id IN (SELECT so.id FROM organisations so WHERE so.kind <> 'ETS')");
                  }),
                )
                // Nor what was done to an object the ETS may not read.
                .andWhere(`(${etsReadsObject(ets)})`, { scopeContractWide: [...CONTRACT_WIDE_OBJECT_TYPES] });
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

/**
 * Whether an ETS reads the object of entry `e` (SQL, parameters :scopeEtsOrg, :scopeContracts and
 * :scopeContractWide): a contract-wide object; anything its own organisation's users did (also to an object
 * since deleted); or a private object whose row exists and is its own, by the same rule as the object's
 * module. Everything else (another organisation's or grouping's object, a deleted one, a type not classified
 * in audit.objects.ts) is hidden. Each private kind is one or two uncorrelated subqueries, the ids the ETS may read,
 * found through indexes (organisation_id, grouping_id, grouping_members' organisation_id) and evaluated once
 * per query rather than once per entry.
 */
function etsReadsObject(ets: EtsAuditView): string {
  const ownGroupings = 'SELECT og.grouping_id FROM grouping_members og WHERE og.organisation_id = :scopeEtsOrg';
  // Its organisation's measurements and, for a grouping lead, those of the groupings it leads: two sets, so
  // each is found through its own index (an OR of the two would scan the table).
  const measurementSets = [
    'SELECT om.id FROM measurements om WHERE om.organisation_id = :scopeEtsOrg',
    ...(ets.leadsGroupings
      ? ["SELECT oml.id FROM measurements oml WHERE oml.grouping_id IN (SELECT lg.grouping_id FROM grouping_members lg WHERE lg.organisation_id = :scopeEtsOrg AND lg.role = 'MANDATARIA')"]
      : []),
  ];
  const ownProposals = 'SELECT op.id FROM indicator_proposals op WHERE op.organisation_id = :scopeEtsOrg';
  const readable: Record<PrivateObjectType, string[]> = {
    measurement: measurementSets,
    measurement_evidence: measurementSets.map((ids) => `SELECT oe.id FROM measurement_evidence oe WHERE oe.measurement_id IN (${ids})`),
    settlement: [`SELECT os.id FROM settlements os WHERE os.grouping_id IN (${ownGroupings})`],
    evaluation_record: [`SELECT oer.id FROM evaluation_records oer WHERE oer.grouping_id IN (${ownGroupings})`],
    indicator_proposal: [ownProposals],
    // A comment on a version is read with the contract, one on a proposal with the proposal.
    co_definition_comment: [
      'SELECT oc.id FROM co_definition_comments oc WHERE oc.contract_id IN (:...scopeContracts) AND oc.proposal_id IS NULL',
      `SELECT ocp.id FROM co_definition_comments ocp WHERE ocp.proposal_id IN (${ownProposals})`,
    ],
  };
  return [
    'e.object_type IN (:...scopeContractWide)',
    'e.organisation_id = :scopeEtsOrg',
    ...Object.entries(readable).map(([type, sets]) => `(e.object_type = '${type}' AND (${sets.map((ids) => `e.object_id IN (${ids})`).join(' OR ')}))`),
  ].join(' OR ');
}
