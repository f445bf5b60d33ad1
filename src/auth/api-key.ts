import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Keys look like `ancora_k3J9x2Qa_<43 chars>`: a fixed marker, a public prefix to find the row, and
// 256 random bits. A key of that entropy needs no slow hash: SHA-256 is enough (as GitHub tokens do).
const MARKER = 'ancora';
const KEY_RE = /^ancora_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(random: (n: number) => Buffer = randomBytes): NewApiKey {
  const prefix = random(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const secret = random(32).toString('base64url');
  const key = `${MARKER}_${prefix}_${secret}`;
  return { key, prefix: `${MARKER}_${prefix}`, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The public prefix of a well-formed key (`ancora_XXXXXXXX`), or null when it is not one of ours. */
export function apiKeyPrefix(key: string): string | null {
  const m = KEY_RE.exec(key);
  return m ? `${MARKER}_${m[1]}` : null;
}

export function apiKeyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
