import { hashOf } from 'src/settlements/engine/settlement-manifest';
import type { SettlementInputs } from 'src/settlements/settlement-document';

// Why a draft is stale at approval (409 SETTLEMENT_STALE, docs/settlements.md "Approving a stale draft"):
// the parts of its stored `inputs` that differ from the inputs the period has now, named by their path in
// the document so anyone can compare them. Each part is hashed on its own (RFC 8785 + SHA-256, as the
// manifest), and only once the whole inputs hash differed. Example: RTI-B's late IND-05 is accepted after
// Y2 was drafted: RTI-B's draft reports ['indicators', 'facts', 'pool'] with indicators ['IND-05'], RTI-A's
// ['pool'] (under a pool cap RTI-B's larger request changes RTI-A's share).

/** Stable part names, in document order, with what each says to the approver. */
export const INPUT_PARTS = {
  contract: "the contract's code, title, currency or municipality",
  period: "the period's code or dates",
  grouping: "the grouping's code or name",
  'grouping.fee': "the grouping's fee for the period",
  'grouping.members': "the grouping's members or their execution shares",
  indicatorSet: 'the indicator-set version in force for the period',
  ruleSet: 'the payment rules',
  rounding: 'the rounding',
  indicators: 'indicator values (accepted measurements, baselines or targets)',
  facts: 'the facts the conditions read',
  evaluations: 'the evaluation records',
  settledBefore: 'earlier approved settlements (the payables settled before this period)',
  pool: "the pool (the other groupings' requested payables, or their approved settlements for this period)",
} as const;
export type InputPart = keyof typeof INPUT_PARTS;

export interface StaleInputs {
  /** Parts of `inputs` that differ (INPUT_PARTS names; a top-level key unknown here by its own name). */
  changed: string[];
  /** With `indicators`: the codes whose entry differs, is new or is gone. */
  indicators: string[];
}

/**
 * What differs between a draft's stored inputs and the current ones. `undefined`: the period no longer
 * settles the grouping (not reached today: a grouping with settlements cannot be deleted).
 */
export function staleInputs(stored: SettlementInputs, current: SettlementInputs | undefined): StaleInputs {
  if (current === undefined) return { changed: ['grouping'], indicators: [] };
  const was = partsOf(stored);
  const now = partsOf(current);
  const names = [...new Set([...Object.keys(INPUT_PARTS), ...was.keys(), ...now.keys()])];
  const changed = names.filter((name) => (was.has(name) || now.has(name)) && hashOf(was.get(name) ?? null) !== hashOf(now.get(name) ?? null));
  return { changed, indicators: changed.includes('indicators') ? changedIndicators(stored.indicators, current.indicators) : [] };
}

/** "Since this draft was computed, indicator values (...) of IND-05 and the pool (...) changed: recompute it before approving". */
export function staleMessage(stale: StaleInputs): string {
  // Facts are built from the indicator values: naming both would say one thing twice.
  const said = stale.changed.filter((name) => !(name === 'facts' && stale.changed.includes('indicators')));
  const phrases = said.map((name) => {
    const text = name in INPUT_PARTS ? INPUT_PARTS[name as InputPart] : `inputs.${name}`;
    return name === 'indicators' && stale.indicators.length > 0 ? `${text} of ${stale.indicators.join(', ')}` : text;
  });
  return `Since this draft was computed, ${joined(phrases)} changed: recompute it before approving`;
}

function partsOf(inputs: SettlementInputs): Map<string, unknown> {
  const parts = new Map<string, unknown>();
  for (const [key, value] of Object.entries(inputs) as [string, unknown][]) {
    if (key !== 'grouping' && value !== undefined) parts.set(key, value);
  }
  const { fee, members, ...identity } = inputs.grouping;
  parts.set('grouping', identity);
  parts.set('grouping.fee', fee ?? null);
  parts.set('grouping.members', members);
  return parts;
}

function changedIndicators(was: readonly { code: string }[], now: readonly { code: string }[]): string[] {
  const before = new Map(was.map((i) => [i.code, hashOf(i)]));
  const after = new Map(now.map((i) => [i.code, hashOf(i)]));
  const codes = [...now.map((i) => i.code), ...was.map((i) => i.code).filter((code) => !after.has(code))];
  return codes.filter((code) => before.get(code) !== after.get(code));
}

function joined(phrases: readonly string[]): string {
  return phrases.length <= 1 ? (phrases[0] ?? 'the inputs') : `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`;
}
