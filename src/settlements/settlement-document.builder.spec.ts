import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealWithText } from 'src/settlements/engine/settlement-manifest';
import { SETTLEMENT_FORMAT, type SettlementDocument, type SettlementResult } from 'src/settlements/settlement-document';
import { buildDocument, verifyDocument } from 'src/settlements/settlement-document.builder';
import { bergamoReasonInputs, padovaReasonInputs, padovaUnreportedInputs, reasonFixtureMeta } from 'src/settlements/testing/reason-coverage.fixture';

// A stored settlement document must recompute to exactly its stored hashes, forever. The documents in
// src/settlements/testing/format-*.settlement.json were built and stored (canonical JSON text) by the
// engine of their format from the inputs of testing/reason-coverage.fixture.ts, and are never regenerated:
//   format-1-padova, format-1-bergamo  every kind of number a reason can carry, as format 1 wrote them;
//   format-2-padova-unreported         a survey without a sample size ("campione ?") and a guardrail on a
//                                      value not there ("; no value for IND-G1", English in Italian too).
// Documents built now are ancora.settlement/3: the same amounts; numbers as format 2 quotes them, and those
// two reasons in words of their own language.

const INPUTS = { padova: padovaReasonInputs, bergamo: bergamoReasonInputs, 'padova-unreported': padovaUnreportedInputs };

type Stored = 'format-1-padova' | 'format-1-bergamo' | 'format-2-padova-unreported';

function storedFile(file: Stored): { doc: SettlementDocument; text: string } {
  const text = readFileSync(join(__dirname, 'testing', `${file}.settlement.json`), 'utf8').trimEnd();
  return { doc: JSON.parse(text) as SettlementDocument, text };
}

function stored(name: 'padova' | 'bergamo'): { doc: SettlementDocument; text: string } {
  return storedFile(`format-1-${name}`);
}

/** What someone rewriting a stored document would do to make its manifest agree with its content again. */
function reseal(doc: SettlementDocument): { doc: SettlementDocument; text: string } {
  const { format, id, version, reopenReason, computedAt, computedBy, inputs, result, delta } = doc;
  return sealWithText({ format, id, version, reopenReason, computedAt, computedBy, inputs, result, delta });
}

function withoutReasons(result: SettlementResult): unknown {
  return JSON.parse(JSON.stringify(result, (key, value: unknown) => (key === 'reason' ? undefined : value)));
}

function allReasons(result: SettlementResult): string[] {
  return [...result.lines, ...result.adjustments, ...result.evaluationPayments].flatMap((x) => [x.reason.it, x.reason.en]);
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

    it('is what building in format 1 still gives, byte for byte', () => {
      expect(buildDocument(reasonFixtureMeta(name), INPUTS[name](), null, 'ancora.settlement/1').text).toBe(stored(name).text);
    });

    it('does not verify when relabelled ancora.settlement/2 and sealed again: format 2 recomputes other reasons', () => {
      const { doc } = stored(name);
      const { doc: relabelled, text } = reseal({ ...doc, format: 'ancora.settlement/2' });
      const result = verifyDocument(relabelled, text);
      expect([result.matches, result.differences]).toEqual([false, ['resultHash', 'documentHash']]);
    });
  });

  describe('a stored ancora.settlement/2 document with a sample size and a guardrail value not there (Padova)', () => {
    const { doc, text } = storedFile('format-2-padova-unreported');

    it('recomputes to its stored hashes, with the words format 2 wrote', () => {
      expect(doc.format).toBe('ancora.settlement/2');
      expect(verifyDocument(doc, text)).toMatchObject({ matches: true, differences: [], error: null, recomputed: doc.manifest });
      expect(doc.result.lines[3].reason.it).toBe('non pagato: non valutabile, campione ? sotto il minimo 200 (politica ZERO)');
      expect(doc.result.lines[4].reason.it).toBe("sospeso: salvaguardia 'IND-G1 >= 10 hours of activity per participant; no value for IND-G1' non rispettata");
    });

    it('is what building in format 2 still gives, byte for byte', () => {
      expect(buildDocument(reasonFixtureMeta('padova-unreported'), padovaUnreportedInputs(), null, 'ancora.settlement/2').text).toBe(text);
    });

    it('does not verify when relabelled ancora.settlement/3 and sealed again: format 3 recomputes other reasons', () => {
      const { doc: relabelled, text: relabelledText } = reseal({ ...doc, format: 'ancora.settlement/3' });
      expect(verifyDocument(relabelled, relabelledText)).toMatchObject({ matches: false, differences: ['resultHash', 'documentHash'] });
    });

    it('reopened, makes a format-3 version with the same amounts that verifies', () => {
      const meta = { ...reasonFixtureMeta('padova-unreported'), id: 'a1000000-0000-4000-8000-000000000005', version: 2, reopenReason: 'Rettifica tardiva' };
      const reopened = buildDocument(meta, padovaUnreportedInputs(), doc);
      expect([reopened.doc.format, reopened.doc.version, reopened.doc.delta?.payable]).toEqual([
        'ancora.settlement/3',
        2,
        { before: '6331.75', after: '6331.75', change: '0.00' },
      ]);
      expect(verifyDocument(JSON.parse(reopened.text) as SettlementDocument, reopened.text)).toMatchObject({ matches: true, differences: [] });
    });
  });

  describe.each(['padova', 'bergamo'] as const)('an ancora.settlement/3 document built now (%s)', (name) => {
    const { doc, text } = buildDocument(reasonFixtureMeta(name), INPUTS[name](), null);

    it('is format 3, verifies, and differs from format 1 only in its reasons', () => {
      expect([SETTLEMENT_FORMAT, doc.format]).toEqual(['ancora.settlement/3', 'ancora.settlement/3']);
      expect(verifyDocument(JSON.parse(text) as SettlementDocument, text)).toMatchObject({ matches: true, differences: [], error: null });
      const old = stored(name).doc;
      expect(doc.manifest.inputsHash).toBe(old.manifest.inputsHash);
      expect(withoutReasons(doc.result)).toEqual(withoutReasons(old.result));
      expect(allReasons(doc.result)).not.toEqual(allReasons(old.result));
    });

    it('no longer matches when one reason text is rewritten and sealed again', () => {
      const forged = structuredClone(doc);
      forged.result.lines[0].reason.en = `${forged.result.lines[0].reason.en} (corrected)`;
      const { doc: resealed, text: forgedText } = reseal(forged);
      expect(verifyDocument(resealed, forgedText)).toMatchObject({ matches: false, differences: ['resultHash', 'documentHash'] });
    });
  });

  it.each(['ancora.settlement/2', 'ancora.settlement/3'] as const)('%s reasons: money grouped with two decimals, long numbers ≈ to 4 places, labels as written (Padova)', (format) => {
    const { doc } = buildDocument(reasonFixtureMeta('padova'), padovaReasonInputs(), null, format);
    expect(allReasons(doc.result).filter((_, i) => i % 2 === 0)).toEqual([
      'pagato: raggiungimento 0,75 >= soglia 0,5, quota 0,75',
      'pagato: raggiungimento ≈0,7778 >= soglia 0,5, quota ≈0,7778; limitato a 3.500,00',
      "non pagato: condizione 'UNDER60 share >= 0.15' non soddisfatta, valore ≈0,1198",
      'non pagato: non valutabile, campione 150 sotto il minimo 200 (politica ZERO)',
      "sospeso: salvaguardia 'IND-G1 >= 10 hours of activity per participant' non rispettata, valore 8,5",
      'minimo del raggruppamento per il periodo 9.000,00',
      "tetto per l'intera durata 60.000,00, già liquidato 51.234,56, residuo 8.765,44",
      'tetto complessivo 15.000,00 tra i raggruppamenti (richiesto 20.765,44): ridotto in proporzione',
      'pagato da Regione Lombardia: la valutazione ha rilevato un impatto significativo, 0,30 dei risparmi certificati 657.000,00; limitato a 150.000,00',
    ]);
    expect(doc.result.lines[1].reason.en).toBe('paid: achievement ≈0.7778 >= threshold 0.5, payout ≈0.7778; capped at 3,500.00');
    expect(doc.result.lines[1].achievement).toBe('0.77777777777777777777777777777777777777777777777778');
  });

  it.each(['ancora.settlement/2', 'ancora.settlement/3'] as const)('%s reasons (Bergamo): the 50-digit achievement reads ≈1,0556, the unit price 850,00, caps and floors grouped', (format) => {
    const { doc } = buildDocument(reasonFixtureMeta('bergamo'), bergamoReasonInputs(), null, format);
    expect(doc.result.lines.map((l) => l.reason.it)).toEqual([
      'pagato: raggiungimento ≈1,0556 >= soglia 1, quota 1',
      'pagato: 17 unità oltre la baseline x 850,00; limitato a 12.000,00',
      'pagato: raggiungimento 0,6 >= soglia 0,5, quota 0,6; portato al minimo 1.500,00',
      'non pagato: raggiungimento 0,9375 sotto la soglia 1',
    ]);
    expect(doc.result.adjustments[0].reason).toEqual({ it: 'tetto del raggruppamento per il periodo 20.000,00', en: 'grouping cap for the period 20,000.00' });
  });

  it('computes the reasons of each format from the same inputs object, one after the other (nothing cached across formats)', () => {
    const inputs = bergamoReasonInputs();
    const now = buildDocument(reasonFixtureMeta('bergamo'), inputs, null);
    const then = buildDocument(reasonFixtureMeta('bergamo'), inputs, null, 'ancora.settlement/1');
    const again = buildDocument(reasonFixtureMeta('bergamo'), inputs, null);
    expect(then.text).toBe(stored('bergamo').text);
    expect(again.text).toBe(now.text);
    expect(now.doc.result.lines[0].reason.en).toBe('paid: achievement ≈1.0556 >= threshold 1, payout 1');
    const unreported = padovaUnreportedInputs();
    const three = buildDocument(reasonFixtureMeta('padova-unreported'), unreported, null);
    const two = buildDocument(reasonFixtureMeta('padova-unreported'), unreported, null, 'ancora.settlement/2');
    expect(two.text).toBe(storedFile('format-2-padova-unreported').text);
    expect(buildDocument(reasonFixtureMeta('padova-unreported'), unreported, null).text).toBe(three.text);
  });

  it('format 3 reasons: a sample size not reported and a guardrail value not there, in words of each language (Padova)', () => {
    const { doc } = buildDocument(reasonFixtureMeta('padova-unreported'), padovaUnreportedInputs(), null);
    const format2 = storedFile('format-2-padova-unreported').doc;
    expect([doc.result.lines[3].reason, doc.result.lines[4].reason]).toEqual([
      {
        it: 'non pagato: non valutabile, campione non riportato, minimo 200 (politica ZERO)',
        en: 'not paid: not assessable, sample size not reported, minimum 200 (policy ZERO)',
      },
      {
        it: "sospeso: salvaguardia 'IND-G1 >= 10 hours of activity per participant' non rispettata, nessun valore per IND-G1",
        en: "suspended: guardrail 'IND-G1 >= 10 hours of activity per participant' failed, no value for IND-G1",
      },
    ]);
    // Only those two reasons differ from format 2; the amounts, fields and condition traces are the same.
    expect(withoutReasons(doc.result)).toEqual(withoutReasons(format2.result));
    expect(doc.manifest.inputsHash).toBe(format2.manifest.inputsHash);
    const changed = allReasons(doc.result).filter((r, i) => r !== allReasons(format2.result)[i]);
    expect(changed).toEqual([
      'non pagato: non valutabile, campione non riportato, minimo 200 (politica ZERO)',
      'not paid: not assessable, sample size not reported, minimum 200 (policy ZERO)',
      "sospeso: salvaguardia 'IND-G1 >= 10 hours of activity per participant' non rispettata, nessun valore per IND-G1",
      "suspended: guardrail 'IND-G1 >= 10 hours of activity per participant' failed, no value for IND-G1",
    ]);
  });

  it('reopening an approved format-1 settlement makes a format-3 version: the delta compares amounts only, and it verifies', () => {
    const approved = stored('padova').doc;
    const meta = { ...reasonFixtureMeta('padova'), id: 'a1000000-0000-4000-8000-000000000003', version: 2, reopenReason: 'Rettifica tardiva' };
    const { doc, text } = buildDocument(meta, padovaReasonInputs(), approved);
    expect([doc.format, doc.version]).toEqual(['ancora.settlement/3', 2]);
    expect(doc.delta).toMatchObject({
      previousId: approved.id,
      previousVersion: 1,
      premium: { before: '9000.00', after: '9000.00', change: '0.00' },
      payable: { before: '6331.75', after: '6331.75', change: '0.00' },
    });
    expect(doc.delta?.lines.every((l) => l.change === '0.00')).toBe(true);
    expect(doc.result.lines[1].reason.it).toBe('pagato: raggiungimento ≈0,7778 >= soglia 0,5, quota ≈0,7778; limitato a 3.500,00');
    expect(verifyDocument(JSON.parse(text) as SettlementDocument, text)).toMatchObject({ matches: true, differences: [] });
    expect(verifyDocument(approved, stored('padova').text).matches).toBe(true);
  });
});
