import { EntityManager, In, ObjectLiteral, EntityTarget } from 'typeorm';
import { FieldProblem } from 'src/common/errors/domain-error';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingFeeEntity, GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { ContractDefinition, OrganisationDefinition } from 'src/contract-definitions/contract-definition.types';
import { ContractDefinitionError } from 'src/contract-definitions/contract-definitions.errors';
import {
  IndicatorBaselineEntity,
  IndicatorDenominatorEntity,
  IndicatorEntity,
  IndicatorTargetEntity,
} from 'src/indicators/indicator.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ReferencePopulationEntity } from 'src/value-chain/reference-population.entity';
import { ValueChainLinkEntity } from 'src/value-chain/value-chain-link.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';

export interface ImportCounts {
  organisationsCreated: number;
  organisationsReused: number;
  referencePopulations: number;
  nodes: number;
  links: number;
  periods: number;
  groupings: number;
  members: number;
  fees: number;
  indicators: number;
  baselines: number;
  targets: number;
  denominators: number;
}

export interface WrittenContract {
  contractId: string;
  projectId: string;
  organisationsCreated: string[];
  organisationsReused: string[];
  counts: ImportCounts;
}

const INSERT_CHUNK = 100;

/**
 * Writes a checked document inside the caller's transaction, in foreign-key order. Organisations are
 * shared: an existing code is reused when it is the same organisation, otherwise the import is refused.
 * `position` columns keep the document's order so the export gives the lists back as they came.
 */
export async function writeContractDefinition(
  m: EntityManager,
  doc: ContractDefinition,
  now: string,
  nextId: () => string,
): Promise<WrittenContract> {
  const { project, contract } = doc;
  const stamp = (): { id: string; createdAt: string; updatedAt: string } => ({ id: nextId(), createdAt: now, updatedAt: now });

  const orgIds = new Map<string, string>();
  const existing = await m.find(OrganisationEntity, { where: { code: In(doc.organisations.map((o) => o.code)) } });
  const existingByCode = new Map(existing.map((o) => [o.code, o]));
  const created: OrganisationEntity[] = [];
  const reused: string[] = [];
  doc.organisations.forEach((o, i) => {
    const found = existingByCode.get(o.code);
    if (found) {
      checkSameOrganisation(found, o, i);
      orgIds.set(o.code, found.id);
      reused.push(o.code);
      return;
    }
    const entity: OrganisationEntity = {
      ...stamp(),
      code: o.code,
      kind: o.kind,
      name: o.name,
      taxCode: o.taxCode ?? null,
      legalForm: o.legalForm ?? null,
      districtId: null,
      leadOrganisationId: null,
    };
    orgIds.set(o.code, entity.id);
    created.push(entity);
  });

  if (await m.existsBy(ProjectEntity, { code: project.code })) {
    throw new ContractDefinitionError('CONTRACT_DEFINITION_PROJECT_EXISTS', `A project with code ${project.code} already exists`, {
      code: project.code,
      fields: [{ field: 'project.code', message: 'already exists' }],
    });
  }
  if (await m.existsBy(ContractEntity, { code: contract.code })) {
    throw new ContractDefinitionError('CONTRACT_DEFINITION_CONTRACT_EXISTS', `A contract with code ${contract.code} already exists`, {
      code: contract.code,
      fields: [{ field: 'contract.code', message: 'already exists' }],
    });
  }

  await insertAll(m, OrganisationEntity, created);

  const projectRow: ProjectEntity = {
    ...stamp(),
    code: project.code,
    name: project.name,
    municipalityId: orgIds.get(project.municipality)!,
    department: project.department ?? null,
    description: project.description ?? null,
    workAreas: project.workAreas,
    targetGroups: project.targetGroups,
  };
  await insertAll(m, ProjectEntity, [projectRow]);

  const nodeIds = new Map<string, string>();
  const nodes: ValueChainNodeEntity[] = project.valueChain.nodes.map((n, position) => {
    const row: ValueChainNodeEntity = {
      ...stamp(),
      projectId: projectRow.id,
      code: n.code,
      level: n.level,
      labelIt: n.labelIt,
      labelEn: n.labelEn ?? null,
      description: n.description ?? null,
      quantity: n.quantity ?? null,
      unit: n.unit ?? null,
      monetaryValue: n.monetaryValue ?? null,
      fundingSource: n.fundingSource ?? null,
      position,
    };
    nodeIds.set(n.code, row.id);
    return row;
  });
  await insertAll(m, ValueChainNodeEntity, nodes);
  const links: ValueChainLinkEntity[] = project.valueChain.links.map((l, position) => ({
    id: nextId(),
    projectId: projectRow.id,
    fromNodeId: nodeIds.get(l.from)!,
    toNodeId: nodeIds.get(l.to)!,
    position,
  }));
  await insertAll(m, ValueChainLinkEntity, links);

  const populationIds = new Map<string, string>();
  const populations: ReferencePopulationEntity[] = project.referencePopulations.map((p, position) => {
    const row: ReferencePopulationEntity = {
      ...stamp(),
      projectId: projectRow.id,
      code: p.code,
      labelIt: p.labelIt,
      labelEn: p.labelEn ?? null,
      area: p.area ?? null,
      targetGroup: p.targetGroup ?? null,
      referenceDate: p.referenceDate,
      source: p.source,
      value: p.value,
      position,
    };
    populationIds.set(p.code, row.id);
    return row;
  });
  await insertAll(m, ReferencePopulationEntity, populations);

  const contractRow: ContractEntity = {
    ...stamp(),
    code: contract.code,
    title: contract.title,
    projectId: projectRow.id,
    municipalityId: orgIds.get(contract.municipality)!,
    currency: contract.currency,
    startDate: contract.startDate,
    endDate: contract.endDate,
    paymentRules: contract.paymentRules === undefined ? null : JSON.stringify(contract.paymentRules),
  };
  await insertAll(m, ContractEntity, [contractRow]);

  const periodIds = new Map<string, string>();
  const periods: ContractPeriodEntity[] = contract.periods.map((p, position) => {
    const row: ContractPeriodEntity = {
      ...stamp(),
      contractId: contractRow.id,
      code: p.code,
      startDate: p.startDate,
      endDate: p.endDate,
      phase: p.phase ?? null,
      position,
    };
    periodIds.set(p.code, row.id);
    return row;
  });
  await insertAll(m, ContractPeriodEntity, periods);

  const groupingIds = new Map<string, string>();
  const groupings: ProviderGroupingEntity[] = [];
  const members: GroupingMemberEntity[] = [];
  const fees: GroupingFeeEntity[] = [];
  contract.groupings.forEach((g, position) => {
    const row: ProviderGroupingEntity = { ...stamp(), contractId: contractRow.id, code: g.code, name: g.name, type: g.type, areas: g.areas, position };
    groupingIds.set(g.code, row.id);
    groupings.push(row);
    g.members.forEach((mm, i) =>
      members.push({ id: nextId(), groupingId: row.id, organisationId: orgIds.get(mm.organisation)!, role: mm.role, executionShare: mm.executionShare, position: i }),
    );
    g.fees.forEach((f, i) => fees.push({ id: nextId(), groupingId: row.id, periodId: periodIds.get(f.period)!, amount: f.amount, position: i }));
  });
  await insertAll(m, ProviderGroupingEntity, groupings);
  await insertAll(m, GroupingMemberEntity, members);
  await insertAll(m, GroupingFeeEntity, fees);

  const groupingId = (code: string | undefined): string | null => (code === undefined ? null : groupingIds.get(code)!);
  const indicators: IndicatorEntity[] = [];
  const baselines: IndicatorBaselineEntity[] = [];
  const targets: IndicatorTargetEntity[] = [];
  const denominators: IndicatorDenominatorEntity[] = [];
  contract.indicators.forEach((ind, position) => {
    const row: IndicatorEntity = {
      ...stamp(),
      contractId: contractRow.id,
      nodeId: nodeIds.get(ind.node)!,
      code: ind.code,
      labelIt: ind.labelIt,
      labelEn: ind.labelEn ?? null,
      unit: ind.unit,
      direction: ind.direction,
      formulaText: ind.formula?.text ?? null,
      formulaNumerator: ind.formula?.numerator ?? null,
      formulaDenominator: ind.formula?.denominator ?? null,
      instrument: ind.instrument ?? null,
      dataOwner: ind.dataOwner ?? null,
      frequency: ind.frequency,
      minSampleSize: ind.minSampleSize ?? null,
      disaggregations: ind.disaggregations ?? [],
      scope: ind.scope,
      aggregation: ind.aggregation,
      position,
    };
    indicators.push(row);
    ind.baselines.forEach((b, i) =>
      baselines.push({
        id: nextId(),
        indicatorId: row.id,
        groupingId: groupingId(b.grouping),
        value: b.value ?? null,
        establishedInPeriodId: b.establishedIn === undefined ? null : periodIds.get(b.establishedIn)!,
        reference: b.reference ?? null,
        note: b.note ?? null,
        position: i,
      }),
    );
    ind.targets.forEach((t, i) =>
      targets.push({ id: nextId(), indicatorId: row.id, periodId: periodIds.get(t.period)!, groupingId: groupingId(t.grouping), value: t.value, position: i }),
    );
    (ind.denominators ?? []).forEach((d, i) =>
      denominators.push({
        id: nextId(),
        indicatorId: row.id,
        groupingId: groupingId(d.grouping),
        referencePopulationId: populationIds.get(d.population)!,
        position: i,
      }),
    );
  });
  await insertAll(m, IndicatorEntity, indicators);
  await insertAll(m, IndicatorBaselineEntity, baselines);
  await insertAll(m, IndicatorTargetEntity, targets);
  await insertAll(m, IndicatorDenominatorEntity, denominators);

  return {
    contractId: contractRow.id,
    projectId: projectRow.id,
    organisationsCreated: created.map((o) => o.code),
    organisationsReused: reused,
    counts: {
      organisationsCreated: created.length,
      organisationsReused: reused.length,
      referencePopulations: populations.length,
      nodes: nodes.length,
      links: links.length,
      periods: periods.length,
      groupings: groupings.length,
      members: members.length,
      fees: fees.length,
      indicators: indicators.length,
      baselines: baselines.length,
      targets: targets.length,
      denominators: denominators.length,
    },
  };
}

/** An organisation code already in the database must name the same organisation: kind, name, legal form and tax code. */
function checkSameOrganisation(existing: OrganisationEntity, wanted: OrganisationDefinition, index: number): void {
  const compared: [keyof OrganisationDefinition, string | null, string | null][] = [
    ['kind', existing.kind, wanted.kind],
    ['name', existing.name, wanted.name],
    ['legalForm', existing.legalForm, wanted.legalForm ?? null],
    ['taxCode', existing.taxCode, wanted.taxCode ?? null],
  ];
  const fields: FieldProblem[] = compared
    .filter(([, stored, given]) => stored !== given)
    .map(([key, stored]) => ({
      field: `organisations[${index}].${key}`,
      message: `differs from the existing organisation ${existing.code} (${stored === null ? 'none' : JSON.stringify(stored)})`,
    }));
  if (fields.length > 0) {
    throw new ContractDefinitionError(
      'CONTRACT_DEFINITION_ORGANISATION_CONFLICT',
      `Organisation ${existing.code} already exists with a different ${fields.map((f) => f.field.split('.').pop()).join(', ')}`,
      { code: existing.code, fields },
    );
  }
}

async function insertAll<E extends ObjectLiteral>(m: EntityManager, target: EntityTarget<E>, rows: E[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await m.insert(target, rows.slice(i, i + INSERT_CHUNK));
  }
}
