import { Engine } from 'json-rules-engine';
import { evaluateWithReferenceEngine } from 'src/rules/reference-engine';

describe('json-rules-engine as the reference, with decimal operators', () => {
  it('a stock engine would say "9" > "10" (string comparison); the re-bound one does not', async () => {
    const condition = { all: [{ fact: 'PLACED', operator: 'greaterThan' as const, value: '10' }] };
    const stock = new Engine([{ conditions: condition, event: { type: 'holds' } }]);
    expect((await stock.run({ PLACED: '9' })).events).toHaveLength(1);
    await expect(evaluateWithReferenceEngine(condition, { PLACED: '9' })).resolves.toBe(false);
    await expect(evaluateWithReferenceEngine(condition, { PLACED: '11' })).resolves.toBe(true);
  });

  it("evaluates Padova's gate at 0.20, 0.15 and 0.12", async () => {
    const gate = { all: [{ fact: 'UNDER60_SHARE', operator: 'greaterThanInclusive' as const, value: '0.15' }] };
    await expect(evaluateWithReferenceEngine(gate, { UNDER60_SHARE: '0.20' })).resolves.toBe(true);
    await expect(evaluateWithReferenceEngine(gate, { UNDER60_SHARE: '0.15' })).resolves.toBe(true);
    await expect(evaluateWithReferenceEngine(gate, { UNDER60_SHARE: '0.12' })).resolves.toBe(false);
  });

  it('compares fact to fact and negates with not', async () => {
    const c = { not: { fact: 'A', operator: 'lessThan' as const, value: { fact: 'B' } } };
    await expect(evaluateWithReferenceEngine(c, { A: '2', B: '10' })).resolves.toBe(false);
    await expect(evaluateWithReferenceEngine(c, { A: '10.00', B: '10' })).resolves.toBe(true);
  });

  it('rejects an undefined fact instead of treating it as false', async () => {
    const c = { all: [{ fact: 'MISSING', operator: 'equal' as const, value: '1' }] };
    await expect(evaluateWithReferenceEngine(c, {})).rejects.toThrow(/Undefined fact: MISSING/);
  });

  it('rejects a fact that is not a decimal string', async () => {
    const c = { all: [{ fact: 'A', operator: 'equal' as const, value: '1' }] };
    await expect(evaluateWithReferenceEngine(c, { A: 1 as unknown as string })).rejects.toThrow('equal: not a decimal string: 1');
  });

  it('does not decorate the condition it was given', async () => {
    const c = { all: [{ fact: 'A', operator: 'equal' as const, value: '1' }] };
    await evaluateWithReferenceEngine(c, { A: '1' });
    expect(c).toEqual({ all: [{ fact: 'A', operator: 'equal', value: '1' }] });
  });
});
