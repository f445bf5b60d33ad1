import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { SettlementDocument, SettlementManifest } from 'src/settlements/settlement-document';

// Hashes of a settlement document (docs/settlements.md): SHA-256 (hex) of the RFC 8785 canonical JSON of
// the inputs, of the rule set (inputs.ruleSet), of the result, and of the whole document with the manifest's
// `documentHash` left out. Anyone can check them with any RFC 8785 library and sha256sum.

export function canonicalJson(value: unknown): string {
  const json = canonicalize(value);
  if (json === undefined) throw new TypeError('value cannot be canonicalised');
  return json;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function hashOf(value: unknown): string {
  return sha256(canonicalJson(value));
}

type Unsealed = Omit<SettlementDocument, 'manifest'>;

/** RFC 8785 of an object whose members are already canonical JSON: keys in UTF-16 code-unit order. */
function assemble(members: Record<string, string>): string {
  return `{${Object.keys(members)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${members[k]}`)
    .join(',')}}`;
}

/** A rule set is shared by every grouping of a contract: canonicalised and hashed once per object. */
const ruleSetTexts = new WeakMap<object, { text: string; hash: string }>();

function ruleSetText(ruleSet: unknown): { text: string; hash: string } {
  if (typeof ruleSet !== 'object' || ruleSet === null) {
    const text = canonicalJson(ruleSet);
    return { text, hash: sha256(text) };
  }
  let known = ruleSetTexts.get(ruleSet);
  if (known === undefined) {
    const text = canonicalJson(ruleSet);
    known = { text, hash: sha256(text) };
    ruleSetTexts.set(ruleSet, known);
  }
  return known;
}

/** The inputs' canonical JSON, with the rule set's text reused. */
function canonicalInputs(inputs: SettlementDocument['inputs']): { text: string; ruleSetHash: string } {
  const rules = ruleSetText(inputs.ruleSet);
  const members: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value !== undefined) members[key] = key === 'ruleSet' ? rules.text : canonicalJson(value);
  }
  return { text: assemble(members), ruleSetHash: rules.hash };
}

/**
 * Adds the manifest to a document and gives its canonical JSON, canonicalising the inputs and the result
 * once each: the document's text is assembled from its members' canonical texts, which is what RFC 8785
 * gives for the whole (settlement-manifest.spec.ts checks it against canonicalize).
 */
export function sealWithText(doc: Unsealed): { doc: SettlementDocument; text: string } {
  const { text: inputs, ruleSetHash } = canonicalInputs(doc.inputs);
  const result = canonicalJson(doc.result);
  const partial = {
    algorithm: 'SHA-256' as const,
    canonicalization: 'RFC 8785' as const,
    inputsHash: sha256(inputs),
    ruleSetHash,
    resultHash: sha256(result),
  };
  const members: Record<string, string> = {
    computedAt: canonicalJson(doc.computedAt),
    computedBy: canonicalJson(doc.computedBy),
    delta: canonicalJson(doc.delta),
    format: canonicalJson(doc.format),
    id: canonicalJson(doc.id),
    inputs,
    reopenReason: canonicalJson(doc.reopenReason),
    result,
    version: canonicalJson(doc.version),
  };
  const manifest: SettlementManifest = { ...partial, documentHash: sha256(assemble({ ...members, manifest: canonicalJson(partial) })) };
  return { doc: { ...doc, manifest }, text: assemble({ ...members, manifest: canonicalJson(manifest) }) };
}

/** Adds the manifest to a document. */
export function seal(doc: Unsealed): SettlementDocument {
  return sealWithText(doc).doc;
}
