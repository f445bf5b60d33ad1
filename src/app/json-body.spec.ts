import { jsonDepthExceeds, MAX_JSON_DEPTH, parseJsonBody, unsafeJsonProblems } from 'src/app/json-body';
import { CommonError } from 'src/common/errors/common.errors';

function refusal(text: string): { code: string; message: string; details: unknown } {
  try {
    parseJsonBody(text);
  } catch (error) {
    if (error instanceof CommonError) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error(`not refused: ${text}`);
}

describe('the JSON body parser', () => {
  it('reads JSON, and empty text as no body', () => {
    expect(parseJsonBody('{"a": ["1", {"b": null}]}')).toEqual({ a: ['1', { b: null }] });
    expect(parseJsonBody('')).toBeUndefined();
    expect(parseJsonBody(' \r\n\t')).toBeUndefined();
    expect(parseJsonBody('null')).toBeNull();
  });

  it('counts nesting outside strings only, escaped quotes included', () => {
    const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(`["${'['.repeat(100)}"]`, 2)).toBe(false);
    expect(jsonDepthExceeds(`["a\\"[[[", [[1]]]`, 2)).toBe(true);
    expect(jsonDepthExceeds(`["a\\\\", [1]]`, 1)).toBe(true);
    expect(jsonDepthExceeds('[1], [2], [3]', 1)).toBe(false);
  });

  it('refuses deep nesting before parsing, and text that is not JSON with the reason', () => {
    expect(refusal(`{"a": ${'['.repeat(65)}${']'.repeat(65)}}`)).toEqual({
      code: 'MALFORMED_REQUEST',
      message: 'The JSON body nests objects and arrays deeper than 64 levels',
      details: { maxDepth: 64 },
    });
    const bad = refusal('{"a": }');
    expect(bad.code).toBe('MALFORMED_REQUEST');
    expect(bad.message).toMatch(/^The body is not valid JSON: .+/);
  });

  it('names keys reaching prototypes and NUL characters in strings and keys, at their paths', () => {
    expect(unsafeJsonProblems(JSON.parse('{"a": [{"__proto__": {}}], "b": {"constructor": {"prototype": 1}}, "c": {"constructor": "x"}}'), true, false)).toEqual([
      { field: 'a[0].__proto__', code: 'forbiddenKey', message: 'a[0].__proto__ is not allowed: "__proto__" and "constructor.prototype" keys are refused' },
      { field: 'b.constructor', code: 'forbiddenKey', message: 'b.constructor is not allowed: "__proto__" and "constructor.prototype" keys are refused' },
    ]);
    expect(unsafeJsonProblems({ n: 'a\u0000', list: ['ok', 'b\u0000'], ['k\u0000']: 1 }, false, true)).toEqual([
      { field: 'n', code: 'noNulCharacter', message: 'n must not contain a NUL character (\\u0000)' },
      { field: 'list[1]', code: 'noNulCharacter', message: 'list[1] must not contain a NUL character (\\u0000)' },
      { field: 'k\u0000', code: 'noNulCharacter', message: 'a key of the body contains a NUL character (\\u0000)' },
    ]);
    expect(refusal('"a\\u0000"')).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'the body must not contain a NUL character (\\u0000)',
      details: { fields: [{ field: '', code: 'noNulCharacter', message: 'the body must not contain a NUL character (\\u0000)' }] },
    });
    // Text that only mentions them is read as it is.
    expect(parseJsonBody('{"note": "about __proto__, prototype and \\\\u0000"}')).toEqual({ note: 'about __proto__, prototype and \\u0000' });
  });
});
