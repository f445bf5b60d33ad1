import { CsvSyntaxError, decodeUtf8, detectSeparator, parseCsv } from 'src/measurements/csv.parser';

describe('strict RFC 4180 reader', () => {
  it('reads comma-separated records with CRLF or LF and no empty record after the final line break', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4\n', ',')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  it('keeps empty fields, including trailing ones', () => {
    expect(parseCsv('a;;c;\n', ';')).toEqual([{ line: 1, fields: ['a', '', 'c', ''] }]);
  });

  it('keeps a NUL character as field text, quoted or not (the measurement reader refuses it on its line and column)', () => {
    expect(parseCsv('a\u0000b,"c\u0000"\n', ',')).toEqual([{ line: 1, fields: ['a\u0000b', 'c\u0000'] }]);
  });

  it('reads quoted fields with separators, doubled quotes and line breaks, and numbers lines from the record start', () => {
    const records = parseCsv('h1;h2\n"x;y";"he said ""ok"""\n"two\nlines";z\nlast;1', ';');
    expect(records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['x;y', 'he said "ok"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
      { line: 5, fields: ['last', '1'] },
    ]);
  });

  it('refuses a quote inside an unquoted field, text after a closing quote, an unterminated quote and a bare CR', () => {
    expect(() => parseCsv('a,b"c\n', ',')).toThrow(new CsvSyntaxError(1, 'a quote inside an unquoted field (quote the whole field and double the quote)'));
    expect(() => parseCsv('a\n"b"c,d\n', ',')).toThrow(/line 2: a quoted field must end/);
    expect(() => parseCsv('a\nb\n"open,d\n', ',')).toThrow(/line 3: a quoted field is not closed/);
    expect(() => parseCsv('a\rb', ',')).toThrow(/carriage return/);
  });

  it('detects the separator from the header line only', () => {
    expect(detectSeparator('indicator;period;value\r\nIND-01;Y2;"1,5"')).toBe(';');
    expect(detectSeparator('indicator,period,value\nIND-01,Y2,"a;b"')).toBe(',');
  });

  it('decodes UTF-8 with or without BOM and refuses invalid bytes', () => {
    expect(decodeUtf8(Buffer.from('\uFEFFcittà;x', 'utf8'))).toBe('città;x');
    expect(decodeUtf8(Buffer.from('città', 'utf8'))).toBe('città');
    expect(() => decodeUtf8(Buffer.from([0x63, 0x69, 0x74, 0x74, 0xe0]))).toThrow(/not valid for encoding utf-8/);
  });
});
