// Whether an evidence file is what its Content-Type says. The header is only a claim by the uploader: a text
// file sent as application/pdf would be stored and later served to an auditor as a PDF that does not open.
// Each binary type is recognised by its fixed leading bytes (its "magic number"); CSV, which has none, must
// at least be text (no NUL byte: every binary type above has them, text in any usual encoding does not).
// Five fixed signatures: no library is needed (the maintained one, file-type, is ESM-only).

const ascii = (text: string): readonly number[] => [...text].map((c) => c.charCodeAt(0));

/** Leading bytes of each binary evidence type (XLSX is a ZIP package). */
const SIGNATURES: Readonly<Record<string, { bytes: readonly number[]; what: string }>> = {
  'application/pdf': { bytes: ascii('%PDF-'), what: 'a PDF file starts with %PDF-' },
  'image/png': { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image starts with the PNG signature' },
  'image/jpeg': { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image starts with FF D8 FF' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { bytes: ascii('PK\u0003\u0004'), what: 'an XLSX workbook is a ZIP package (starts with PK)' },
};

/** Why the content does not match the declared type, or null when it does. */
export function evidenceContentProblem(contentType: string, body: Buffer): string | null {
  if (contentType === 'text/csv') return body.includes(0) ? 'a CSV file is text, and this one holds binary data (NUL bytes)' : null;
  const signature = SIGNATURES[contentType];
  if (signature === undefined) return `no content check for ${contentType}`;
  const matches = body.length >= signature.bytes.length && signature.bytes.every((b, i) => body[i] === b);
  return matches ? null : signature.what;
}
