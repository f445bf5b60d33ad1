import { EntityManager, In, IsNull, Not } from 'typeorm';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { indicatorSetInForce } from 'src/co-definition/indicator-set.resolver';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingMemberEntity } from 'src/contracts/provider-grouping.entity';
import { MeasurementEntity, MeasurementVersionEntity } from 'src/measurements/measurement.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { loadContractFrame } from 'src/settlements/settlement-inputs.loader';
import type { MeasurementRow } from 'src/settlements/engine/indicator-inputs';
import { visibleGroupings } from 'src/open-data/open-data.access';
import { ContractData, OrgData, rowKey } from 'src/open-data/open-data.model';

// Loads, inside the caller's read, what the exports of one contract are made of: the settlement's own
// contract frame (periods, groupings, members, fees), the binding indicator set in force for each period
// (indicatorSetInForce), and the accepted version of every member's measurement (the last accepted), keyed by period,
// grouping and indicator, exactly as the settlement reads them.

export function toOrgData(o: OrganisationEntity): OrgData {
  return { id: o.id, code: o.code, name: o.name, kind: o.kind, taxCode: o.taxCode };
}

export async function loadContractData(m: EntityManager, scope: AccessScope, p: Principal, contract: ContractEntity): Promise<ContractData> {
  const frame = await loadContractFrame(m, contract);
  const municipality = await m.findOneByOrFail(OrganisationEntity, { id: contract.municipalityId });
  const groupingIds = frame.groupings.map((g) => g.id);
  const members = groupingIds.length === 0 ? [] : await m.find(GroupingMemberEntity, { where: { groupingId: In(groupingIds) }, order: { position: 'ASC' } });
  const orgIds = [...new Set(members.map((x) => x.organisationId))];
  const orgs = new Map((orgIds.length === 0 ? [] : await m.findBy(OrganisationEntity, { id: In(orgIds) })).map((o) => [o.id, toOrgData(o)]));

  const sets: ContractData['sets'] = {};
  for (const period of frame.periods) {
    sets[period.code] = await indicatorSetInForce(m, contract.id, period.id);
  }
  return {
    id: contract.id,
    code: contract.code,
    title: contract.title,
    currency: contract.currency,
    startDate: contract.startDate,
    endDate: contract.endDate,
    municipality: toOrgData(municipality),
    periods: frame.periods.map((x) => ({ id: x.id, code: x.code, startDate: x.startDate, endDate: x.endDate, position: x.position })),
    groupings: frame.groupings.map((g) => ({
      id: g.id,
      code: g.code,
      name: g.name,
      fees: g.fees,
      members: members
        .filter((x) => x.groupingId === g.id)
        .flatMap((x) => {
          const organisation = orgs.get(x.organisationId);
          return organisation ? [{ organisation, lead: x.role === 'MANDATARIA', executionShare: x.executionShare }] : [];
        }),
    })),
    sets,
    rows: await acceptedRows(m, contract.id, frame),
    visibleGroupings: await visibleGroupings(scope, m, p, contract, frame.groupings),
  };
}

async function acceptedRows(
  m: EntityManager,
  contractId: string,
  frame: { periods: { id: string; code: string }[]; groupings: { id: string; code: string }[]; organisationCodes: Map<string, string> },
): Promise<Map<string, MeasurementRow[]>> {
  const rows = new Map<string, MeasurementRow[]>();
  // Each measurement at its accepted version, as settlements read it (a pending correction does not count yet).
  const measurements = await m.find(MeasurementEntity, { where: { contractId, acceptedVersion: Not(IsNull()) }, order: { id: 'ASC' } });
  if (measurements.length === 0) return rows;
  const versions: MeasurementVersionEntity[] = [];
  const ids = measurements.map((x) => x.id);
  for (let i = 0; i < ids.length; i += 500) {
    versions.push(...(await m.find(MeasurementVersionEntity, { where: { measurementId: In(ids.slice(i, i + 500)) } })));
  }
  const accepted = new Map(versions.map((v) => [`${v.measurementId}#${v.version}`, v]));
  const periodCode = new Map(frame.periods.map((x) => [x.id, x.code]));
  const groupingCode = new Map(frame.groupings.map((g) => [g.id, g.code]));
  for (const x of measurements) {
    const v = accepted.get(`${x.id}#${x.acceptedVersion}`);
    const period = periodCode.get(x.periodId);
    const grouping = groupingCode.get(x.groupingId);
    if (v === undefined || period === undefined || grouping === undefined) continue;
    const key = rowKey(period, grouping, x.indicatorCode);
    const list = rows.get(key) ?? [];
    list.push({
      measurementId: x.id,
      version: v.version,
      organisation: frame.organisationCodes.get(x.organisationId) ?? x.organisationId,
      value: v.value,
      numerator: v.numerator,
      denominator: v.denominator,
      sampleSize: v.sampleSize,
      notAssessable: v.notAssessable,
      disaggregations: v.disaggregations,
    });
    rows.set(key, list);
  }
  return rows;
}
