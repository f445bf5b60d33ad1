import { assertValidCondition, conditionProblems } from 'src/rules/condition.validation';
import { RuleError } from 'src/rules/rules.errors';

const knownFacts = ['UNDER60_SHARE', 'PLACEMENTS', 'SATISFACTION', 'MIN_SHARE'];

function leafAtDepth(depth: number): unknown {
  // depth 1 is the top group; each further level wraps in { all: [...] }.
  let node: unknown = { fact: 'PLACEMENTS', operator: 'greaterThan', value: '0' };
  for (let i = 1; i < depth; i += 1) node = { all: [node] };
  return node;
}

describe('validating rule conditions', () => {
  it("accepts Padova's gate and a nested guardrail with a fact-to-fact comparison", () => {
    expect(conditionProblems({ all: [{ fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: '0.15' }] }, { knownFacts })).toEqual([]);
    expect(
      conditionProblems(
        {
          name: 'guardrail',
          any: [
            { not: { fact: 'SATISFACTION', operator: 'lessThan', value: '7' } },
            { all: [{ fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: { fact: 'MIN_SHARE' } }] },
          ],
        },
        { knownFacts },
      ),
    ).toEqual([]);
  });

  it('names an unknown fact with its path, also inside a fact reference', () => {
    expect(
      conditionProblems(
        {
          all: [
            { fact: 'PLACEMENTS', operator: 'greaterThan', value: '0' },
            { any: [{ fact: 'OVER60_SHARE', operator: 'lessThan', value: { fact: 'MAX_SHARE' } }] },
          ],
        },
        { knownFacts },
      ),
    ).toEqual([
      { code: 'RULE_CONDITION_UNKNOWN_FACT', field: 'all[1].any[0].fact', message: 'unknown fact "OVER60_SHARE"; known facts begin with MIN_SHARE, PLACEMENTS, SATISFACTION, UNDER60_SHARE' },
      { code: 'RULE_CONDITION_UNKNOWN_FACT', field: 'all[1].any[0].value.fact', message: 'unknown fact "MAX_SHARE"; known facts begin with MIN_SHARE, PLACEMENTS, SATISFACTION, UNDER60_SHARE' },
    ]);
  });

  it('suggests the known facts nearest an unknown one: under its longest known prefix, at most twelve, or none offered', () => {
    const parts = Array.from({ length: 14 }, (_, i) => `IND-01.AREA.Z${String(i).padStart(2, '0')}`);
    const [problem] = conditionProblems({ all: [{ fact: 'IND-01.AREA.Z99.share', operator: 'equal', value: '1' }] }, { knownFacts: ['IND-01', ...parts] });
    expect(problem.message).toBe(`unknown fact "IND-01.AREA.Z99.share"; known facts under IND-01.AREA: ${parts.slice(0, 12).join(', ')} and 2 more`);
    const [none] = conditionProblems({ all: [{ fact: 'X', operator: 'equal', value: '1' }] }, { knownFacts: [] });
    expect(none.message).toBe('unknown fact "X"; the contract offers no facts');
  });

  it('allows only the six decimal comparisons (no in, contains, or string tricks)', () => {
    const problems = conditionProblems(
      {
        all: [
          { fact: 'PLACEMENTS', operator: 'in', value: '1' },
          { fact: 'PLACEMENTS', operator: 'contains', value: '1' },
          { fact: 'PLACEMENTS', operator: 'greaterThanInclusive', value: '1' },
        ],
      },
      { knownFacts },
    );
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['RULE_CONDITION_OPERATOR_NOT_ALLOWED', 'all[0].operator'],
      ['RULE_CONDITION_OPERATOR_NOT_ALLOWED', 'all[1].operator'],
    ]);
  });

  it('rejects values that are not decimal strings: JSON numbers, exponents, commas, booleans', () => {
    const problems = conditionProblems(
      {
        all: [
          { fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: 0.15 },
          { fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: '1e-1' },
          { fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: '0,15' },
          { fact: 'UNDER60_SHARE', operator: 'equal', value: true },
          { fact: 'UNDER60_SHARE', operator: 'equal', value: { fact: 'MIN_SHARE', params: {} } },
        ],
      },
      { knownFacts },
    );
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['RULE_CONDITION_VALUE_NOT_DECIMAL', 'all[0].value'],
      ['RULE_CONDITION_VALUE_NOT_DECIMAL', 'all[1].value'],
      ['RULE_CONDITION_VALUE_NOT_DECIMAL', 'all[2].value'],
      ['RULE_CONDITION_VALUE_NOT_DECIMAL', 'all[3].value'],
      ['RULE_CONDITION_VALUE_NOT_DECIMAL', 'all[4].value'],
    ]);
    expect(problems[0].message).toContain('send "0.15" as a string');
  });

  it('rejects a JSONPath path on a fact or on a fact reference', () => {
    const problems = conditionProblems(
      {
        all: [
          { fact: 'PLACEMENTS', operator: 'greaterThan', value: '0', path: '$.count' },
          { not: { fact: 'PLACEMENTS', operator: 'equal', value: { fact: 'MIN_SHARE', path: '$.x' } } },
        ],
      },
      { knownFacts },
    );
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['RULE_CONDITION_PATH_NOT_ALLOWED', 'all[0].path'],
      ['RULE_CONDITION_PATH_NOT_ALLOWED', 'all[1].not.value.path'],
    ]);
  });

  it('allows 8 levels of nesting and rejects the 9th at its path', () => {
    expect(conditionProblems(leafAtDepth(8), { knownFacts })).toEqual([]);
    const problems = conditionProblems(leafAtDepth(9), { knownFacts });
    expect(problems).toEqual([
      {
        code: 'RULE_CONDITION_TOO_DEEP',
        field: 'all[0].all[0].all[0].all[0].all[0].all[0].all[0].all[0]',
        message: 'conditions may nest at most 8 levels deep',
      },
    ]);
  });

  it('allows 200 nodes and rejects 201', () => {
    const leaf = { fact: 'PLACEMENTS', operator: 'greaterThan', value: '0' };
    expect(conditionProblems({ all: Array.from({ length: 199 }, () => leaf) })).toEqual([]);
    expect(conditionProblems({ all: Array.from({ length: 200 }, () => leaf) })).toEqual([
      { code: 'RULE_CONDITION_TOO_LARGE', field: '', message: 'a condition may have at most 200 nodes' },
    ]);
  });

  it('rejects shapes json-rules-engine would read differently or we do not support', () => {
    const cases: Array<[unknown, string]> = [
      [{ fact: 'PLACEMENTS', operator: 'greaterThan', value: '0' }, ''],
      [{ any: [] }, 'any'],
      [{ all: { fact: 'PLACEMENTS', operator: 'greaterThan', value: '0' } }, 'all'],
      [{ not: [{ fact: 'PLACEMENTS', operator: 'greaterThan', value: '0' }] }, 'not'],
      [{ all: [{ condition: 'sharedGate' }] }, 'all[0].condition'],
      [{ all: [], any: [] }, ''],
      [{ all: [{ fact: 'PLACEMENTS', operator: 'greaterThan' }] }, 'all[0].value'],
      [{ all: [{ fact: 'PLACEMENTS', operator: 'greaterThan', value: '0', priority: 2 }] }, 'all[0].priority'],
      [{ all: ['PLACEMENTS > 0'] }, 'all[0]'],
      ['all', ''],
    ];
    for (const [condition, field] of cases) {
      expect(conditionProblems(condition, { knownFacts })).toEqual([expect.objectContaining({ code: 'RULE_CONDITION_SHAPE_INVALID', field })]);
    }
  });

  it('prefixes paths with the place of the condition in its document', () => {
    expect(conditionProblems({ all: [{ fact: 'NOPE', operator: 'equal', value: '1' }] }, { knownFacts, at: 'terms[2].gate' })).toEqual([
      expect.objectContaining({ code: 'RULE_CONDITION_UNKNOWN_FACT', field: 'terms[2].gate.all[0].fact' }),
    ]);
  });

  it('throws a 422 RuleError whose code is the first problem, listing all of them', () => {
    let error: unknown;
    try {
      assertValidCondition({ all: [{ fact: 'NOPE', operator: 'equal', value: 1 }] }, { knownFacts });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleError);
    const ruleError = error as InstanceType<typeof RuleError>;
    expect(ruleError.status).toBe(422);
    expect(ruleError.code).toBe('RULE_CONDITION_UNKNOWN_FACT');
    expect(ruleError.details.fields?.map((f) => [f.code, f.field])).toEqual([
      ['RULE_CONDITION_UNKNOWN_FACT', 'all[0].fact'],
      ['RULE_CONDITION_VALUE_NOT_DECIMAL', 'all[0].value'],
    ]);
  });
});
