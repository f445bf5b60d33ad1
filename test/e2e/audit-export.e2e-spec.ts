import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { AuditExportService } from 'src/audit/audit-export.service';
import { entryHash } from 'src/audit/audit.chain';
import { AuditEvent, AuditService } from 'src/audit/audit.service';
import { Principal, SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { Role } from 'src/auth/roles';
import { EXIT_OK, EXIT_REFUSED } from 'src/cli/cli';
import { describeDatabase } from 'src/config/database-description';
import { Database } from 'src/database/database';
import { OrganisationKind } from 'src/organisations/organisation.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';
import { CliRun, runCliCaptured } from 'test/support/cli';

// An auditor downloads the audit log of a contract (or of its municipality) as CSV or JSON, with both
// hashes per entry and the chain verification; scoped as GET /audit; tampering shows in the export.
// Entries are written straight through AuditService.record, as in audit.e2e-spec.ts.

interface Actor extends TestUser {
  principal: Principal;
}

describe('audit log export', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let ve: ContractFixture;
  let outDir: string;
  const users: Record<string, Actor> = {};
  const entries: Record<number, AuditEntryEntity> = {};

  async function user(key: string, name: string, roles: Role[], organisationId: string | null, kind: OrganisationKind | null): Promise<void> {
    const u = await insertTestUser(t.app.get(DataSource), { name, roles, organisationId }, TEST_NOW.toISOString());
    users[key] = { ...u, principal: { userId: u.userId, label: name, organisationId, organisationKind: kind, roles: new Set(roles), via: 'test' } };
  }

  async function record(seq: number, actor: Principal, event: AuditEvent): Promise<void> {
    t.clock.set(new Date(TEST_NOW.getTime() + seq * 1000));
    const audit = t.app.get(AuditService);
    entries[seq] = await t.app.get(Database).transaction((m) => audit.record(m, actor, event));
    expect(entries[seq].seq).toBe(seq);
  }

  const exportAs = (query: string, as?: string) => t.request('GET', `/api/v1/audit/export?${query}`, undefined, as === undefined ? {} : { as });
  /** CSV text without comment lines, as rows of cells (no cell below holds a comma or quote but the label). */
  const csvRows = (text: string) => text.split('\r\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('\uFEFF#'));
  const csvSeqs = (text: string) => csvRows(text).slice(1).map((l) => Number(l.split(',')[0]));
  const comments = (text: string) => text.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l.startsWith('# '));
  const jsonSeqs = (body: { entries: { seq: number }[] }) => body.entries.map((e) => e.seq);

  beforeAll(async () => {
    t = await createTestApp();
    outDir = mkdtempSync(join(tmpdir(), 'ancora-audit-export-'));
    pd = await seedContract(t.app, { key: 'PD' });
    ve = await seedContract(t.app, { key: 'VE' });
    await user('pdManager', 'Laura Bianchi', ['contract_manager'], pd.municipalityId, 'MUNICIPALITY');
    await user('pdAuditor', 'Paolo Rossi (revisore)', ['auditor'], pd.municipalityId, 'MUNICIPALITY');
    await user('pdOrgAdmin', 'Admin del Comune', ['admin'], pd.municipalityId, 'MUNICIPALITY');
    await user('aurora', 'Anna (Aurora)', ['ets_member'], pd.etsIds.AURORA, 'ETS');
    await user('delta', 'Dario (Delta)', ['grouping_lead'], pd.etsIds.DELTA, 'ETS');
    await user('veManager', 'Vera (Venezia)', ['contract_manager'], ve.municipalityId, 'MUNICIPALITY');
    await user('veAurora', 'Alba (Aurora, Venezia)', ['ets_member'], ve.etsIds.AURORA, 'ETS');

    const onPd = { contractId: pd.contractId, municipalityId: pd.municipalityId };
    const onVe = { contractId: ve.contractId, municipalityId: ve.municipalityId };
    // A label a spreadsheet would run as a formula: the export must neutralise it.
    const formulaActor: Principal = { ...users.pdManager.principal, label: '=HYPERLINK("http://evil.example","Rossi, Paolo")' };
    await record(1, users.pdManager.principal, { action: 'update', objectType: 'contract', objectId: pd.contractId, ...onPd, before: { title: 'a' }, after: { title: 'b' } });
    await record(2, users.aurora.principal, { action: 'submit', objectType: 'measurement', objectId: 'm-aurora', ...onPd, after: { value: '12' } });
    await record(3, users.delta.principal, { action: 'submit', objectType: 'measurement', objectId: 'm-delta', ...onPd, after: { value: '7' } });
    await record(4, users.veManager.principal, { action: 'create', objectType: 'contract', objectId: ve.contractId, ...onVe, after: { title: 'x' } });
    await record(5, formulaActor, { action: 'accept', objectType: 'measurement', objectId: '-m-aurora', ...onPd, after: { value: '12' } });
    await record(6, users.pdOrgAdmin.principal, { action: 'create', objectType: 'api_key', objectId: 'k-1', after: { prefix: 'ancora_abcdefgh' } });
    await record(7, users.veAurora.principal, { action: 'submit', objectType: 'measurement', objectId: 'm-ve', ...onVe, after: { value: '3' } });
    await record(8, SYSTEM_PRINCIPAL, { action: 'update', objectType: 'contract', objectId: pd.contractId, ...onPd, before: { title: 'b' }, after: { title: 'c' } });
    t.clock.set(TEST_NOW);
  });

  afterAll(async () => {
    await t.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  describe('an intact chain', () => {
    it("exports a contract's entries as CSV: attachment, verification in # lines, header, every entry in chain order with both hashes", async () => {
      const res = await exportAs(`format=csv&contractId=${pd.contractId}`, users.pdAuditor.apiKey);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="ancora-audit-CTR-PD-2026-01-15-seq8.csv"; filename*=UTF-8''ancora-audit-CTR-PD-2026-01-15-seq8.csv`,
      );
      expect(res.text.startsWith('\uFEFF# format: ancora.audit-export/1\r\n')).toBe(true);
      expect(comments(res.text)).toEqual([
        '# format: ancora.audit-export/1',
        `# scope: contract CTR-PD (${pd.contractId}) up to seq 8`,
        '# exportedAt: 2026-01-15T10:00:00.000Z',
        '# wholeChain: INTACT (every entry of the whole log recomputed in seq order) intactEntries=8 headSeq=8',
        '# wholeChain.firstBreak: none',
        '# exportedEntries: LINKED (each exported entry recomputed and linked to entries seq-1 and seq+1 of the full chain) entries=5 notLinked=0',
        '# exportedEntries.firstBreak: none',
      ]);
      const rows = csvRows(res.text);
      expect(rows[0]).toBe(
        'seq,id,occurredAt,actorId,actorLabel,actorOrganisationId,actorOrganisationCode,action,objectType,objectId,contractId,municipalityId,beforeDigest,afterDigest,prevHash,entryHash,link',
      );
      expect(csvSeqs(res.text)).toEqual([1, 2, 3, 5, 8]);
      const e2 = entries[2];
      expect(rows[2]).toBe(
        [2, e2.id, '2026-01-15T10:00:02.000Z', users.aurora.userId, 'Anna (Aurora)', pd.etsIds.AURORA, 'ETS-AURORA-PD', 'submit', 'measurement', 'm-aurora']
          .concat([pd.contractId, pd.municipalityId, '', e2.afterDigest!, entries[1].entryHash, e2.entryHash, 'OK'])
          .join(','),
      );
    });

    it('neutralises cells that a spreadsheet would run as formulas, and quotes them per RFC 4180', async () => {
      const res = await exportAs(`format=csv&contractId=${pd.contractId}`);
      const row5 = csvRows(res.text).find((l) => l.startsWith('5,'))!;
      expect(row5).toContain(`,"'=HYPERLINK(""http://evil.example"",""Rossi, Paolo"")",`);
      expect(row5).toContain(",accept,measurement,'-m-aurora,");
      expect(res.text).not.toMatch(/(^|,)[=+@-]/m);
    });

    it('exports the same as JSON: { format, scope, exportedAt, verification, entries }', async () => {
      const res = await exportAs(`format=json&contractId=${pd.contractId}`, users.pdAuditor.apiKey);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['content-disposition']).toContain('filename="ancora-audit-CTR-PD-2026-01-15-seq8.json"');
      expect(Object.keys(res.body)).toEqual(['format', 'scope', 'exportedAt', 'verification', 'entries']);
      expect(res.body).toMatchObject({
        format: 'ancora.audit-export/1',
        scope: { kind: 'contract', contractId: pd.contractId, contractCode: 'CTR-PD', municipalityId: pd.municipalityId, upToSeq: 8 },
        exportedAt: '2026-01-15T10:00:00.000Z',
        verification: {
          wholeChain: { ok: true, entries: 8, headSeq: 8, firstBreak: null },
          exportedEntries: { ok: true, entries: 5, broken: 0, firstBreak: null },
        },
      });
      expect(jsonSeqs(res.body)).toEqual([1, 2, 3, 5, 8]);
      expect(res.body.entries[4]).toEqual({
        seq: 8,
        id: entries[8].id,
        occurredAt: '2026-01-15T10:00:08.000Z',
        actor: { id: 'system', label: 'system', organisationId: null, organisationCode: null, organisationName: null },
        action: 'update',
        object: { type: 'contract', id: pd.contractId },
        contractId: pd.contractId,
        municipalityId: pd.municipalityId,
        beforeDigest: entries[8].beforeDigest,
        afterDigest: entries[8].afterDigest,
        prevHash: entries[7].entryHash,
        entryHash: entries[8].entryHash,
        link: 'OK',
      });
    });

    it("exports a municipality's entries (its own, its contracts', its users') to its staff", async () => {
      const res = await exportAs(`format=json&municipalityId=${pd.municipalityId}`, users.pdAuditor.apiKey);
      expect(res.status).toBe(200);
      expect(res.body.scope).toEqual({ kind: 'municipality', municipalityId: pd.municipalityId, municipalityCode: 'C-PADOVA-PD', upToSeq: 8 });
      expect(jsonSeqs(res.body)).toEqual([1, 2, 3, 5, 6, 8]);
      expect(jsonSeqs((await exportAs(`format=json&municipalityId=${ve.municipalityId}`)).body)).toEqual([4, 7]);
    });

    it('reads the log a page at a time and gives the same document across page boundaries', async () => {
      const service = t.app.get(AuditExportService);
      const whole = await exportAs(`format=csv&municipalityId=${pd.municipalityId}`);
      service.pageSize = 2;
      try {
        const paged = await exportAs(`format=csv&municipalityId=${pd.municipalityId}`);
        expect(paged.text).toBe(whole.text);
        expect(csvSeqs(paged.text)).toEqual([1, 2, 3, 5, 6, 8]);
        const json = await exportAs(`format=json&contractId=${pd.contractId}`);
        expect(jsonSeqs(json.body)).toEqual([1, 2, 3, 5, 8]);
      } finally {
        service.pageSize = 1000;
      }
    });
  });

  describe('scope: the rule of GET /audit', () => {
    it('gives an ETS user its contract without what another ETS did nor what was done to objects it cannot read', async () => {
      const res = await exportAs(`format=json&contractId=${pd.contractId}`, users.aurora.apiKey);
      expect(res.status).toBe(200);
      // 5, the manager's accept of a measurement with no row here, cannot be shown to be about Aurora's.
      expect(jsonSeqs(res.body)).toEqual([1, 2, 8]);
      expect(jsonSeqs((await exportAs(`format=json&contractId=${pd.contractId}`, users.delta.apiKey)).body)).toEqual([1, 3, 8]);
    });

    it('answers 404 AUDIT_CONTRACT_NOT_FOUND for a contract the caller may not read (an ETS of another contract), or that does not exist', async () => {
      for (const [who, contractId] of [
        [users.veAurora, pd.contractId],
        [users.aurora, ve.contractId],
        [users.veManager, pd.contractId],
        [users.pdAuditor, randomUUID()],
      ] as const) {
        const res = await exportAs(`format=csv&contractId=${contractId}`, who.apiKey);
        expect({ status: res.status, code: res.body?.code, id: res.body?.details?.id }).toEqual({ status: 404, code: 'AUDIT_CONTRACT_NOT_FOUND', id: contractId });
        expect(res.headers['content-disposition']).toBeUndefined();
      }
    });

    it('answers 404 AUDIT_MUNICIPALITY_NOT_FOUND for a municipality the caller does not administer, an ETS, or no organisation', async () => {
      for (const [who, municipalityId] of [
        [users.veManager, pd.municipalityId],
        [users.aurora, pd.municipalityId],
        [users.pdAuditor, ve.municipalityId],
        [users.pdAuditor, pd.etsIds.AURORA],
        [users.pdAuditor, randomUUID()],
      ] as const) {
        const res = await exportAs(`format=json&municipalityId=${municipalityId}`, who.apiKey);
        expect({ status: res.status, code: res.body?.code }).toEqual({ status: 404, code: 'AUDIT_MUNICIPALITY_NOT_FOUND' });
      }
    });

    it('answers 400 naming the field for a missing or unknown format and for neither or both of contractId and municipalityId, and 401 without a key', async () => {
      const cases: [string, string][] = [
        [`contractId=${pd.contractId}`, 'format'],
        [`format=xlsx&contractId=${pd.contractId}`, 'format'],
        ['format=csv', 'contractId'],
        [`format=csv&contractId=${pd.contractId}&municipalityId=${pd.municipalityId}`, 'municipalityId'],
        ['format=csv&contractId=nope', 'contractId'],
      ];
      for (const [query, field] of cases) {
        const res = await exportAs(query);
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
      expect((await t.request('GET', `/api/v1/audit/export?format=csv&contractId=${pd.contractId}`, undefined, { as: null })).status).toBe(401);
    });
  });

  describe('tampering', () => {
    const ds = () => t.app.get(DataSource);

    it('shows an entry of the contract edited in the database, in the verification and on its row', async () => {
      await ds().query(`UPDATE audit_entries SET actor_label = 'Mallory' WHERE seq = 3`);
      try {
        const csv = await exportAs(`format=csv&contractId=${pd.contractId}`, users.pdAuditor.apiKey);
        expect(csv.status).toBe(200);
        expect(comments(csv.text).slice(3)).toEqual([
          '# wholeChain: BROKEN (every entry of the whole log recomputed in seq order) intactEntries=2 headSeq=8',
          `# wholeChain.firstBreak: seq 3 (entry ${entries[3].id}) HASH_MISMATCH: entry 3 was changed after it was written`,
          '# exportedEntries: NOT LINKED (each exported entry recomputed and linked to entries seq-1 and seq+1 of the full chain) entries=5 notLinked=1',
          `# exportedEntries.firstBreak: seq 3 (entry ${entries[3].id}) HASH_MISMATCH: entry 3 was changed after it was written`,
        ]);
        expect(csvRows(csv.text).find((l) => l.startsWith('3,'))).toMatch(/,Mallory,.*,HASH_MISMATCH$/);
        expect(csvRows(csv.text).filter((l) => l.endsWith(',OK')).map((l) => Number(l.split(',')[0]))).toEqual([1, 2, 5, 8]);

        // An ETS user that does not see entry 3 learns that the chain is broken, and where, but not the entry's id.
        const aurora = await exportAs(`format=json&contractId=${pd.contractId}`, users.aurora.apiKey);
        expect(aurora.body.verification).toEqual({
          wholeChain: { ok: false, entries: 2, headSeq: 8, firstBreak: { seq: 3, id: null, reason: 'HASH_MISMATCH', message: 'entry 3 was changed after it was written' } },
          exportedEntries: { ok: true, entries: 3, broken: 0, firstBreak: null },
        });
      } finally {
        await ds().query(`UPDATE audit_entries SET actor_label = 'Dario (Delta)' WHERE seq = 3`);
      }
      expect((await exportAs(`format=json&contractId=${pd.contractId}`)).body.verification.wholeChain.ok).toBe(true);
    });

    it("catches an entry of another contract rewritten with a recomputed hash, at the exported successor's link", async () => {
      const original = entries[4];
      const forgedHash = entryHash({ ...original, objectId: 'forged' });
      await ds().query(`UPDATE audit_entries SET object_id = 'forged', entry_hash = '${forgedHash}' WHERE seq = 4`);
      try {
        const res = await exportAs(`format=json&contractId=${pd.contractId}`, users.pdAuditor.apiKey);
        const break5 = { seq: 5, id: entries[5].id, reason: 'PREVIOUS_HASH_MISMATCH', message: 'entry 5 does not follow entry 4' };
        expect(res.body.verification).toEqual({
          wholeChain: { ok: false, entries: 4, headSeq: 8, firstBreak: break5 },
          exportedEntries: { ok: false, entries: 5, broken: 1, firstBreak: break5 },
        });
        expect(res.body.entries.map((e: { seq: number; link: string }) => [e.seq, e.link])).toEqual([
          [1, 'OK'],
          [2, 'OK'],
          [3, 'OK'],
          [5, 'PREVIOUS_HASH_MISMATCH'],
          [8, 'OK'],
        ]);
      } finally {
        await ds().query(`UPDATE audit_entries SET object_id = '${original.objectId}', entry_hash = '${original.entryHash}' WHERE seq = 4`);
      }
    });

    it("catches an exported entry rewritten with a recomputed hash at its own link to the next entry", async () => {
      const original = entries[3];
      const forgedHash = entryHash({ ...original, objectId: 'm-forged' });
      await ds().query(`UPDATE audit_entries SET object_id = 'm-forged', entry_hash = '${forgedHash}' WHERE seq = 3`);
      try {
        const res = await exportAs(`format=csv&contractId=${pd.contractId}`);
        expect(comments(res.text)[6]).toBe(`# exportedEntries.firstBreak: seq 3 (entry ${entries[3].id}) NEXT_HASH_MISMATCH: entry 4 does not follow entry 3: entry 3 was rewritten`);
        expect(csvRows(res.text).find((l) => l.startsWith('3,'))).toMatch(/,m-forged,.*,NEXT_HASH_MISMATCH$/);
      } finally {
        await ds().query(`UPDATE audit_entries SET object_id = '${original.objectId}', entry_hash = '${original.entryHash}' WHERE seq = 3`);
      }
    });

    it('reports the last entry deleted as HEAD_MISMATCH and exports what is left', async () => {
      await ds().query('DELETE FROM audit_entries WHERE seq = 8');
      try {
        const res = await exportAs(`format=json&contractId=${pd.contractId}`);
        expect(res.body.verification.wholeChain).toMatchObject({ ok: false, headSeq: 8, firstBreak: { seq: 8, id: null, reason: 'HEAD_MISMATCH' } });
        expect(res.body.verification.exportedEntries).toMatchObject({ ok: true, entries: 4, broken: 0 });
        expect(jsonSeqs(res.body)).toEqual([1, 2, 3, 5]);
      } finally {
        await ds().getRepository(AuditEntryEntity).insert({ ...entries[8] });
      }
    });
  });

  describe('CLI audit:export', () => {
    const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(t.config, argv);

    it('writes the contract export to a file, as the API gives it to a platform administrator', async () => {
      const file = join(outDir, 'pd.json');
      const res = await cli('audit:export', '--contract', 'CTR-PD', '--format', 'json', '--out', file);
      expect(res).toEqual({
        code: EXIT_OK,
        out: `Exported 5 audit entries of contract CTR-PD (${pd.contractId}) up to seq 8 to ${file}\naudit chain intact: 8 entries, head at seq 8; every exported entry links\n`,
        err: '',
      });
      const written = JSON.parse(readFileSync(file, 'utf8')) as { exportedAt: string };
      const api = (await exportAs(`format=json&contractId=${pd.contractId}`)).body as { exportedAt: string };
      expect({ ...written, exportedAt: 'x' }).toEqual({ ...api, exportedAt: 'x' });

      const csvFile = join(outDir, 'pd.csv');
      expect((await cli('audit:export', '--municipality', 'C-PADOVA-PD', '--format', 'csv', '--out', csvFile)).code).toBe(EXIT_OK);
      expect(csvSeqs(readFileSync(csvFile, 'utf8'))).toEqual([1, 2, 3, 5, 6, 8]);
    });

    it('exits 1 on a broken chain (writing the file all the same), on an unknown contract, and 2 on a bad format', async () => {
      await t.app.get(DataSource).query(`UPDATE audit_entries SET actor_label = 'Mallory' WHERE seq = 2`);
      const file = join(outDir, 'broken.csv');
      const broken = await cli('audit:export', '--contract', 'CTR-PD', '--format', 'csv', '--out', file);
      expect(broken.code).toBe(EXIT_REFUSED);
      expect(broken.err).toBe(
        [
          `audit chain BROKEN at seq 2 (entry ${entries[2].id}): HASH_MISMATCH: entry 2 was changed after it was written`,
          `1 exported entries do not link; the first at seq 2 (entry ${entries[2].id}): HASH_MISMATCH: entry 2 was changed after it was written`,
          '',
        ].join('\n'),
      );
      expect(comments(readFileSync(file, 'utf8'))[3]).toContain('wholeChain: BROKEN');
      await t.app.get(DataSource).query(`UPDATE audit_entries SET actor_label = 'Anna (Aurora)' WHERE seq = 2`);

      expect(await cli('audit:export', '--contract', 'NOPE', '--format', 'csv', '--out', file)).toEqual({
        code: EXIT_REFUSED,
        out: '',
        err: `audit log not exported: no contract with code NOPE in ${describeDatabase(t.config.database)}\n`,
      });
      expect((await cli('audit:export', '--contract', 'CTR-PD', '--format', 'xlsx', '--out', file)).code).toBe(2);
    });
  });
});
