// OCDS amounts are JSON numbers, but money never passes through a JavaScript number here: a
// JsonDecimal holds the decimal string and the serializer below writes its digits as they are.
//   stringifyJson({ amount: new JsonDecimal('320000.00') }) === '{\n  "amount": 320000.00\n}'

export class JsonDecimal {
  constructor(readonly text: string) {
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text)) {
      throw new TypeError(`not a decimal string: ${JSON.stringify(text)}`);
    }
  }
}

export type JsonValue = string | boolean | null | JsonDecimal | JsonValue[] | { [key: string]: JsonValue | undefined };

/** JSON text, indented by two spaces; keys whose value is undefined are left out, as JSON.stringify does. */
export function stringifyJson(value: JsonValue, indent = ''): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonDecimal) return value.text;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map((v) => inner + stringifyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter((e): e is [string, JsonValue] => e[1] !== undefined);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
