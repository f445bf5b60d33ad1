import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser } from 'test/support/test-users';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const PADOVA_PERIODS = [
  { code: 'Y1', startDate: '2024-07-01', endDate: '2025-06-30', phase: 'TRANSITION' },
  { code: 'Y2', startDate: '2025-07-01', endDate: '2026-06-30', phase: 'TERRITORIALISATION' },
  { code: 'Y3', startDate: '2026-07-01', endDate: '2027-06-30', phase: 'TERRITORIALISATION' },
];

describe('contracts API', () => {
  let t: TestApp;
  let padova: string;
  let como: string;
  let aurora: string;
  let sdc: string;
  let comoProject: string;

  const post = async (url: string, body: unknown): Promise<string> => {
    const res = await t.request('POST', url, body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  /** A contract body for Padova's project, with fields to override. */
  const padovaContract = (overrides: Record<string, unknown> = {}) => ({
    code: 'PD-SDC',
    title: 'Sviluppo di Comunità 2.0',
    projectId: sdc,
    municipalityId: padova,
    currency: 'EUR',
    startDate: '2024-07-01',
    endDate: '2027-06-30',
    periods: PADOVA_PERIODS,
    ...overrides,
  });

  /** Everything the contracts API holds, to compare before and after a rejected request. */
  const snapshot = async () => {
    const contracts = await t.request('GET', '/api/v1/contracts?limit=200');
    return contracts.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    padova = await post('/api/v1/organisations', { code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova' });
    como = await post('/api/v1/organisations', { code: 'C-COMO', kind: 'MUNICIPALITY', name: 'Comune di Como' });
    aurora = await post('/api/v1/organisations', {
      code: 'ETS-AURORA',
      kind: 'ETS',
      name: 'Cooperativa Sociale Aurora (fittizia)',
      legalForm: 'COOPERATIVA_SOCIALE',
    });
    sdc = await post('/api/v1/projects', { code: 'PD-SDC-2.0', name: 'Sviluppo di Comunità 2.0', municipalityId: padova });
    comoProject = await post('/api/v1/projects', { code: 'CO-WELFARE', name: 'Welfare di comunità Como', municipalityId: como });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('contracts', () => {
    it("creates Padova's PD-SDC with Y1-Y3, reads it back, filters and pages the list", async () => {
      const created = await t.request('POST', '/api/v1/contracts', padovaContract());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        code: 'PD-SDC',
        title: 'Sviluppo di Comunità 2.0',
        projectId: sdc,
        municipalityId: padova,
        currency: 'EUR',
        startDate: '2024-07-01',
        endDate: '2027-06-30',
        createdAt: '2026-01-15T10:00:00.000Z',
        updatedAt: '2026-01-15T10:00:00.000Z',
      });
      const id = created.body.id as string;
      expect(created.body.periods).toEqual(
        PADOVA_PERIODS.map((p, position) => ({
          ...p,
          id: expect.any(String),
          contractId: id,
          position,
          createdAt: '2026-01-15T10:00:00.000Z',
          updatedAt: '2026-01-15T10:00:00.000Z',
        })),
      );

      const read = await t.request('GET', `/api/v1/contracts/${id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const other = await t.request('POST', '/api/v1/contracts', {
        code: 'CO-2025',
        title: 'Welfare di comunità',
        projectId: comoProject,
        municipalityId: como,
        startDate: '2025-01-01',
        endDate: '2025-12-31',
      });
      expect(other.status).toBe(201);
      expect(other.body.currency).toBe('EUR');
      expect(other.body.periods).toEqual([]);

      const all = await t.request('GET', '/api/v1/contracts');
      expect(all.body.items.map((c: { code: string }) => c.code)).toEqual(['CO-2025', 'PD-SDC']);
      expect(all.body.page).toEqual({ limit: 50, offset: 0, total: 2 });
      expect(all.body.items[1].periods.map((p: { code: string }) => p.code)).toEqual(['Y1', 'Y2', 'Y3']);

      const byProject = await t.request('GET', `/api/v1/contracts?projectId=${sdc}`);
      expect(byProject.body.items.map((c: { code: string }) => c.code)).toEqual(['PD-SDC']);
      const byMunicipality = await t.request('GET', `/api/v1/contracts?municipalityId=${como}`);
      expect(byMunicipality.body.items.map((c: { code: string }) => c.code)).toEqual(['CO-2025']);
      const paged = await t.request('GET', '/api/v1/contracts?limit=1&offset=1');
      expect(paged.body.items.map((c: { code: string }) => c.code)).toEqual(['PD-SDC']);
      expect(paged.body.page).toEqual({ limit: 1, offset: 1, total: 2 });

      const badFilter = await t.request('GET', '/api/v1/contracts?projectId=nope');
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['projectId']);

      expect((await t.request('DELETE', `/api/v1/contracts/${other.body.id}`)).status).toBe(204);
    });

    it('rejects malformed contract bodies with field paths and creates nothing', async () => {
      const before = await snapshot();

      const unknown = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-X', budget: '1.00' }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.details.fields).toEqual([{ field: 'budget', code: 'whitelistValidation', message: 'budget is not a known field' }]);

      const bad = await t.request('POST', '/api/v1/contracts', {
        code: 'bad code!',
        title: '',
        projectId: 'not-a-uuid',
        municipalityId: padova,
        currency: 'USD',
        startDate: '2024-02-30',
        endDate: '01/07/2027',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(
        ['code', 'currency', 'endDate', 'projectId', 'startDate', 'title'].sort(),
      );

      const nullCurrency = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-X', currency: null }));
      expect(nullCurrency.status).toBe(400);
      expect(nullCurrency.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['currency']);

      const badPeriod = await t.request(
        'POST',
        '/api/v1/contracts',
        padovaContract({ code: 'PD-X', periods: [PADOVA_PERIODS[0], { ...PADOVA_PERIODS[1], startDate: 20250701, colour: 'red' }] }),
      );
      expect(badPeriod.status).toBe(400);
      expect(badPeriod.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'periods[1].colour',
        'periods[1].startDate',
      ]);

      const notArray = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-X', periods: 'Y1' }));
      expect(notArray.status).toBe(400);
      expect(notArray.body.details.fields.map((f: { field: string }) => f.field)).toContain('periods');

      expect(await snapshot()).toEqual(before);
    });

    it.each([
      [
        'the contract ends before it starts',
        { startDate: '2027-06-30', endDate: '2024-07-01', periods: [] },
        422,
        'CONTRACT_DATES_INVALID',
        'endDate',
      ],
      [
        'Y2 starts a month late (gap)',
        { periods: [PADOVA_PERIODS[0], { ...PADOVA_PERIODS[1], startDate: '2025-08-01' }, PADOVA_PERIODS[2]] },
        422,
        'PERIODS_NOT_CONTIGUOUS',
        'periods[1].startDate',
      ],
      [
        'Y3 starts on the last day of Y2 (overlap)',
        { periods: [PADOVA_PERIODS[0], PADOVA_PERIODS[1], { ...PADOVA_PERIODS[2], startDate: '2026-06-30' }] },
        422,
        'PERIODS_NOT_CONTIGUOUS',
        'periods[2].startDate',
      ],
      [
        'Y3 runs past the contract',
        { periods: [PADOVA_PERIODS[0], PADOVA_PERIODS[1], { ...PADOVA_PERIODS[2], endDate: '2027-07-31' }] },
        422,
        'PERIOD_OUTSIDE_CONTRACT',
        'periods[2].endDate',
      ],
      [
        'Y1 ends before it starts',
        { periods: [{ ...PADOVA_PERIODS[0], endDate: '2024-06-30' }] },
        422,
        'PERIOD_DATES_INVALID',
        'periods[0].endDate',
      ],
      [
        'two periods are called Y1',
        { periods: [PADOVA_PERIODS[0], { ...PADOVA_PERIODS[1], code: 'Y1' }] },
        409,
        'PERIOD_CODE_TAKEN',
        'periods[1].code',
      ],
    ])('refuses a contract where %s', async (_case, overrides, status, code, field) => {
      const before = await snapshot();
      const res = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-NEW', ...overrides }));
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await snapshot()).toEqual(before);
    });

    it('explains a gap between periods in the message and details', async () => {
      const res = await t.request(
        'POST',
        '/api/v1/contracts',
        padovaContract({ code: 'PD-GAP', periods: [PADOVA_PERIODS[0], { ...PADOVA_PERIODS[1], startDate: '2025-08-01' }] }),
      );
      expect(res.body.message).toBe('There is a gap between Y1 and Y2: 2025-07-01..2025-07-31 is in no period');
      expect(res.body.details).toMatchObject({ problem: 'GAP', expectedStartDate: '2025-07-01', gap: { startDate: '2025-07-01', endDate: '2025-07-31' } });
    });

    it('checks the project, the municipality and the code against existing data', async () => {
      const before = await snapshot();

      const noProject = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-NEW', projectId: UNKNOWN_ID }));
      expect(noProject.status).toBe(404);
      expect(noProject.body.code).toBe('CONTRACT_PROJECT_NOT_FOUND');
      expect(noProject.body.details.fields).toEqual([{ field: 'projectId', message: 'no such project' }]);

      const noMunicipality = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-NEW', municipalityId: UNKNOWN_ID }));
      expect(noMunicipality.status).toBe(404);
      expect(noMunicipality.body.code).toBe('ORGANISATION_NOT_FOUND');
      expect(noMunicipality.body.details.fields).toEqual([{ field: 'municipalityId', message: 'no such organisation' }]);

      const etsAsMunicipality = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-NEW', municipalityId: aurora }));
      expect(etsAsMunicipality.status).toBe(422);
      expect(etsAsMunicipality.body.code).toBe('ORGANISATION_WRONG_KIND');

      const otherMunicipality = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-NEW', municipalityId: como }));
      expect(otherMunicipality.status).toBe(422);
      expect(otherMunicipality.body.code).toBe('CONTRACT_MUNICIPALITY_MISMATCH');
      expect(otherMunicipality.body.details.fields).toEqual([{ field: 'municipalityId', message: `must be the project's municipality ${padova}` }]);

      const duplicate = await t.request('POST', '/api/v1/contracts', padovaContract());
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('CONTRACT_CODE_TAKEN');
      expect(duplicate.body.details.fields).toEqual([{ field: 'code', message: 'already taken' }]);

      expect(await snapshot()).toEqual(before);
    });

    it('updates the title and dates, and refuses dates that would leave a period outside', async () => {
      const created = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-PATCH' }));
      const id = created.body.id as string;
      t.clock.set(new Date('2026-02-01T09:00:00.000Z'));
      try {
        const patched = await t.request('PATCH', `/api/v1/contracts/${id}`, { title: 'SdC 2.0 (prorogato)', endDate: '2027-12-31' });
        expect(patched.status).toBe(200);
        expect(patched.body).toMatchObject({ title: 'SdC 2.0 (prorogato)', startDate: '2024-07-01', endDate: '2027-12-31', updatedAt: '2026-02-01T09:00:00.000Z' });
        expect(patched.body.periods).toHaveLength(3);

        const cutsY3 = await t.request('PATCH', `/api/v1/contracts/${id}`, { endDate: '2027-03-31' });
        expect(cutsY3.status).toBe(422);
        expect(cutsY3.body.code).toBe('PERIOD_OUTSIDE_CONTRACT');
        expect(cutsY3.body.details.fields).toEqual([{ field: 'periods[2].endDate', message: "must not be after the contract's end 2027-03-31" }]);

        const cutsY1 = await t.request('PATCH', `/api/v1/contracts/${id}`, { startDate: '2024-09-01' });
        expect(cutsY1.status).toBe(422);
        expect(cutsY1.body.code).toBe('PERIOD_OUTSIDE_CONTRACT');

        const reversed = await t.request('PATCH', `/api/v1/contracts/${id}`, { startDate: '2028-01-01' });
        expect(reversed.status).toBe(422);
        expect(reversed.body.code).toBe('CONTRACT_DATES_INVALID');

        const codeChange = await t.request('PATCH', `/api/v1/contracts/${id}`, { code: 'PD-OTHER' });
        expect(codeChange.status).toBe(400);
        expect(codeChange.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['code']);

        const nullTitle = await t.request('PATCH', `/api/v1/contracts/${id}`, { title: null });
        expect(nullTitle.status).toBe(400);
        expect(new Set(nullTitle.body.details.fields.map((f: { field: string }) => f.field))).toEqual(new Set(['title']));

        const read = await t.request('GET', `/api/v1/contracts/${id}`);
        expect(read.body).toEqual(patched.body);
      } finally {
        t.clock.set(new Date('2026-01-15T10:00:00.000Z'));
      }
    });

    it('answers 404 for unknown contracts and 400 for ids that are not UUIDs', async () => {
      for (const [method, url, body] of [
        ['GET', `/api/v1/contracts/${UNKNOWN_ID}`, undefined],
        ['PATCH', `/api/v1/contracts/${UNKNOWN_ID}`, { title: 'x' }],
        ['DELETE', `/api/v1/contracts/${UNKNOWN_ID}`, undefined],
        ['GET', `/api/v1/contracts/${UNKNOWN_ID}/payment-rules`, undefined],
        ['PUT', `/api/v1/contracts/${UNKNOWN_ID}/payment-rules`, { paymentRules: {} }],
        ['GET', `/api/v1/contracts/${UNKNOWN_ID}/periods`, undefined],
        ['POST', `/api/v1/contracts/${UNKNOWN_ID}/periods`, PADOVA_PERIODS[0]],
      ] as const) {
        const res = await t.request(method, url, body);
        expect({ url, method, status: res.status, code: res.body.code }).toEqual({ url, method, status: 404, code: 'CONTRACT_NOT_FOUND' });
      }
      const badId = await t.request('GET', '/api/v1/contracts/PD-SDC');
      expect(badId.status).toBe(400);
      expect(badId.body.details.fields).toEqual([{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }]);
      const badContractId = await t.request('GET', '/api/v1/contracts/PD-SDC/periods');
      expect(badContractId.status).toBe(400);
      expect(badContractId.body.details.fields).toEqual([{ field: 'contractId', code: 'isUuid', message: 'contractId must be a UUID' }]);
    });

    it('deletes a contract with its periods', async () => {
      const created = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-DEL' }));
      const id = created.body.id as string;
      const y1 = created.body.periods[0].id as string;
      expect((await t.request('DELETE', `/api/v1/contracts/${id}`)).status).toBe(204);
      const gone = await t.request('GET', `/api/v1/contracts/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('CONTRACT_NOT_FOUND');
      const period = await t.request('GET', `/api/v1/contract-periods/${y1}`);
      expect(period.status).toBe(404);
      expect(period.body.code).toBe('PERIOD_NOT_FOUND');
    });
  });

  describe('periods', () => {
    let contract: string;

    beforeAll(async () => {
      // Ends six months after Y3, so appending past Y3 fails only on the rule under test.
      const created = await t.request('POST', '/api/v1/contracts', padovaContract({ code: 'PD-PERIODS', endDate: '2027-12-31', periods: [PADOVA_PERIODS[0]] }));
      expect(created.status).toBe(201);
      contract = created.body.id as string;
    });

    const periodCodes = async () => {
      const res = await t.request('GET', `/api/v1/contracts/${contract}/periods`);
      return res.body.items.map((p: { code: string; startDate: string; endDate: string; phase: string | null }) => `${p.code} ${p.startDate}..${p.endDate} ${p.phase}`);
    };

    it('appends Y2 and Y3 contiguously and lists them in order', async () => {
      const y2 = await t.request('POST', `/api/v1/contracts/${contract}/periods`, PADOVA_PERIODS[1]);
      expect(y2.status).toBe(201);
      expect(y2.body).toMatchObject({ ...PADOVA_PERIODS[1], contractId: contract, position: 1 });
      const y3 = await t.request('POST', `/api/v1/contracts/${contract}/periods`, { code: 'Y3', startDate: '2026-07-01', endDate: '2027-06-30' });
      expect(y3.status).toBe(201);
      expect(y3.body).toMatchObject({ code: 'Y3', phase: null, position: 2 });

      expect(await periodCodes()).toEqual([
        'Y1 2024-07-01..2025-06-30 TRANSITION',
        'Y2 2025-07-01..2026-06-30 TERRITORIALISATION',
        'Y3 2026-07-01..2027-06-30 null',
      ]);
      const page = await t.request('GET', `/api/v1/contracts/${contract}/periods?limit=1&offset=2`);
      expect(page.body.items.map((p: { code: string }) => p.code)).toEqual(['Y3']);
      expect(page.body.page).toEqual({ limit: 1, offset: 2, total: 3 });

      const read = await t.request('GET', `/api/v1/contract-periods/${y3.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(y3.body);

      const viaContract = await t.request('GET', `/api/v1/contracts/${contract}`);
      expect(viaContract.body.periods.map((p: { code: string }) => p.code)).toEqual(['Y1', 'Y2', 'Y3']);
    });

    it('changes only the phase label of a period', async () => {
      const list = await t.request('GET', `/api/v1/contracts/${contract}/periods`);
      const y3 = list.body.items[2].id as string;
      const set = await t.request('PATCH', `/api/v1/contract-periods/${y3}`, { phase: 'TERRITORIALISATION' });
      expect(set.status).toBe(200);
      expect(set.body.phase).toBe('TERRITORIALISATION');
      const cleared = await t.request('PATCH', `/api/v1/contract-periods/${y3}`, { phase: null });
      expect(cleared.body.phase).toBeNull();
      await t.request('PATCH', `/api/v1/contract-periods/${y3}`, { phase: 'TERRITORIALISATION' });

      const before = await periodCodes();
      const dates = await t.request('PATCH', `/api/v1/contract-periods/${y3}`, { startDate: '2026-08-01' });
      expect(dates.status).toBe(400);
      expect(dates.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['startDate']);
      const tooLong = await t.request('PATCH', `/api/v1/contract-periods/${y3}`, { phase: 'X'.repeat(65) });
      expect(tooLong.status).toBe(400);
      expect(await periodCodes()).toEqual(before);
    });

    it("refuses a closed period's phase label with 422 PERIOD_CLOSED, for the contract manager too, until an approver reopens it", async () => {
      // Only Padova's contract manager and approver close and reopen periods (a platform admin does not).
      const ds = t.app.get(DataSource);
      const manager = await insertTestUser(ds, { name: 'Laura Bianchi', roles: ['contract_manager'], organisationId: padova }, t.clock.nowIso());
      const approver = await insertTestUser(ds, { name: 'Dirigente Rossi', roles: ['approver'], organisationId: padova }, t.clock.nowIso());
      const y2 = ((await t.request('GET', `/api/v1/contracts/${contract}/periods`)).body.items as { id: string; code: string }[]).find((p) => p.code === 'Y2')!;
      const closed = await t.request('POST', `/api/v1/contract-periods/${y2.id}/close`, {}, { as: manager.apiKey });
      expect(closed.status).toBe(200);

      const before = await periodCodes();
      const audited = await ds.getRepository(AuditEntryEntity).countBy({ objectType: 'contract_period' });
      const refusals = [
        await t.request('PATCH', `/api/v1/contract-periods/${y2.id}`, { phase: 'CONSOLIDATION' }, { as: manager.apiKey }),
        await t.request('PATCH', `/api/v1/contract-periods/${y2.id}`, { phase: null }),
        // The same label again is refused too: a closed period takes no write.
        await t.request('PATCH', `/api/v1/contract-periods/${y2.id}`, { phase: 'TERRITORIALISATION' }),
      ];
      expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(3).fill([422, 'PERIOD_CLOSED']));
      expect(refusals[0].body).toEqual({
        code: 'PERIOD_CLOSED',
        message: 'Period Y2 is closed: its phase label cannot change until an approver reopens the period',
        details: { periodId: y2.id, period: 'Y2', fields: [{ field: 'phase', message: 'cannot change while period Y2 is closed' }] },
      });
      expect(await periodCodes()).toEqual(before);
      expect(await ds.getRepository(AuditEntryEntity).countBy({ objectType: 'contract_period' })).toBe(audited);
      // Only the closed period is frozen.
      const y1 = (await t.request('GET', `/api/v1/contracts/${contract}/periods`)).body.items[0].id as string;
      expect((await t.request('PATCH', `/api/v1/contract-periods/${y1}`, { phase: 'TRANSITION' })).status).toBe(200);

      const reopened = await t.request('POST', `/api/v1/contract-periods/${y2.id}/reopen`, { reason: 'Fase rinominata nel verbale' }, { as: approver.apiKey });
      expect(reopened.status).toBe(200);
      const changed = await t.request('PATCH', `/api/v1/contract-periods/${y2.id}`, { phase: 'CONSOLIDATION' }, { as: manager.apiKey });
      expect([changed.status, changed.body.phase]).toEqual([200, 'CONSOLIDATION']);
      expect((await t.request('PATCH', `/api/v1/contract-periods/${y2.id}`, { phase: 'TERRITORIALISATION' })).status).toBe(200);
      expect(await periodCodes()).toEqual(before);
    });

    it.each([
      ['a gap after Y3', { code: 'Y4', startDate: '2027-08-01', endDate: '2027-08-31' }, 422, 'PERIODS_NOT_CONTIGUOUS', 'startDate'],
      ['an overlap with Y3', { code: 'Y4', startDate: '2027-06-01', endDate: '2027-06-30' }, 422, 'PERIODS_NOT_CONTIGUOUS', 'startDate'],
      ['a code already used', { code: 'Y2', startDate: '2027-07-01', endDate: '2027-07-31' }, 409, 'PERIOD_CODE_TAKEN', 'code'],
      ['a period past the contract end', { code: 'Y4', startDate: '2027-07-01', endDate: '2028-06-30' }, 422, 'PERIOD_OUTSIDE_CONTRACT', 'endDate'],
      ['a period ending before it starts', { code: 'Y4', startDate: '2027-07-01', endDate: '2027-06-30' }, 422, 'PERIOD_DATES_INVALID', 'endDate'],
    ])('refuses to append %s and keeps the periods as they were', async (_case, body, status, code, field) => {
      const before = await periodCodes();
      const res = await t.request('POST', `/api/v1/contracts/${contract}/periods`, body);
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await periodCodes()).toEqual(before);
    });

    it('refuses malformed periods with 400', async () => {
      const before = await periodCodes();
      const res = await t.request('POST', `/api/v1/contracts/${contract}/periods`, { code: 'Y 4', startDate: '2027-07-01', endDate: 20271231, extra: 1 });
      expect(res.status).toBe(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['code', 'endDate', 'extra']);
      expect(await periodCodes()).toEqual(before);
    });

    it('removes only the last period', async () => {
      const list = await t.request('GET', `/api/v1/contracts/${contract}/periods`);
      const [y1, , y3] = list.body.items as { id: string }[];
      const before = await periodCodes();
      const notLast = await t.request('DELETE', `/api/v1/contract-periods/${y1.id}`);
      expect(notLast.status).toBe(409);
      expect(notLast.body.code).toBe('PERIOD_NOT_LAST');
      expect(notLast.body.details.last).toEqual({ id: y3.id, code: 'Y3' });
      expect(await periodCodes()).toEqual(before);

      expect((await t.request('DELETE', `/api/v1/contract-periods/${y3.id}`)).status).toBe(204);
      expect(await periodCodes()).toEqual(before.slice(0, 2));
      // Y3 can be appended again after Y2, with the position it had.
      const again = await t.request('POST', `/api/v1/contracts/${contract}/periods`, PADOVA_PERIODS[2]);
      expect(again.status).toBe(201);
      expect(again.body.position).toBe(2);
    });

    it('lets only one of two concurrent appends through (the other now overlaps)', async () => {
      const before = await periodCodes();
      const results = await Promise.all(
        ['Y4-A', 'Y4-B'].map((code) => t.request('POST', `/api/v1/contracts/${contract}/periods`, { code, startDate: '2027-07-01', endDate: '2027-09-30' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
      const loser = results.find((r) => r.status === 422)!;
      expect(loser.body.code).toBe('PERIODS_NOT_CONTIGUOUS');
      expect(loser.body.details.problem).toBe('OVERLAP');
      const after = await periodCodes();
      expect(after).toHaveLength(before.length + 1);
      const winner = results.find((r) => r.status === 201)!;
      expect((await t.request('DELETE', `/api/v1/contract-periods/${winner.body.id}`)).status).toBe(204);
    });

    it('answers 404 for unknown periods', async () => {
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { phase: 'X' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.request(method, `/api/v1/contract-periods/${UNKNOWN_ID}`, body);
        expect({ method, status: res.status, code: res.body.code }).toEqual({ method, status: 404, code: 'PERIOD_NOT_FOUND' });
      }
    });
  });

  describe('payment rules', () => {
    // The Padova contract of test/support/fixtures.ts (RTI-A, RTI-B, Y1-Y3 with fees) with IND-01..05
    // added through the API, and the Padova rule set of contracts/examples/padova-sdc-2.0.json without
    // the IND-G1 guardrail (the fixture has no IND-G1).
    let fx: ContractFixture;
    let contract: string;
    let rules: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- edited freely below

    const padovaRuleSet = (): Record<string, any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'contracts', 'examples', 'padova-sdc-2.0.json'), 'utf8'));
      const ruleSet = doc.contract.paymentRules;
      delete ruleSet.guardrails;
      for (const test of ruleSet.tests) {
        delete test.measurements['IND-G1'];
        // The seeded members' codes end in the fixture key (ETS-AURORA-RULES): a case allocates to them.
        test.expect.allocation = Object.fromEntries(Object.entries(test.expect.allocation).map(([member, amount]) => [`${member}-RULES`, amount]));
      }
      return ruleSet;
    };
    const put = (body: unknown) => t.request('PUT', `/api/v1/contracts/${contract}/payment-rules`, body);
    const stored = async () => (await t.request('GET', `/api/v1/contracts/${contract}/payment-rules`)).body.paymentRules;

    beforeAll(async () => {
      fx = await seedContract(t.app, { key: 'RULES' });
      contract = fx.contractId;
      for (const body of Object.values(padovaIndicatorBodies(fx))) {
        expect((await t.request('POST', `/api/v1/contracts/${contract}/indicators`, body)).status).toBe(201);
      }
      rules = padovaRuleSet();
    });

    it('stores a valid rule set exactly as sent and returns it, null before it is set', async () => {
      const none = await t.request('GET', `/api/v1/contracts/${contract}/payment-rules`);
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ contractId: contract, paymentRules: null });

      const res = await put({ paymentRules: rules });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ contractId: contract, paymentRules: rules });

      const read = await t.request('GET', `/api/v1/contracts/${contract}/payment-rules`);
      expect(read.body).toEqual({ contractId: contract, paymentRules: rules });
      expect(JSON.stringify(read.body.paymentRules)).toBe(JSON.stringify(rules));

      const replaced = await put({ paymentRules: { ...rules, poolCap: '55000.00' } });
      expect(replaced.status).toBe(200);
      expect(replaced.body.paymentRules.poolCap).toBe('55000.00');
      expect((await put({ paymentRules: rules })).status).toBe(200);
    });

    it('refuses a rule set that does not fit the contract with 422, every problem at its body path, and keeps the stored one', async () => {
      const broken = padovaRuleSet();
      broken.terms[4].weight = '0.25';
      broken.terms[1].indicator = 'IND-07';
      broken.terms[1].id = 'IND-02';
      broken.terms[2].gate.condition.all[0].fact = 'IND-03.TARGET_GROUP.UNDER65.share';
      broken.phases[0] = { period: 'Y1', mode: 'LIVE' };
      broken.groupingCap = '30000.00';
      const res = await put({ paymentRules: broken });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('RULE_SET_TARGET_MISSING');
      expect(res.body.details.fields.map((f: { code: string; field: string }) => [f.code, f.field])).toEqual([
        ['RULE_SET_TARGET_MISSING', 'paymentRules.terms[0].indicator'],
        ['RULE_SET_UNKNOWN_INDICATOR', 'paymentRules.terms[1].indicator'],
        ['RULE_SET_TARGET_MISSING', 'paymentRules.terms[2].indicator'],
        ['RULE_SET_TARGET_MISSING', 'paymentRules.terms[3].indicator'],
        ['RULE_SET_TARGET_MISSING', 'paymentRules.terms[4].indicator'],
        ['RULE_SET_WEIGHTS_NOT_ONE', 'paymentRules.terms'],
        ['RULE_SET_CAP_ABOVE_AT_RISK', 'paymentRules.groupingCap'],
        ['RULE_CONDITION_UNKNOWN_FACT', 'paymentRules.terms[2].gate.condition.all[0].fact'],
      ]);
      expect(res.body.details.fields[1]).toEqual({
        field: 'paymentRules.terms[1].indicator',
        message: 'the contract has no indicator IND-07',
        code: 'RULE_SET_UNKNOWN_INDICATOR',
      });
      expect(await stored()).toEqual(rules);
    });

    it('refuses a free-form section (the format before rule sets) by the schema, with 422', async () => {
      const res = await put({ paymentRules: { code: 'PD-SDC-R1', mode: 'AT_RISK_SHARE', terms: [{ indicator: 'IND-01', weight: 0.2 }] } });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('RULE_SET_SCHEMA_INVALID');
      expect(res.body.details.fields).toEqual([
        { field: 'paymentRules.mode', message: 'is not a known field', code: 'RULE_SET_SCHEMA_INVALID' },
        { field: 'paymentRules.terms[0].payout', message: 'is required', code: 'RULE_SET_SCHEMA_INVALID' },
        {
          field: 'paymentRules.terms[0].weight',
          message: 'must be a decimal string such as "0.25": JSON numbers are not accepted for money or measured values',
          code: 'RULE_SET_SCHEMA_INVALID',
        },
      ]);
      expect(await stored()).toEqual(rules);
    });

    it("checks against the contract's current data: targets in every LIVE period, payer organisations that exist now", async () => {
      const withPayer = { ...padovaRuleSet(), evaluationPayers: [{ id: 'FOND', payer: 'F-CARIPARO-RULES', label: 'Fondazione', share: '0.50', cap: '20000.00' }] };
      const unknown = await put({ paymentRules: withPayer });
      expect(unknown.status).toBe(422);
      expect(unknown.body.details.fields).toEqual([
        { field: 'paymentRules.evaluationPayers[0].payer', message: 'no organisation with code F-CARIPARO-RULES', code: 'RULE_SET_UNKNOWN_ORGANISATION' },
      ]);
      await post('/api/v1/organisations', { code: 'F-CARIPARO-RULES', kind: 'OTHER', name: 'Fondazione (fittizia)' });
      expect((await put({ paymentRules: withPayer })).status).toBe(200);

      const y1Live = { ...padovaRuleSet(), phases: [{ period: 'Y1', mode: 'LIVE' }] };
      const noTargets = await put({ paymentRules: y1Live });
      expect(noTargets.status).toBe(422);
      expect(noTargets.body.details.fields[0]).toEqual({
        field: 'paymentRules.terms[0].indicator',
        message: 'IND-01 has no target for RTI-A in Y1, RTI-B in Y1: a LINEAR term needs one in every LIVE period (mark a period SHADOW in phases, or add the targets)',
        code: 'RULE_SET_TARGET_MISSING',
      });
      expect((await put({ paymentRules: rules })).status).toBe(200);
      expect(await stored()).toEqual(rules);
    });

    it.each([
      ['an array', [{}], 'PAYMENT_RULES_INVALID', 'must be a JSON object, not an array'],
      ['a string', 'AT_RISK_SHARE', 'PAYMENT_RULES_INVALID', 'must be a JSON object, not a string'],
      ['a number', 42, 'PAYMENT_RULES_INVALID', 'must be a JSON object, not a number'],
      ['null', null, 'PAYMENT_RULES_INVALID', 'must be a JSON object, not null'],
    ])('refuses %s with 400 and keeps the stored rule set', async (_case, value, code, message) => {
      const res = await put({ paymentRules: value });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields).toEqual([{ field: 'paymentRules', message }]);
      expect(await stored()).toEqual(rules);
    });

    it('refuses a body without the paymentRules wrapper, or with other fields beside it', async () => {
      const bare = await put(rules);
      expect(bare.status).toBe(400);
      expect(bare.body.code).toBe('VALIDATION_FAILED');
      expect(bare.body.details.fields.map((f: { field: string }) => f.field)).toContain('code');
      const missing = await put({});
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('PAYMENT_RULES_INVALID');
      expect(missing.body.details.fields).toEqual([{ field: 'paymentRules', message: 'is required: a JSON object' }]);
      const extra = await put({ paymentRules: rules, version: 2 });
      expect(extra.status).toBe(400);
      expect(extra.body.details.fields).toEqual([{ field: 'version', code: 'whitelistValidation', message: 'version is not a known field' }]);
      expect(await stored()).toEqual(rules);
    });
  });
});
