import { factsFor } from 'src/settlements/engine/settlement-engine';
import type { SettlementInputs } from 'src/settlements/settlement-document';
import { INPUT_PARTS, staleInputs, staleMessage } from 'src/settlements/settlement-staleness';
import { padovaReasonInputs } from 'src/settlements/testing/reason-coverage.fixture';

// A draft is stale when its stored inputs differ from the period's current ones; the approver is told which
// parts differ. Every case starts from the same Padova inputs (RTI-A, Y2) and changes one thing.

/** The inputs as a stored document gives them back: parsed from JSON. */
const stored = (): SettlementInputs => JSON.parse(JSON.stringify(padovaReasonInputs())) as SettlementInputs;
/** The current inputs, to change (the fixture shares its lists between calls). */
const current = (): SettlementInputs => structuredClone(padovaReasonInputs());

describe('why a draft is stale at approval', () => {
  it('unchanged inputs name nothing', () => {
    expect(staleInputs(stored(), padovaReasonInputs())).toEqual({ changed: [], indicators: [] });
  });

  it('a late accepted value changes the indicator and the facts built from it; the message names the indicator once', () => {
    const now = current();
    const ind05 = now.indicators.find((i) => i.code === 'IND-05');
    if (ind05 === undefined) throw new Error('fixture has no IND-05');
    Object.assign(ind05, { value: '6.1' });
    now.facts = factsFor(now.indicators);
    const stale = staleInputs(stored(), now);
    expect(stale).toEqual({ changed: ['indicators', 'facts'], indicators: ['IND-05'] });
    expect(staleMessage(stale)).toBe(
      'Since this draft was computed, indicator values (accepted measurements, baselines or targets) of IND-05 changed: recompute it before approving',
    );
  });

  it('an earlier period approved changes settledBefore', () => {
    const now = current();
    now.settledBefore = [...now.settledBefore, { period: 'Y1b', settlementId: 's-y1b', payable: '0.00' }];
    const stale = staleInputs(stored(), now);
    expect(stale).toEqual({ changed: ['settledBefore'], indicators: [] });
    expect(staleMessage(stale)).toBe(
      'Since this draft was computed, earlier approved settlements (the payables settled before this period) changed: recompute it before approving',
    );
  });

  it("the grouping's fee and members are told apart from its code and name; several parts are listed in document order", () => {
    const now = current();
    now.grouping = { ...now.grouping, fee: '330000.00', members: now.grouping.members.slice().reverse() };
    now.pool = null;
    const stale = staleInputs(stored(), now);
    expect(stale.changed).toEqual(['grouping.fee', 'grouping.members', 'pool']);
    expect(staleMessage(stale)).toBe(
      "Since this draft was computed, the grouping's fee for the period, the grouping's members or their execution shares and the pool " +
        "(the other groupings' requested payables, or their approved settlements for this period) changed: recompute it before approving",
    );
  });

  it('an indicator gone from the version in force is listed with the ones that changed', () => {
    const now = current();
    now.indicators = now.indicators.filter((i) => i.code !== 'IND-G1');
    now.indicatorSet = { version: 2, contentHash: '1'.repeat(64) };
    expect(staleInputs(stored(), now)).toEqual({ changed: ['indicatorSet', 'indicators'], indicators: ['IND-G1'] });
  });

  it('a part this code does not know is named by its key, so nothing that changed goes unsaid', () => {
    const now = { ...current(), extra: { a: '1' } } as SettlementInputs;
    const stale = staleInputs(stored(), now);
    expect(stale.changed).toEqual(['extra']);
    expect(staleMessage(stale)).toBe('Since this draft was computed, inputs.extra changed: recompute it before approving');
  });

  it('the part names are the inputs of the document, the grouping split in three', () => {
    expect(Object.keys(INPUT_PARTS).filter((k) => !k.startsWith('grouping.')).sort()).toEqual(Object.keys(padovaReasonInputs()).sort());
  });
});
