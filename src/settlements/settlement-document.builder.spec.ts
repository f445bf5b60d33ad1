import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealWithText } from 'src/settlements/engine/settlement-manifest';
import type { SettlementDocument } from 'src/settlements/settlement-document';
import { verifyDocument } from 'src/settlements/settlement-document.builder';

// A stored settlement document must recompute to exactly its stored hashes, forever. The two documents in
// src/settlements/testing/format-1-*.settlement.json were built and stored (canonical JSON text) by the
// engine of format ancora.settlement/1 from the inputs of testing/reason-coverage.fixture.ts, and are
// never regenerated: their reasons quote every kind of number a reason can carry, as format 1 wrote them.

function stored(name: 'padova' | 'bergamo'): { doc: SettlementDocument; text: string } {
  const text = readFileSync(join(__dirname, 'testing', `format-1-${name}.settlement.json`), 'utf8').trimEnd();
  return { doc: JSON.parse(text) as SettlementDocument, text };
}

/** What someone rewriting a stored document would do to make its manifest agree with its content again. */
function reseal(doc: SettlementDocument): { doc: SettlementDocument; text: string } {
  const { format, id, version, reopenReason, computedAt, computedBy, inputs, result, delta } = doc;
  return sealWithText({ format, id, version, reopenReason, computedAt, computedBy, inputs, result, delta });
}

describe('settlement documents: verification', () => {
  describe.each(['padova', 'bergamo'] as const)('a stored ancora.settlement/1 document (%s)', (name) => {
    it('recomputes to its stored hashes', () => {
      const { doc, text } = stored(name);
      expect(doc.format).toBe('ancora.settlement/1');
      expect(verifyDocument(doc, text)).toMatchObject({ matches: true, differences: [], error: null, recomputed: doc.manifest });
    });

    it('no longer matches when one reason text is rewritten, even with the hashes sealed again', () => {
      const { doc } = stored(name);
      const forged = structuredClone(doc);
      forged.result.lines[0].reason.it = `${forged.result.lines[0].reason.it} (rettificato)`;
      const { doc: resealed, text } = reseal(forged);
      const result = verifyDocument(resealed, text);
      expect([result.matches, result.differences]).toEqual([false, ['resultHash', 'documentHash']]);
    });

    it('no longer matches when the stored text is edited without sealing it again', () => {
      const { text } = stored(name);
      const edited = text.replace('"it":"pagato: ', '"it":"Pagato: ');
      expect(edited).not.toBe(text);
      const result = verifyDocument(JSON.parse(edited) as SettlementDocument, edited);
      expect([result.matches, result.differences]).toEqual([false, ['resultHash', 'documentHash']]);
    });
  });
});
