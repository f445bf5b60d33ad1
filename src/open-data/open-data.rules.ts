import type { IndicatorUnit } from 'src/indicators/indicator.entity';
import type { OrgData } from 'src/open-data/open-data.model';
import { Cell, suppressSmallNumbers, SuppressedCell } from 'src/open-data/suppression';
import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';

// Small pure rules shared by the IATI and OCDS builders.

/** Italian codice fiscale as an org-id.guide identifier (IT-CF); null when the organisation has none. */
export function taxCodeRef(org: OrgData): string | null {
  return org.taxCode === null ? null : `IT-CF-${org.taxCode}`;
}

export interface PublishedParts {
  dimension: string;
  published: Cell[];
  suppressed: SuppressedCell[];
}

/**
 * The parts of a grouping's actual, dimension by dimension in the declared order of their values.
 * Counts of people (unit COUNT) go through suppressSmallNumbers; the parts of SUM and UNIQUE indicators
 * relate to the published total, so complementary cells are suppressed too. Other units are published
 * as they are (rates, scores, money are not counts of people).
 */
export function publishedParts(indicator: Pick<IndicatorSnapshot, 'unit' | 'aggregation' | 'disaggregations'>, parts: Record<string, Record<string, string>>, suppressBelow: number): PublishedParts[] {
  const declared = new Map(indicator.disaggregations.map((d) => [d.dimension, d.values]));
  return Object.keys(parts)
    .sort((a, b) => indexOr(indicator.disaggregations.map((d) => d.dimension), a) - indexOr(indicator.disaggregations.map((d) => d.dimension), b) || a.localeCompare(b))
    .map((dimension) => {
      const order = declared.get(dimension) ?? [];
      const cells = Object.entries(parts[dimension])
        .map(([key, value]) => ({ key, value }))
        .sort((a, b) => indexOr(order, a.key) - indexOr(order, b.key) || a.key.localeCompare(b.key));
      if (indicator.unit !== 'COUNT') return { dimension, published: cells, suppressed: [] };
      return { dimension, ...suppressSmallNumbers(cells, suppressBelow, { relatedToTotal: indicator.aggregation !== 'NONE' }) };
    });
}

function indexOr(list: readonly string[], item: string): number {
  const i = list.indexOf(item);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** Describes what was suppressed, e.g. "TARGET_GROUP: OVER60, UNDER60", or null when nothing was. */
export function suppressedSummary(parts: readonly PublishedParts[]): string | null {
  const hidden = parts.filter((p) => p.suppressed.length > 0).map((p) => `${p.dimension}: ${p.suppressed.map((s) => s.key).join(', ')}`);
  return hidden.length === 0 ? null : hidden.join('; ');
}

/** The year a baseline refers to: its reference when that is a year, else the start of the period it was established in, else the contract's start. */
export function baselineYear(baseline: { reference?: string; establishedIn?: string }, periodStart: (code: string) => string | undefined, contractStart: string): string {
  if (baseline.reference !== undefined && /^\d{4}$/.test(baseline.reference)) return baseline.reference;
  const start = baseline.establishedIn === undefined ? undefined : periodStart(baseline.establishedIn);
  return (start ?? contractStart).slice(0, 4);
}

/** IATI IndicatorMeasure: 1 unit, 2 percentage, 4 ordinal (scores on a scale). */
export function iatiMeasure(unit: IndicatorUnit): '1' | '2' | '4' {
  switch (unit) {
    case 'PERCENT':
      return '2';
    case 'SCORE':
      return '4';
    case 'COUNT':
    case 'RATIO':
    case 'EUR':
    case 'HOURS':
    case 'DAYS':
    case 'FTE':
      return '1';
  }
}

/** IATI ActivityStatus from the contracts' dates: 1 pipeline (not started), 2 implementation, 3 finalisation (all ended). */
export function activityStatus(contracts: readonly { startDate: string; endDate: string }[], today: string): '1' | '2' | '3' {
  if (contracts.length === 0 || contracts.every((c) => today < c.startDate)) return '1';
  if (contracts.every((c) => today > c.endDate)) return '3';
  return '2';
}
