import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { EntityManager, In } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import {
  Aggregation,
  DataOwner,
  Direction,
  Disaggregation,
  Frequency,
  IndicatorBaselineEntity,
  IndicatorDenominatorEntity,
  IndicatorEntity,
  IndicatorScope,
  IndicatorTargetEntity,
  IndicatorUnit,
} from 'src/indicators/indicator.entity';
import { ReferencePopulationEntity } from 'src/value-chain/reference-population.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';

// The frozen content of an indicator-set version. Everything is named by its code (indicator, node,
// period, grouping, population), so the snapshot reads like the contract document and survives
// renumbered ids; rows are sorted by period and grouping order, so the entry order of targets does
// not change the hash. Optional fields are omitted rather than null, as in the contract document.

export const INDICATOR_SET_FORMAT = 'ancora.indicator-set/1';

export interface IndicatorSnapshot {
  code: string;
  labelIt: string;
  labelEn: string | null;
  /** Code of the value-chain node the indicator hangs on. */
  node: string;
  unit: IndicatorUnit;
  direction: Direction;
  formula: { text: string; numerator?: string; denominator?: string } | null;
  instrument: string | null;
  dataOwner: DataOwner | null;
  frequency: Frequency;
  scope: IndicatorScope;
  aggregation: Aggregation;
  minSampleSize: number | null;
  disaggregations: Disaggregation[];
  baselines: { grouping: string | null; value: string | null; establishedIn?: string; reference?: string; note?: string }[];
  targets: { period: string; grouping: string | null; value: string }[];
  /** Reference populations divided by (coverage rate of need), with their number of people. */
  denominators: { grouping: string | null; population: string; value: string }[];
}

export interface IndicatorSetContent {
  format: typeof INDICATOR_SET_FORMAT;
  contract: { code: string; title: string };
  version: number;
  /** Code of the first period the version applies to. */
  effectiveFromPeriod: string;
  reason: string | null;
  minute: string | null;
  /** Codes of the provider groupings whose leads must approve, besides the municipality. */
  groupings: string[];
  indicators: IndicatorSnapshot[];
  /** The contract's `paymentRules` section as stored, or null. */
  paymentRules: unknown;
}

export interface VersionMeta {
  version: number;
  effectiveFromPeriodCode: string;
  reason: string | null;
  minute: string | null;
}

/** RFC 8785 canonical JSON and its SHA-256 (hex). */
export function canonicalHash(content: IndicatorSetContent): { json: string; hash: string } {
  const json = canonicalize(content);
  if (json === undefined) {
    throw new TypeError('indicator set content cannot be canonicalised');
  }
  return { json, hash: createHash('sha256').update(json, 'utf8').digest('hex') };
}

/** Builds the snapshot of a contract's current indicators, baselines, targets, denominators and payment rules. */
export async function snapshotIndicatorSet(m: EntityManager, contract: ContractEntity, meta: VersionMeta): Promise<IndicatorSetContent> {
  const periods = await m.find(ContractPeriodEntity, { where: { contractId: contract.id }, order: { position: 'ASC' } });
  const groupings = await m.find(ProviderGroupingEntity, { where: { contractId: contract.id }, order: { position: 'ASC' } });
  const indicators = await m.find(IndicatorEntity, { where: { contractId: contract.id }, order: { position: 'ASC', code: 'ASC' } });
  const ids = indicators.map((i) => i.id);
  const baselines = ids.length === 0 ? [] : await m.find(IndicatorBaselineEntity, { where: { indicatorId: In(ids) }, order: { position: 'ASC' } });
  const targets = ids.length === 0 ? [] : await m.find(IndicatorTargetEntity, { where: { indicatorId: In(ids) }, order: { position: 'ASC' } });
  const denominators = ids.length === 0 ? [] : await m.find(IndicatorDenominatorEntity, { where: { indicatorId: In(ids) }, order: { position: 'ASC' } });
  const nodeIds = [...new Set(indicators.map((i) => i.nodeId))];
  const nodes = nodeIds.length === 0 ? [] : await m.find(ValueChainNodeEntity, { where: { id: In(nodeIds) } });
  const populationIds = [...new Set(denominators.map((d) => d.referencePopulationId))];
  const populations = populationIds.length === 0 ? [] : await m.find(ReferencePopulationEntity, { where: { id: In(populationIds) } });

  const period = new Map(periods.map((p) => [p.id, p]));
  const grouping = new Map(groupings.map((g) => [g.id, g]));
  const node = new Map(nodes.map((n) => [n.id, n.code]));
  const population = new Map(populations.map((p) => [p.id, p]));
  const groupingCode = (id: string | null): string | null => (id === null ? null : (grouping.get(id)?.code ?? id));
  // Contract-wide rows (no grouping) first, then the groupings in contract order.
  const groupingOrder = (id: string | null): number => (id === null ? -1 : (grouping.get(id)?.position ?? Number.MAX_SAFE_INTEGER));
  const periodOrder = (id: string): number => period.get(id)?.position ?? Number.MAX_SAFE_INTEGER;

  return {
    format: INDICATOR_SET_FORMAT,
    contract: { code: contract.code, title: contract.title },
    version: meta.version,
    effectiveFromPeriod: meta.effectiveFromPeriodCode,
    reason: meta.reason,
    minute: meta.minute,
    groupings: groupings.map((g) => g.code),
    indicators: indicators.map((i) => ({
      code: i.code,
      labelIt: i.labelIt,
      labelEn: i.labelEn,
      node: node.get(i.nodeId) ?? i.nodeId,
      unit: i.unit,
      direction: i.direction,
      formula:
        i.formulaText === null
          ? null
          : {
              text: i.formulaText,
              ...(i.formulaNumerator === null ? {} : { numerator: i.formulaNumerator }),
              ...(i.formulaDenominator === null ? {} : { denominator: i.formulaDenominator }),
            },
      instrument: i.instrument,
      dataOwner: i.dataOwner,
      frequency: i.frequency,
      scope: i.scope,
      aggregation: i.aggregation,
      minSampleSize: i.minSampleSize,
      disaggregations: i.disaggregations.map((d) => ({ dimension: d.dimension, values: [...d.values] })),
      baselines: baselines
        .filter((b) => b.indicatorId === i.id)
        .sort((a, b) => groupingOrder(a.groupingId) - groupingOrder(b.groupingId))
        .map((b) => ({
          grouping: groupingCode(b.groupingId),
          value: b.value,
          ...(b.establishedInPeriodId === null ? {} : { establishedIn: period.get(b.establishedInPeriodId)?.code ?? b.establishedInPeriodId }),
          ...(b.reference === null ? {} : { reference: b.reference }),
          ...(b.note === null ? {} : { note: b.note }),
        })),
      targets: targets
        .filter((t) => t.indicatorId === i.id)
        .sort((a, b) => periodOrder(a.periodId) - periodOrder(b.periodId) || groupingOrder(a.groupingId) - groupingOrder(b.groupingId))
        .map((t) => ({ period: period.get(t.periodId)?.code ?? t.periodId, grouping: groupingCode(t.groupingId), value: t.value })),
      denominators: denominators
        .filter((d) => d.indicatorId === i.id)
        .sort((a, b) => groupingOrder(a.groupingId) - groupingOrder(b.groupingId))
        .map((d) => ({
          grouping: groupingCode(d.groupingId),
          population: population.get(d.referencePopulationId)?.code ?? d.referencePopulationId,
          value: population.get(d.referencePopulationId)?.value ?? '',
        })),
    })),
    paymentRules: contract.paymentRules === null ? null : (JSON.parse(contract.paymentRules) as unknown),
  };
}
