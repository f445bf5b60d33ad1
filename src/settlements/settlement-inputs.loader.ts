import { EntityManager, In } from 'typeorm';
import type { BindingIndicatorSet } from 'src/co-definition/indicator-set.resolver';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingFeeEntity, GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { MeasurementEntity, MeasurementVersionEntity } from 'src/measurements/measurement.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import type { RuleSetTestContext } from 'src/rule-sets/rule-set.test-runner';
import { DEFAULT_ROUNDING, type RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { indicatorInput, type MeasurementRow } from 'src/settlements/engine/indicator-inputs';
import { factsFor, withPoolRequests } from 'src/settlements/engine/settlement-engine';
import type { SettlementInputs } from 'src/settlements/settlement-document';
import { EvaluationRecordEntity, SettlementEntity } from 'src/settlements/settlement.entity';

// Reads, inside the caller's transaction, everything a contract period's settlement depends on and turns it
// into one SettlementInputs per grouping (contract order): the binding version's indicators with baselines
// and targets, the ACCEPTED measurement versions aggregated per grouping, fees, members with their codes,
// the latest evaluation record per payer, the payable amounts of earlier approved settlements, and the
// pool requests. Nothing here computes money: the engine does.

export interface ContractFrame {
  contract: SettlementInputs['contract'];
  periods: (SettlementInputs['period'] & { id: string })[];
  groupings: { id: string; code: string; name: string; fees: { period: string; amount: string }[]; members: SettlementInputs['grouping']['members'] }[];
  /** Member organisation id -> code. */
  organisationCodes: Map<string, string>;
}

export async function loadContractFrame(m: EntityManager, contract: ContractEntity): Promise<ContractFrame> {
  const municipality = await m.findOneByOrFail(OrganisationEntity, { id: contract.municipalityId });
  const periods = await m.find(ContractPeriodEntity, { where: { contractId: contract.id }, order: { position: 'ASC' } });
  const groupings = await m.find(ProviderGroupingEntity, { where: { contractId: contract.id }, order: { position: 'ASC' } });
  const gids = groupings.map((g) => g.id);
  const members = gids.length === 0 ? [] : await m.find(GroupingMemberEntity, { where: { groupingId: In(gids) }, order: { position: 'ASC' } });
  const fees = gids.length === 0 ? [] : await m.find(GroupingFeeEntity, { where: { groupingId: In(gids) } });
  const orgIds = [...new Set(members.map((x) => x.organisationId))];
  const orgs = new Map((orgIds.length === 0 ? [] : await m.findBy(OrganisationEntity, { id: In(orgIds) })).map((o) => [o.id, o]));
  const periodCode = new Map(periods.map((p) => [p.id, p.code]));
  return {
    contract: { code: contract.code, title: contract.title, currency: contract.currency, municipality: { code: municipality.code, name: municipality.name } },
    periods: periods.map((p) => ({ id: p.id, code: p.code, startDate: p.startDate, endDate: p.endDate, position: p.position })),
    groupings: groupings.map((g) => ({
      id: g.id,
      code: g.code,
      name: g.name,
      fees: fees.filter((f) => f.groupingId === g.id).map((f) => ({ period: periodCode.get(f.periodId) ?? f.periodId, amount: f.amount })),
      members: members
        .filter((x) => x.groupingId === g.id)
        .map((x) => ({
          code: orgs.get(x.organisationId)?.code ?? x.organisationId,
          name: orgs.get(x.organisationId)?.name ?? x.organisationId,
          executionShare: x.executionShare,
          lead: x.role === 'MANDATARIA',
        })),
    })),
    organisationCodes: new Map([...orgs.values()].map((o) => [o.id, o.code])),
  };
}

/** The context a rule set's test cases run in: the contract's groupings, fees, members and periods with some indicators. */
export function testContext(frame: ContractFrame, indicatorSet: RuleSetTestContext['indicatorSet'], indicators: RuleSetTestContext['indicators']): RuleSetTestContext {
  return {
    contract: frame.contract,
    indicatorSet,
    indicators,
    periods: frame.periods.map((p) => ({ code: p.code, startDate: p.startDate, endDate: p.endDate, position: p.position })),
    groupings: frame.groupings,
  };
}

async function acceptedRows(m: EntityManager, contractId: string, periodId: string, orgCodes: Map<string, string>): Promise<Map<string, MeasurementRow[]>> {
  const measurements = await m.find(MeasurementEntity, { where: { contractId, periodId, status: 'ACCEPTED' } });
  const byKey = new Map<string, MeasurementRow[]>();
  if (measurements.length === 0) return byKey;
  const versions = await m.find(MeasurementVersionEntity, { where: { measurementId: In(measurements.map((x) => x.id)) } });
  const current = new Map(versions.map((v) => [`${v.measurementId}#${v.version}`, v]));
  for (const x of measurements) {
    const v = current.get(`${x.id}#${x.version}`);
    if (v === undefined) continue;
    const key = `${x.groupingId}|${x.indicatorCode}`;
    const list = byKey.get(key) ?? [];
    list.push({
      measurementId: x.id,
      version: v.version,
      organisation: orgCodes.get(x.organisationId) ?? x.organisationId,
      value: v.value,
      numerator: v.numerator,
      denominator: v.denominator,
      sampleSize: v.sampleSize,
      notAssessable: v.notAssessable,
      disaggregations: v.disaggregations,
    });
    byKey.set(key, list);
  }
  return byKey;
}

export async function loadSettlementInputs(
  m: EntityManager,
  contract: ContractEntity,
  periodId: string,
  binding: BindingIndicatorSet,
  rules: RuleSetDocument,
): Promise<{ frame: ContractFrame; inputs: SettlementInputs[] }> {
  const frame = await loadContractFrame(m, contract);
  const period = frame.periods.find((p) => p.id === periodId);
  if (period === undefined) throw new TypeError(`period ${periodId} is not in contract ${contract.id}`);
  const rows = await acceptedRows(m, contract.id, periodId, frame.organisationCodes);
  const records = await m.find(EvaluationRecordEntity, { where: { contractId: contract.id, periodId }, order: { createdAt: 'ASC', id: 'ASC' } });
  const earlier = await m.find(SettlementEntity, { where: { contractId: contract.id, state: 'APPROVED' } });
  const position = new Map(frame.periods.map((p) => [p.id, p]));

  const inputs = frame.groupings.map((g): SettlementInputs => {
    const indicators = binding.indicators.map((ind) => indicatorInput(ind, period.code, g.code, rows.get(`${g.id}|${ind.code}`) ?? []));
    const evaluations: SettlementInputs['evaluations'] = {};
    for (const r of records.filter((x) => x.groupingId === g.id)) {
      evaluations[r.payerKey] = { recordId: r.id, significant: r.significant, certifiedSavings: r.certifiedSavings };
    }
    const settledBefore = earlier
      .filter((s) => s.groupingId === g.id && (position.get(s.periodId)?.position ?? Number.MAX_SAFE_INTEGER) < period.position)
      .sort((a, b) => (position.get(a.periodId)?.position ?? 0) - (position.get(b.periodId)?.position ?? 0))
      .map((s) => ({ period: position.get(s.periodId)?.code ?? s.periodId, settlementId: s.id, payable: s.payable }));
    const periodView = { code: period.code, startDate: period.startDate, endDate: period.endDate, position: period.position };
    return {
      contract: frame.contract,
      period: periodView,
      grouping: { code: g.code, name: g.name, fee: g.fees.find((f) => f.period === period.code)?.amount ?? null, members: g.members },
      indicatorSet: { version: binding.version, contentHash: binding.contentHash },
      ruleSet: rules,
      rounding: rules.rounding ?? DEFAULT_ROUNDING,
      indicators,
      facts: factsFor(indicators),
      evaluations,
      settledBefore,
      pool: null,
    };
  });
  return { frame, inputs: withPoolRequests(inputs, rules.poolCap ?? null) };
}
