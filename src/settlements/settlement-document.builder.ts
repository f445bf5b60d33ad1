import { dec } from 'src/common/decimal/decimal';
import { DomainError } from 'src/common/errors/domain-error';
import { CalculationError } from 'src/settlements/calculation/calculation-error';
import { computeSettlement } from 'src/settlements/engine/settlement-engine';
import { canonicalJson, seal, sealWithText } from 'src/settlements/engine/settlement-manifest';
import {
  reasonStyleOf,
  SETTLEMENT_FORMAT,
  type SettlementDelta,
  type SettlementDocument,
  type SettlementFormat,
  type SettlementInputs,
  type SettlementResult,
} from 'src/settlements/settlement-document';

// Builds, verifies and compares settlement documents (pure).

export interface DocumentMeta {
  id: string;
  version: number;
  computedAt: string;
  computedBy: string;
  reopenReason: string | null;
}

/**
 * The document and its canonical JSON text (what is stored), in the current format: a version reopening a
 * format-1 or format-2 document is built in format 3 (its delta compares amounts, which no format changes). An older
 * format is asked for only by tests that need a document as it was stored then.
 */
export function buildDocument(
  meta: DocumentMeta,
  inputs: SettlementInputs,
  previous: SettlementDocument | null,
  format: SettlementFormat = SETTLEMENT_FORMAT,
): { doc: SettlementDocument; text: string } {
  const result = computeSettlement(inputs, { reasons: reasonStyleOf(format) });
  return sealWithText({
    format,
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
  /** Null when the stored inputs cannot be settled at all (then `error` says why). */
  recomputed: SettlementDocument['manifest'] | null;
  /** Which hashes differ: inputsHash, ruleSetHash, resultHash, documentHash, canonicalText, recomputation. */
  differences: string[];
  error: { code: string; message: string } | null;
}

function unsealed(stored: SettlementDocument, result: SettlementResult, delta: SettlementDelta | null): Omit<SettlementDocument, 'manifest'> {
  return {
    format: stored.format,
    id: stored.id,
    version: stored.version,
    reopenReason: stored.reopenReason,
    computedAt: stored.computedAt,
    computedBy: stored.computedBy,
    inputs: stored.inputs,
    result,
    delta,
  };
}

/**
 * Recomputes a stored document from its own inputs (and its stored delta's previous values), with the
 * reasons of its own format, and compares every hash: the stored content must hash to its own manifest,
 * and the recomputation must reproduce it. The stored text must also be the canonical JSON of the
 * document it holds.
 */
export function verifyDocument(stored: SettlementDocument, storedText: string): VerificationResult {
  const keys = ['inputsHash', 'ruleSetHash', 'resultHash', 'documentHash'] as const;
  const asStored = seal(unsealed(stored, stored.result, stored.delta)).manifest;
  const differences: string[] = keys.filter((k) => stored.manifest[k] !== asStored[k]);
  if (canonicalJson(stored) !== storedText) differences.push('canonicalText');
  let recomputed: SettlementDocument['manifest'] | null = null;
  let error: VerificationResult['error'] = null;
  try {
    const result = computeSettlement(stored.inputs, { reasons: reasonStyleOf(stored.format) });
    recomputed = seal(unsealed(stored, result, stored.delta === null ? null : { ...stored.delta, ...rebaseDelta(stored.delta, result) })).manifest;
    for (const k of keys) if (stored.manifest[k] !== recomputed[k] && !differences.includes(k)) differences.push(k);
  } catch (e) {
    if (!(e instanceof CalculationError) && !(e instanceof DomainError)) throw e;
    error = { code: e.code, message: e.message };
    differences.push('recomputation');
  }
  return { matches: differences.length === 0, stored: stored.manifest, recomputed, differences, error };
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
