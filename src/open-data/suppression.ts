import { dec, Dec } from 'src/common/decimal/decimal';

// Small-number suppression for published counts of people (IATI and OCDS exports). One breakdown of a
// total (one disaggregation dimension: TARGET_GROUP = OVER60 / UNDER60) is published cell by cell; a
// cell counting fewer than `threshold` people could identify them, so:
//   1. primary:       every cell with 0 < value < threshold is suppressed (zero reveals nobody);
//   2. complementary: when the parts relate to the published total (SUM, or a de-duplicated UNIQUE
//      count), a single suppressed cell would be recovered as total - the others; so further cells are
//      suppressed, smallest non-zero first (declared order on ties), until at least two are suppressed
//      and together they count at least `threshold` (a sum below it would again identify).
// Suppressed cells are left out of the export (IATI: no <actual> for them; OCDS: no observation), with
// a note saying how many and why. threshold <= 1 suppresses nothing.
//
// Worked example, threshold 5, parts SOCIALITA 3, MOVIMENTO 0, CULTURA 40, SUPPORTO 12 (total 55):
//   primary SOCIALITA (3); one cell is recoverable, so complementary: the smallest non-zero left is
//   SUPPORTO (12): suppressed 3 + 12 = 15 >= 5 over two cells: publish MOVIMENTO 0 and CULTURA 40 only.

export interface Cell {
  key: string;
  /** A decimal string (a count of people). */
  value: string;
}

export interface SuppressedCell {
  key: string;
  reason: 'BELOW_THRESHOLD' | 'COMPLEMENTARY';
}

export interface SuppressionResult {
  /** The cells that may be published, in their declared order. */
  published: Cell[];
  suppressed: SuppressedCell[];
}

export interface SuppressionOptions {
  /** True when the parts add up to (or bound) a published total, so one hidden cell could be recovered. */
  relatedToTotal: boolean;
}

export function suppressSmallNumbers(cells: readonly Cell[], threshold: number, options: SuppressionOptions): SuppressionResult {
  if (!Number.isInteger(threshold) || threshold <= 1) {
    return { published: [...cells], suppressed: [] };
  }
  const limit = new Dec(threshold);
  const values = cells.map((c) => dec(c.value));
  const reasons = new Map<number, SuppressedCell['reason']>();
  values.forEach((v, i) => {
    if (v.greaterThan(0) && v.lessThan(limit)) reasons.set(i, 'BELOW_THRESHOLD');
  });
  if (options.relatedToTotal && reasons.size > 0) {
    const candidates = values
      .map((v, i) => ({ v, i }))
      .filter(({ v, i }) => !reasons.has(i) && v.greaterThan(0))
      .sort((a, b) => a.v.comparedTo(b.v) || a.i - b.i);
    const suppressedSum = (): Dec => [...reasons.keys()].reduce((acc, i) => acc.plus(values[i]), new Dec(0));
    for (const { i } of candidates) {
      if (reasons.size >= 2 && suppressedSum().greaterThanOrEqualTo(limit)) break;
      reasons.set(i, 'COMPLEMENTARY');
    }
  }
  return {
    published: cells.filter((_, i) => !reasons.has(i)),
    suppressed: cells.flatMap((c, i) => {
      const reason = reasons.get(i);
      return reason === undefined ? [] : [{ key: c.key, reason }];
    }),
  };
}
