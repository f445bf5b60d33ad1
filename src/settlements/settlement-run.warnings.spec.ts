import type { LineStatus } from 'src/settlements/calculation/settlement.types';
import { runWarnings, type DraftedDocument } from 'src/settlements/settlement-run.warnings';

// What a portfolio run tells the contract manager about a settled contract: its period not closed, groupings
// drafted with no accepted measurement at all, and the others with terms settled by the missing-data policy.

/** A draft of `grouping` with one line per status, and indicators with that many accepted sources each. */
const draft = (grouping: string, lines: LineStatus[], sources: number[]): DraftedDocument => ({
  inputs: {
    grouping: { code: grouping },
    indicators: sources.map((n) => ({
      sources: Array.from({ length: n }, (_, i) => ({ measurementId: `m${i}`, version: 1, organisation: 'ETS', value: '1', notAssessable: false, sampleSize: null })),
    })),
  },
  result: { lines: lines.map((status) => ({ status })) },
});

const PAID: LineStatus[] = ['PAID', 'PAID', 'BELOW_THRESHOLD', 'GATE_FAILED', 'NO_TARGET'];

describe('warnings of a contract a portfolio run settled', () => {
  it('a closed period with every term measured tells nothing', () => {
    expect(runWarnings('Y2', true, [draft('RTI-A', PAID, [1, 1, 2]), draft('RTI-B', PAID, [1, 1, 1])])).toEqual([]);
  });

  it('an open period is told even when the data is complete, naming no grouping', () => {
    expect(runWarnings('Y2', false, [draft('RTI-A', PAID, [1, 1, 2])])).toEqual([
      {
        code: 'PERIOD_OPEN',
        message: 'Period Y2 is not closed: measurements can still be submitted, corrected and reviewed, and its drafts may change',
        groupings: [],
      },
    ]);
  });

  it('counts the terms settled by the missing-data policy, MISSING_ZERO and EXCLUDED alike, per grouping in contract order', () => {
    const warnings = runWarnings('Y2', true, [
      draft('RTI-A', ['PAID', 'MISSING_ZERO', 'PAID', 'MISSING_ZERO', 'SUSPENDED'], [1, 0, 1, 0, 1]),
      draft('RTI-B', PAID, [1, 1, 1, 1, 1]),
      draft('RTI-C', ['EXCLUDED', 'PAID', 'PAID'], [1, 1, 1]),
    ]);
    expect(warnings).toEqual([
      {
        code: 'MISSING_DATA',
        message: 'Terms settled by the missing-data policy (no accepted value, or not assessable) in period Y2: RTI-A 2 of 5, RTI-C 1 of 3',
        groupings: [
          { grouping: 'RTI-A', terms: 5, onMissingData: 2 },
          { grouping: 'RTI-C', terms: 3, onMissingData: 1 },
        ],
      },
    ]);
  });

  it('a grouping with no accepted measurement at all is told apart from those missing some, and not counted twice', () => {
    const warnings = runWarnings('Y3', false, [
      draft('RTI-A', ['MISSING_ZERO', 'MISSING_ZERO', 'EXCLUDED'], [0, 0, 0]),
      draft('RTI-B', ['PAID', 'MISSING_ZERO'], [1, 0]),
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['PERIOD_OPEN', 'NO_ACCEPTED_MEASUREMENTS', 'MISSING_DATA']);
    expect(warnings[1]).toEqual({
      code: 'NO_ACCEPTED_MEASUREMENTS',
      message: 'No accepted measurement for RTI-A in period Y3: its draft is made without any measured value',
      groupings: [{ grouping: 'RTI-A', terms: 3, onMissingData: 3 }],
    });
    expect(warnings[2].groupings).toEqual([{ grouping: 'RTI-B', terms: 2, onMissingData: 1 }]);
  });

  it('a period with no measurement is told even when no term is settled on missing data (terms without a target)', () => {
    expect(runWarnings('Y1', true, [draft('RTI-A', ['NO_TARGET', 'NO_TARGET'], [0, 0]), draft('RTI-B', ['NO_TARGET'], [0])])).toEqual([
      {
        code: 'NO_ACCEPTED_MEASUREMENTS',
        message: 'No accepted measurement for RTI-A, RTI-B in period Y1: their drafts are made without any measured value',
        groupings: [
          { grouping: 'RTI-A', terms: 2, onMissingData: 0 },
          { grouping: 'RTI-B', terms: 1, onMissingData: 0 },
        ],
      },
    ]);
  });

  it('nothing drafted (every grouping approved) tells only about the period', () => {
    expect(runWarnings('Y2', true, [])).toEqual([]);
    expect(runWarnings('Y2', false, []).map((w) => w.code)).toEqual(['PERIOD_OPEN']);
  });
});
