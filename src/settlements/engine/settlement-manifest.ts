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

function documentHash(doc: Unsealed, manifest: Omit<SettlementManifest, 'documentHash'>): string {
  return hashOf({ ...doc, manifest });
}

/** Adds the manifest to a document. */
export function seal(doc: Unsealed): SettlementDocument {
  const partial = {
    algorithm: 'SHA-256' as const,
    canonicalization: 'RFC 8785' as const,
    inputsHash: hashOf(doc.inputs),
    ruleSetHash: hashOf(doc.inputs.ruleSet),
    resultHash: hashOf(doc.result),
  };
  return { ...doc, manifest: { ...partial, documentHash: documentHash(doc, partial) } };
}
