// exceljs packs the workbook with JSZip, which stamps every zip entry with the current time; two renders
// of the same settlement would then differ in those bytes. This rewrites the modification time and date
// of every entry (local header and central directory) to one fixed instant, in place: the compressed
// data, CRCs and offsets do not depend on them, so nothing else changes. No dependency needed.
//
//   fixZipTimestamps(xlsx, '2026-07-20T09:30:00.000Z')   -> every entry reads 2026-07-20 09:30:00
//
// Zip layout (APPNOTE.TXT 4.3): end of central directory (EOCD) at the end, pointing to the central
// directory, whose entries point to the local headers. DOS times have a 2-second resolution.

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
// Extra fields that carry their own timestamps (extended timestamp, NTFS, Info-ZIP Unix): none is
// expected from JSZip; if one ever appears the entry would still carry a clock time, so refuse.
const TIMESTAMP_EXTRA_FIELDS = new Set([0x5455, 0x000a, 0x5855]);

export function dosDateTime(iso: string): { time: number; date: number } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980) throw new RangeError(`not a zip timestamp: ${iso}`);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The EOCD is 22 bytes plus a comment of at most 65,535 bytes.
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) return at;
  }
  throw new Error('not a zip file: no end of central directory');
}

function checkExtraFields(zip: Buffer, start: number, length: number, name: string): void {
  for (let at = start; at + 4 <= start + length; at += 4 + zip.readUInt16LE(at + 2)) {
    if (TIMESTAMP_EXTRA_FIELDS.has(zip.readUInt16LE(at))) throw new Error(`zip entry ${name} carries a timestamp extra field`);
  }
}

/** A copy of the zip with every entry's modification time set to `iso` (UTC). */
export function fixZipTimestamps(input: Buffer, iso: string): Buffer {
  const zip = Buffer.from(input);
  const { time, date } = dosDateTime(iso);
  const eocd = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error(`zip central directory entry ${i} is malformed`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    checkExtraFields(zip, at + 46 + nameLength, extraLength, name);
    zip.writeUInt16LE(time, at + 12);
    zip.writeUInt16LE(date, at + 14);
    if (zip.readUInt32LE(local) !== LOCAL_SIGNATURE) throw new Error(`zip local header of ${name} is malformed`);
    checkExtraFields(zip, local + 30 + zip.readUInt16LE(local + 26), zip.readUInt16LE(local + 28), name);
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(date, local + 12);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return zip;
}

/** Every entry's name with its DOS time and date as the central directory and the local header give them. */
export function zipEntryTimestamps(zip: Buffer): { name: string; central: [number, number]; local: [number, number] }[] {
  const eocd = findEndOfCentralDirectory(zip);
  const out: { name: string; central: [number, number]; local: [number, number] }[] = [];
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    out.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      central: [zip.readUInt16LE(at + 12), zip.readUInt16LE(at + 14)],
      local: [zip.readUInt16LE(local + 10), zip.readUInt16LE(local + 12)],
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}
