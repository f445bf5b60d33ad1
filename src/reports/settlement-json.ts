import canonicalize from 'canonicalize';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// The settlement document as RFC 8785 canonical JSON (UTF-8, no trailing newline): the bytes the
// manifest's hashes are computed over, and what verification recomputes.
export function renderSettlementJson(doc: SettlementDocument): Buffer {
  const json = canonicalize(doc);
  if (json === undefined) throw new TypeError('the settlement document cannot be canonicalised');
  return Buffer.from(json, 'utf8');
}
