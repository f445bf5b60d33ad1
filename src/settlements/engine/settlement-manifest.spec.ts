import canonicalize from 'canonicalize';
import { hashOf, sealWithText } from 'src/settlements/engine/settlement-manifest';
import { SETTLEMENT_FORMAT, type SettlementDocument } from 'src/settlements/settlement-document';
import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { rtiA } from 'src/settlements/calculation/padova-fixture';

// The stored text of a settlement is its RFC 8785 canonical JSON, assembled from the canonical texts of
// its members; it must be byte for byte what a canonicalize library gives for the whole document, and the
// manifest's hashes must be those of the parts.

describe('settlement manifest', () => {
  const unsealed = {
    format: SETTLEMENT_FORMAT,
    id: 'a0000000-0000-4000-8000-000000000001',
    version: 2,
    reopenReason: 'Rendiconto rettificato: "IND-05" è 6,5',
    computedAt: '2026-01-15T10:00:00.000Z',
    computedBy: 'Laura Bianchi',
    inputs: { ruleSet: { code: 'PD-SDC-R1', terms: [] }, zeta: '1', alpha: ['x', { b: '2', a: '1' }] } as unknown as SettlementDocument['inputs'],
    result: { ...settleGrouping(rtiA()), conditions: [] },
    delta: null,
  } satisfies Omit<SettlementDocument, 'manifest'>;

  it('gives the canonical JSON of the whole document, manifest included', () => {
    const { doc, text } = sealWithText(unsealed);
    expect(text).toBe(canonicalize(doc));
  });

  it('hashes the inputs, the rule set, the result and the document without its own hash', () => {
    const { doc } = sealWithText(unsealed);
    expect(doc.manifest.inputsHash).toBe(hashOf(unsealed.inputs));
    expect(doc.manifest.ruleSetHash).toBe(hashOf(unsealed.inputs.ruleSet));
    expect(doc.manifest.resultHash).toBe(hashOf(unsealed.result));
    const { documentHash, ...partial } = doc.manifest;
    expect(documentHash).toBe(hashOf({ ...unsealed, manifest: partial }));
  });
});
