import { MeasurementError } from 'src/measurements/measurements.errors';

/** X-Filename: the original name, optionally percent-encoded UTF-8; no path, no control characters. */
export function checkFilename(header: string | undefined): string {
  if (header === undefined || header === '') return 'evidence';
  let name: string;
  try {
    name = decodeURIComponent(utf8HeaderText(header));
  } catch {
    name = '';
  }
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || name.length > 255 || /[\u0000-\u001f\u007f/\\]/.test(name) || name === '.' || name === '..') {
    throw new MeasurementError('MEASUREMENT_EVIDENCE_FILENAME_INVALID', 'X-Filename must be a file name (at most 255 characters, no path, no control characters)', {
      fields: [{ field: 'X-Filename', message: 'must be a plain file name' }],
    });
  }
  return name;
}

/**
 * Node reads header bytes as Latin-1, so `attività.pdf` sent as raw UTF-8 (as curl does from a UTF-8
 * terminal) arrives as `attivitÃ\u00a0.pdf`. When the header's bytes (chars 0..255) include some >= 0x80
 * and are valid UTF-8, they are read as UTF-8; otherwise (a genuine Latin-1 name, or plain ASCII) the text
 * is kept. A Latin-1 name whose bytes happen to be valid UTF-8 (an accented capital followed by a symbol
 * such as ° or ©: `Ã©`) would be misread; the percent-encoded form is always exact.
 */
function utf8HeaderText(header: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0080-\u00ff]/.test(header) || /[^\u0000-\u00ff]/.test(header)) return header;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(header, 'latin1'));
  } catch {
    return header;
  }
}
