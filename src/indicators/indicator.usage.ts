import { EntityManager } from 'typeorm';
import { ContractEntity } from 'src/contracts/contract.entity';
import { IndicatorEntity } from 'src/indicators/indicator.entity';
import { paymentRuleReferences } from 'src/indicators/indicator-usage.rules';
import { IndicatorError } from 'src/indicators/indicators.errors';
import { MeasurementEntity } from 'src/measurements/measurement.entity';

// What keeps an indicator of the working copy from being deleted (docs/co-definition.md, "Deleting an
// indicator"): measurements of its code (any state: they are never deleted, and name the indicator by
// code only) and the contract's payment rules naming it (a term, a condition's fact, a test case). The
// indicator-set versions do not: each carries its own snapshot of the indicators and rules, which
// measurements and settlements of its periods read, so deleting from the working copy is how an
// amendment drops an indicator.

export interface IndicatorUsage {
  /** Measurements of the indicator's code in the contract, in any state. */
  measurements: number;
  /** Where the contract's payment rules name it (`paymentRules.terms[0].indicator`, ...). */
  paymentRules: string[];
}

/** Read inside the deleting transaction, after the contract and indicator rows are locked. */
export async function readIndicatorUsage(m: EntityManager, indicator: IndicatorEntity, contract: ContractEntity): Promise<IndicatorUsage> {
  const measurements = await m.countBy(MeasurementEntity, { contractId: contract.id, indicatorCode: indicator.code });
  if (contract.paymentRules === null) return { measurements, paymentRules: [] };
  const indicators = await m.find(IndicatorEntity, { where: { contractId: contract.id }, select: { code: true, disaggregations: true } });
  return { measurements, paymentRules: paymentRuleReferences(JSON.parse(contract.paymentRules) as unknown, indicator, indicators) };
}

const LISTED = 3;

/** 409 INDICATOR_IN_USE, saying what uses it, when anything does. */
export function requireUnused(indicator: IndicatorEntity, usage: IndicatorUsage): void {
  const { measurements, paymentRules } = usage;
  if (measurements === 0 && paymentRules.length === 0) return;
  const uses: string[] = [];
  if (measurements > 0) uses.push(`has ${measurements} measurement${measurements === 1 ? '' : 's'}`);
  if (paymentRules.length > 0) {
    const more = paymentRules.length - LISTED;
    uses.push(`is named by the contract's payment rules at ${paymentRules.slice(0, LISTED).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  const remedy =
    measurements === 0
      ? 'remove it from the payment rules first'
      : `a measured indicator stays in the contract (measurements are never deleted)${paymentRules.length > 0 ? '; remove it from the payment rules to stop paying on it' : ''}`;
  throw new IndicatorError('INDICATOR_IN_USE', `Indicator ${indicator.code} ${uses.join(' and ')}: ${remedy}`, {
    id: indicator.id,
    code: indicator.code,
    measurements,
    paymentRules,
  });
}
