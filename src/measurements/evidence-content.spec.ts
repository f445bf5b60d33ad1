import { EVIDENCE_TYPES } from 'src/measurements/evidence.service';
import { evidenceContentProblem } from 'src/measurements/evidence-content';

// An evidence file must be what its Content-Type says: the first bytes of each binary type, text for CSV.

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const XLSX = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
const CSV_UTF8 = Buffer.from('\uFEFFindicatore;valore\nIND-01;11,0\nCittà;Forlì\n', 'utf8');
const CSV_LATIN1 = Buffer.from('indicatore;valore\nCitt\u00e0;1\n', 'latin1');

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('evidence content against its declared type', () => {
  it.each([
    ['application/pdf', PDF],
    ['image/png', PNG],
    ['image/jpeg', JPEG],
    [XLSX_TYPE, XLSX],
    ['text/csv', CSV_UTF8],
    ['text/csv', CSV_LATIN1],
  ])('accepts a real %s', (type, body) => {
    expect(evidenceContentProblem(type, body)).toBeNull();
  });

  it('has a check for every allowed type', () => {
    const real: Record<string, Buffer> = { 'application/pdf': PDF, 'image/png': PNG, 'image/jpeg': JPEG, [XLSX_TYPE]: XLSX, 'text/csv': CSV_UTF8 };
    expect(EVIDENCE_TYPES.map((type) => [type, evidenceContentProblem(type, real[type])])).toEqual(EVIDENCE_TYPES.map((type) => [type, null]));
  });

  it.each([
    ['application/pdf', Buffer.from('hello'), 'a PDF file starts with %PDF-'],
    ['application/pdf', Buffer.from('%PD'), 'a PDF file starts with %PDF-'],
    ['application/pdf', PNG, 'a PDF file starts with %PDF-'],
    ['image/png', JPEG, 'a PNG image starts with the PNG signature'],
    ['image/jpeg', PDF, 'a JPEG image starts with FF D8 FF'],
    [XLSX_TYPE, CSV_UTF8, 'an XLSX workbook is a ZIP package (starts with PK)'],
    ['text/csv', PNG, 'a CSV file is text, and this one holds binary data (NUL bytes)'],
    ['text/csv', XLSX, 'a CSV file is text, and this one holds binary data (NUL bytes)'],
  ])('refuses %s whose bytes are something else', (type, body, problem) => {
    expect(evidenceContentProblem(type, body)).toBe(problem);
  });
});
