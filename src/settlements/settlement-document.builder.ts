import { dec } from 'src/common/decimal/decimal';
import { computeSettlement } from 'src/settlements/engine/settlement-engine';
import { canonicalJson, seal } from 'src/settlements/engine/settlement-manifest';
import { SETTLEMENT_FORMAT, type SettlementDelta, type SettlementDocument, type SettlementInputs, type SettlementResult } from 'src/settlements/settlement-document';

// Builds, verifies and compares settlement documents (pure).

export interface DocumentMeta {
  id: string;
  version: number;
  computedAt: string;
  computedBy: string;
  reopenReason: string | null;
}

export function buildDocument(meta: DocumentMeta, inputs: SettlementInputs, previous: SettlementDocument | null): SettlementDocument {
  const result = computeSettlement(inputs);
  return seal({
    format: SETTLEMENT_FORMAT,
    ...meta,
    inputs,
    result,
    delta: previous === null ? null : deltaOf(previous, result),
  });
}

function change(before: string, after: string): { before: string; after: string; change: string } {
  return { before, after, change: dec(after).minus(dec(before)).toFixed(2) };
}

/**
 * What a reopened version changes against the approved one it replaces: premium, payable, each line's
 * amount (terms of either version), each member's allocation.
 * Example: IND-05 corrected from 5.8 to 6.5 (a = 0.75): line 0.00 -> 4,800.00, premium 18,960.00 -> 23,760.00, change +4,800.00.
 */
export function deltaOf(previous: SettlementDocument, result: SettlementResult): SettlementDelta {
  const before = previous.result;
  const termIds = [...new Set([...before.lines.map((l) => l.termId), ...result.lines.map((l) => l.termId)])];
  const members = [...new Set([...before.allocation.map((a) => a.memberId), ...result.allocation.map((a) => a.memberId)])];
  const amount = (value: string | undefined): string => dec(value ?? '0').toFixed(2);
  return {
    previousId: previous.id,
    previousVersion: previous.version,
    premium: change(before.premium, result.premium),
    payable: change(before.payable, result.payable),
    lines: termIds.map((termId) => ({
      termId,
      ...change(amount(before.lines.find((l) => l.termId === termId)?.amount), amount(result.lines.find((l) => l.termId === termId)?.amount)),
    })),
    allocation: members.map((member) => ({
      member,
      ...change(amount(before.allocation.find((a) => a.memberId === member)?.amount), amount(result.allocation.find((a) => a.memberId === member)?.amount)),
    })),
  };
}

export interface VerificationResult {
  matches: boolean;
  stored: SettlementDocument['manifest'];
  recomputed: SettlementDocument['manifest'];
  /** Which hashes differ: inputsHash, ruleSetHash, resultHash, documentHash. */
  differences: string[];
}

/**
 * Recomputes a stored document from its own inputs (and its stored delta's previous values) and compares
 * every hash. The stored text must also be the canonical JSON of the document it holds.
 */
export function verifyDocument(stored: SettlementDocument, storedText: string): VerificationResult {
  const result = computeSettlement(stored.inputs);
  const recomputed = seal({
    format: stored.format,
    id: stored.id,
    version: stored.version,
    reopenReason: stored.reopenReason,
    computedAt: stored.computedAt,
    computedBy: stored.computedBy,
    inputs: stored.inputs,
    result, delta: stored.delta === null ? null : { ...stored.delta, ...rebaseDelta(stored.delta, result) } });
  const keys = ['inputsHash', 'ruleSetHash', 'resultHash', 'documentHash'] as const;
  const differences: string[] = keys.filter((k) => stored.manifest[k] !== recomputed.manifest[k]);
  if (canonicalJson(stored) !== storedText) differences.push('canonicalText');
  return { matches: differences.length === 0, stored: stored.manifest, recomputed: recomputed.manifest, differences };
}

/** The delta's "after" side recomputed from the new result (its "before" side is the previous approved document). */
function rebaseDelta(delta: SettlementDelta, result: SettlementResult): Pick<SettlementDelta, 'premium' | 'payable' | 'lines' | 'allocation'> {
  const amount = (value: string | undefined): string => dec(value ?? '0').toFixed(2);
  return {
    premium: change(delta.premium.before, result.premium),
    payable: change(delta.payable.before, result.payable),
    lines: delta.lines.map((l) => ({ termId: l.termId, ...change(l.before, amount(result.lines.find((x) => x.termId === l.termId)?.amount)) })),
    allocation: delta.allocation.map((a) => ({ member: a.member, ...change(a.before, amount(result.allocation.find((x) => x.memberId === a.member)?.amount)) })),
  };
}
