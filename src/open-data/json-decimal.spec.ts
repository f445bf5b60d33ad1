import { JsonDecimal, stringifyJson } from 'src/open-data/json-decimal';

describe('JSON with exact decimal numbers', () => {
  it('writes decimal strings as JSON numbers digit for digit, and everything else as JSON.stringify would', () => {
    const value = { amount: new JsonDecimal('320000.00'), tiny: new JsonDecimal('0.1000000000000000000001'), name: 'Aurora "A"', list: [true, null, []], none: undefined, empty: {} };
    const text = stringifyJson(value);
    expect(text).toBe(
      '{\n  "amount": 320000.00,\n  "tiny": 0.1000000000000000000001,\n  "name": "Aurora \\"A\\"",\n  "list": [\n    true,\n    null,\n    []\n  ],\n  "empty": {}\n}',
    );
    expect(JSON.parse(text)).toEqual({ amount: 320000, tiny: 0.1, name: 'Aurora "A"', list: [true, null, []], empty: {} });
  });

  it('refuses anything that is not a plain decimal string', () => {
    for (const bad of ['1e5', '1,5', '', 'NaN', '01']) {
      expect(() => new JsonDecimal(bad)).toThrow(TypeError);
    }
  });
});
