import { EntityManager, In } from 'typeorm';
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

/**
 * The binding version in force for a period: the latest BINDING version whose effective-from period is
 * not after it. Null when the period is not one of the contract's or no binding version covers it yet.
 * Takes the caller's EntityManager (inside its transaction or read): it never opens one of its own.
 */
export async function indicatorSetInForce(m: EntityManager, contractId: string, periodId: string): Promise<BindingIndicatorSet | null> {
  const period = await m.findOneBy(ContractPeriodEntity, { id: periodId, contractId });
  if (!period) {
    return null;
  }
  const binding = await m.find(IndicatorSetVersionEntity, {
    where: { contractId, state: 'BINDING' },
    order: { version: 'DESC' },
    select: { id: true, version: true, effectiveFromPeriodId: true },
  });
  if (binding.length === 0) {
    return null;
  }
  const starts = await m.find(ContractPeriodEntity, {
    where: { id: In([...new Set(binding.map((v) => v.effectiveFromPeriodId))]) },
    select: { id: true, position: true },
  });
  const startPosition = new Map(starts.map((p) => [p.id, p.position]));
  const inForce = binding.find((v) => (startPosition.get(v.effectiveFromPeriodId) ?? Number.MAX_SAFE_INTEGER) <= period.position);
  if (!inForce) {
    return null;
  }
  const version = await m.findOneByOrFail(IndicatorSetVersionEntity, { id: inForce.id });
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
