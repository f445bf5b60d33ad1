import { DataSource } from 'typeorm';
import { AuditChainHeadEntity, AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { digestOf, entryHash, GENESIS_HASH } from 'src/audit/audit.chain';
import { AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { FixedClock } from 'src/common/clock/clock';
import { RandomIdGenerator } from 'src/common/clock/id-generator';
import { Database } from 'src/database/database';
import { createMigratedDataSource, testDialect } from 'test/support/test-database';

// The audit chain on a real migrated database (SQLite, or PostgreSQL with ANCORA_TEST_DB=postgres):
// appends inside the caller's transaction, verification, and what a row edited, deleted or forged
// behind the service's back looks like to `verify`. Entries are recorded here directly, so this does
// not depend on which services record what.

const NOW = new Date('2026-01-15T10:00:00.000Z');
const LAURA: Principal = {
  userId: '7f0c8d2e-1111-4c4c-9a9a-000000000001',
  label: 'Laura Bianchi',
  organisationId: '7f0c8d2e-2222-4c4c-9a9a-000000000002',
  organisationKind: 'MUNICIPALITY',
  roles: new Set(['contract_manager']),
  via: 'ancora_abcdefgh',
};
const CONTRACT_ID = '7f0c8d2e-3333-4c4c-9a9a-000000000003';

class Boom extends Error {}

describe(`audit chain on ${testDialect()}`, () => {
  let dataSource: DataSource;
  let dispose: () => Promise<void>;
  let db: Database;
  let clock: FixedClock;
  let audit: AuditService;

  beforeAll(async () => {
    ({ dataSource, dispose } = await createMigratedDataSource());
    db = new Database(dataSource);
    clock = new FixedClock(NOW);
    audit = new AuditService(db, clock, new RandomIdGenerator());
  });

  afterAll(async () => {
    await dispose();
  });

  beforeEach(async () => {
    // Every test starts from an empty log with no head row (as after the migration).
    await dataSource.query('DELETE FROM audit_entries');
    await dataSource.query('DELETE FROM audit_chain_head');
  });

  /** Appends one entry in its own transaction (as a service does with its change). */
  function append(n: number, options: { fail?: boolean } = {}): Promise<AuditEntryEntity> {
    return db.transaction(async (m) => {
      const entry = await audit.record(m, LAURA, {
        action: n === 1 ? 'create' : 'update',
        objectType: 'contract',
        objectId: CONTRACT_ID,
        contractId: CONTRACT_ID,
        municipalityId: LAURA.organisationId,
        before: n === 1 ? null : { title: `v${n - 1}`, fee: '320000.00' },
        after: { title: `v${n}`, fee: '320000.00' },
      });
      if (options.fail) {
        throw new Boom(`change ${n} failed after its audit entry was written`);
      }
      return entry;
    });
  }

  async function appendFive(): Promise<AuditEntryEntity[]> {
    const entries: AuditEntryEntity[] = [];
    for (let n = 1; n <= 5; n++) {
      clock.set(new Date(NOW.getTime() + n * 1000));
      entries.push(await append(n));
    }
    return entries;
  }

  async function rows(): Promise<AuditEntryEntity[]> {
    return dataSource.getRepository(AuditEntryEntity).find({ order: { seq: 'ASC' } });
  }

  it('verifies an empty log', async () => {
    expect(await audit.verify()).toEqual({ ok: true, entries: 0, headSeq: 0, firstBreak: null });
  });

  it('appends entries chained from the genesis hash; a rolled-back transaction leaves no entry and no gap', async () => {
    clock.set(new Date('2026-01-15T10:00:01.000Z'));
    const first = await append(1);
    await expect(append(2, { fail: true })).rejects.toThrow(Boom);
    clock.set(new Date('2026-01-15T10:00:02.000Z'));
    const second = await append(2);
    await expect(append(3, { fail: true })).rejects.toThrow(Boom);
    await expect(append(3, { fail: true })).rejects.toThrow(Boom);
    clock.set(new Date('2026-01-15T10:00:03.000Z'));
    const third = await append(3);

    const stored = await rows();
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(stored.map((e) => e.id)).toEqual([first.id, second.id, third.id]);
    expect(stored[0]).toEqual({
      id: first.id,
      seq: 1,
      occurredAt: '2026-01-15T10:00:01.000Z',
      actorId: LAURA.userId,
      actorLabel: 'Laura Bianchi',
      organisationId: LAURA.organisationId,
      action: 'create',
      objectType: 'contract',
      objectId: CONTRACT_ID,
      contractId: CONTRACT_ID,
      municipalityId: LAURA.organisationId,
      beforeDigest: null,
      afterDigest: digestOf({ fee: '320000.00', title: 'v1' }),
      prevHash: GENESIS_HASH,
      entryHash: first.entryHash,
    });
    expect(stored[1].prevHash).toBe(stored[0].entryHash);
    expect(stored[2].prevHash).toBe(stored[1].entryHash);
    expect(stored[1].beforeDigest).toBe(digestOf({ title: 'v1', fee: '320000.00' }));
    for (const e of stored) {
      expect(entryHash(e)).toBe(e.entryHash);
    }
    expect(await dataSource.getRepository(AuditChainHeadEntity).find()).toEqual([{ id: 'head', seq: 3, hash: third.entryHash }]);
    expect(await audit.verify()).toEqual({ ok: true, entries: 3, headSeq: 3, firstBreak: null });
  });

  it('appends several entries of one change in order with one head update, chained to the ones before', async () => {
    const first = await append(1);
    const many = await db.transaction((m) =>
      audit.recordMany(
        m,
        LAURA,
        ['RTI-A', 'RTI-B', 'RTI-C'].map((g) => ({ action: 'compute', objectType: 'settlement', objectId: g, contractId: CONTRACT_ID, after: { grouping: g } })),
      ),
    );
    expect(many.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(many.map((e) => e.prevHash)).toEqual([first.entryHash, many[0].entryHash, many[1].entryHash]);
    expect((await rows()).map((e) => e.objectId)).toEqual([CONTRACT_ID, 'RTI-A', 'RTI-B', 'RTI-C']);
    expect(await dataSource.getRepository(AuditChainHeadEntity).find()).toEqual([{ id: 'head', seq: 4, hash: many[2].entryHash }]);
    expect(await audit.verify()).toEqual({ ok: true, entries: 4, headSeq: 4, firstBreak: null });
    expect(await db.transaction((m) => audit.recordMany(m, LAURA, []))).toEqual([]);
  });

  it('reports a row edited with SQL as HASH_MISMATCH at that seq', async () => {
    const entries = await appendFive();
    expect((await audit.verify()).ok).toBe(true);

    await dataSource.query(`UPDATE audit_entries SET actor_label = 'Someone else' WHERE seq = 3`);

    expect(await audit.verify()).toEqual({
      ok: false,
      entries: 2,
      headSeq: 5,
      firstBreak: { seq: 3, id: entries[2].id, reason: 'HASH_MISMATCH', message: 'entry 3 was changed after it was written' },
    });
  });

  it('reports a deleted middle row as SEQUENCE_GAP at the entry after it', async () => {
    const entries = await appendFive();
    await dataSource.query('DELETE FROM audit_entries WHERE seq = 3');

    expect(await audit.verify()).toEqual({
      ok: false,
      entries: 2,
      headSeq: 5,
      firstBreak: { seq: 4, id: entries[3].id, reason: 'SEQUENCE_GAP', message: 'expected entry 3, found 4: entries are missing' },
    });
  });

  it('reports a deleted first row as SEQUENCE_GAP at entry 2', async () => {
    const entries = await appendFive();
    await dataSource.query('DELETE FROM audit_entries WHERE seq = 1');

    expect((await audit.verify()).firstBreak).toEqual({ seq: 2, id: entries[1].id, reason: 'SEQUENCE_GAP', message: 'expected entry 1, found 2: entries are missing' });
  });

  it('reports a deleted last row as HEAD_MISMATCH: the head still names it', async () => {
    await appendFive();
    await dataSource.query('DELETE FROM audit_entries WHERE seq = 5');

    expect(await audit.verify()).toEqual({
      ok: false,
      entries: 4,
      headSeq: 5,
      firstBreak: {
        seq: 5,
        id: '',
        reason: 'HEAD_MISMATCH',
        message: 'the chain head says entry 5 but the log ends at 4: entries were removed from the end',
      },
    });
  });

  it('catches a forger who recomputes the edited row hash at the next row', async () => {
    const entries = await appendFive();
    const [third] = await dataSource.getRepository(AuditEntryEntity).findBy({ seq: 3 });
    const forged = { ...third, actorLabel: 'Someone else', action: 'delete' };
    const forgedHash = entryHash(forged);
    await dataSource.query(`UPDATE audit_entries SET actor_label = 'Someone else', action = 'delete', entry_hash = '${forgedHash}' WHERE seq = 3`);

    expect(await audit.verify()).toEqual({
      ok: false,
      entries: 3,
      headSeq: 5,
      firstBreak: { seq: 4, id: entries[3].id, reason: 'PREVIOUS_HASH_MISMATCH', message: 'entry 4 does not follow entry 3' },
    });
  });

  it('catches a forger who rewrites the last row, its hash included, against the head', async () => {
    const entries = await appendFive();
    const [fifth] = await dataSource.getRepository(AuditEntryEntity).findBy({ seq: 5 });
    const forgedHash = entryHash({ ...fifth, action: 'approve' });
    await dataSource.query(`UPDATE audit_entries SET action = 'approve', entry_hash = '${forgedHash}' WHERE seq = 5`);

    expect(await audit.verify()).toEqual({
      ok: false,
      entries: 5,
      headSeq: 5,
      firstBreak: { seq: 5, id: entries[4].id, reason: 'HEAD_MISMATCH', message: 'entry 5 does not match the hash the chain head recorded for it' },
    });
  });

  it('catches an entry appended behind the head, even a correctly chained one', async () => {
    const entries = await appendFive();
    const fields = { ...entries[4], id: '7f0c8d2e-4444-4c4c-9a9a-000000000004', seq: 6, action: 'approve', prevHash: entries[4].entryHash };
    await dataSource.getRepository(AuditEntryEntity).insert({ ...fields, entryHash: entryHash(fields) });

    expect(await audit.verify()).toEqual({
      ok: false,
      entries: 5,
      headSeq: 5,
      firstBreak: {
        seq: 6,
        id: '',
        reason: 'HEAD_MISMATCH',
        message: "the log has entries up to 6 beyond the chain head (5): entries were added behind the service's back",
      },
    });
  });

  it('gives 200 concurrent appends, each in its own transaction, seq 1..200 without gaps or forks', async () => {
    // Starting with no head row: the first appends also race to create it.
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => append(i + 2)));

    expect(results.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const stored = await rows();
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // No fork: every entry follows exactly the one before it, and no two share a predecessor.
    expect(stored[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < stored.length; i++) {
      expect(stored[i].prevHash).toBe(stored[i - 1].entryHash);
    }
    expect(new Set(stored.map((e) => e.prevHash)).size).toBe(200);
    expect(await dataSource.getRepository(AuditChainHeadEntity).find()).toEqual([{ id: 'head', seq: 200, hash: stored[199].entryHash }]);
    expect(await audit.verify()).toEqual({ ok: true, entries: 200, headSeq: 200, firstBreak: null });
  });

  it('keeps the chain whole when concurrent appends roll back, and verification meanwhile never cries wolf', async () => {
    await append(1);
    const work: Promise<unknown>[] = [];
    const verifications: Promise<Awaited<ReturnType<AuditService['verify']>>>[] = [];
    for (let i = 0; i < 120; i++) {
      work.push(
        append(i + 2, { fail: i % 4 === 0 }).catch((e: unknown) => {
          if (e instanceof Boom) return 'rolled back';
          throw e;
        }),
      );
      if (i % 10 === 0) {
        verifications.push(audit.verify());
      }
    }
    const outcomes = await Promise.all(work);
    expect(outcomes.filter((o) => o === 'rolled back')).toHaveLength(30);
    for (const v of await Promise.all(verifications)) {
      expect(v).toMatchObject({ ok: true, firstBreak: null });
      expect(v.entries).toBe(v.headSeq);
    }
    const stored = await rows();
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 91 }, (_, i) => i + 1));
    expect(await audit.verify()).toEqual({ ok: true, entries: 91, headSeq: 91, firstBreak: null });
  });
});
