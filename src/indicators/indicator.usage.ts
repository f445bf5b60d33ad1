import { EntityManager } from 'typeorm';
import { ContractEntity } from 'src/contracts/contract.entity';
import { IndicatorEntity } from 'src/indicators/indicator.entity';
import { paymentRuleReferences, removedCategoryReferences } from 'src/indicators/indicator-usage.rules';
import { IndicatorError } from 'src/indicators/indicators.errors';
import { MeasurementEntity } from 'src/measurements/measurement.entity';

// What keeps an indicator of the working copy from being deleted, or given another code, unit or direction
// (docs/co-definition.md, "Deleting, renaming or redefining an indicator"): measurements of its code (any
// state: they are never deleted, and name the indicator by code only) and the contract's payment rules naming
// it (a term, a condition's fact, a test case). Its unit and direction say what its values, baselines,
// targets and the rules' thresholds mean. Its disaggregations may change while it is in use, except for
// dropping a category the rules name; free text (labels, formula, instrument) changes freely. The
// indicator-set versions do not count: each carries its own snapshot of the indicators and rules, which
// measurements and settlements of its periods read, so deleting from the working copy is how an amendment
// drops an indicator.

export interface IndicatorUsage {
  /** Measurements of the indicator's code in the contract, in any state. */
  measurements: number;
  /** Where the contract's payment rules name it (`paymentRules.terms[0].indicator`, ...). */
  paymentRules: string[];
}

/** What a PATCH may not change while the indicator is in use: measurements and rules name it by its code, and read its values in its unit and direction. */
export const FIXED_WHILE_IN_USE = ['code', 'unit', 'direction'] as const;
export type FixedWhileInUse = (typeof FIXED_WHILE_IN_USE)[number];

/** The fields of FIXED_WHILE_IN_USE that `next` changes (sending the stored value again is no change). */
export function changedFixedFields(current: Pick<IndicatorEntity, FixedWhileInUse>, next: Pick<IndicatorEntity, FixedWhileInUse>): FixedWhileInUse[] {
  return FIXED_WHILE_IN_USE.filter((field) => next[field] !== current[field]);
}

/**
 * Whether a PATCH touches what the usage guards (code, unit, direction, disaggregations): the service then
 * locks the contract row first, as in a deletion, so rules naming the indicator or a category cannot be
 * saved between requireChangeAllowed and the save.
 */
export function changeReadsUsage(change: Partial<Record<FixedWhileInUse | 'disaggregations', unknown>>): boolean {
  return [...FIXED_WHILE_IN_USE, 'disaggregations' as const].some((field) => change[field] !== undefined);
}

/** 409 INDICATOR_IN_USE (requireUnused) unless nothing uses the indicator. Call with the contract and indicator rows locked. */
export async function requireDeletable(m: EntityManager, indicator: IndicatorEntity, contract: ContractEntity): Promise<void> {
  requireUnused(indicator, await readIndicatorUsage(m, indicator, contract));
}

/**
 * 409 INDICATOR_IN_USE when `next` (the indicator as a PATCH would save it) gives `current` another code,
 * unit or direction while it is in use, or (`disaggregationsGiven`) drops a category the payment rules
 * name. Call with the contract and indicator rows locked (changeReadsUsage).
 */
export async function requireChangeAllowed(
  m: EntityManager,
  current: IndicatorEntity,
  next: IndicatorEntity,
  contract: ContractEntity,
  disaggregationsGiven: boolean,
): Promise<void> {
  const fixed = changedFixedFields(current, next);
  if (fixed.length > 0) {
    requireUnused(current, await readIndicatorUsage(m, current, contract), fixed);
  }
  if (disaggregationsGiven) {
    await requireCategoriesUnnamed(m, current, next.disaggregations, contract);
  }
}

/** Read inside the deleting or renaming transaction, after the contract and indicator rows are locked. */
async function readIndicatorUsage(m: EntityManager, indicator: IndicatorEntity, contract: ContractEntity): Promise<IndicatorUsage> {
  const measurements = await m.countBy(MeasurementEntity, { contractId: contract.id, indicatorCode: indicator.code });
  if (contract.paymentRules === null) return { measurements, paymentRules: [] };
  const indicators = await contractIndicators(m, contract.id);
  return { measurements, paymentRules: paymentRuleReferences(JSON.parse(contract.paymentRules) as unknown, indicator, indicators) };
}

const LISTED = 3;

/**
 * 409 INDICATOR_IN_USE, saying what uses it, when anything does: deleting it, or changing the fields listed
 * (its code, unit, direction), each then a `details.fields` entry.
 */
export function requireUnused(indicator: IndicatorEntity, usage: IndicatorUsage, change: 'delete' | readonly FixedWhileInUse[] = 'delete'): void {
  const { measurements, paymentRules } = usage;
  if (measurements === 0 && paymentRules.length === 0) return;
  const uses: string[] = [];
  if (measurements > 0) uses.push(`has ${measurements} measurement${measurements === 1 ? '' : 's'}`);
  if (paymentRules.length > 0) uses.push(`is named by the contract's payment rules at ${listed(paymentRules)}`);
  const details = { id: indicator.id, code: indicator.code, measurements, paymentRules };
  if (change !== 'delete') {
    const names = andList(change);
    throw new IndicatorError('INDICATOR_IN_USE', `The ${names} of indicator ${indicator.code} cannot change while it ${uses.join(' and ')}: ${changeRemedy(change, measurements)}`, {
      ...details,
      fields: change.map((field) => ({ field, message: `cannot change while ${indicator.code} is in use (measured or named by the payment rules)` })),
    });
  }
  const remedy =
    measurements === 0
      ? 'remove it from the payment rules first'
      : `a measured indicator stays in the contract (measurements are never deleted)${paymentRules.length > 0 ? '; remove it from the payment rules to stop paying on it' : ''}`;
  throw new IndicatorError('INDICATOR_IN_USE', `Indicator ${indicator.code} ${uses.join(' and ')}: ${remedy}`, details);
}

/**
 * 409 INDICATOR_IN_USE when `next` drops a disaggregation category (`TARGET_GROUP.UNDER60`) of `current`
 * that the contract's payment rules name, in a condition fact or a test case's measured part: the rules
 * would no longer validate. Adding categories, reordering, and dropping ones nothing names are fine.
 */
async function requireCategoriesUnnamed(
  m: EntityManager,
  current: IndicatorEntity,
  next: IndicatorEntity['disaggregations'],
  contract: ContractEntity,
): Promise<void> {
  if (contract.paymentRules === null) return;
  const indicators = await contractIndicators(m, contract.id);
  const { categories, facts, paths } = removedCategoryReferences(JSON.parse(contract.paymentRules) as unknown, current, next, indicators);
  if (categories.length === 0) return;
  const names = categories.map((c) => `${c.dimension}.${c.value}`);
  const [noun, it] = names.length === 1 ? ['category', 'it'] : ['categories', 'them'];
  throw new IndicatorError(
    'INDICATOR_IN_USE',
    `Indicator ${current.code}'s disaggregation ${noun} ${names.join(', ')} cannot be removed: ` +
      `the contract's payment rules name ${it} at ${listed(paths)}: remove ${it} from the payment rules first`,
    { id: current.id, code: current.code, categories: names, facts, paymentRules: paths, fields: categoryFields(categories, next) },
  );
}

/** One entry per body field: `disaggregations[i].values` when the dimension is kept at i, `disaggregations` when it is gone. */
function categoryFields(categories: readonly { dimension: string; value: string }[], next: IndicatorEntity['disaggregations']): { field: string; message: string }[] {
  const byField = new Map<string, string[]>();
  for (const { dimension, value } of categories) {
    const i = next.findIndex((d) => d.dimension === dimension);
    const field = i < 0 ? 'disaggregations' : `disaggregations[${i}].values`;
    byField.set(field, [...(byField.get(field) ?? []), `${dimension}.${value}`]);
  }
  return [...byField].map(([field, named]) => ({ field, message: `must keep ${named.join(', ')}: named by the payment rules` }));
}

function changeRemedy(change: readonly FixedWhileInUse[], measurements: number): string {
  if (change.includes('code')) {
    // Measurements name the indicator by code only: renaming a measured one would cut it off from them.
    return measurements === 0
      ? 'remove it from the payment rules first, then rename it and name the new code in the rules'
      : 'measurements name an indicator by its code and are never deleted, so a measured indicator keeps its code';
  }
  // A new unit or direction would reread every measurement taken, and the baselines, targets and thresholds
  // agreed, in another meaning.
  const names = andList(change);
  return measurements === 0
    ? `remove it from the payment rules first, then change its ${names} and name it in the rules again`
    : `its measurements, baselines and targets are read in this ${names} and measurements are never deleted, so a measured indicator keeps its ${names}: a different measure is a new indicator with its own code`;
}

/** `unit`, `unit and direction`, `code, unit and direction`. */
function andList(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function listed(paths: readonly string[]): string {
  const more = paths.length - LISTED;
  return `${paths.slice(0, LISTED).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function contractIndicators(m: EntityManager, contractId: string): Promise<IndicatorEntity[]> {
  return m.find(IndicatorEntity, { where: { contractId }, select: { code: true, disaggregations: true } });
}
