import { appliedOf, codeAndLabel, termTitle } from 'src/reports/settlement-view';
import { padovaCaseADocument, padovaReopenedDocument } from 'src/reports/testing/settlement-document.fixture';
import type { SettlementDocument } from 'src/settlements/settlement-document';
import type { SettlementLine } from 'src/settlements/calculation/settlement.types';

// How the renderings name a term of the delta and list what was applied to a line.

/** Padova Case A as a rule set without term ids writes it: every line's termId is its indicator code. */
function withoutTermIds(doc: SettlementDocument): SettlementDocument {
  return { ...doc, result: { ...doc.result, lines: doc.result.lines.map((l) => ({ ...l, termId: l.indicatorCode })) } };
}

describe('termTitle: a delta line by its code and the indicator label', () => {
  it('names a term without an id of its own by the indicator code once, then the label in the report language', () => {
    const doc = withoutTermIds(padovaCaseADocument());
    expect(termTitle(doc, 'IND-01', 'it')).toBe("IND-01 · Quota di risorse non pubbliche sul totale delle risorse gestite dall'RTI nel progetto");
    expect(termTitle(doc, 'IND-01', 'en')).toBe('IND-01 · Share of non-public resources in all resources the RTI manages in the project');
  });

  it('names a term with its own id by that id and the indicator code', () => {
    expect(termTitle(padovaReopenedDocument(), 'T5', 'en')).toBe(
      'T5 · IND-05 · Share of over-60 residents of the area "known" to the network (at least one contact recorded with consent in the period)',
    );
  });

  it('falls back to the Italian label when there is no English one, and to the code alone without a label', () => {
    const doc = withoutTermIds(padovaCaseADocument());
    doc.inputs = { ...doc.inputs, indicators: doc.inputs.indicators.map((i) => (i.code === 'IND-03' ? { ...i, labelEn: null } : i.code === 'IND-04' ? { ...i, labelIt: '' } : i)) };
    expect(termTitle(doc, 'IND-03', 'en')).toBe('IND-03 · Partecipanti unici alle iniziative nel periodo');
    expect(termTitle(doc, 'IND-04', 'it')).toBe('IND-04');
  });

  it('names a term only the previous version had by its id, with the label when the id is an indicator code', () => {
    const doc = padovaCaseADocument();
    expect(termTitle(doc, 'T9', 'it')).toBe('T9');
    const lessLines = { ...doc, result: { ...doc.result, lines: doc.result.lines.filter((l) => l.indicatorCode !== 'IND-03') } };
    expect(termTitle(lessLines, 'IND-03', 'it')).toBe('IND-03 · Partecipanti unici alle iniziative nel periodo');
  });

  it('codeAndLabel writes the code once when the label is empty', () => {
    expect([codeAndLabel('IND-01', 'Quota'), codeAndLabel('IND-01', '')]).toEqual(['IND-01 · Quota', 'IND-01']);
  });
});

describe('appliedOf: gates, guardrails, caps and floors, never the line status', () => {
  const line = (status: SettlementLine['status'], applied: string[]): SettlementLine => ({ ...padovaCaseADocument().result.lines[0], status, applied });

  it('leaves out NO_TARGET, which the calculator records for a shadow line without a target', () => {
    expect(appliedOf(line('NO_TARGET', ['NO_TARGET']))).toEqual([]);
  });

  it('keeps every other entry, in order', () => {
    expect(appliedOf(line('PAID', ['GATE G-UNDER60 HOLDS', 'ACHIEVEMENT_CAP 1.0', 'TERM_CAP 5000.00']))).toEqual(['GATE G-UNDER60 HOLDS', 'ACHIEVEMENT_CAP 1.0', 'TERM_CAP 5000.00']);
    expect(appliedOf(line('MISSING_ZERO', ['MISSING_DATA ZERO']))).toEqual(['MISSING_DATA ZERO']);
  });
});
