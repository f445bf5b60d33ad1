import { reasonsFor } from 'src/settlements/calculation/reasons';

// Reason texts are part of the hashed settlement result, so the words of formats ancora.settlement/1
// (PLAIN) and /2 (LOCALISED) are frozen (decision 0011, amendments of sessions 4 and 7).
//
// A survey value without a sample size reaches stored documents: IND-04 accepted in Y2 while the binding
// version had no minimum sample, then a version effective from Y2 (still open) gives it a minimum of 200.
// The accepted value is not checked again, the settlement judges it not assessable with no sample, and
// that approved document verifies with this "?". Format 3 (TRANSLATED) says "sample size not reported";
// formats 1 and 2 keep "?" so that such stored documents still verify.

describe('the not-assessable reason of a survey value without a sample size keeps its words in formats 1 and 2', () => {
  it.each(['PLAIN', 'LOCALISED'] as const)('%s: "campione ?" as stored documents quote it', (style) => {
    const reasons = reasonsFor({ reasons: style });
    expect(reasons.missing(reasons.notAssessable(null, '200'), 'ZERO')).toEqual({
      en: 'not paid: not assessable, sample ? below minimum 200 (policy ZERO)',
      it: 'non pagato: non valutabile, campione ? sotto il minimo 200 (politica ZERO)',
    });
  });
});

describe('format 3 (TRANSLATED) says what was not there, in the words of each language', () => {
  const reasons = reasonsFor({ reasons: 'TRANSLATED' });

  it('is the style of documents built now', () => {
    expect(reasonsFor({})).toBe(reasons);
  });

  it('a survey value without a sample size: "campione non riportato" / "sample size not reported", with its minimum', () => {
    expect(reasons.missing(reasons.notAssessable(null, '200'), 'ZERO')).toEqual({
      en: 'not paid: not assessable, sample size not reported, minimum 200 (policy ZERO)',
      it: 'non pagato: non valutabile, campione non riportato, minimo 200 (politica ZERO)',
    });
  });

  it('no minimum sample size (not a survey): the value was reported not assessable, its sample quoted when there is one', () => {
    expect(reasons.missing(reasons.notAssessable('1500', null), 'EXCLUDE_AND_REWEIGHT')).toEqual({
      en: 'excluded: reported not assessable, sample 1500 (policy EXCLUDE_AND_REWEIGHT), its weight goes to the other terms',
      it: 'escluso: dichiarato non valutabile, campione 1500 (politica EXCLUDE_AND_REWEIGHT), il suo peso passa agli altri termini',
    });
    expect(reasons.notAssessable(null, null)).toEqual({
      en: 'reported not assessable, sample size not reported',
      it: 'dichiarato non valutabile, campione non riportato',
    });
  });

  it('a sample below its minimum reads as in format 2', () => {
    expect(reasons.notAssessable('150', '200')).toEqual(reasonsFor({ reasons: 'LOCALISED' }).notAssessable('150', '200'));
  });

  it('a guardrail or gate on values not there: the label as written, then "nessun valore per" / "no value for"', () => {
    const check = { id: 'G-HOURS', label: 'IND-G1 >= 10 hours', missing: ['IND-G1', 'IND-G2'], holds: false, actual: null, threshold: '10' };
    expect(reasons.suspended(check)).toEqual({
      en: "suspended: guardrail 'IND-G1 >= 10 hours' failed, no value for IND-G1, IND-G2",
      it: "sospeso: salvaguardia 'IND-G1 >= 10 hours' non rispettata, nessun valore per IND-G1, IND-G2",
    });
    expect(reasons.gateFailed({ ...check, id: 'T3', label: 'quota UNDER60 >= 0.15', missing: ['IND-03.TARGET_GROUP.UNDER60.share'] })).toEqual({
      en: "not paid: gate 'quota UNDER60 >= 0.15' failed, no value for IND-03.TARGET_GROUP.UNDER60.share",
      it: "non pagato: condizione 'quota UNDER60 >= 0.15' non soddisfatta, nessun valore per IND-03.TARGET_GROUP.UNDER60.share",
    });
  });
});

describe('formats 1 and 2 keep the English "; no value for" inside the quoted label, in both languages', () => {
  it.each(['PLAIN', 'LOCALISED'] as const)('%s', (style) => {
    const check = { id: 'G-HOURS', label: 'IND-G1 >= 10 hours', missing: ['IND-G1'], holds: false, actual: null, threshold: '10' };
    expect(reasonsFor({ reasons: style }).suspended(check)).toEqual({
      en: "suspended: guardrail 'IND-G1 >= 10 hours; no value for IND-G1' failed",
      it: "sospeso: salvaguardia 'IND-G1 >= 10 hours; no value for IND-G1' non rispettata",
    });
  });
});
