import { REPORT_TEXT } from 'src/reports/report-text';

// The basis line under a reopened version's changes: it tells new rules from new data.
describe('report text: the basis of a reopened version', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);

  it('says the indicator set and rules are the same when they are', () => {
    expect(REPORT_TEXT.it.pdf.deltaBasis({ version: 2, rulesHash: a }, { version: 2, rulesHash: a })).toBe(
      'Basi di calcolo: set di indicatori v2, lo stesso; regole di pagamento invariate.',
    );
    expect(REPORT_TEXT.en.pdf.deltaBasis({ version: 2, rulesHash: a }, { version: 2, rulesHash: a })).toBe('Basis: indicator set v2, the same; payment rules unchanged.');
  });

  it('names both versions and both rule hashes when they changed', () => {
    expect(REPORT_TEXT.it.pdf.deltaBasis({ version: 1, rulesHash: a }, { version: 3, rulesHash: b })).toBe(
      'Basi di calcolo: set di indicatori v1, ora v3; regole di pagamento cambiate (SHA-256 aaaaaaaaaaaa…, ora bbbbbbbbbbbb…).',
    );
    // A new indicator-set version may keep the same rules (a target changed, say).
    expect(REPORT_TEXT.en.pdf.deltaBasis({ version: 1, rulesHash: a }, { version: 3, rulesHash: a })).toBe('Basis: indicator set v1, now v3; payment rules unchanged.');
  });
});
