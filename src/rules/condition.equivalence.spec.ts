import fc from 'fast-check';
import { compileCondition } from 'src/rules/condition.compiler';
import { DECIMAL_OPERATORS, type Condition, type Facts, type LeafCondition, type TopLevelCondition } from 'src/rules/condition.types';
import { conditionProblems } from 'src/rules/condition.validation';
import { evaluateWithReferenceEngine } from 'src/rules/reference-engine';

// Issue 4 §2: the compiled evaluator and json-rules-engine (with decimal operators) agree on every
// condition. Random conditions of bounded depth over a few facts, random decimal facts; seeded.

const FACT_NAMES = ['UNDER60_SHARE', 'PLACEMENTS', 'SATISFACTION', 'MIN_SHARE'] as const;

// Decimal strings that make string and float comparison go wrong: "9" vs "10", "8" vs "8.0", "-0",
// 0.1 + 0.2, long fractions; plus arbitrary ones within DECIMAL_PATTERN.
const trickyDecimal = fc.constantFrom('0', '-0', '-0.00', '0.1', '0.2', '0.3', '0.30', '0.15', '0.150', '0.12', '0.2', '8', '8.0', '9', '10', '100', '-1', '-10', '0.30000000000000000001');
const anyDecimal = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole.toString()}${fraction === undefined ? '' : `.${fraction}`}`);
const decimal = fc.oneof({ weight: 3, arbitrary: trickyDecimal }, { weight: 2, arbitrary: anyDecimal });

const factName = fc.constantFrom(...FACT_NAMES);

const leaf: fc.Arbitrary<LeafCondition> = fc.record({
  fact: factName,
  operator: fc.constantFrom(...DECIMAL_OPERATORS),
  value: fc.oneof(decimal, factName.map((fact) => ({ fact }))),
});

const { group } = fc.letrec<{ node: Condition; group: TopLevelCondition }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 5 }, leaf, tie('group')),
  group: fc.oneof(
    fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
    fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
    fc.record({ not: tie('node') }),
  ),
}));

function nodeCount(c: Condition): number {
  if ('fact' in c) return 1;
  if ('all' in c) return 1 + c.all.reduce((n, x) => n + nodeCount(x), 0);
  if ('any' in c) return 1 + c.any.reduce((n, x) => n + nodeCount(x), 0);
  return 1 + nodeCount(c.not);
}

const facts: fc.Arbitrary<Facts> = fc.record(Object.fromEntries(FACT_NAMES.map((name) => [name, decimal])) as Record<(typeof FACT_NAMES)[number], fc.Arbitrary<string>>);

describe('compiled conditions agree with json-rules-engine', () => {
  it('on every generated condition and fact set (seed 42, 300 runs)', async () => {
    let holdsSeen = 0;
    await fc.assert(
      fc.asyncProperty(group, facts, async (condition, given) => {
        // Everything generated is within the accepted language (depth 8, 200 nodes).
        expect(conditionProblems(condition, { knownFacts: FACT_NAMES })).toEqual([]);
        const compiled = compileCondition(condition).evaluate(given);
        const reference = await evaluateWithReferenceEngine(condition, given);
        expect(compiled.holds).toBe(reference);
        // The trace's top entry is the answer, and there is one entry per node.
        expect(compiled.trace[0]).toEqual(expect.objectContaining({ path: '', holds: reference }));
        expect(compiled.trace).toHaveLength(nodeCount(condition));
        if (reference) holdsSeen += 1;
      }),
      { seed: 42, numRuns: 300 },
    );
    // The generator is not degenerate: both outcomes occur often.
    expect(holdsSeen).toBeGreaterThan(60);
    expect(holdsSeen).toBeLessThan(240);
  });

  it('on single comparisons between arbitrary decimals, where strings or floats would differ (seed 42, 500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DECIMAL_OPERATORS), decimal, decimal, async (operator, left, right) => {
        const condition: TopLevelCondition = { all: [{ fact: 'A', operator, value: { fact: 'B' } }] };
        const given = { A: left, B: right };
        expect(compileCondition(condition).evaluate(given).holds).toBe(await evaluateWithReferenceEngine(condition, given));
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
