import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp, TEST_NOW } from 'test/support/test-app';

// Bearer tokens from a municipality's identity provider: { sub, name?, org: <organisation code>, roles }.
// Times are judged by the service's clock (fixed in tests), like API key expiry.

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const ISSUER = 'https://idp.comune.padova.example';
const AUDIENCE = 'ancora';
const NOW = Math.floor(TEST_NOW.getTime() / 1000);

function sign(claims: Record<string, unknown>, options: { secret?: string; issuer?: string; audience?: string; exp?: number | null } = {}): string {
  const { exp = NOW + 3600 } = options;
  return new JwtService({ secret: options.secret ?? SECRET }).sign(
    { iat: NOW, ...(exp === null ? {} : { exp }), ...claims },
    { algorithm: 'HS256', issuer: options.issuer ?? ISSUER, audience: options.audience ?? AUDIENCE },
  );
}

describe('bearer tokens (JWT, HS256 shared secret)', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let ve: ContractFixture;

  beforeAll(async () => {
    t = await createTestApp({ jwt: { key: { kind: 'secret', secret: SECRET }, issuer: ISSUER, audience: AUDIENCE } });
    pd = await seedContract(t.app, { key: 'PD' });
    ve = await seedContract(t.app, { key: 'VE' });
  });

  afterAll(async () => {
    await t.close();
  });

  const bearer = (token: string) => ({ as: null, headers: { authorization: `Bearer ${token}` } });
  const me = (token: string) => t.request('GET', '/api/v1/me', undefined, bearer(token));

  async function expectRefused(token: string): Promise<void> {
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'AUTH_INVALID_CREDENTIALS', message: 'The API key or token is not valid, expired or revoked', details: {} });
  }

  it("accepts a valid token with its organisation's scope, and audits its writes under the token subject", async () => {
    const token = sign({ sub: 'giulia.bianchi', name: 'Giulia Bianchi', org: 'C-PADOVA-PD', roles: ['contract_manager'] });
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      subject: 'jwt:giulia.bianchi',
      name: 'Giulia Bianchi',
      via: 'jwt',
      user: null,
      organisation: { id: pd.municipalityId, code: 'C-PADOVA-PD', kind: 'MUNICIPALITY' },
      roles: ['contract_manager'],
      platformAdmin: false,
    });

    const contracts = await t.request('GET', '/api/v1/contracts', undefined, bearer(token));
    expect(contracts.body.items.map((c: { code: string }) => c.code)).toEqual(['CTR-PD']);
    expect((await t.request('GET', `/api/v1/contracts/${ve.contractId}`, undefined, bearer(token))).status).toBe(404);

    const uni = await t.request('POST', '/api/v1/organisations', { code: 'UNI-PD', kind: 'OTHER', name: 'Università di Padova' });
    const grant = await t.request('POST', `/api/v1/contracts/${pd.contractId}/grants`, { organisationId: uni.body.id }, bearer(token));
    expect(grant.status).toBe(201);
    const [entry] = await t.app.get(DataSource).getRepository(AuditEntryEntity).findBy({ objectId: grant.body.id });
    expect(entry).toMatchObject({ actorId: 'jwt:giulia.bianchi', actorLabel: 'Giulia Bianchi', organisationId: pd.municipalityId });
    expect((await t.request('POST', `/api/v1/contracts/${ve.contractId}/grants`, { organisationId: uni.body.id }, bearer(token))).status).toBe(404);
  });

  it("judges expiry and not-before by the service's clock", async () => {
    const token = sign({ sub: 's', org: 'C-PADOVA-PD', roles: ['auditor'] }, { exp: NOW + 60 });
    const later = sign({ sub: 's', org: 'C-PADOVA-PD', roles: ['auditor'], nbf: NOW + 30 });
    try {
      expect((await me(token)).status).toBe(200);
      await expectRefused(later);
      t.clock.set(new Date(TEST_NOW.getTime() + 30_000));
      expect((await me(later)).status).toBe(200);
      t.clock.set(new Date(TEST_NOW.getTime() + 60_000));
      await expectRefused(token);
    } finally {
      t.clock.set(TEST_NOW);
    }
    await expectRefused(sign({ sub: 's', org: 'C-PADOVA-PD', roles: ['auditor'] }, { exp: NOW - 1 }));
  });

  it('refuses tokens without an expiry', async () => {
    await expectRefused(sign({ sub: 's', org: 'C-PADOVA-PD', roles: ['auditor'] }, { exp: null }));
  });

  it('refuses a wrong signature, a tampered payload, another issuer or audience, and unsigned tokens', async () => {
    const claims = { sub: 's', org: 'C-PADOVA-PD', roles: ['auditor'] };
    await expectRefused(sign(claims, { secret: 'another-secret-of-at-least-32-characters' }));
    await expectRefused(sign(claims, { issuer: 'https://idp.elsewhere.example' }));
    await expectRefused(sign(claims, { audience: 'someone-else' }));

    const [header, , signature] = sign(claims).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'], iat: NOW, exp: NOW + 3600, iss: ISSUER, aud: AUDIENCE })).toString('base64url');
    await expectRefused(`${header}.${forged}.${signature}`);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    await expectRefused(`${none}.${forged}.`);
    await expectRefused('not.a.token');
  });

  it('refuses unknown organisations and tokens without one (no platform administrators by token)', async () => {
    await expectRefused(sign({ sub: 's', org: 'C-NOWHERE', roles: ['contract_manager'] }));
    await expectRefused(sign({ sub: 's', roles: ['admin'] }));
    await expectRefused(sign({ sub: 's', org: 42, roles: ['admin'] }));
    await expectRefused(sign({ org: 'C-PADOVA-PD', roles: ['auditor'] }));
  });

  it("ignores roles that are not in the list or do not fit the organisation's kind, and refuses a token left with none", async () => {
    const res = await me(sign({ sub: 's', org: 'C-PADOVA-PD', roles: ['superuser', 'approver', 'grouping_lead', 7] }));
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['approver']);
    const ets = await me(sign({ sub: 'anna', org: 'ETS-AURORA-PD', roles: ['contract_manager', 'ets_member'] }));
    expect(ets.body).toMatchObject({ roles: ['ets_member'], organisation: { code: 'ETS-AURORA-PD' } });
    // An ETS user with a municipal role would otherwise pass the guard of municipal endpoints.
    const write = await t.request('POST', '/api/v1/organisations', { code: 'ETS-X', kind: 'ETS', name: 'X', legalForm: 'ODV' }, bearer(sign({ sub: 'anna', org: 'ETS-AURORA-PD', roles: ['contract_manager'] })));
    expect(write.status).toBe(401);
    await expectRefused(sign({ sub: 's', org: 'C-PADOVA-PD', roles: ['superuser'] }));
    await expectRefused(sign({ sub: 's', org: 'C-PADOVA-PD', roles: 'contract_manager' }));
  });

  it('refuses a subject or name that could not be recorded as who acted, on reads as on writes', async () => {
    const claims = { org: 'C-PADOVA-PD', roles: ['contract_manager'] };
    for (const bad of [
      { sub: 'giulia\u0000bianchi' },
      { sub: 'g'.repeat(257) },
      { sub: '   ' },
      { sub: 'giulia', name: 'Giulia\u0000Bianchi' },
      { sub: 'giulia', name: 'Giulia\nBianchi' },
      { sub: 'giulia', name: 'G'.repeat(301) },
    ]) {
      const token = sign({ ...claims, ...bad });
      await expectRefused(token);
      const write = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y1}/close`, undefined, bearer(token));
      expect([write.status, write.body.code]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
    }
    // At the limits (and with accents, counted as characters), a write goes through and is audited under them.
    const longest = sign({ ...claims, sub: 'è'.repeat(256), name: 'à'.repeat(300) });
    const closed = await t.request('POST', `/api/v1/contract-periods/${pd.periodIds.Y1}/close`, undefined, bearer(longest));
    expect(closed.status).toBe(200);
    const entry = await t.app.get(DataSource).getRepository(AuditEntryEntity).findOneByOrFail({ action: 'close', objectId: pd.periodIds.Y1 });
    expect([entry.actorId, entry.actorLabel]).toEqual([`jwt:${'è'.repeat(256)}`, 'à'.repeat(300)]);
  });

  it('still accepts API keys next to tokens', async () => {
    expect((await t.request('GET', '/api/v1/me')).body.platformAdmin).toBe(true);
  });
});

describe('bearer tokens (JWT, RS256 public key)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ jwt: { key: { kind: 'public-key', pem }, issuer: null, audience: null } });
    await seedContract(t.app);
  });

  afterAll(async () => {
    await t.close();
  });

  const claims = { sub: 'idp|42', org: 'C-PADOVA-PD', roles: ['approver'], iat: NOW, exp: NOW + 3600 };

  it('accepts tokens signed with the private key', async () => {
    const token = new JwtService({ privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }).sign(claims, { algorithm: 'RS256' });
    const res = await t.request('GET', '/api/v1/me', undefined, { as: null, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subject: 'jwt:idp|42', name: 'idp|42', roles: ['approver'] });
  });

  it('refuses an HS256 token signed with the public key as a shared secret (algorithm confusion)', async () => {
    const token = new JwtService({ secret: pem }).sign(claims, { algorithm: 'HS256' });
    const res = await t.request('GET', '/api/v1/me', undefined, { as: null, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });
});
