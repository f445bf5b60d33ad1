import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import type { RuleSetDocument, RuleSetTestCase } from 'src/rule-sets/rule-set.types';

// The Padova contract of contracts/examples, read once: its payment rules (the rule set the portfolio is
// settled with), its indicators as a binding version freezes them, and its rule-set test cases (the
// measurements of Cases A, B and D, which the generators vary).

interface PadovaDocument {
  contract: {
    code: string;
    title: string;
    indicators: PadovaIndicator[];
    paymentRules: RuleSetDocument;
  };
}

interface PadovaIndicator {
  code: string;
  node: string;
  labelIt: string;
  labelEn?: string;
  unit: IndicatorSnapshot['unit'];
  direction: IndicatorSnapshot['direction'];
  formula?: { text: string; numerator?: string; denominator?: string };
  instrument?: string;
  dataOwner?: IndicatorSnapshot['dataOwner'];
  frequency: IndicatorSnapshot['frequency'];
  scope: IndicatorSnapshot['scope'];
  aggregation: IndicatorSnapshot['aggregation'];
  minSampleSize?: number;
  disaggregations?: IndicatorSnapshot['disaggregations'];
  baselines: { grouping?: string; value?: string; establishedIn?: string; reference?: string; note?: string }[];
  targets: { period: string; grouping?: string; value: string }[];
}

export const PADOVA_FILE = join(__dirname, '..', 'contracts', 'examples', 'padova-sdc-2.0.json');

let cached: PadovaDocument | null = null;

function padova(): PadovaDocument {
  cached ??= JSON.parse(readFileSync(PADOVA_FILE, 'utf8')) as PadovaDocument;
  return cached;
}

export function padovaRules(): RuleSetDocument {
  return structuredClone(padova().contract.paymentRules);
}

export function padovaTestCases(): RuleSetTestCase[] {
  return structuredClone(padova().contract.paymentRules.tests ?? []);
}

/** The indicators as `snapshotIndicatorSet` freezes them (denominators left out: settlements do not read them). */
export function padovaIndicatorSnapshots(): IndicatorSnapshot[] {
  return padova().contract.indicators.map((i) => ({
    code: i.code,
    labelIt: i.labelIt,
    labelEn: i.labelEn ?? null,
    node: i.node,
    unit: i.unit,
    direction: i.direction,
    formula: i.formula ?? null,
    instrument: i.instrument ?? null,
    dataOwner: i.dataOwner ?? null,
    frequency: i.frequency,
    scope: i.scope,
    aggregation: i.aggregation,
    minSampleSize: i.minSampleSize ?? null,
    disaggregations: (i.disaggregations ?? []).map((d) => ({ dimension: d.dimension, values: [...d.values] })),
    // The document leaves out what a snapshot writes as null (a city-wide row, a baseline still to be measured).
    baselines: i.baselines.map((b) => ({ ...b, grouping: b.grouping ?? null, value: b.value ?? null })),
    targets: i.targets.map((t) => ({ period: t.period, grouping: t.grouping ?? null, value: t.value })),
    denominators: [],
  }));
}
