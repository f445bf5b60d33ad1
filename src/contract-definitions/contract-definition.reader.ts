import { EntityManager, In } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { GroupingFeeEntity, GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import {
  ContractDefinition,
  CONTRACT_DEFINITION_SCHEMA_VERSION,
  IndicatorDefinition,
  NodeDefinition,
  OrganisationDefinition,
  PaymentRulesDefinition,
  ReferencePopulationDefinition,
} from 'src/contract-definitions/contract-definition.types';
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

// Builds the document back from the tables (never from a stored copy). Deterministic: lists in `position`
// order, organisations in order of first use (the project's municipality, the contract's, members
// grouping by grouping, then the payment rules' evaluation payers), keys in the order of the schema,
// absent values omitted; the payment rules come back exactly as stored. For a document written in
// this canonical form, export(import(document)) deep-equals the document.

/** Drops null and undefined values, keeping the key order of `fields`. */
function present<T extends object>(fields: { [K in keyof T]: T[K] | null | undefined }): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as T;
}

function byId<E extends { id: string }>(rows: readonly E[]): Map<string, E> {
  return new Map(rows.map((r) => [r.id, r]));
}

function groupBy<E>(rows: readonly E[], key: (row: E) => string): Map<string, E[]> {
  const groups = new Map<string, E[]>();
  for (const row of rows) {
    const list = groups.get(key(row)) ?? [];
    list.push(row);
    groups.set(key(row), list);
  }
  return groups;
}

export async function findContractIdByCode(m: EntityManager, code: string): Promise<string> {
  const contract = await m.findOne(ContractEntity, { where: { code }, select: { id: true } });
  if (!contract) {
    throw new ContractError('CONTRACT_NOT_FOUND', `No contract with code ${code}`, { code });
  }
  return contract.id;
}

export async function readContractDefinition(m: EntityManager, contractId: string): Promise<ContractDefinition> {
  const contract = await m.findOneBy(ContractEntity, { id: contractId });
  if (!contract) {
    throw new ContractError('CONTRACT_NOT_FOUND', `Contract ${contractId} not found`, { id: contractId });
  }
  const project = await m.findOneByOrFail(ProjectEntity, { id: contract.projectId });
  const byPosition = { order: { position: 'ASC' as const } };
  // One after the other: inside a transaction every query goes through the same connection (pg refuses
  // overlapping queries on one client from version 9).
  const nodes = await m.find(ValueChainNodeEntity, { where: { projectId: project.id }, ...byPosition });
  const links = await m.find(ValueChainLinkEntity, { where: { projectId: project.id }, ...byPosition });
  const populations = await m.find(ReferencePopulationEntity, { where: { projectId: project.id }, ...byPosition });
  const periods = await m.find(ContractPeriodEntity, { where: { contractId }, ...byPosition });
  const groupings = await m.find(ProviderGroupingEntity, { where: { contractId }, ...byPosition });
  const indicators = await m.find(IndicatorEntity, { where: { contractId }, ...byPosition });
  const groupingIds = groupings.map((g) => g.id);
  const indicatorIds = indicators.map((i) => i.id);
  // Children of several parents: grouped by parent below, each group in `position` order.
  const members = groupingIds.length === 0 ? [] : await m.find(GroupingMemberEntity, { where: { groupingId: In(groupingIds) }, ...byPosition });
  const fees = groupingIds.length === 0 ? [] : await m.find(GroupingFeeEntity, { where: { groupingId: In(groupingIds) }, ...byPosition });
  const baselines = indicatorIds.length === 0 ? [] : await m.find(IndicatorBaselineEntity, { where: { indicatorId: In(indicatorIds) }, ...byPosition });
  const targets = indicatorIds.length === 0 ? [] : await m.find(IndicatorTargetEntity, { where: { indicatorId: In(indicatorIds) }, ...byPosition });
  const denominators = indicatorIds.length === 0 ? [] : await m.find(IndicatorDenominatorEntity, { where: { indicatorId: In(indicatorIds) }, ...byPosition });

  const membersOf = groupBy(members, (r) => r.groupingId);
  const paymentRules = contract.paymentRules === null ? null : (JSON.parse(contract.paymentRules) as PaymentRulesDefinition);
  const payerCodes = [...new Set((paymentRules?.evaluationPayers ?? []).map((p) => p.payer))];
  const payers = payerCodes.length === 0 ? [] : await m.find(OrganisationEntity, { where: { code: In(payerCodes) }, select: { id: true, code: true } });
  const payerIds = payerCodes.flatMap((code) => payers.filter((p) => p.code === code).map((p) => p.id));
  const usedOrgIds = [
    ...new Set([
      project.municipalityId,
      contract.municipalityId,
      ...groupings.flatMap((g) => (membersOf.get(g.id) ?? []).map((mm) => mm.organisationId)),
      ...payerIds,
    ]),
  ];
  const orgs = byId(await m.findBy(OrganisationEntity, { id: In(usedOrgIds) }));
  const orgCode = (id: string): string => orgs.get(id)!.code;
  const nodesById = byId(nodes);
  const nodeCode = (id: string): string => nodesById.get(id)!.code;
  const periodCode = byId(periods);
  const groupingCode = byId(groupings);
  const populationCode = byId(populations);
  const optionalGrouping = (id: string | null): string | null => (id === null ? null : groupingCode.get(id)!.code);

  const feesOf = groupBy(fees, (r) => r.groupingId);
  const baselinesOf = groupBy(baselines, (r) => r.indicatorId);
  const targetsOf = groupBy(targets, (r) => r.indicatorId);
  const denominatorsOf = groupBy(denominators, (r) => r.indicatorId);

  return {
    schemaVersion: CONTRACT_DEFINITION_SCHEMA_VERSION,
    organisations: usedOrgIds.map((id) => toOrganisation(orgs.get(id)!)),
    project: present({
      code: project.code,
      name: project.name,
      municipality: orgCode(project.municipalityId),
      department: project.department,
      description: project.description,
      workAreas: project.workAreas,
      targetGroups: project.targetGroups,
      referencePopulations: populations.map(toPopulation),
      valueChain: {
        nodes: nodes.map(toNode),
        links: links.map((l) => ({ from: nodeCode(l.fromNodeId), to: nodeCode(l.toNodeId) })),
      },
    }),
    contract: present({
      code: contract.code,
      title: contract.title,
      municipality: orgCode(contract.municipalityId),
      currency: contract.currency as 'EUR',
      startDate: contract.startDate,
      endDate: contract.endDate,
      periods: periods.map((p) => present({ code: p.code, startDate: p.startDate, endDate: p.endDate, phase: p.phase })),
      groupings: groupings.map((g) => ({
        code: g.code,
        name: g.name,
        type: g.type,
        areas: g.areas,
        members: (membersOf.get(g.id) ?? []).map((mm) => ({ organisation: orgCode(mm.organisationId), role: mm.role, executionShare: mm.executionShare })),
        fees: (feesOf.get(g.id) ?? []).map((f) => ({ period: periodCode.get(f.periodId)!.code, amount: f.amount })),
      })),
      indicators: indicators.map(
        (ind): IndicatorDefinition =>
          present({
            code: ind.code,
            node: nodeCode(ind.nodeId),
            labelIt: ind.labelIt,
            labelEn: ind.labelEn,
            unit: ind.unit,
            direction: ind.direction,
            formula:
              ind.formulaText === null
                ? null
                : present({ text: ind.formulaText, numerator: ind.formulaNumerator, denominator: ind.formulaDenominator }),
            instrument: ind.instrument,
            dataOwner: ind.dataOwner,
            frequency: ind.frequency,
            minSampleSize: ind.minSampleSize,
            disaggregations: ind.disaggregations.length > 0 ? ind.disaggregations : null,
            scope: ind.scope,
            aggregation: ind.aggregation,
            baselines: (baselinesOf.get(ind.id) ?? []).map((b) =>
              present({
                grouping: optionalGrouping(b.groupingId),
                value: b.value,
                establishedIn: b.establishedInPeriodId === null ? null : periodCode.get(b.establishedInPeriodId)!.code,
                reference: b.reference,
                note: b.note,
              }),
            ),
            targets: (targetsOf.get(ind.id) ?? []).map((t) =>
              present({ period: periodCode.get(t.periodId)!.code, grouping: optionalGrouping(t.groupingId), value: t.value }),
            ),
            denominators: denominatorsOf.has(ind.id)
              ? denominatorsOf
                  .get(ind.id)!
                  .map((d) => present({ grouping: optionalGrouping(d.groupingId), population: populationCode.get(d.referencePopulationId)!.code }))
              : null,
          }),
      ),
      paymentRules,
    }),
  };
}

function toOrganisation(o: OrganisationEntity): OrganisationDefinition {
  return present({ code: o.code, kind: o.kind, name: o.name, legalForm: o.legalForm, taxCode: o.taxCode });
}

function toPopulation(p: ReferencePopulationEntity): ReferencePopulationDefinition {
  return present({
    code: p.code,
    labelIt: p.labelIt,
    labelEn: p.labelEn,
    area: p.area,
    targetGroup: p.targetGroup,
    referenceDate: p.referenceDate,
    source: p.source,
    value: p.value,
  });
}

function toNode(n: ValueChainNodeEntity): NodeDefinition {
  return present({
    code: n.code,
    level: n.level,
    labelIt: n.labelIt,
    labelEn: n.labelEn,
    description: n.description,
    quantity: n.quantity,
    unit: n.unit,
    monetaryValue: n.monetaryValue,
    fundingSource: n.fundingSource,
  });
}
