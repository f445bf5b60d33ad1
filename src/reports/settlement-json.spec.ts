import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { renderSettlementJson } from 'src/reports/settlement-json';
import { padovaCaseADocument } from 'src/reports/testing/settlement-document.fixture';

// The JSON report is the settlement document itself in RFC 8785 form: what an auditor hashes to verify it.

describe('Settlement JSON: the canonical document an auditor can hash', () => {
  const doc = padovaCaseADocument();
  const bytes = renderSettlementJson(doc);
  const text = bytes.toString('utf8');

  it('is RFC 8785: sorted keys, no whitespace, UTF-8 text unescaped, decimals as strings', () => {
    expect(text.startsWith('{"computedAt":"2026-07-20T09:30:00.000Z","computedBy":"Maria Rossi (contract_manager, C-PADOVA)","delta":null,"format":"ancora.settlement/3",')).toBe(true);
    expect(text).toContain('«Sviluppo di Comunità 2.0»');
    expect(text).toContain('"payable":"18960.00"');
    expect(text).not.toMatch(/\n|": /);
    expect(JSON.parse(text)).toEqual(doc);
  });

  it('lets anyone recompute the manifest hashes from the bytes', () => {
    const parsed = JSON.parse(text) as typeof doc;
    const sha = (v: unknown) => createHash('sha256').update(canonicalize(v) ?? '', 'utf8').digest('hex');
    const { documentHash, ...rest } = parsed.manifest;
    expect(sha({ ...parsed, manifest: rest })).toBe(documentHash);
    expect(sha(parsed.inputs)).toBe(parsed.manifest.inputsHash);
    expect(sha(parsed.result)).toBe(parsed.manifest.resultHash);
  });

  it('gives the same bytes for the same document with its keys in another order', () => {
    const reordered = Object.fromEntries(Object.entries(doc).reverse()) as typeof doc;
    expect(renderSettlementJson(reordered).equals(bytes)).toBe(true);
  });
});
