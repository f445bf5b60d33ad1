import { ChainedFields, entryHash, GENESIS_HASH } from 'src/audit/audit.chain';

// Whether the entries of a filtered export (one contract's, one municipality's) link within the full
// chain. Each exported entry is checked on its own against its neighbours in the whole log:
//   1. its fields still give its entryHash                        (else HASH_MISMATCH)
//   2. entry seq - 1 exists and its entryHash is our prevHash     (else SEQUENCE_GAP / PREVIOUS_HASH_MISMATCH)
//   3. entry seq + 1 exists and its prevHash is our entryHash,    (else SEQUENCE_GAP / NEXT_HASH_MISMATCH)
//      or, for the last entry, the chain head holds our hash      (else HEAD_MISMATCH)
// Check 3 catches an exported entry rewritten with a recomputed hash (its successor no longer points at it).
// Worked example: entries 2 and 5 of a contract in a log of 6; entry 5's actor was edited and its hash
// recomputed: 2 is OK; 5 passes 1 and 2 but entry 6's prevHash is the old hash: NEXT_HASH_MISMATCH.

export type LinkStatus = 'OK' | 'HASH_MISMATCH' | 'PREVIOUS_HASH_MISMATCH' | 'NEXT_HASH_MISMATCH' | 'SEQUENCE_GAP' | 'HEAD_MISMATCH';

export interface LinkResult {
  seq: number;
  id: string;
  status: LinkStatus;
  /** Empty when OK. */
  message: string;
}

export type ExportedEntry = ChainedFields & { id: string; entryHash: string };

/** What the check needs of an entry of the full chain next to an exported one. */
export interface Neighbour {
  seq: number;
  prevHash: string;
  entryHash: string;
}

/** The seqs whose prevHash/entryHash the check of these entries needs (their neighbours up to the head). */
export function neighbourSeqs(entries: readonly { seq: number }[], headSeq: number): number[] {
  const seqs = new Set<number>();
  for (const e of entries) {
    if (e.seq > 1) seqs.add(e.seq - 1);
    if (e.seq < headSeq) seqs.add(e.seq + 1);
  }
  return [...seqs].sort((a, b) => a - b);
}

export function checkLink(e: ExportedEntry, neighbours: ReadonlyMap<number, Neighbour>, head: { seq: number; hash: string }): LinkResult {
  const result = (status: LinkStatus, message = ''): LinkResult => ({ seq: e.seq, id: e.id, status, message });
  if (entryHash(e) !== e.entryHash) {
    return result('HASH_MISMATCH', `entry ${e.seq} was changed after it was written`);
  }
  if (e.seq === 1) {
    if (e.prevHash !== GENESIS_HASH) return result('PREVIOUS_HASH_MISMATCH', 'entry 1 does not start from the genesis hash');
  } else {
    const prev = neighbours.get(e.seq - 1);
    if (!prev) return result('SEQUENCE_GAP', `entry ${e.seq - 1}, before entry ${e.seq}, is missing`);
    if (prev.entryHash !== e.prevHash) return result('PREVIOUS_HASH_MISMATCH', `entry ${e.seq} does not follow entry ${e.seq - 1}`);
  }
  if (e.seq < head.seq) {
    const next = neighbours.get(e.seq + 1);
    if (!next) return result('SEQUENCE_GAP', `entry ${e.seq + 1}, after entry ${e.seq}, is missing`);
    if (next.prevHash !== e.entryHash) return result('NEXT_HASH_MISMATCH', `entry ${e.seq + 1} does not follow entry ${e.seq}: entry ${e.seq} was rewritten`);
  } else if (e.seq === head.seq) {
    if (head.hash !== e.entryHash) return result('HEAD_MISMATCH', `entry ${e.seq} does not match the hash the chain head recorded for it`);
  } else {
    return result('HEAD_MISMATCH', `entry ${e.seq} lies beyond the chain head (${head.seq}): it was added behind the service's back`);
  }
  return result('OK');
}
