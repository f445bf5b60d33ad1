import { EntityManager, In } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { GroupingFeeEntity, GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { IndicatorBaselineEntity, IndicatorEntity, IndicatorTargetEntity } from 'src/indicators/indicator.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import type { RuleSetContext } from 'src/rule-sets/rule-set.problems';

// What a contract holds now, as rule-set validation needs it (src/rule-sets/rule-set.validation.ts): its
// current indicators with baselines, targets and survey minimums, its groupings with their fees and
// members' codes, its periods, and which of the organisations a rule set names as evaluation payers exist.
// Read inside the caller's transaction.

/** The evaluation payers' organisation codes a (not yet validated) rule set names, to look up. */
export function payerCodesOf(rules: unknown): string[] {
  const payers = (rules as { evaluationPayers?: unknown } | null)?.evaluationPayers;
  if (!Array.isArray(payers)) return [];
  const codes = payers.map((p: unknown) => (typeof p === 'object' && p !== null ? (p as { payer?: unknown }).payer : undefined));
  return [...new Set(codes.filter((c): c is string => typeof c === 'string'))];
}

export async function loadRuleSetContext(m: EntityManager, contractId: string, payerCodes: readonly string[]): Promise<RuleSetContext> {
  const byPosition = { order: { position: 'ASC' as const } };
  // One after the other: inside a transaction every query goes through the same connection.
  const periods = await m.find(ContractPeriodEntity, { where: { contractId }, ...byPosition });
  const groupings = await m.find(ProviderGroupingEntity, { where: { contractId }, ...byPosition });
  const indicators = await m.find(IndicatorEntity, { where: { contractId }, ...byPosition });
  const organisations = payerCodes.length === 0 ? [] : await m.find(OrganisationEntity, { where: { code: In([...payerCodes]) }, select: { id: true, code: true } });
  const groupingIds = groupings.map((g) => g.id);
  const indicatorIds = indicators.map((i) => i.id);
  const fees = groupingIds.length === 0 ? [] : await m.find(GroupingFeeEntity, { where: { groupingId: In(groupingIds) }, ...byPosition });
  const members = groupingIds.length === 0 ? [] : await m.find(GroupingMemberEntity, { where: { groupingId: In(groupingIds) }, ...byPosition });
  const memberIds = [...new Set(members.map((x) => x.organisationId))];
  const memberOrgs = memberIds.length === 0 ? [] : await m.find(OrganisationEntity, { where: { id: In(memberIds) }, select: { id: true, code: true } });
  const orgCode = new Map(memberOrgs.map((o) => [o.id, o.code]));
  const baselines = indicatorIds.length === 0 ? [] : await m.find(IndicatorBaselineEntity, { where: { indicatorId: In(indicatorIds) }, ...byPosition });
  const targets = indicatorIds.length === 0 ? [] : await m.find(IndicatorTargetEntity, { where: { indicatorId: In(indicatorIds) }, ...byPosition });
  const periodCode = new Map(periods.map((p) => [p.id, p.code]));
  const groupingCode = new Map(groupings.map((g) => [g.id, g.code]));
  const grouping = (id: string | null): string | null => (id === null ? null : (groupingCode.get(id) ?? null));
  return {
    indicators: indicators.map((ind) => ({
      code: ind.code,
      unit: ind.unit,
      direction: ind.direction,
      disaggregations: ind.disaggregations,
      aggregation: ind.aggregation,
      minSampleSize: ind.minSampleSize,
      baselines: baselines.filter((b) => b.indicatorId === ind.id).map((b) => ({ grouping: grouping(b.groupingId), value: b.value })),
      targets: targets
        .filter((t) => t.indicatorId === ind.id && periodCode.has(t.periodId))
        .map((t) => ({ period: periodCode.get(t.periodId)!, grouping: grouping(t.groupingId), value: t.value })),
    })),
    groupings: groupings.map((g) => ({
      code: g.code,
      fees: fees.filter((f) => f.groupingId === g.id && periodCode.has(f.periodId)).map((f) => ({ period: periodCode.get(f.periodId)!, amount: f.amount })),
      members: members.filter((x) => x.groupingId === g.id).map((x) => orgCode.get(x.organisationId) ?? x.organisationId),
    })),
    periods: periods.map((p) => p.code),
    organisations: organisations.map((o) => o.code),
  };
}
