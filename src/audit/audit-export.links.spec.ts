import { ChainedFields, entryHash, GENESIS_HASH } from 'src/audit/audit.chain';
import { checkLink, ExportedEntry, Neighbour, neighbourSeqs } from 'src/audit/audit-export.links';

function chain(n: number): ExportedEntry[] {
  const entries: ExportedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedFields = {
      seq,
      occurredAt: `2026-01-15T10:00:0${seq}.000Z`,
      actorId: 'u-1',
      actorLabel: 'Laura Bianchi',
      organisationId: null,
      action: 'update',
      objectType: 'contract',
      objectId: seq % 2 === 0 ? 'c-pd' : 'c-ve',
      contractId: seq % 2 === 0 ? 'c-pd' : 'c-ve',
      municipalityId: null,
      beforeDigest: null,
      afterDigest: null,
      prevHash,
    };
    const hash = entryHash(fields);
    entries.push({ ...fields, id: `e-${seq}`, entryHash: hash });
    prevHash = hash;
  }
  return entries;
}

const index = (entries: readonly ExportedEntry[]): Map<number, Neighbour> => new Map(entries.map((e) => [e.seq, e]));
const headOf = (entries: readonly ExportedEntry[]) => ({ seq: entries.length, hash: entries[entries.length - 1].entryHash });

describe('links of exported entries within the full chain', () => {
  it('needs the entries just before and after each exported one, up to the head', () => {
    expect(neighbourSeqs([{ seq: 1 }, { seq: 4 }, { seq: 6 }], 6)).toEqual([2, 3, 5]);
  });

  it('links every entry of an untouched chain, the first to genesis and the last to the head', () => {
    const all = chain(6);
    expect(all.filter((e) => e.contractId === 'c-pd').map((e) => checkLink(e, index(all), headOf(all)).status)).toEqual(['OK', 'OK', 'OK']);
    expect(checkLink(all[0], index(all), headOf(all)).status).toBe('OK');
  });

  it('reports an exported entry edited in place', () => {
    const all = chain(6);
    all[3] = { ...all[3], actorLabel: 'Mallory' };
    expect(checkLink(all[3], index(all), headOf(all))).toEqual({ seq: 4, id: 'e-4', status: 'HASH_MISMATCH', message: 'entry 4 was changed after it was written' });
  });

  it('reports an exported entry rewritten with a recomputed hash at its own link to the next entry', () => {
    const all = chain(6);
    const forged = { ...all[3], action: 'delete' };
    all[3] = { ...forged, entryHash: entryHash(forged) };
    expect(checkLink(all[3], index(all), headOf(all))).toMatchObject({ seq: 4, status: 'NEXT_HASH_MISMATCH' });
    // and entry 5, of another contract, would be caught by the whole-chain verification
  });

  it('reports a missing neighbour as a gap, a rewritten predecessor, and a last entry the head disowns', () => {
    const all = chain(6);
    const gap = index(all);
    gap.delete(3);
    expect(checkLink(all[3], gap, headOf(all))).toMatchObject({ status: 'SEQUENCE_GAP', message: 'entry 3, before entry 4, is missing' });
    const rewritten = index(all);
    rewritten.set(3, { ...all[2], entryHash: 'f'.repeat(64) });
    expect(checkLink(all[3], rewritten, headOf(all)).status).toBe('PREVIOUS_HASH_MISMATCH');
    expect(checkLink(all[5], index(all), { seq: 6, hash: 'f'.repeat(64) }).status).toBe('HEAD_MISMATCH');
    expect(checkLink(all[5], index(all), { seq: 5, hash: all[4].entryHash }).status).toBe('HEAD_MISMATCH');
  });
});
