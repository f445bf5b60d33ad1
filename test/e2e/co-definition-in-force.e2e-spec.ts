import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
import { ContractFixture, FIXTURE_PERIODS, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// A user walkthrough: v1 bound from Y1, v2 superseded, then v3 bound from Y1 too. The list said BINDING
// twice although only v3 governs any period. Each version now says which periods it governs
// (`inForceFor`), by the resolver's rule: the same answer as GET .../periods/:id/indicator-set. Stored
// states, content hashes and the audit record stay as they were.

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
type Row = { id: string; version: number; state: string; effectiveFromPeriodCode: string; inForceFor: string[]; contentHash: string };

describe('co-definition: the periods each indicator-set version governs (inForceFor)', () => {
  let t: TestApp;
  let ds: DataSource;
  let pd: ContractFixture;
  const u = {} as Record<'manager' | 'approver' | 'auroraLead' | 'deltaLead' | 'ederaMember', TestUser>;
  const hashes: Record<number, string> = {};

  const as = (user: TestUser) => ({ as: user.apiKey });
  const versionsUrl = () => `/api/v1/contracts/${pd.contractId}/indicator-set-versions`;
  const list = async (query = ''): Promise<Row[]> => {
    const res = await t.request('GET', `${versionsUrl()}${query}`, undefined, as(u.ederaMember));
    expect(res.status).toBe(200);
    return res.body.items as Row[];
  };
  const brief = (rows: Row[]) => rows.map((v) => [v.version, v.state, v.effectiveFromPeriodCode, v.inForceFor]);
  const freeze = async (from: 'Y1' | 'Y2' | 'Y3', reason?: string): Promise<Row> => {
    const res = await t.request('POST', versionsUrl(), { effectiveFromPeriodId: pd.periodIds[from], ...(reason ? { reason } : {}) }, as(u.manager));
    expect(res.status).toBe(201);
    hashes[res.body.version as number] = res.body.contentHash as string;
    return res.body as Row;
  };
  const bind = async (v: Row): Promise<Row> => {
    let last: Row = v;
    for (const user of [u.approver, u.auroraLead, u.deltaLead]) {
      const res = await t.request('POST', `/api/v1/indicator-set-versions/${v.id}/approvals`, { contentHash: v.contentHash }, as(user));
      expect(res.status).toBe(201);
      last = res.body as Row;
    }
    expect(last.state).toBe('BINDING');
    return last;
  };
  /** What the resolver answers for each period, as version numbers. */
  const resolved = async (): Promise<Record<string, number | null>> => {
    const out: Record<string, number | null> = {};
    for (const { code } of FIXTURE_PERIODS) {
      const res = await t.request('GET', `/api/v1/contracts/${pd.contractId}/periods/${pd.periodIds[code]}/indicator-set`, undefined, as(u.ederaMember));
      out[code] = res.status === 200 ? (res.body.version as number) : null;
    }
    return out;
  };
  /** Each period named by exactly the version the resolver gives for it. */
  const expectSameAsResolver = async (rows: Row[]) => {
    const claimed: Record<string, number | null> = Object.fromEntries(FIXTURE_PERIODS.map((p) => [p.code, null]));
    for (const v of rows) for (const code of v.inForceFor) claimed[code] = v.version;
    expect(claimed).toEqual(await resolved());
  };

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    pd = await seedContract(t.app);
    const now = t.clock.nowIso();
    const user = (name: string, roles: Parameters<typeof insertTestUser>[1]['roles'], organisationId: string) => insertTestUser(ds, { name, roles, organisationId }, now);
    u.manager = await user('Funzionaria Servizi Sociali', ['contract_manager'], pd.municipalityId);
    u.approver = await user('Dirigente Servizi Sociali', ['approver'], pd.municipalityId);
    u.auroraLead = await user('Presidente Aurora (mandataria RTI-A)', ['grouping_lead'], pd.etsIds.AURORA);
    u.deltaLead = await user('Presidente Delta (mandataria RTI-B)', ['grouping_lead'], pd.etsIds.DELTA);
    u.ederaMember = await user('Operatore Edera', ['ets_member'], pd.etsIds.EDERA);
    for (const body of Object.values(padovaIndicatorBodies(pd))) {
      expect((await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, body, as(u.manager))).status).toBe(201);
    }
  }, 30_000); // the app, a seeded contract, five users and five indicators

  afterAll(async () => {
    await t.close();
  });

  it('a draft governs no period; once bound from Y1, version 1 governs Y1-Y3', async () => {
    const v1 = await freeze('Y1');
    expect(v1).toMatchObject({ version: 1, state: 'DRAFT', inForceFor: [] });
    const bound = await bind(v1);
    expect(bound.inForceFor).toEqual(['Y1', 'Y2', 'Y3']);
    expect((await t.request('GET', `/api/v1/indicator-set-versions/${v1.id}`, undefined, as(u.ederaMember))).body.inForceFor).toEqual(['Y1', 'Y2', 'Y3']);
    expect(brief(await list())).toEqual([[1, 'BINDING', 'Y1', ['Y1', 'Y2', 'Y3']]]);
  });

  it('the walkthrough: v2 superseded, v3 bound from Y1 too; v1 stays BINDING and governs nothing', async () => {
    await freeze('Y1', 'Bozza poi ritirata');
    const v3 = await freeze('Y1', 'Target rivisti al tavolo di verifica');
    expect(brief(await list())).toEqual([
      [1, 'BINDING', 'Y1', ['Y1', 'Y2', 'Y3']],
      [2, 'SUPERSEDED', 'Y1', []],
      [3, 'DRAFT', 'Y1', []],
    ]);
    const bound = await bind(v3);
    expect(bound.inForceFor).toEqual(['Y1', 'Y2', 'Y3']);
    const rows = await list();
    expect(brief(rows)).toEqual([
      [1, 'BINDING', 'Y1', []],
      [2, 'SUPERSEDED', 'Y1', []],
      [3, 'BINDING', 'Y1', ['Y1', 'Y2', 'Y3']],
    ]);
    await expectSameAsResolver(rows);
    expect(await resolved()).toEqual({ Y1: 3, Y2: 3, Y3: 3 });
  });

  it('a later version from Y2 leaves the earlier one Y1, and the list agrees with the resolver', async () => {
    const v4 = await freeze('Y2', 'Nuovi target dal secondo anno');
    await bind(v4);
    const rows = await list();
    expect(brief(rows)).toEqual([
      [1, 'BINDING', 'Y1', []],
      [2, 'SUPERSEDED', 'Y1', []],
      [3, 'BINDING', 'Y1', ['Y1']],
      [4, 'BINDING', 'Y2', ['Y2', 'Y3']],
    ]);
    await expectSameAsResolver(rows);
    // A page says the same of its versions as the whole list.
    expect(brief(await list('?limit=2&offset=2'))).toEqual([
      [3, 'BINDING', 'Y1', ['Y1']],
      [4, 'BINDING', 'Y2', ['Y2', 'Y3']],
    ]);
    expect((await t.request('GET', `/api/v1/indicator-set-versions/${rows[0].id}`, undefined, as(u.ederaMember))).body.inForceFor).toEqual([]);
  });

  it('changes no stored state or hash: the rows and contents are as frozen', async () => {
    const rows = await ds.getRepository(IndicatorSetVersionEntity).find({ where: { contractId: pd.contractId }, order: { version: 'ASC' } });
    expect(rows.map((r) => [r.version, r.state])).toEqual([
      [1, 'BINDING'],
      [2, 'SUPERSEDED'],
      [3, 'BINDING'],
      [4, 'BINDING'],
    ]);
    for (const r of rows) {
      expect(r.contentHash).toBe(hashes[r.version]);
      expect(sha256(r.content)).toBe(r.contentHash);
    }
  });

  it('records the version as before in the audit log: inForceFor is derived, not a fact of the version', async () => {
    const v4 = (await list())[3];
    const view = (await t.request('GET', `/api/v1/indicator-set-versions/${v4.id}`, undefined, as(u.manager))).body as Record<string, unknown>;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the audit record is the summary without the derived periods
    const { content, inForceFor, ...recorded } = view;
    const bindEntry = await ds.getRepository(AuditEntryEntity).findOneByOrFail({ objectId: v4.id, action: 'bind' });
    expect(bindEntry.afterDigest).toBe(sha256(canonicalize(recorded) as string));
  });

  it('reads the periods and binding versions once per list, whatever the page size', async () => {
    const readsFor = async (query: string): Promise<Record<string, number>> => {
      const counts: Record<string, number> = {};
      const spy = jest.spyOn(EntityManager.prototype, 'createQueryBuilder');
      try {
        expect(await list(query)).toHaveLength(query.includes('limit=1') ? 1 : 4);
        for (const call of spy.mock.calls) {
          const target = call[0] as unknown;
          const name = typeof target === 'function' ? target.name : String(target);
          counts[name] = (counts[name] ?? 0) + 1;
        }
      } finally {
        spy.mockRestore();
      }
      return counts;
    };
    await list(); // the caller's key and anything else read once per user
    const one = await readsFor('?limit=1');
    const four = await readsFor('?limit=4');
    expect(four).toEqual(one);
    expect(four.ContractPeriodEntity).toBe(1);
    expect(four.IndicatorSetApprovalEntity).toBe(1);
  });
});
