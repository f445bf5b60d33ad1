// A small strict RFC 4180 reader (no CSV package is installed, and none is added for this): fields
// separated by one character, records by CRLF or LF, fields optionally in double quotes with "" for a
// quote. Anything else (a quote inside an unquoted field, text after a closing quote, an unterminated
// quote) is an error naming the line. Pure: no Nest, no I/O.

export interface CsvRecord {
  /** 1-based line on which the record starts (quoted fields may span lines). */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Parses text (without BOM) into records. A final line break does not start an empty record. */
export function parseCsv(text: string, separator: ',' | ';'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false; // the current field started with a quote
  let afterQuote = false; // the current field's closing quote has been read
  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted && !afterQuote) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        afterQuote = true;
        i += 1;
        continue;
      }
      if (c === '\n') line += 1;
      field += c;
      i += 1;
      continue;
    }
    if (c === separator) {
      endField();
      i += 1;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      i += 1;
      continue;
    }
    if (c === '\n') {
      endRecord();
      line += 1;
      recordLine = line;
      i += 1;
      continue;
    }
    if (c === '\r') {
      throw new CsvSyntaxError(line, 'a carriage return must be followed by a line feed');
    }
    if (afterQuote) {
      throw new CsvSyntaxError(line, 'a quoted field must end at a separator or the end of the line');
    }
    if (c === '"') {
      if (field.length > 0) {
        throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
      }
      quoted = true;
      i += 1;
      continue;
    }
    field += c;
    i += 1;
  }
  if (quoted && !afterQuote) {
    throw new CsvSyntaxError(recordLine, 'a quoted field is not closed');
  }
  if (field.length > 0 || fields.length > 0 || quoted) {
    endRecord();
  }
  return records;
}

/** The separator of a file, from its header line: semicolon when the header has one (Italian Excel), else comma. */
export function detectSeparator(text: string): ',' | ';' {
  const end = text.search(/\r?\n/);
  const header = end < 0 ? text : text.slice(0, end);
  return header.includes(';') ? ';' : ',';
}

/** Decodes UTF-8 strictly (an invalid byte is an error, not a replacement character) and drops a BOM. */
export function decodeUtf8(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
