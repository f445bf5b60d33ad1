import { DRAFT_MARK, statusSentence, supersededMark } from 'src/reports/settlement-status';
import { FIXTURE_APPROVER, fixtureStatus } from 'src/reports/testing/settlement-document.fixture';

// What a report says about where its settlement stands, in each language.
describe('settlement status in reports: draft, approved (when, by whom), superseded (by which version)', () => {
  it('says a draft is not approved', () => {
    expect(statusSentence(fixtureStatus('DRAFT'), 'it')).toBe('BOZZA — non approvata');
    expect(statusSentence(fixtureStatus('DRAFT'), 'en')).toBe('DRAFT — not approved');
    expect(DRAFT_MARK).toBe('BOZZA — non approvata / DRAFT — not approved');
  });

  it('says when and by whom an approved version was approved', () => {
    expect(statusSentence(fixtureStatus('APPROVED'), 'it')).toBe(`APPROVATA il 22/07/2026 08:15 UTC da ${FIXTURE_APPROVER}`);
    expect(statusSentence(fixtureStatus('APPROVED'), 'en')).toBe(`APPROVED on 2026-07-22 08:15 UTC by ${FIXTURE_APPROVER}`);
  });

  it('names the version that replaced a superseded one, and keeps its own approval', () => {
    const superseded = fixtureStatus('SUPERSEDED');
    expect(statusSentence(superseded, 'it')).toBe(`SOSTITUITA dalla versione 2 (approvata il 22/07/2026 08:15 UTC da ${FIXTURE_APPROVER})`);
    expect(statusSentence(superseded, 'en')).toBe(`SUPERSEDED by version 2 (approved on 2026-07-22 08:15 UTC by ${FIXTURE_APPROVER})`);
    expect(supersededMark(superseded)).toBe('SOSTITUITA dalla v2 / SUPERSEDED by v2');
    const unknown = { ...superseded, supersededBy: null };
    expect(statusSentence(unknown, 'en')).toBe(`SUPERSEDED by a later version (approved on 2026-07-22 08:15 UTC by ${FIXTURE_APPROVER})`);
    expect(supersededMark(unknown)).toBe('SOSTITUITA / SUPERSEDED');
  });
});
