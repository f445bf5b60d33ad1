import { compileCondition, compileConditions, conditionHash } from 'src/rules/condition.compiler';
import type { TopLevelCondition } from 'src/rules/condition.types';
import { RuleError } from 'src/rules/rules.errors';

// Padova (../shared/examples/padova-sdc.md): the job-placement term pays only if at least 15% of the
// people placed are under 60.
const padovaGate: TopLevelCondition = {
  all: [{ fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: '0.15' }],
};

function thrown(fn: () => unknown): InstanceType<typeof RuleError> {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a RuleError');
}

/** The trace as it is serialised (entries make their text when read). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('compiled rule conditions', () => {
  describe("Padova's gate: UNDER60 share >= 0.15", () => {
    const gate = compileCondition(padovaGate);

    it('holds at 0.20', () => {
      expect(plain(gate.evaluate({ UNDER60_SHARE: '0.20' }))).toEqual({
        holds: true,
        trace: [
          { path: '', holds: true, text: 'all of 1 is true' },
          { path: 'all[0]', holds: true, text: 'UNDER60_SHARE 0.20 >= 0.15 is true' },
        ],
      });
    });

    it('holds exactly at the threshold 0.15, also written 0.150', () => {
      expect(gate.evaluate({ UNDER60_SHARE: '0.15' }).holds).toBe(true);
      expect(gate.evaluate({ UNDER60_SHARE: '0.150' }).trace[1].text).toBe('UNDER60_SHARE 0.150 >= 0.15 is true');
    });

    it('fails at 0.12 and says why', () => {
      const result = gate.evaluate({ UNDER60_SHARE: '0.12' });
      expect(result.holds).toBe(false);
      expect(plain(result.trace[1])).toEqual({ path: 'all[0]', holds: false, text: 'UNDER60_SHARE 0.12 >= 0.15 is false' });
    });

    it('reads only the facts it names', () => {
      expect(gate.facts).toEqual(['UNDER60_SHARE']);
      expect(gate.evaluate({ UNDER60_SHARE: '0.20', OTHER: 'not even a decimal' }).holds).toBe(true);
    });
  });

  it('compares numbers, not strings: "9" is not greater than "10"', () => {
    const c = compileCondition({ all: [{ fact: 'PLACED', operator: 'greaterThan', value: '10' }] });
    expect(c.evaluate({ PLACED: '9' }).holds).toBe(false);
    expect(c.evaluate({ PLACED: '11' }).holds).toBe(true);
    expect(c.evaluate({ PLACED: '10.0' }).holds).toBe(false);
  });

  it('treats 8.0 and 8 as equal, and -0 as zero', () => {
    const eq = compileCondition({ all: [{ fact: 'X', operator: 'equal', value: '8' }] });
    expect(eq.evaluate({ X: '8.0' }).holds).toBe(true);
    const ne = compileCondition({ all: [{ fact: 'X', operator: 'notEqual', value: '0' }] });
    expect(ne.evaluate({ X: '-0.00' }).holds).toBe(false);
  });

  it('decides thresholds a float would get wrong: 0.1 + 0.2 style values are exact', () => {
    const c = compileCondition({ all: [{ fact: 'RATE', operator: 'lessThanInclusive', value: '0.30000000000000000001' }] });
    expect(c.evaluate({ RATE: '0.3' }).holds).toBe(true);
    expect(c.evaluate({ RATE: '0.30000000000000000002' }).holds).toBe(false);
  });

  it('guardrail: satisfaction >= 7 and (under-60 share >= 0.15 or not placements < 5), traced node by node', () => {
    const c = compileCondition({
      all: [
        { fact: 'SATISFACTION', operator: 'greaterThanInclusive', value: '7' },
        {
          any: [
            { fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: '0.15' },
            { not: { fact: 'PLACEMENTS', operator: 'lessThan', value: '5' } },
          ],
        },
      ],
    });
    const result = c.evaluate({ SATISFACTION: '7.5', UNDER60_SHARE: '0.12', PLACEMENTS: '12' });
    expect(plain(result)).toEqual({
      holds: true,
      trace: [
        { path: '', holds: true, text: 'all of 2 is true' },
        { path: 'all[0]', holds: true, text: 'SATISFACTION 7.5 >= 7 is true' },
        { path: 'all[1]', holds: true, text: 'any of 2 is true' },
        { path: 'all[1].any[0]', holds: false, text: 'UNDER60_SHARE 0.12 >= 0.15 is false' },
        { path: 'all[1].any[1]', holds: true, text: 'not is true' },
        { path: 'all[1].any[1].not', holds: false, text: 'PLACEMENTS 12 < 5 is false' },
      ],
    });
    expect(c.evaluate({ SATISFACTION: '7.5', UNDER60_SHARE: '0.12', PLACEMENTS: '4' }).holds).toBe(false);
    expect(c.evaluate({ SATISFACTION: '6.99', UNDER60_SHARE: '0.50', PLACEMENTS: '12' }).holds).toBe(false);
  });

  it('compares a fact with another fact: actual share against the contract minimum', () => {
    const c = compileCondition({ all: [{ fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: { fact: 'MIN_SHARE' } }] });
    expect(c.facts).toEqual(['MIN_SHARE', 'UNDER60_SHARE']);
    const result = c.evaluate({ UNDER60_SHARE: '0.12', MIN_SHARE: '0.15' });
    expect(result.holds).toBe(false);
    expect(result.trace[1].text).toBe('UNDER60_SHARE 0.12 >= MIN_SHARE 0.15 is false');
    expect(c.evaluate({ UNDER60_SHARE: '0.2', MIN_SHARE: '0.15' }).holds).toBe(true);
  });

  it('refuses to evaluate when a fact it names has no value (an error, not false)', () => {
    const c = compileCondition({
      any: [
        { fact: 'A', operator: 'equal', value: '1' },
        { fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: '0.15' },
      ],
    });
    const error = thrown(() => c.evaluate({ A: '1' }));
    expect(error.code).toBe('RULE_CONDITION_FACT_UNDEFINED');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ fact: 'UNDER60_SHARE' });
  });

  it('refuses a fact that is not a decimal string, e.g. a JSON number', () => {
    const c = compileCondition(padovaGate);
    const error = thrown(() => c.evaluate({ UNDER60_SHARE: 0.2 as unknown as string }));
    expect(error.code).toBe('RULE_CONDITION_FACT_NOT_DECIMAL');
    expect(error.details).toEqual({ fact: 'UNDER60_SHARE' });
  });

  it('refuses to compile an invalid condition, with the validation code and path', () => {
    const error = thrown(() => compileCondition({ all: [{ fact: 'A', operator: 'in', value: '1' }] }));
    expect(error.code).toBe('RULE_CONDITION_OPERATOR_NOT_ALLOWED');
    expect(error.details.fields).toEqual([
      expect.objectContaining({ field: 'all[0].operator', code: 'RULE_CONDITION_OPERATOR_NOT_ALLOWED' }),
    ]);
  });

  describe('cache by content hash', () => {
    it('compiles the same content once, whatever the key order', () => {
      const a = compileCondition({ all: [{ fact: 'Q', operator: 'lessThan', value: '3' }] });
      const b = compileCondition({ all: [{ value: '3', operator: 'lessThan', fact: 'Q' }] });
      expect(b).toBe(a);
      expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('hashes the canonical JSON with SHA-256 (a known vector)', () => {
      // sha256sum of '{"all":[{"fact":"A","operator":"equal","value":"1"}]}')
      expect(conditionHash({ all: [{ value: '1', fact: 'A', operator: 'equal' }] })).toBe(
        'afc01f7c000494e2ff7535c420848a7d3b23210e0ed8f1338cfb760b8def0a77',
      );
    });

    it('gives different content different functions', () => {
      const a = compileCondition({ all: [{ fact: 'Q', operator: 'lessThan', value: '3' }] });
      const b = compileCondition({ all: [{ fact: 'Q', operator: 'lessThan', value: '3.0' }] });
      expect(b).not.toBe(a);
      expect(b.hash).not.toBe(a.hash);
    });

    it('is not affected by later changes to the object it compiled', () => {
      const source = { all: [{ fact: 'Q', operator: 'lessThan' as const, value: '100' }] };
      const compiled = compileCondition(source);
      source.all[0].value = '1';
      expect(compiled.evaluate({ Q: '50' }).holds).toBe(true);
    });
  });

  describe('conditions compiled together (a rule set on one grouping-period)', () => {
    // Padova-like: a gate on the placements term, a guardrail on satisfaction, the shadow milestone.
    const gate: TopLevelCondition = { all: [{ fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive', value: '0.15' }] };
    const guardrail: TopLevelCondition = {
      any: [
        { fact: 'SATISFACTION', operator: 'greaterThanInclusive', value: '7' },
        { fact: 'SATISFACTION.sampleSize', operator: 'lessThan', value: '30' },
      ],
    };
    const milestone: TopLevelCondition = { all: [{ fact: 'BASELINE_ROWS', operator: 'greaterThanInclusive', value: { fact: 'MIN_ROWS' } }] };
    const facts = { UNDER60_SHARE: '0.12', SATISFACTION: '7.50', 'SATISFACTION.sampleSize': '120', BASELINE_ROWS: '40', MIN_ROWS: '40.0' };

    it('reads every fact once and answers each condition as if compiled alone, with the same trace', () => {
      const set = compileConditions([gate, guardrail, milestone]);
      expect(set.facts).toEqual(['BASELINE_ROWS', 'MIN_ROWS', 'SATISFACTION', 'SATISFACTION.sampleSize', 'UNDER60_SHARE']);
      expect(set.conditions.map((c) => c.facts)).toEqual([['UNDER60_SHARE'], ['SATISFACTION', 'SATISFACTION.sampleSize'], ['BASELINE_ROWS', 'MIN_ROWS']]);
      const table = set.prepare(facts);
      const together = [0, 1, 2].map((i) => plain(set.evaluate(i, table)));
      expect(together.map((r) => (r as { holds: boolean }).holds)).toEqual([false, true, true]);
      expect(together).toEqual([gate, guardrail, milestone].map((c) => plain(compileCondition(c).evaluate(facts))));
      expect(plain(set.evaluate(1, table))).toEqual({
        holds: true,
        trace: [
          { path: '', holds: true, text: 'any of 2 is true' },
          { path: 'any[0]', holds: true, text: 'SATISFACTION 7.50 >= 7 is true' },
          { path: 'any[1]', holds: false, text: 'SATISFACTION.sampleSize 120 < 30 is false' },
        ],
      });
    });

    it('keeps each trace with its own condition when the others are evaluated afterwards', () => {
      const set = compileConditions([gate, guardrail]);
      const table = set.prepare(facts);
      const first = set.evaluate(0, table);
      set.evaluate(1, table);
      expect(plain(first)).toEqual({
        holds: false,
        trace: [
          { path: '', holds: false, text: 'all of 1 is false' },
          { path: 'all[0]', holds: false, text: 'UNDER60_SHARE 0.12 >= 0.15 is false' },
        ],
      });
    });

    it('a fact with no value fails only the conditions that name it, and says which', () => {
      const set = compileConditions([gate, guardrail, milestone]);
      const table = set.prepare({ ...facts, UNDER60_SHARE: undefined as unknown as string, MIN_ROWS: 12 as unknown as string });
      expect(set.missing(0, table)).toEqual(['UNDER60_SHARE']);
      expect(set.missing(1, table)).toEqual([]);
      expect(set.missing(2, table)).toEqual([]);
      expect(thrown(() => set.evaluate(0, table))).toMatchObject({ code: 'RULE_CONDITION_FACT_UNDEFINED', details: { fact: 'UNDER60_SHARE' } });
      expect(set.evaluate(1, table).holds).toBe(true);
      expect(thrown(() => set.evaluate(2, table))).toMatchObject({ code: 'RULE_CONDITION_FACT_NOT_DECIMAL', details: { fact: 'MIN_ROWS' } });
    });

    it('does not take a name such as "constructor" from Object.prototype', () => {
      const c = compileCondition({ all: [{ fact: 'constructor', operator: 'equal', value: '1' }] });
      expect(thrown(() => c.evaluate({})).code).toBe('RULE_CONDITION_FACT_UNDEFINED');
      expect(c.evaluate({ constructor: '1' }).holds).toBe(true);
    });

    it('refuses a table prepared by another set', () => {
      const one = compileConditions([gate]);
      const other = compileConditions([guardrail]);
      expect(() => one.evaluate(0, other.prepare(facts))).toThrow(TypeError);
    });

    it('is compiled once per content, and validates every condition as compileCondition does', () => {
      const a = compileConditions([gate, guardrail]);
      const b = compileConditions([structuredClone(gate), structuredClone(guardrail)]);
      expect(b).toBe(a);
      expect(compileConditions([guardrail, gate])).not.toBe(a);
      expect(thrown(() => compileConditions([gate, { all: [{ fact: 'A', operator: 'in', value: '1' }] }])).code).toBe('RULE_CONDITION_OPERATOR_NOT_ALLOWED');
    });
  });
});
