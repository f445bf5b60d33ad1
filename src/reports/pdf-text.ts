// The PDF report uses the standard Helvetica and Courier fonts, which print only the WinAnsi characters
// (ASCII, Latin-1 and a few more: € … – — ‘ ’ “ ” • ™ Œ œ Š š Ž ž Ÿ ƒ ˆ ˜ ‰ † ‡ ‹ ›). PDFKit writes any other
// character as bytes of its UTF-16 code, which a viewer shows as garbage: a reason's "≈0,9203" came out as
// `"H0,9203`. So every string is made printable first: the symbols Ancora writes get a WinAnsi spelling
// ("≈" -> "~", "≥" -> ">="), a letter with a mark outside WinAnsi loses the mark ("č" -> "c", "ő" -> "o";
// "ł" -> "l"), and anything else becomes "?". The JSON document, CSV and XLSX keep every character.

const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

const SPELLED: Readonly<Record<string, string>> = {
  '≈': '~',
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '→': '->',
  '←': '<-',
  '−': '-',
  'ł': 'l',
  'Ł': 'L',
  'đ': 'd',
  'Đ': 'D',
  'ı': 'i',
  '‐': '-',
  '‑': '-',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
};

function printable(code: number, char: string): boolean {
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.includes(char);
}

/** `text` with only characters the standard PDF fonts print (see above); unchanged when it has none other. */
export function winAnsiText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (printable(code, char)) {
      out += char;
      continue;
    }
    const spelled = SPELLED[char];
    if (spelled !== undefined) {
      out += spelled;
      continue;
    }
    const base = [...char.normalize('NFKD')].filter((c) => printable(c.codePointAt(0) ?? 0, c)).join('');
    out += base === '' ? '?' : base;
  }
  return out;
}

/**
 * Makes every string this document draws or measures printable (winAnsiText), whoever calls `text`,
 * `heightOfString` or `widthOfString`: the layout helpers, the report and PDFKit's own wrapping alike.
 */
export function printableText(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  const text = doc.text.bind(doc) as (...args: unknown[]) => PDFKit.PDFDocument;
  const heightOfString = doc.heightOfString.bind(doc);
  const widthOfString = doc.widthOfString.bind(doc);
  const safe = (value: unknown): unknown => (typeof value === 'string' ? winAnsiText(value) : value);
  Object.assign(doc, {
    text: (value: unknown, ...rest: unknown[]) => text(safe(value), ...rest),
    heightOfString: (value: string, options?: PDFKit.Mixins.TextOptions) => heightOfString(winAnsiText(value), options),
    widthOfString: (value: string, options?: PDFKit.Mixins.TextOptions) => widthOfString(winAnsiText(value), options),
  });
  return doc;
}
