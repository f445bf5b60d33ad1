import { EntityManager, In, IsNull, Not } from 'typeorm';
import { toBindingIndicatorSet, versionInForceAt, type BindingIndicatorSet } from 'src/co-definition/indicator-set.resolver';
import { IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
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

// Reads everything a contract period's settlement depends on and turns it into one SettlementInputs per
// grouping (contract order): the binding version's indicators with baselines and targets, the accepted
// version of each measurement (the last accepted, in force while a correction is pending) per grouping, fees, members with their codes, the latest evaluation
// record per payer, the payable amounts of earlier approved settlements, and the pool requests with the
// period's approved settlements in force that differ from their share of them. Nothing
// here computes money: the engine does.
//
// The reads are set-wise: one query per table for any number of contracts (in chunks that stay under the
// databases' parameter limits), so a portfolio of 10,000 contracts costs a few dozen queries, not a few
// hundred thousand; one contract is the same path with one id.

export interface ContractFrame {
  contract: SettlementInputs['contract'];
  periods: (SettlementInputs['period'] & { id: string })[];
  groupings: { id: string; code: string; name: string; fees: { period: string; amount: string }[]; members: SettlementInputs['grouping']['members'] }[];
  /** Member organisation id -> code. */
  organisationCodes: Map<string, string>;
}

const CHUNK = 500;

async function chunked<T>(ids: readonly string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** The rows of some contracts that settlements read, fetched set-wise. */
export interface InputRows {
  organisations: Map<string, OrganisationEntity>;
  periods: Map<string, ContractPeriodEntity[]>;
  groupings: Map<string, ProviderGroupingEntity[]>;
  members: Map<string, GroupingMemberEntity[]>;
  fees: Map<string, GroupingFeeEntity[]>;
  /** Accepted measurement rows by `${groupingId}|${indicatorCode}`, for the requested period of each contract. */
  accepted: Map<string, MeasurementRow[]>;
  evaluations: Map<string, EvaluationRecordEntity[]>;
  /** Approved settlements (without their documents) by contract. */
  approved: Map<string, Pick<SettlementEntity, 'id' | 'groupingId' | 'periodId' | 'payable'>[]>;
  /** The latest settlement version (without its document) of each grouping for the requested period, by contract. */
  latest: Map<string, Map<string, SettlementEntity>>;
}

type FrameRows = Omit<InputRows, 'accepted' | 'evaluations' | 'approved' | 'latest'>;

/** Frames only (no period data): what rule-set tests and validation need. */
async function fetchFrames(m: EntityManager, contracts: readonly ContractEntity[]): Promise<FrameRows> {
  const ids = contracts.map((c) => c.id);
  const periods = await chunked(ids, (part) => m.find(ContractPeriodEntity, { where: { contractId: In(part) }, order: { position: 'ASC' } }));
  const groupings = await chunked(ids, (part) => m.find(ProviderGroupingEntity, { where: { contractId: In(part) }, order: { position: 'ASC' } }));
  const gids = groupings.map((g) => g.id);
  const members = await chunked(gids, (part) => m.find(GroupingMemberEntity, { where: { groupingId: In(part) }, order: { position: 'ASC' } }));
  const fees = await chunked(gids, (part) => m.find(GroupingFeeEntity, { where: { groupingId: In(part) } }));
  const orgIds = [...new Set([...members.map((x) => x.organisationId), ...contracts.map((c) => c.municipalityId)])];
  const organisations = await chunked(orgIds, (part) => m.findBy(OrganisationEntity, { id: In(part) }));
  return {
    organisations: new Map(organisations.map((o) => [o.id, o])),
    periods: groupBy(periods, (p) => p.contractId),
    groupings: groupBy(groupings, (g) => g.contractId),
    members: groupBy(members, (x) => x.groupingId),
    fees: groupBy(fees, (f) => f.groupingId),
  };
}

export async function fetchInputRows(m: EntityManager, contracts: readonly ContractEntity[], periodIds: ReadonlyMap<string, string>): Promise<InputRows> {
  const frames = await fetchFrames(m, contracts);
  const ids = contracts.map((c) => c.id);
  const wanted = new Set(ids.map((id) => `${id}|${periodIds.get(id) ?? ''}`));
  const measurements = (
    await chunked(ids, (part) =>
      m.find(MeasurementEntity, {
        // What counts is each measurement's accepted version, also while a correction of it is pending.
        where: { contractId: In(part), periodId: In([...new Set(part.map((id) => periodIds.get(id) ?? ''))]), acceptedVersion: Not(IsNull()) },
      }),
    )
  ).filter((x) => wanted.has(`${x.contractId}|${x.periodId}`));
  const versions = await chunked(
    measurements.map((x) => x.id),
    (part) => m.find(MeasurementVersionEntity, { where: { measurementId: In(part) } }),
  );
  const byVersion = new Map(versions.map((v) => [`${v.measurementId}#${v.version}`, v]));
  const accepted = new Map<string, MeasurementRow[]>();
  for (const x of measurements) {
    const v = byVersion.get(`${x.id}#${x.acceptedVersion}`);
    if (v === undefined) continue;
    const key = `${x.groupingId}|${x.indicatorCode}`;
    const list = accepted.get(key) ?? [];
    list.push({
      measurementId: x.id,
      version: v.version,
      organisation: frames.organisations.get(x.organisationId)?.code ?? x.organisationId,
      value: v.value,
      numerator: v.numerator,
      denominator: v.denominator,
      sampleSize: v.sampleSize,
      notAssessable: v.notAssessable,
      disaggregations: v.disaggregations,
    });
    accepted.set(key, list);
  }
  const evaluations = (
    await chunked(ids, (part) => m.find(EvaluationRecordEntity, { where: { contractId: In(part) }, order: { createdAt: 'ASC', id: 'ASC' } }))
  ).filter((r) => wanted.has(`${r.contractId}|${r.periodId}`));
  const approved = await chunked(ids, (part) =>
    m.find(SettlementEntity, {
      where: { contractId: In(part), state: 'APPROVED' },
      select: { id: true, contractId: true, groupingId: true, periodId: true, payable: true },
    }),
  );
  const settlementVersions = (
    await chunked(ids, (part) =>
      m.find(SettlementEntity, {
        where: { contractId: In(part), periodId: In([...new Set(part.map((id) => periodIds.get(id) ?? ''))]) },
        select: {
          id: true, contractId: true, periodId: true, groupingId: true, version: true, state: true, documentHash: true, indicatorSetVersionId: true,
          premium: true, payable: true, computedBy: true, computedByLabel: true, computedAt: true, approvedBy: true, approvedByLabel: true,
          approvedAt: true, previousId: true, reopenedBy: true, reopenReason: true, createdAt: true, updatedAt: true,
        },
        order: { version: 'ASC' },
      }),
    )
  ).filter((x) => wanted.has(`${x.contractId}|${x.periodId}`));
  const latest = new Map<string, Map<string, SettlementEntity>>();
  for (const [contractId, list] of groupBy(settlementVersions, (x) => x.contractId)) latest.set(contractId, new Map(list.map((x) => [x.groupingId, x])));
  return {
    ...frames,
    accepted,
    evaluations: groupBy(evaluations, (r) => r.contractId),
    approved: groupBy(approved, (x) => x.contractId),
    latest,
  };
}

export function frameOf(rows: FrameRows, contract: ContractEntity): ContractFrame {
  const municipality = rows.organisations.get(contract.municipalityId);
  const periods = rows.periods.get(contract.id) ?? [];
  const groupings = rows.groupings.get(contract.id) ?? [];
  const periodCode = new Map(periods.map((p) => [p.id, p.code]));
  const organisationCodes = new Map<string, string>();
  const frame: ContractFrame = {
    contract: { code: contract.code, title: contract.title, currency: contract.currency, municipality: { code: municipality?.code ?? '', name: municipality?.name ?? '' } },
    periods: periods.map((p) => ({ id: p.id, code: p.code, startDate: p.startDate, endDate: p.endDate, position: p.position })),
    groupings: groupings.map((g) => ({
      id: g.id,
      code: g.code,
      name: g.name,
      fees: (rows.fees.get(g.id) ?? []).map((f) => ({ period: periodCode.get(f.periodId) ?? f.periodId, amount: f.amount })),
      members: (rows.members.get(g.id) ?? []).map((x) => {
        const org = rows.organisations.get(x.organisationId);
        if (org) organisationCodes.set(org.id, org.code);
        return { code: org?.code ?? x.organisationId, name: org?.name ?? x.organisationId, executionShare: x.executionShare, lead: x.role === 'MANDATARIA' };
      }),
    })),
    organisationCodes,
  };
  return frame;
}

export async function loadContractFrame(m: EntityManager, contract: ContractEntity): Promise<ContractFrame> {
  return frameOf(await fetchFrames(m, [contract]), contract);
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

/** One SettlementInputs per grouping of a contract period, from rows already fetched (pure). */
export function assembleInputs(
  rows: InputRows,
  contract: ContractEntity,
  periodId: string,
  binding: BindingIndicatorSet,
  rules: RuleSetDocument,
): { frame: ContractFrame; inputs: SettlementInputs[] } {
  const frame = frameOf(rows, contract);
  const period = frame.periods.find((p) => p.id === periodId);
  if (period === undefined) throw new TypeError(`period ${periodId} is not in contract ${contract.id}`);
  const records = rows.evaluations.get(contract.id) ?? [];
  const earlier = rows.approved.get(contract.id) ?? [];
  const position = new Map(frame.periods.map((p) => [p.id, p]));
  const periodView = { code: period.code, startDate: period.startDate, endDate: period.endDate, position: period.position };

  const inputs = frame.groupings.map((g): SettlementInputs => {
    const indicators = binding.indicators.map((ind) => indicatorInput(ind, period.code, g.code, rows.accepted.get(`${g.id}|${ind.code}`) ?? []));
    const evaluations: SettlementInputs['evaluations'] = {};
    for (const r of records.filter((x) => x.groupingId === g.id && x.periodId === periodId)) {
      evaluations[r.payerKey] = { recordId: r.id, significant: r.significant, certifiedSavings: r.certifiedSavings };
    }
    const settledBefore = earlier
      .filter((s) => s.groupingId === g.id && (position.get(s.periodId)?.position ?? Number.MAX_SAFE_INTEGER) < period.position)
      .sort((a, b) => (position.get(a.periodId)?.position ?? 0) - (position.get(b.periodId)?.position ?? 0))
      .map((s) => ({ period: position.get(s.periodId)?.code ?? s.periodId, settlementId: s.id, payable: s.payable }));
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
  // The approved settlements in force for this period: a grouping reopened after data changed is not paid
  // more than the pool cap leaves beside them (settlement-engine.ts `withPoolRequests`).
  const codes = new Map(frame.groupings.map((g) => [g.id, g.code]));
  const inForce = earlier
    .filter((s) => s.periodId === periodId && codes.has(s.groupingId))
    .map((s) => ({ grouping: codes.get(s.groupingId) as string, settlementId: s.id, payable: s.payable }));
  return { frame, inputs: withPoolRequests(inputs, rules.poolCap ?? null, inForce) };
}

export async function loadSettlementInputs(
  m: EntityManager,
  contract: ContractEntity,
  periodId: string,
  binding: BindingIndicatorSet,
  rules: RuleSetDocument,
): Promise<{ frame: ContractFrame; inputs: SettlementInputs[] }> {
  const rows = await fetchInputRows(m, [contract], new Map([[contract.id, periodId]]));
  return assembleInputs(rows, contract, periodId, binding, rules);
}

/**
 * The binding indicator-set version in force for a period of each contract (as `indicatorSetInForce`,
 * set-wise): the latest BINDING version whose effective-from period is not after it. Contracts without
 * one are absent from the map.
 */
export async function bindingsInForce(m: EntityManager, rows: Pick<InputRows, 'periods'>, periodIds: ReadonlyMap<string, string>): Promise<Map<string, BindingIndicatorSet>> {
  const ids = [...periodIds.keys()];
  const versions = await chunked(ids, (part) =>
    m.find(IndicatorSetVersionEntity, {
      where: { contractId: In(part), state: 'BINDING' },
      select: { id: true, contractId: true, version: true, effectiveFromPeriodId: true },
      order: { version: 'DESC' },
    }),
  );
  const chosen = new Map<string, string>();
  for (const [contractId, list] of groupBy(versions, (v) => v.contractId)) {
    const position = new Map((rows.periods.get(contractId) ?? []).map((p) => [p.id, p.position]));
    const target = position.get(periodIds.get(contractId) ?? '');
    if (target === undefined) continue;
    const inForce = versionInForceAt(list, position, target);
    if (inForce) chosen.set(contractId, inForce.id);
  }
  const full = await chunked([...chosen.values()], (part) => m.find(IndicatorSetVersionEntity, { where: { id: In(part) } }));
  return new Map(full.map((version) => [version.contractId, toBindingIndicatorSet(version)]));
}
