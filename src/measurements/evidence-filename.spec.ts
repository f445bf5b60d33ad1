import { checkFilename } from 'src/measurements/evidence-filename';

// X-Filename arrives as Node decodes header bytes: each byte one Latin-1 character. A name typed in a UTF-8
// terminal (curl -H 'X-Filename: attività.pdf') is UTF-8 bytes on the wire; this is what the service sees.
const asNodeReadsIt = (bytes: Buffer): string => bytes.toString('latin1');

describe('evidence file names (X-Filename)', () => {
  it('reads a raw UTF-8 name as UTF-8, not as Latin-1 (attività.pdf, not attivitÃ .pdf)', () => {
    expect(checkFilename(asNodeReadsIt(Buffer.from('attività.pdf', 'utf8')))).toBe('attività.pdf');
    expect(checkFilename(asNodeReadsIt(Buffer.from('Verbale n°3 – città.pdf', 'utf8')))).toBe('Verbale n°3 – città.pdf');
  });

  it('keeps a percent-encoded UTF-8 name working, and plain ASCII as it is', () => {
    expect(checkFilename('attivit%C3%A0.pdf')).toBe('attività.pdf');
    expect(checkFilename('Protocollo%20parrocchia%20n%C2%B01.pdf')).toBe('Protocollo parrocchia n°1.pdf');
    expect(checkFilename('report-2026.pdf')).toBe('report-2026.pdf');
  });

  it('keeps a genuine Latin-1 name (bytes that are not UTF-8) as Latin-1', () => {
    expect(checkFilename(asNodeReadsIt(Buffer.from([0x61, 0x74, 0x74, 0x69, 0x76, 0x69, 0x74, 0xe0, 0x2e, 0x70, 0x64, 0x66])))).toBe('attività.pdf');
  });

  it('names the file "evidence" without a header, and still refuses paths and control characters once decoded', () => {
    expect(checkFilename(undefined)).toBe('evidence');
    expect(() => checkFilename('..%2Fetc%2Fpasswd')).toThrow(expect.objectContaining({ code: 'MEASUREMENT_EVIDENCE_FILENAME_INVALID' }));
    expect(() => checkFilename(asNodeReadsIt(Buffer.from('città/../a.pdf', 'utf8')))).toThrow(expect.objectContaining({ code: 'MEASUREMENT_EVIDENCE_FILENAME_INVALID' }));
    expect(() => checkFilename('a%0Ab.pdf')).toThrow(expect.objectContaining({ code: 'MEASUREMENT_EVIDENCE_FILENAME_INVALID' }));
    // NUL, percent-encoded or as sent, never reaches PostgreSQL (which cannot store it).
    expect(() => checkFilename('a%00b.pdf')).toThrow(expect.objectContaining({ code: 'MEASUREMENT_EVIDENCE_FILENAME_INVALID' }));
    expect(() => checkFilename('a\u0000b.pdf')).toThrow(expect.objectContaining({ code: 'MEASUREMENT_EVIDENCE_FILENAME_INVALID' }));
  });
});
