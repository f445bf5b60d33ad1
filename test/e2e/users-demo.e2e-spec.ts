import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { createDemoUsers, demoCredentialsFile, DemoCredential } from 'src/demo/demo-credentials';
import { DemoDataLoader } from 'src/demo/demo-data.loader';
import { createTestApp, TestApp } from 'test/support/test-app';

// What `npm start` does on a fresh database: load the Padova demo, then one user per role with a key,
// written to data/demo-credentials.json so a newcomer can call the API at once.

describe('demo credentials', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let users: Record<string, DemoCredential>;
  let contractId: string;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'ancora-demo-'));
    const loaded = await t.app.get(DemoDataLoader).loadIfEmpty();
    contractId = loaded!.id;
    file = await createDemoUsers(t.app, { directory: join(dir, 'data') });
    users = (JSON.parse(readFileSync(file, 'utf8')) as { users: Record<string, DemoCredential> }).users;
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  const as = (handle: string) => ({ as: users[handle].key });

  it('writes one key per role to the database\'s demo-credentials file, readable by its owner only', () => {
    // demo-credentials.json on SQLite; on PostgreSQL a name of the database's own, so neither overwrites the other.
    expect(dirname(file)).toBe(join(dir, 'data'));
    if (t.config.database.kind === 'sqlite') expect(basename(file)).toBe('demo-credentials.json');
    else expect(basename(file)).toMatch(/^demo-credentials\.postgres-.+-[0-9]+-[A-Za-z0-9_]+\.json$/);
    expect(file).toBe(demoCredentialsFile(t.config.database, join(dir, 'data')));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.entries(users).map(([handle, u]) => [handle, u.role, u.organisation])).toEqual([
      ['admin', 'admin', null],
      ['contract_manager', 'contract_manager', 'C-PADOVA'],
      ['approver', 'approver', 'C-PADOVA'],
      ['approver_2', 'approver', 'C-PADOVA'],
      ['auditor', 'auditor', 'C-PADOVA'],
      ['grouping_lead', 'grouping_lead', 'ETS-AURORA'],
      ['ets_member', 'ets_member', 'ETS-AURORA'],
      ['grouping_lead_rti_b', 'grouping_lead', 'ETS-DELTA'],
      ['ets_member_rti_b', 'ets_member', 'ETS-DELTA'],
      ['evaluator', 'evaluator', 'UNI-PADOVA'],
    ]);
  });

  it('gives keys that work, each with its own roles and organisation', async () => {
    for (const [handle, u] of Object.entries(users)) {
      const me = await t.request('GET', '/api/v1/me', undefined, as(handle));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ subject: u.userId, roles: [u.role], platformAdmin: handle === 'admin' });
      expect(me.body.organisation?.code ?? null).toBe(u.organisation);
    }
  });

  it("lets everyone in the contract see it, the evaluator through the university's grant", async () => {
    for (const handle of Object.keys(users)) {
      const res = await t.request('GET', `/api/v1/contracts/${contractId}/grants`, undefined, as(handle));
      expect(res.status).toBe(200);
      expect(res.body.items.map((g: { organisationCode: string }) => g.organisationCode)).toEqual(['UNI-PADOVA']);
    }
    const list = await t.request('GET', '/api/v1/contracts', undefined, as('evaluator'));
    expect(list.body.items.map((c: { code: string }) => c.code)).toEqual(['PD-SDC-2.0']);
  });

  it('has every signatory a newcomer needs to make the demo indicator set binding', async () => {
    const frozen = await t.request('POST', `/api/v1/contracts/${contractId}/indicator-set-versions`, {}, as('contract_manager'));
    expect(frozen.status).toBe(201);
    for (const handle of ['approver', 'grouping_lead', 'grouping_lead_rti_b']) {
      const res = await t.request('POST', `/api/v1/indicator-set-versions/${frozen.body.id}/approvals`, { contentHash: frozen.body.contentHash }, as(handle));
      expect(res.status).toBe(201);
    }
    const version = await t.request('GET', `/api/v1/indicator-set-versions/${frozen.body.id}`, undefined, as('ets_member'));
    expect(version.body.state).toBe('BINDING');

    // ...after which the README's example CSV, as Italian Excel saves it, goes in as Aurora's measurements.
    const csv = readFileSync(join(__dirname, '..', '..', 'contracts', 'examples', 'measurements-padova-y2.csv'));
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contracts/${contractId}/measurements/csv`,
      headers: { 'x-api-key': users.ets_member.key, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(upload.statusCode).toBe(201);
    const stored = (JSON.parse(upload.body) as { items: { indicatorCode: string; value: string; status: string }[] }).items;
    expect(stored.map((m) => [m.indicatorCode, m.value, m.status])).toEqual([
      ['IND-01', '12.5', 'SUBMITTED'],
      ['IND-03', '1350', 'SUBMITTED'],
      ['IND-04', '83.4', 'SUBMITTED'],
      ['IND-05', '7.3', 'SUBMITTED'],
    ]);
  });

  it('records every demo user, key and the grant in the audit log as the system', async () => {
    const entries = await t.app.get(DataSource).getRepository(AuditEntryEntity).find({ where: { actorId: 'system' } });
    const count = (objectType: string) => entries.filter((e) => e.objectType === objectType && e.action === 'create').length;
    expect([count('user'), count('api_key'), count('contract_grant')]).toEqual([10, 10, 1]);
  });

  it('writes next to the SQLite file when no directory is given', async () => {
    if (t.config.database.kind !== 'sqlite') return;
    const other = await createTestApp();
    try {
      await other.app.get(DemoDataLoader).loadIfEmpty();
      const where = await createDemoUsers(other.app);
      expect(where).toBe(join(dirname((other.config.database as { path: string }).path), 'demo-credentials.json'));
    } finally {
      await other.close();
    }
  });
});
