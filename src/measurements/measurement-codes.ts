import { EntityManager, EntityTarget, FindManyOptions, In } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { MeasurementEntity } from 'src/measurements/measurement.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';

/** What a measurement answer names besides the ids, so "Y2, RTI-A, Aurora" reads without three lookups. */
export interface MeasurementCodes {
  periodCode: string;
  groupingCode: string;
  organisationCode: string;
}

interface Coded {
  id: string;
  code: string;
}

type Subject = Pick<MeasurementEntity, 'periodId' | 'groupingId' | 'organisationId'>;

/**
 * The codes of these measurements' periods, groupings and submitting organisations, read set-wise: at most
 * one query per kind whatever the number of rows, none for what the caller already loaded (`known`).
 * Nothing new is disclosed: whoever may read a measurement reads its contract's periods and groupings, and
 * every user reads the organisation directory.
 */
export async function measurementCodes(
  m: EntityManager,
  rows: readonly Subject[],
  known: { periods?: readonly Coded[]; groupings?: readonly Coded[] } = {},
): Promise<(row: Subject) => MeasurementCodes> {
  const periods = await codesById(m, ContractPeriodEntity, rows.map((x) => x.periodId), known.periods);
  const groupings = await codesById(m, ProviderGroupingEntity, rows.map((x) => x.groupingId), known.groupings);
  const organisations = await codesById(m, OrganisationEntity, rows.map((x) => x.organisationId));
  return (row) => ({
    periodCode: codeOf(periods, row.periodId, 'period'),
    groupingCode: codeOf(groupings, row.groupingId, 'grouping'),
    organisationCode: codeOf(organisations, row.organisationId, 'organisation'),
  });
}

async function codesById(m: EntityManager, entity: EntityTarget<Coded>, ids: readonly string[], known: readonly Coded[] = []): Promise<Map<string, string>> {
  const codes = new Map(known.map((x) => [x.id, x.code]));
  const missing = [...new Set(ids)].filter((id) => !codes.has(id));
  if (missing.length > 0) {
    const options: FindManyOptions<Coded> = { where: { id: In(missing) }, select: { id: true, code: true } };
    for (const x of await m.find(entity, options)) codes.set(x.id, x.code);
  }
  return codes;
}

// The foreign keys of measurements make a miss impossible; if it happens it is a bug, not a 404.
function codeOf(codes: Map<string, string>, id: string, kind: string): string {
  const code = codes.get(id);
  if (code === undefined) throw new Error(`No ${kind} ${id} for a measurement`);
  return code;
}
