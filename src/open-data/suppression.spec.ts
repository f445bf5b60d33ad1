import { Cell, suppressSmallNumbers } from 'src/open-data/suppression';

const cells = (parts: Record<string, string>): Cell[] => Object.entries(parts).map(([key, value]) => ({ key, value }));
const keys = (published: Cell[]) => published.map((c) => c.key);

describe('small-number suppression of disaggregated counts', () => {
  it('publishes everything when no cell is below the threshold, or when there is no threshold', () => {
    const parts = cells({ OVER60: '980', UNDER60: '420' });
    expect(suppressSmallNumbers(parts, 10, { relatedToTotal: true })).toEqual({ published: parts, suppressed: [] });
    expect(suppressSmallNumbers(cells({ OVER60: '3', UNDER60: '1' }), 0, { relatedToTotal: true }).suppressed).toEqual([]);
    expect(suppressSmallNumbers(cells({ OVER60: '3', UNDER60: '1' }), 1, { relatedToTotal: true }).suppressed).toEqual([]);
  });

  it('suppresses a small cell and, since total minus the other would recover it, its complement too (the Padova worked example)', () => {
    const result = suppressSmallNumbers(cells({ SOCIALITA: '3', MOVIMENTO: '0', CULTURA: '40', SUPPORTO: '12' }), 5, { relatedToTotal: true });
    expect(keys(result.published)).toEqual(['MOVIMENTO', 'CULTURA']);
    expect(result.suppressed).toEqual([
      { key: 'SOCIALITA', reason: 'BELOW_THRESHOLD' },
      { key: 'SUPPORTO', reason: 'COMPLEMENTARY' },
    ]);
  });

  it('with two categories hides both: the total would give the small one away', () => {
    const result = suppressSmallNumbers(cells({ OVER60: '1396', UNDER60: '4' }), 5, { relatedToTotal: true });
    expect(result.published).toEqual([]);
    expect(result.suppressed).toEqual([
      { key: 'OVER60', reason: 'COMPLEMENTARY' },
      { key: 'UNDER60', reason: 'BELOW_THRESHOLD' },
    ]);
  });

  it('needs no complement when two small cells are hidden and together reach the threshold', () => {
    const result = suppressSmallNumbers(cells({ A: '3', B: '4', C: '50' }), 5, { relatedToTotal: true });
    expect(result.suppressed).toEqual([
      { key: 'A', reason: 'BELOW_THRESHOLD' },
      { key: 'B', reason: 'BELOW_THRESHOLD' },
    ]);
    expect(keys(result.published)).toEqual(['C']);
  });

  it('adds complements while the hidden cells together stay below the threshold (1 + 1 of 10 would still identify)', () => {
    const result = suppressSmallNumbers(cells({ A: '1', B: '1', C: '30', D: '20' }), 10, { relatedToTotal: true });
    expect(result.suppressed).toEqual([
      { key: 'A', reason: 'BELOW_THRESHOLD' },
      { key: 'B', reason: 'BELOW_THRESHOLD' },
      { key: 'D', reason: 'COMPLEMENTARY' },
    ]);
  });

  it('never picks a zero cell as complement (it hides nobody), choosing the smallest non-zero, first declared on ties', () => {
    const result = suppressSmallNumbers(cells({ A: '2', Z: '0', B: '7', C: '7' }), 5, { relatedToTotal: true });
    expect(result.suppressed).toEqual([
      { key: 'A', reason: 'BELOW_THRESHOLD' },
      { key: 'B', reason: 'COMPLEMENTARY' },
    ]);
    expect(keys(result.published)).toEqual(['Z', 'C']);
  });

  it('suppresses only the small cells of parts unrelated to a total (rates, scores)', () => {
    const result = suppressSmallNumbers(cells({ A: '2', B: '70' }), 5, { relatedToTotal: false });
    expect(result.suppressed).toEqual([{ key: 'A', reason: 'BELOW_THRESHOLD' }]);
  });

  it('treats the threshold as exclusive and compares decimals exactly', () => {
    expect(suppressSmallNumbers(cells({ A: '5', B: '9' }), 5, { relatedToTotal: true }).suppressed).toEqual([]);
    expect(suppressSmallNumbers(cells({ A: '4.999', B: '9' }), 5, { relatedToTotal: true }).suppressed.map((s) => s.key)).toEqual(['A', 'B']);
  });
});
