import { ChainedFields, digestOf, entryHash, findChainBreak, GENESIS_HASH } from 'src/audit/audit.chain';

function chain(n: number): (ChainedFields & { id: string; entryHash: string })[] {
  const entries: (ChainedFields & { id: string; entryHash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedFields = {
      seq,
      occurredAt: `2026-01-15T10:00:0${seq}.000Z`,
      actorId: 'u-1',
      actorLabel: 'Laura Bianchi',
      organisationId: 'org-padova',
      action: seq === 1 ? 'create' : 'update',
      objectType: 'contract',
      objectId: 'c-1',
      contractId: 'c-1',
      municipalityId: 'org-padova',
      beforeDigest: seq === 1 ? null : digestOf({ title: `v${seq - 1}` }),
      afterDigest: digestOf({ title: `v${seq}` }),
      prevHash,
    };
    const hash = entryHash(fields);
    entries.push({ ...fields, id: `e-${seq}`, entryHash: hash });
    prevHash = hash;
  }
  return entries;
}

describe('audit chain', () => {
  it('digests canonical JSON, so key order does not matter and values do', () => {
    expect(digestOf({ a: '1.50', b: 2 })).toBe(digestOf({ b: 2, a: '1.50' }));
    expect(digestOf({ a: '1.50' })).not.toBe(digestOf({ a: '1.5' }));
    expect(digestOf(null)).toBeNull();
    expect(digestOf({})).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts an untouched chain', () => {
    expect(findChainBreak(chain(5), { seq: 0, hash: GENESIS_HASH })).toBeNull();
  });

  it('names the first entry whose content was edited', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], actorLabel: 'Someone else' };
    expect(findChainBreak(entries, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ seq: 3, id: 'e-3', reason: 'HASH_MISMATCH' });
  });

  it('catches an edit that recomputed the entry hash, at the next entry', () => {
    const entries = chain(5);
    const forged = { ...entries[1], action: 'delete' };
    entries[1] = { ...forged, entryHash: entryHash(forged) };
    expect(findChainBreak(entries, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ seq: 3, reason: 'PREVIOUS_HASH_MISMATCH' });
  });

  it('catches a deleted entry as a gap in the sequence', () => {
    const entries = chain(5);
    entries.splice(3, 1);
    expect(findChainBreak(entries, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ seq: 5, reason: 'SEQUENCE_GAP' });
  });

  it('continues from a verified prefix (batches)', () => {
    const entries = chain(6);
    expect(findChainBreak(entries.slice(3), { seq: 3, hash: entries[2].entryHash })).toBeNull();
    expect(findChainBreak(entries.slice(3), { seq: 3, hash: GENESIS_HASH })).toMatchObject({ seq: 4, reason: 'PREVIOUS_HASH_MISMATCH' });
  });
});
