import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

// Pure hashing of the audit chain. An entry's hash covers every stored field and the previous hash, so
// changing, inserting or deleting any row breaks the chain from that row on.
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  occurredAt: string;
  actorId: string;
  actorLabel: string;
  organisationId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  contractId: string | null;
  municipalityId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  prevHash: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** SHA-256 of the RFC 8785 canonical JSON of a value; null stays null (nothing before a create). */
export function digestOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value cannot be canonicalised');
  }
  return sha256Hex(text);
}

export function entryHash(fields: ChainedFields): string {
  const { seq, occurredAt, actorId, actorLabel, organisationId, action, objectType, objectId, contractId, municipalityId, beforeDigest, afterDigest, prevHash } =
    fields;
  return digestOf({ seq, occurredAt, actorId, actorLabel, organisationId, action, objectType, objectId, contractId, municipalityId, beforeDigest, afterDigest, prevHash }) as string;
}

export interface ChainBreak {
  seq: number;
  id: string;
  reason: 'HASH_MISMATCH' | 'PREVIOUS_HASH_MISMATCH' | 'SEQUENCE_GAP' | 'HEAD_MISMATCH';
  message: string;
}

/** Checks entries in seq order, continuing from `prev`; returns the first break or null. */
export function findChainBreak(
  entries: readonly (ChainedFields & { id: string; entryHash: string })[],
  prev: { seq: number; hash: string },
): ChainBreak | null {
  let expectedSeq = prev.seq + 1;
  let prevHash = prev.hash;
  for (const e of entries) {
    if (e.seq !== expectedSeq) {
      return { seq: e.seq, id: e.id, reason: 'SEQUENCE_GAP', message: `expected entry ${expectedSeq}, found ${e.seq}: entries are missing` };
    }
    if (e.prevHash !== prevHash) {
      return { seq: e.seq, id: e.id, reason: 'PREVIOUS_HASH_MISMATCH', message: `entry ${e.seq} does not follow entry ${e.seq - 1}` };
    }
    if (entryHash(e) !== e.entryHash) {
      return { seq: e.seq, id: e.id, reason: 'HASH_MISMATCH', message: `entry ${e.seq} was changed after it was written` };
    }
    prevHash = e.entryHash;
    expectedSeq += 1;
  }
  return null;
}
