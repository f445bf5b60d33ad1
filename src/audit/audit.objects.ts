// Who an audit entry's object belongs to, by the `objectType` the services record
// (docs/decisions/0008-access-model.md). Used by audit.scope.ts to show ETS staff only the entries about
// objects they may read themselves: an entry names its object's id, and an id the caller may not read must
// not be probeable through the log.

/** Objects every reader of their contract reads: the entries about them are shown with the contract's. */
export const CONTRACT_WIDE_OBJECT_TYPES = [
  'contract',
  'contract_period',
  'contract_grant',
  'payment_rules',
  'grouping',
  'grouping_members',
  'grouping_fee',
  'indicator',
  'indicator_baselines',
  'indicator_targets',
  'indicator_denominators',
  // The sources of an indicator: the entry names the indicator; its digests are of the actor's view.
  'indicator_sources',
  'indicator_set_version',
  // Every reader of the contract sees a version's approvals, of every side.
  'indicator_set_approval',
] as const;

/**
 * Objects of one organisation or one grouping within a contract; audit.scope.ts reads each one's row to
 * decide, as the module's own read rule does:
 * - measurement, measurement_evidence: the submitting organisation's (and, for a grouping lead, the
 *   groupings it leads: src/measurements/measurement.access.ts);
 * - settlement, evaluation_record: the members of the grouping (src/settlements/settlement.access.ts);
 * - indicator_proposal: the proposing organisation (src/co-definition/co-definition.access.ts);
 * - co_definition_comment: a comment on a proposal as the proposal, on an indicator-set version as the contract.
 */
export const PRIVATE_OBJECT_TYPES = ['measurement', 'measurement_evidence', 'settlement', 'evaluation_record', 'indicator_proposal', 'co_definition_comment'] as const;
export type PrivateObjectType = (typeof PRIVATE_OBJECT_TYPES)[number];

/** Recorded without a contract: never among the entries of an ETS's contracts. */
export const NON_CONTRACT_OBJECT_TYPES = ['organisation', 'user', 'api_key', 'project', 'value_chain_node', 'value_chain_link', 'reference_population', 'settlement_run'] as const;

export type AuditObjectReach = 'CONTRACT' | 'PRIVATE' | 'NO_CONTRACT' | 'UNKNOWN';

/**
 * How far an object type reaches. An UNKNOWN type (recorded by code that did not classify it) is shown to
 * ETS staff only when their own organisation's users wrote the entry: a new kind of object stays hidden
 * until it is listed here, rather than leaking (audit.objects.spec.ts fails until it is).
 */
export function auditObjectReach(objectType: string): AuditObjectReach {
  if ((CONTRACT_WIDE_OBJECT_TYPES as readonly string[]).includes(objectType)) return 'CONTRACT';
  if ((PRIVATE_OBJECT_TYPES as readonly string[]).includes(objectType)) return 'PRIVATE';
  if ((NON_CONTRACT_OBJECT_TYPES as readonly string[]).includes(objectType)) return 'NO_CONTRACT';
  return 'UNKNOWN';
}
