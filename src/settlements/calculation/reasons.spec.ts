import { reasonsFor } from 'src/settlements/calculation/reasons';

// Reason texts are part of the hashed settlement result, so the words of formats ancora.settlement/1
// (PLAIN) and /2 (LOCALISED) are frozen (decision 0011, amendment of session 4).
//
// A survey value without a sample size reaches stored documents: IND-04 accepted in Y2 while the binding
// version had no minimum sample, then a version effective from Y2 (still open) gives it a minimum of 200.
// The accepted value is not checked again, the settlement judges it not assessable with no sample, and
// that approved document verifies with this "?". Saying "sample size not reported" instead needs a new
// format whose style new documents use, as format 2 was introduced; changing these texts would make
// such stored documents fail verification.

describe('the not-assessable reason of a survey value without a sample size keeps its words in formats 1 and 2', () => {
  it.each(['PLAIN', 'LOCALISED'] as const)('%s: "campione ?" as stored documents quote it', (style) => {
    const reasons = reasonsFor({ reasons: style });
    expect(reasons.missing(reasons.notAssessable(null, '200'), 'ZERO')).toEqual({
      en: 'not paid: not assessable, sample ? below minimum 200 (policy ZERO)',
      it: 'non pagato: non valutabile, campione ? sotto il minimo 200 (politica ZERO)',
    });
  });
});
