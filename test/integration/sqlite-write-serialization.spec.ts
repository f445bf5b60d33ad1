import { DataSource, EntityManager } from 'typeorm';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { createTestApp, TestApp } from 'test/support/test-app';
import { createMigratedDataSource, testDialect } from 'test/support/test-database';

// docs/decisions/0005-sqlite-write-serialization.md. TypeORM keeps one connection to SQLite, so
// transactions started together would share it; `Database` queues them on a mutex. These tests run the
// same work on both databases (ANCORA_TEST_DB=postgres): PostgreSQL needs no mutex (pool + isolation).

const N = 100;
const TAKEN = 'TAKEN';

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function organisation(n: number, code: string): OrganisationEntity {
  return {
    id: uuid(n),
    code,
    kind: 'MUNICIPALITY',
    name: `Comune ${code}`,
    taxCode: null,
    legalForm: null,
    districtId: null,
    leadOrganisationId: null,
    createdAt: '2026-01-15T10:00:00.000Z',
    updatedAt: '2026-01-15T10:00:00.000Z',
  };
}

type Outcome = 'commit' | 'throw' | 'duplicate';

// Every 5th transaction throws after writing both rows; every 7th (not also a 5th) breaks the unique
// code on its second row. Everything else commits two rows.
const outcomeOf = (i: number): Outcome => (i % 5 === 0 ? 'throw' : i % 7 === 0 ? 'duplicate' : 'commit');

/** One multi-statement transaction: two inserts with a read between them, so others could interleave. */
async function work(m: EntityManager, i: number): Promise<void> {
  await m.insert(OrganisationEntity, organisation(1000 + 2 * i, `T${i}-A`));
  await m.count(OrganisationEntity);
  const second = outcomeOf(i) === 'duplicate' ? TAKEN : `T${i}-B`;
  await m.insert(OrganisationEntity, organisation(1001 + 2 * i, second));
  if (outcomeOf(i) === 'throw') {
    throw new Error(`planned failure ${i}`);
  }
}

const indexes = Array.from({ length: N }, (_, i) => i);
const committed = indexes.filter((i) => outcomeOf(i) === 'commit');
const expectedCodes = [TAKEN, ...committed.flatMap((i) => [`T${i}-A`, `T${i}-B`])].sort();

async function storedCodes(dataSource: DataSource): Promise<string[]> {
  const rows = await dataSource.manager.find(OrganisationEntity, { select: { code: true } });
  return rows.map((r) => r.code).sort();
}

describe(`write serialization (${testDialect()})`, () => {
  let dataSource: DataSource;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ dataSource, dispose } = await createMigratedDataSource());
    await dataSource.manager.insert(OrganisationEntity, organisation(1, TAKEN));
  });

  afterEach(async () => {
    await dispose();
  });

  it(`keeps every row of ${N} concurrent Database.transaction calls, and rollbacks undo only their own`, async () => {
    const db = new Database(dataSource);
    const results = await Promise.allSettled(indexes.map((i) => db.transaction((m) => work(m, i))));

    const outcomes = results.map((r, i) => {
      if (r.status === 'fulfilled') return 'commit';
      const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
      if (message === `planned failure ${i}`) return 'throw';
      if (/UNIQUE constraint failed|duplicate key value/.test(message)) return 'duplicate';
      return `unexpected: ${message}`;
    });
    expect(outcomes).toEqual(indexes.map(outcomeOf));
    expect(committed).toHaveLength(68);
    expect(await storedCodes(dataSource)).toEqual(expectedCodes);
  });

  it('never lets a Database.read see half of a transaction', async () => {
    const db = new Database(dataSource);
    const counts: number[] = [];
    let writing = true;
    // Ten writers of ten two-row transactions each, and five readers polling until they are done.
    const writers = Array.from({ length: 10 }, async (_, w) => {
      for (let k = 0; k < 10; k++) {
        const i = 10 * w + k;
        await db.transaction(async (m) => {
          await m.insert(OrganisationEntity, organisation(1000 + 2 * i, `T${i}-A`));
          await m.count(OrganisationEntity);
          await m.insert(OrganisationEntity, organisation(1001 + 2 * i, `T${i}-B`));
        });
      }
    });
    const readers = Array.from({ length: 5 }, async () => {
      while (writing) {
        counts.push(await db.read((m) => m.count(OrganisationEntity)));
      }
    });
    await Promise.all(writers);
    writing = false;
    await Promise.all(readers);

    // The seeded row plus whole pairs: an even count would betray a read between two inserts.
    expect(counts.filter((c) => c % 2 === 0)).toEqual([]);
    // ... and the readers did run while the writers were at work.
    expect(counts.some((c) => c > 1 && c < 1 + 2 * N)).toBe(true);
    expect(await dataSource.manager.count(OrganisationEntity)).toBe(1 + 2 * N);
  });

  if (testDialect() === 'sqlite') {
    // Deterministic, not a race: all N callbacks call startTransaction in the same tick, before the
    // first BEGIN has returned, so each one sends its own BEGIN on the one shared connection.
    it('loses and corrupts work on a bare SQLite DataSource, which is why Database has the mutex', async () => {
      const results = await Promise.allSettled(indexes.map((i) => dataSource.transaction((m) => work(m, i))));

      const messages = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
      expect(messages.filter((m) => m.includes('cannot start a transaction within a transaction')).length).toBeGreaterThan(0);
      const fulfilled = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(fulfilled.length).toBeLessThan(committed.length);
      expect(await storedCodes(dataSource)).not.toEqual(expectedCodes);
    });
  } else {
    it('needs no mutex on PostgreSQL: a bare DataSource gives each transaction its own pooled connection', async () => {
      const results = await Promise.allSettled(indexes.map((i) => dataSource.transaction((m) => work(m, i))));

      expect(results.map((r) => r.status === 'fulfilled')).toEqual(indexes.map((i) => outcomeOf(i) === 'commit'));
      expect(await storedCodes(dataSource)).toEqual(expectedCodes);
    });
  }
});

describe(`${N} concurrent HTTP writes (${testDialect()})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('persist every accepted organisation; duplicates and bad references roll back alone', async () => {
    const code = (i: number) => `C-${String(i).padStart(3, '0')}`;
    // 80 new codes, 10 repeats of the first ten (one of each pair wins), 10 naming a district that does
    // not exist (rejected inside the transaction, after the service has started writing).
    const bodies = [
      ...Array.from({ length: 80 }, (_, i) => ({ code: code(i), kind: 'MUNICIPALITY', name: `Comune ${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ code: code(i), kind: 'MUNICIPALITY', name: `Doppione ${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({
        code: code(80 + i),
        kind: 'MUNICIPALITY',
        name: `Orfano ${i}`,
        districtId: uuid(999_000 + i),
      })),
    ];
    const responses = await Promise.all(bodies.map((body) => t.request('POST', '/api/v1/organisations', body)));

    const tally = new Map<string, number>();
    for (const r of responses) {
      const key = `${r.status} ${r.status === 201 ? 'created' : r.body.code}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(tally)).toEqual({
      '201 created': 80,
      '409 ORGANISATION_CODE_TAKEN': 10,
      '404 ORGANISATION_NOT_FOUND': 10,
    });

    const list = await t.request('GET', '/api/v1/organisations?limit=200');
    expect(list.body.page.total).toBe(80);
    expect(list.body.items.map((o: { code: string }) => o.code)).toEqual(Array.from({ length: 80 }, (_, i) => code(i)));
    const created = new Set(responses.filter((r) => r.status === 201).map((r) => r.body.id as string));
    expect(new Set(list.body.items.map((o: { id: string }) => o.id))).toEqual(created);
  });
});
