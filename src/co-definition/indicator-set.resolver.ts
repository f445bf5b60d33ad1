import { EntityManager } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
import { IndicatorSetContent, IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';

export type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';

/** The binding indicator set that governs a period: what measurements are validated against and settlements use. */
export interface BindingIndicatorSet {
  versionId: string;
  version: number;
  contentHash: string;
  effectiveFromPeriodCode: string;
  indicators: IndicatorSnapshot[];
  /** Codes of the groupings that approved it, besides the municipality. */
  groupings: string[];
  /** The contract's payment rules as frozen in this version (null when it had none). */
  paymentRules: unknown;
}

/** One period of a contract, in period order, with the binding version that governs it (null before any binds). */
export interface PeriodInForce {
  periodId: string;
  code: string;
  position: number;
  versionId: string | null;
}

type BindingStart = Pick<IndicatorSetVersionEntity, 'id' | 'version' | 'effectiveFromPeriodId'>;

/**
 * The rule: the version in force for a period is the latest BINDING version whose effective-from period is
 * not after it. So a later version effective from the same period (or earlier) replaces an earlier one for
 * every period, and that one governs none (it stays BINDING: its approvals stand).
 * `bindingNewestFirst` is sorted by version, descending; a start not among `positionOf` never applies.
 */
export function versionInForceAt<T extends BindingStart>(bindingNewestFirst: readonly T[], positionOf: ReadonlyMap<string, number>, position: number): T | undefined {
  return bindingNewestFirst.find((v) => (positionOf.get(v.effectiveFromPeriodId) ?? Number.MAX_SAFE_INTEGER) <= position);
}

/**
 * Every period of the contract with the binding version in force for it: two reads, whatever the number of
 * periods and versions. Takes the caller's EntityManager (inside its transaction or read).
 */
export async function periodsInForce(m: EntityManager, contractId: string): Promise<PeriodInForce[]> {
  const periods = await m.find(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' }, select: { id: true, code: true, position: true } });
  const binding = await m.find(IndicatorSetVersionEntity, {
    where: { contractId, state: 'BINDING' },
    order: { version: 'DESC' },
    select: { id: true, version: true, effectiveFromPeriodId: true },
  });
  const positionOf = new Map(periods.map((p) => [p.id, p.position]));
  return periods.map((p) => ({ periodId: p.id, code: p.code, position: p.position, versionId: versionInForceAt(binding, positionOf, p.position)?.id ?? null }));
}

/**
 * The binding version in force for a period (`versionInForceAt`). Null when the period is not one of the
 * contract's or no binding version covers it yet. Takes the caller's EntityManager (inside its transaction
 * or read): it never opens one of its own.
 */
export async function indicatorSetInForce(m: EntityManager, contractId: string, periodId: string): Promise<BindingIndicatorSet | null> {
  const versionId = (await periodsInForce(m, contractId)).find((p) => p.periodId === periodId)?.versionId;
  if (!versionId) {
    return null;
  }
  return toBindingIndicatorSet(await m.findOneByOrFail(IndicatorSetVersionEntity, { id: versionId }));
}

/** A binding version's frozen content, as settlements and measurements read it. */
export function toBindingIndicatorSet(version: IndicatorSetVersionEntity): BindingIndicatorSet {
  const content = JSON.parse(version.content) as IndicatorSetContent;
  return {
    versionId: version.id,
    version: version.version,
    contentHash: version.contentHash,
    effectiveFromPeriodCode: content.effectiveFromPeriod,
    indicators: content.indicators,
    groupings: content.groupings,
    paymentRules: content.paymentRules,
  };
}
