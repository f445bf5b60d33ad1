import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { createTestApp, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const ETS = [
  ['ETS-AURORA', 'Cooperativa Sociale Aurora (fittizia)'],
  ['ETS-BORGO-VIVO', 'Cooperativa Sociale Borgo Vivo (fittizia)'],
  ['ETS-CICLAMINO', 'Cooperativa Sociale Ciclamino (fittizia)'],
  ['ETS-DELTA', 'Cooperativa Sociale Delta (fittizia)'],
  ['ETS-EDERA', 'Cooperativa Sociale Edera (fittizia)'],
] as const;

type Member = { organisationId: string; role: string; executionShare: unknown };

describe('provider groupings, members and fees API', () => {
  let t: TestApp;
  const org: Record<string, string> = {};
  let contract: string;
  let periods: { id: string; code: string }[];
  let rtiA: string;
  let rtiB: string;
  /** Padova's contract manager and approver: only they close and reopen periods (a platform admin does not). */
  let manager: TestUser;
  let approver: TestUser;

  const post = async (url: string, body: unknown): Promise<string> => {
    const res = await t.request('POST', url, body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const rtiAMembers = (): Member[] => [
    { organisationId: org['ETS-AURORA'], role: 'MANDATARIA', executionShare: '0.50' },
    { organisationId: org['ETS-BORGO-VIVO'], role: 'MANDANTE', executionShare: '0.30' },
    { organisationId: org['ETS-CICLAMINO'], role: 'MANDANTE', executionShare: '0.20' },
  ];
  const rtiBMembers = (): Member[] => [
    { organisationId: org['ETS-DELTA'], role: 'MANDATARIA', executionShare: '0.60' },
    { organisationId: org['ETS-EDERA'], role: 'MANDANTE', executionShare: '0.40' },
  ];

  /** Groupings (with members) and fees of the contract, to compare before and after a rejected request. */
  const snapshot = async (contractId = contract) => {
    const groupings = await t.request('GET', `/api/v1/contracts/${contractId}/groupings?limit=200`);
    const fees = await t.request('GET', `/api/v1/contracts/${contractId}/fees?limit=200`);
    return { groupings: groupings.body, fees: fees.body };
  };

  const fields = (body: { details: { fields: { field: string }[] } }) => [...new Set(body.details.fields.map((f) => f.field))].sort();

  beforeAll(async () => {
    t = await createTestApp();
    org['C-PADOVA'] = await post('/api/v1/organisations', { code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova' });
    for (const [code, name] of ETS) {
      org[code] = await post('/api/v1/organisations', { code, kind: 'ETS', name, legalForm: 'COOPERATIVA_SOCIALE' });
    }
    const project = await post('/api/v1/projects', {
      code: 'PD-SDC-2.0',
      name: 'Sviluppo di Comunità 2.0',
      municipalityId: org['C-PADOVA'],
    });
    const created = await t.request('POST', '/api/v1/contracts', {
      code: 'PD-SDC',
      title: 'Sviluppo di Comunità 2.0',
      projectId: project,
      municipalityId: org['C-PADOVA'],
      currency: 'EUR',
      startDate: '2024-07-01',
      endDate: '2027-06-30',
      periods: [
        { code: 'Y1', startDate: '2024-07-01', endDate: '2025-06-30', phase: 'TRANSITION' },
        { code: 'Y2', startDate: '2025-07-01', endDate: '2026-06-30', phase: 'TERRITORIALISATION' },
        { code: 'Y3', startDate: '2026-07-01', endDate: '2027-06-30', phase: 'TERRITORIALISATION' },
      ],
    });
    expect(created.status).toBe(201);
    contract = created.body.id as string;
    periods = created.body.periods as { id: string; code: string }[];
    const ds = t.app.get(DataSource);
    manager = await insertTestUser(ds, { name: 'Laura Bianchi', roles: ['contract_manager'], organisationId: org['C-PADOVA'] }, t.clock.nowIso());
    approver = await insertTestUser(ds, { name: 'Dirigente Rossi', roles: ['approver'], organisationId: org['C-PADOVA'] }, t.clock.nowIso());
  });

  afterAll(async () => {
    await t.close();
  });

  it("builds Padova's RTI-A and RTI-B with their members and yearly fees", async () => {
    const a = await t.request('POST', `/api/v1/contracts/${contract}/groupings`, {
      code: 'RTI-A',
      name: 'RTI A – Aurora, Borgo Vivo, Ciclamino',
      type: 'RTI',
      areas: ['Quartiere 1 Centro', 'Quartiere 2 Nord', 'Quartiere 3 Est'],
      members: rtiAMembers(),
    });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({
      id: expect.any(String),
      contractId: contract,
      code: 'RTI-A',
      name: 'RTI A – Aurora, Borgo Vivo, Ciclamino',
      type: 'RTI',
      areas: ['Quartiere 1 Centro', 'Quartiere 2 Nord', 'Quartiere 3 Est'],
      members: [
        { organisationId: org['ETS-AURORA'], organisationCode: 'ETS-AURORA', organisationName: 'Cooperativa Sociale Aurora (fittizia)', role: 'MANDATARIA', executionShare: '0.50', position: 0 },
        { organisationId: org['ETS-BORGO-VIVO'], organisationCode: 'ETS-BORGO-VIVO', organisationName: 'Cooperativa Sociale Borgo Vivo (fittizia)', role: 'MANDANTE', executionShare: '0.30', position: 1 },
        { organisationId: org['ETS-CICLAMINO'], organisationCode: 'ETS-CICLAMINO', organisationName: 'Cooperativa Sociale Ciclamino (fittizia)', role: 'MANDANTE', executionShare: '0.20', position: 2 },
      ],
      position: 0,
      createdAt: '2026-01-15T10:00:00.000Z',
      updatedAt: '2026-01-15T10:00:00.000Z',
    });
    rtiA = a.body.id as string;

    const b = await t.request('POST', `/api/v1/contracts/${contract}/groupings`, {
      code: 'RTI-B',
      name: 'RTI B – Delta, Edera',
      type: 'RTI',
      areas: ['Quartiere 4 Sud-Est', 'Quartiere 5 Sud-Ovest', 'Quartiere 6 Ovest'],
      members: rtiBMembers(),
    });
    expect(b.status).toBe(201);
    expect(b.body.position).toBe(1);
    expect(b.body.members.map((m: { organisationCode: string; executionShare: string }) => `${m.organisationCode} ${m.executionShare}`)).toEqual([
      'ETS-DELTA 0.60',
      'ETS-EDERA 0.40',
    ]);
    rtiB = b.body.id as string;

    for (const period of periods) {
      const feeA = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${period.id}`, { amount: '320000.00' });
      expect(feeA.status).toBe(200);
      expect(feeA.body).toEqual({ groupingId: rtiA, groupingCode: 'RTI-A', periodId: period.id, periodCode: period.code, amount: '320000.00' });
      expect((await t.request('PUT', `/api/v1/groupings/${rtiB}/fees/${period.id}`, { amount: '280000.00' })).status).toBe(200);
    }

    const fees = await t.request('GET', `/api/v1/contracts/${contract}/fees`);
    expect(fees.status).toBe(200);
    expect(fees.body.page).toEqual({ limit: 50, offset: 0, total: 6 });
    expect(fees.body.items.map((f: { groupingCode: string; periodCode: string; amount: string }) => `${f.groupingCode} ${f.periodCode} ${f.amount}`)).toEqual([
      'RTI-A Y1 320000.00',
      'RTI-A Y2 320000.00',
      'RTI-A Y3 320000.00',
      'RTI-B Y1 280000.00',
      'RTI-B Y2 280000.00',
      'RTI-B Y3 280000.00',
    ]);
    const page = await t.request('GET', `/api/v1/contracts/${contract}/fees?limit=2&offset=2`);
    expect(page.body.items.map((f: { groupingCode: string; periodCode: string }) => `${f.groupingCode} ${f.periodCode}`)).toEqual(['RTI-A Y3', 'RTI-B Y1']);
    expect(page.body.page).toEqual({ limit: 2, offset: 2, total: 6 });

    const list = await t.request('GET', `/api/v1/contracts/${contract}/groupings`);
    expect(list.body.items.map((g: { code: string }) => g.code)).toEqual(['RTI-A', 'RTI-B']);
    expect(list.body.page).toEqual({ limit: 50, offset: 0, total: 2 });
    expect(list.body.items[0]).toEqual(a.body);
    const second = await t.request('GET', `/api/v1/contracts/${contract}/groupings?limit=1&offset=1`);
    expect(second.body.items.map((g: { code: string }) => g.code)).toEqual(['RTI-B']);

    const read = await t.request('GET', `/api/v1/groupings/${rtiB}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(b.body);
  });

  it('shows a period without fees as null amounts, and replaces a fee in place', async () => {
    const y4 = await t.request('PATCH', `/api/v1/contracts/${contract}`, { endDate: '2028-06-30' });
    expect(y4.status).toBe(200);
    const appended = await t.request('POST', `/api/v1/contracts/${contract}/periods`, { code: 'Y4', startDate: '2027-07-01', endDate: '2028-06-30' });
    expect(appended.status).toBe(201);
    const y4Id = appended.body.id as string;

    const fees = await t.request('GET', `/api/v1/contracts/${contract}/fees`);
    expect(fees.body.page.total).toBe(8);
    expect(fees.body.items.filter((f: { periodCode: string }) => f.periodCode === 'Y4').map((f: { amount: string | null }) => f.amount)).toEqual([null, null]);

    expect((await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${y4Id}`, { amount: '100000' })).body.amount).toBe('100000');
    const replaced = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${y4Id}`, { amount: '150000.5' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.amount).toBe('150000.5');
    const after = await t.request('GET', `/api/v1/contracts/${contract}/fees`);
    expect(after.body.items.filter((f: { periodCode: string }) => f.periodCode === 'Y4').map((f: { amount: string | null }) => f.amount)).toEqual(['150000.5', null]);

    // Y4 is used by a fee: it cannot be removed until the fee goes.
    const inUse = await t.request('DELETE', `/api/v1/contract-periods/${y4Id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('PERIOD_IN_USE');
    expect(inUse.body.details).toMatchObject({ fees: 1, indicatorTargets: 0, indicatorBaselines: 0 });
    expect((await t.request('GET', `/api/v1/contract-periods/${y4Id}`)).status).toBe(200);

    expect((await t.request('DELETE', `/api/v1/groupings/${rtiA}/fees/${y4Id}`)).status).toBe(204);
    const again = await t.request('DELETE', `/api/v1/groupings/${rtiA}/fees/${y4Id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('FEE_NOT_FOUND');

    expect((await t.request('DELETE', `/api/v1/contract-periods/${y4Id}`)).status).toBe(204);
    expect((await t.request('PATCH', `/api/v1/contracts/${contract}`, { endDate: '2027-06-30' })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/contracts/${contract}/fees`)).body.page.total).toBe(6);
  });

  describe('rejects bad members', () => {
    const create = (members: Member[], overrides: Record<string, unknown> = {}) =>
      t.request('POST', `/api/v1/contracts/${contract}/groupings`, { code: 'RTI-C', name: 'RTI C', type: 'RTI', areas: [], members, ...overrides });

    it.each([
      ['the JSON number 0.5', 0.5, 'must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values'],
      ['"0,5"', '0,5', 'must use a decimal point, not a comma (e.g. "12.50")'],
      ['"5e-1"', '5e-1', 'must be a plain decimal: exponents, NaN and Infinity are not accepted'],
      ['" 0.5"', ' 0.5', 'must be a plain decimal string such as "12.50" (digits, optional minus, optional point)'],
    ])('refuses a share sent as %s with 400 and changes nothing', async (_case, share, problem) => {
      const before = await snapshot();
      const members = rtiBMembers();
      members[1].executionShare = share;
      const res = await create(members);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields).toEqual([{ field: 'members[1].executionShare', code: 'isDecimalString', message: `executionShare ${problem}` }]);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses unknown fields, bad roles, types and ids with 400', async () => {
      const before = await snapshot();
      const members: Member[] = [
        { ...rtiBMembers()[0], role: 'CAPOFILA' },
        { ...rtiBMembers()[1], organisationId: 'ETS-EDERA' },
      ];
      (members[0] as Record<string, unknown>).weight = '1';
      const res = await create(members, { type: 'ATI', colour: 'red', areas: [''] });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['areas', 'colour', 'members[0].role', 'members[0].weight', 'members[1].organisationId', 'type']);
      const noMembers = await t.request('POST', `/api/v1/contracts/${contract}/groupings`, { code: 'RTI-C', name: 'RTI C', type: 'RTI' });
      expect(noMembers.status).toBe(400);
      expect(fields(noMembers.body)).toEqual(['members']);
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      [
        '1/3 written as 0.33 three times',
        () => [
          { organisationId: org['ETS-AURORA'], role: 'MANDATARIA', executionShare: '0.33' },
          { organisationId: org['ETS-DELTA'], role: 'MANDANTE', executionShare: '0.33' },
          { organisationId: org['ETS-EDERA'], role: 'MANDANTE', executionShare: '0.33' },
        ],
        'GROUPING_SHARES_NOT_ONE',
        [{ field: 'members', message: 'execution shares sum to 0.99, not 1' }],
      ],
      [
        'a zero share',
        () => [{ ...rtiBMembers()[0], executionShare: '1.00' }, { ...rtiBMembers()[1], executionShare: '0.00' }],
        'GROUPING_SHARE_INVALID',
        [{ field: 'members[1].executionShare', message: 'must be greater than 0' }],
      ],
      [
        'a share above 1',
        () => [{ ...rtiBMembers()[0], executionShare: '1.60' }, { ...rtiBMembers()[1], executionShare: '-0.60' }],
        'GROUPING_SHARE_INVALID',
        [{ field: 'members[0].executionShare', message: 'must be at most 1' }],
      ],
      [
        'no mandataria',
        () => rtiBMembers().map((m) => ({ ...m, role: 'MANDANTE' })),
        'GROUPING_LEAD_REQUIRED',
        [{ field: 'members', message: 'needs exactly one MANDATARIA' }],
      ],
      [
        'two mandatarie',
        () => rtiBMembers().map((m) => ({ ...m, role: 'MANDATARIA' })),
        'GROUPING_LEAD_REQUIRED',
        [{ field: 'members[1].role', message: 'a second MANDATARIA' }],
      ],
      [
        'Delta listed twice',
        () => [rtiBMembers()[0], { ...rtiBMembers()[1], organisationId: org['ETS-DELTA'] }],
        'GROUPING_DUPLICATE_MEMBER',
        [{ field: 'members[1].organisationId', message: 'already listed as members[0]' }],
      ],
      [
        'an RTI of one',
        () => [{ ...rtiBMembers()[0], executionShare: '1' }],
        'GROUPING_MEMBER_COUNT',
        [{ field: 'members', message: 'a grouping of type RTI has at least two members' }],
      ],
      [
        'the municipality as a member',
        () => [rtiBMembers()[0], { ...rtiBMembers()[1], organisationId: org['C-PADOVA'] }],
        'GROUPING_MEMBER_NOT_ETS',
        [{ field: 'members[1].organisationId', message: 'must be an ETS, not a MUNICIPALITY' }],
      ],
    ])('refuses %s with 422 and changes nothing', async (_case, members, code, expectedFields) => {
      const before = await snapshot();
      const res = await create(members());
      expect(res.status).toBe(422);
      expect(res.body.code).toBe(code);
      expect(res.body.details.fields).toEqual(expectedFields);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a SINGLE with two members, an unknown organisation, and a code already used in the contract', async () => {
      const before = await snapshot();
      const single = await create(rtiBMembers(), { type: 'SINGLE' });
      expect(single.status).toBe(422);
      expect(single.body.code).toBe('GROUPING_MEMBER_COUNT');
      expect(single.body.details).toMatchObject({ type: 'SINGLE', count: 2 });

      const unknownOrg = await create([rtiBMembers()[0], { ...rtiBMembers()[1], organisationId: UNKNOWN_ID }]);
      expect(unknownOrg.status).toBe(404);
      expect(unknownOrg.body.code).toBe('ORGANISATION_NOT_FOUND');
      expect(unknownOrg.body.details.fields).toEqual([{ field: 'members[1].organisationId', message: 'no such organisation' }]);

      const taken = await create(rtiBMembers(), { code: 'RTI-A' });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('GROUPING_CODE_TAKEN');
      expect(taken.body.details.fields).toEqual([{ field: 'code', message: 'already taken in this contract' }]);
      expect(await snapshot()).toEqual(before);
    });
  });

  it('accepts a SINGLE ETS and a consortium with thirds 0.3333/0.3333/0.3334; the same code in another contract', async () => {
    const single = await t.request('POST', `/api/v1/contracts/${contract}/groupings`, {
      code: 'ETS-EDERA-SOLO',
      name: 'Edera',
      type: 'SINGLE',
      members: [{ organisationId: org['ETS-EDERA'], role: 'MANDATARIA', executionShare: '1' }],
    });
    expect(single.status).toBe(201);
    expect(single.body.areas).toEqual([]);
    const consortium = await t.request('POST', `/api/v1/contracts/${contract}/groupings`, {
      code: 'CONS-1',
      name: 'Consorzio',
      type: 'CONSORTIUM',
      members: [
        { organisationId: org['ETS-AURORA'], role: 'MANDATARIA', executionShare: '0.3333' },
        { organisationId: org['ETS-DELTA'], role: 'MANDANTE', executionShare: '0.3333' },
        { organisationId: org['ETS-EDERA'], role: 'MANDANTE', executionShare: '0.3334' },
      ],
    });
    expect(consortium.status).toBe(201);
    expect(consortium.body.members.map((m: { executionShare: string }) => m.executionShare)).toEqual(['0.3333', '0.3333', '0.3334']);

    // Grouping codes are unique per contract, not globally.
    const otherContract = await t.request('POST', '/api/v1/contracts', {
      code: 'PD-OTHER',
      title: 'Altro',
      projectId: (await t.request('GET', `/api/v1/contracts/${contract}`)).body.projectId,
      municipalityId: org['C-PADOVA'],
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      periods: [{ code: 'Y1', startDate: '2025-01-01', endDate: '2025-12-31' }],
    });
    expect(otherContract.status).toBe(201);
    const sameCode = await t.request('POST', `/api/v1/contracts/${otherContract.body.id}/groupings`, {
      code: 'RTI-A',
      name: 'Another RTI-A',
      type: 'RTI',
      members: rtiAMembers(),
    });
    expect(sameCode.status).toBe(201);

    // A fee for a period of the other contract is refused.
    const before = await snapshot();
    const foreignPeriod = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${otherContract.body.periods[0].id}`, { amount: '1.00' });
    expect(foreignPeriod.status).toBe(422);
    expect(foreignPeriod.body.code).toBe('FEE_PERIOD_NOT_IN_CONTRACT');
    expect(foreignPeriod.body.details.fields).toEqual([{ field: 'periodId', message: "must be a period of the grouping's contract" }]);
    const foreignDelete = await t.request('DELETE', `/api/v1/groupings/${rtiA}/fees/${otherContract.body.periods[0].id}`);
    expect(foreignDelete.status).toBe(422);
    expect(await snapshot()).toEqual(before);
    expect((await snapshot(otherContract.body.id as string)).fees.items.map((f: { amount: string | null }) => f.amount)).toEqual([null]);

    expect((await t.request('DELETE', `/api/v1/contracts/${otherContract.body.id}`)).status).toBe(204);
    expect((await t.request('DELETE', `/api/v1/groupings/${single.body.id}`)).status).toBe(204);
    expect((await t.request('DELETE', `/api/v1/groupings/${consortium.body.id}`)).status).toBe(204);
  });

  describe('PUT /groupings/:id/members', () => {
    it('replaces the whole member list', async () => {
      t.clock.set(new Date('2026-03-01T08:00:00.000Z'));
      try {
        const res = await t.request('PUT', `/api/v1/groupings/${rtiB}/members`, {
          members: [
            { organisationId: org['ETS-EDERA'], role: 'MANDATARIA', executionShare: '0.55' },
            { organisationId: org['ETS-DELTA'], role: 'MANDANTE', executionShare: '0.35' },
            { organisationId: org['ETS-CICLAMINO'], role: 'MANDANTE', executionShare: '0.10' },
          ],
        });
        expect(res.status).toBe(200);
        expect(res.body.updatedAt).toBe('2026-03-01T08:00:00.000Z');
        expect(res.body.members.map((m: { organisationCode: string; role: string; executionShare: string; position: number }) => `${m.position} ${m.organisationCode} ${m.role} ${m.executionShare}`)).toEqual([
          '0 ETS-EDERA MANDATARIA 0.55',
          '1 ETS-DELTA MANDANTE 0.35',
          '2 ETS-CICLAMINO MANDANTE 0.10',
        ]);
        expect((await t.request('GET', `/api/v1/groupings/${rtiB}`)).body).toEqual(res.body);

        const back = await t.request('PUT', `/api/v1/groupings/${rtiB}/members`, { members: rtiBMembers() });
        expect(back.status).toBe(200);
        expect(back.body.members.map((m: { organisationCode: string; executionShare: string }) => `${m.organisationCode} ${m.executionShare}`)).toEqual([
          'ETS-DELTA 0.60',
          'ETS-EDERA 0.40',
        ]);
      } finally {
        t.clock.set(new Date('2026-01-15T10:00:00.000Z'));
      }
    });

    it('is all or nothing: an invalid set leaves the old members in place', async () => {
      const before = await snapshot();
      const sum = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, {
        members: [rtiAMembers()[0], rtiAMembers()[1], { ...rtiAMembers()[2], executionShare: '0.25' }],
      });
      expect(sum.status).toBe(422);
      expect(sum.body.code).toBe('GROUPING_SHARES_NOT_ONE');
      expect(sum.body.details.sum).toBe('1.05');

      // The last member is a municipality: found only after the old members would have been deleted.
      const notEts = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, {
        members: [rtiAMembers()[0], rtiAMembers()[1], { ...rtiAMembers()[2], organisationId: org['C-PADOVA'] }],
      });
      expect(notEts.status).toBe(422);
      expect(notEts.body.code).toBe('GROUPING_MEMBER_NOT_ETS');
      expect(notEts.body.details.fields).toEqual([{ field: 'members[2].organisationId', message: 'must be an ETS, not a MUNICIPALITY' }]);

      const number = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, {
        members: [rtiAMembers()[0], { ...rtiAMembers()[1], executionShare: 0.3 }, rtiAMembers()[2]],
      });
      expect(number.status).toBe(400);
      expect(fields(number.body)).toEqual(['members[1].executionShare']);

      const single = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, { members: [{ ...rtiAMembers()[0], executionShare: '1' }] });
      expect(single.status).toBe(422);
      expect(single.body.code).toBe('GROUPING_MEMBER_COUNT');

      expect(await snapshot()).toEqual(before);
    });

    it('answers 404 for an unknown grouping', async () => {
      const res = await t.request('PUT', `/api/v1/groupings/${UNKNOWN_ID}/members`, { members: rtiBMembers() });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('GROUPING_NOT_FOUND');
    });
  });

  it('updates the name and areas only', async () => {
    const res = await t.request('PATCH', `/api/v1/groupings/${rtiA}`, { name: 'RTI A (Centro-Nord-Est)', areas: ['Quartiere 1 Centro'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'RTI-A', type: 'RTI', name: 'RTI A (Centro-Nord-Est)', areas: ['Quartiere 1 Centro'] });
    expect(res.body.members).toHaveLength(3);
    expect((await t.request('GET', `/api/v1/groupings/${rtiA}`)).body).toEqual(res.body);

    const before = await snapshot();
    const type = await t.request('PATCH', `/api/v1/groupings/${rtiA}`, { type: 'CONSORTIUM', code: 'RTI-Z' });
    expect(type.status).toBe(400);
    expect(fields(type.body)).toEqual(['code', 'type']);
    const nullName = await t.request('PATCH', `/api/v1/groupings/${rtiA}`, { name: null });
    expect(nullName.status).toBe(400);
    expect(fields(nullName.body)).toEqual(['name']);
    const badAreas = await t.request('PATCH', `/api/v1/groupings/${rtiA}`, { areas: 'Centro' });
    expect(badAreas.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  describe('fees', () => {
    it.each([
      ['the JSON number 320000', { amount: 320000 }, 'amount must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values'],
      ['three decimals', { amount: '320000.001' }, 'amount must have at most 2 decimal places'],
      ['a negative amount', { amount: '-1.00' }, 'amount must be at least 0'],
      ['an Italian thousands format', { amount: '320.000,00' }, 'amount must use a decimal point, not a comma (e.g. "12.50")'],
    ])('refuses %s with 400 and keeps the fee', async (_case, body, message) => {
      const before = await snapshot();
      const res = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${periods[0].id}`, body);
      expect(res.status).toBe(400);
      expect(res.body.details.fields).toEqual([{ field: 'amount', code: 'isDecimalString', message }]);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses unknown fields and a missing amount', async () => {
      const before = await snapshot();
      const extra = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${periods[0].id}`, { amount: '1.00', currency: 'EUR' });
      expect(extra.status).toBe(400);
      expect(fields(extra.body)).toEqual(['currency']);
      const missing = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${periods[0].id}`, {});
      expect(missing.status).toBe(400);
      expect(fields(missing.body)).toEqual(['amount']);
      expect(await snapshot()).toEqual(before);
    });

    it('answers 404 for unknown groupings, periods, contracts, and 400 for non-UUID ids', async () => {
      const noGrouping = await t.request('PUT', `/api/v1/groupings/${UNKNOWN_ID}/fees/${periods[0].id}`, { amount: '1.00' });
      expect(noGrouping.status).toBe(404);
      expect(noGrouping.body.code).toBe('GROUPING_NOT_FOUND');
      const noPeriod = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${UNKNOWN_ID}`, { amount: '1.00' });
      expect(noPeriod.status).toBe(404);
      expect(noPeriod.body.code).toBe('PERIOD_NOT_FOUND');
      const deleteNoPeriod = await t.request('DELETE', `/api/v1/groupings/${rtiA}/fees/${UNKNOWN_ID}`);
      expect(deleteNoPeriod.status).toBe(404);
      expect(deleteNoPeriod.body.code).toBe('PERIOD_NOT_FOUND');
      const noContract = await t.request('GET', `/api/v1/contracts/${UNKNOWN_ID}/fees`);
      expect(noContract.status).toBe(404);
      expect(noContract.body.code).toBe('CONTRACT_NOT_FOUND');
      const badPeriodId = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/Y1`, { amount: '1.00' });
      expect(badPeriodId.status).toBe(400);
      expect(badPeriodId.body.details.fields).toEqual([{ field: 'periodId', code: 'isUuid', message: 'periodId must be a UUID' }]);
    });
  });

  describe('closed periods', () => {
    const period = (code: string) => periods.find((p) => p.code === code)!;
    const close = async (code: string) => {
      const res = await t.request('POST', `/api/v1/contract-periods/${period(code).id}/close`, {}, { as: manager.apiKey });
      expect(res.status).toBe(200);
    };
    const reopen = async (code: string) => {
      const res = await t.request('POST', `/api/v1/contract-periods/${period(code).id}/reopen`, { reason: `Correzione dei dati di ${code}` }, { as: approver.apiKey });
      expect(res.status).toBe(200);
    };
    const auditCount = (objectType: string) => t.app.get(DataSource).getRepository(AuditEntryEntity).countBy({ objectType });
    const feeOf = async (groupingCode: string, periodCode: string) =>
      ((await snapshot()).fees.items as { groupingCode: string; periodCode: string; amount: string | null }[]).find(
        (f) => f.groupingCode === groupingCode && f.periodCode === periodCode,
      )?.amount;

    it("freezes a closed period's fees, for the contract manager too, until an approver reopens the period", async () => {
      const y1 = period('Y1');
      await close('Y1');
      const before = await snapshot();
      const audited = await auditCount('grouping_fee');
      expect(await feeOf('RTI-A', 'Y1')).toBe('320000.00');

      const refusals = [
        await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${y1.id}`, { amount: '100000.00' }, { as: manager.apiKey }),
        await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${y1.id}`, { amount: '100000.00' }),
        await t.request('DELETE', `/api/v1/groupings/${rtiA}/fees/${y1.id}`, undefined, { as: manager.apiKey }),
        await t.request('DELETE', `/api/v1/groupings/${rtiB}/fees/${y1.id}`),
      ];
      expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([422, 'FEE_PERIOD_CLOSED']));
      expect(refusals[0].body).toEqual({
        code: 'FEE_PERIOD_CLOSED',
        message: 'Period Y1 is closed: the fee of grouping RTI-A for it cannot change until an approver reopens the period',
        details: { groupingId: rtiA, periodId: y1.id, period: 'Y1', fields: [{ field: 'periodId', message: 'refers to period Y1, which is closed' }] },
      });
      expect(await snapshot()).toEqual(before);
      expect(await auditCount('grouping_fee')).toBe(audited);

      // Only Y1 is frozen: Y2's fee changes as before.
      const y2 = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${period('Y2').id}`, { amount: '321000.00' }, { as: manager.apiKey });
      expect(y2.status).toBe(200);
      expect(await feeOf('RTI-A', 'Y2')).toBe('321000.00');

      await reopen('Y1');
      const changed = await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${y1.id}`, { amount: '100000.00' }, { as: manager.apiKey });
      expect(changed.status).toBe(200);
      expect(await feeOf('RTI-A', 'Y1')).toBe('100000.00');
      expect((await t.request('DELETE', `/api/v1/groupings/${rtiA}/fees/${y1.id}`, undefined, { as: manager.apiKey })).status).toBe(204);
      expect(await feeOf('RTI-A', 'Y1')).toBeNull();
      // Closed again, the fee stays unset.
      await close('Y1');
      expect((await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${y1.id}`, { amount: '320000.00' })).body.code).toBe('FEE_PERIOD_CLOSED');
      expect(await feeOf('RTI-A', 'Y1')).toBeNull();

      await reopen('Y1');
      expect((await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${y1.id}`, { amount: '320000.00' })).status).toBe(200);
      expect((await t.request('PUT', `/api/v1/groupings/${rtiA}/fees/${period('Y2').id}`, { amount: '320000.00' })).status).toBe(200);
      expect(await snapshot()).toEqual(before);
    });

    it('freezes the groupings, their members and execution shares while any period of the contract is closed', async () => {
      const shares602020: Member[] = [
        { ...rtiAMembers()[0], executionShare: '0.60' },
        { ...rtiAMembers()[1], executionShare: '0.20' },
        { ...rtiAMembers()[2], executionShare: '0.20' },
      ];
      await close('Y1');
      await close('Y2');
      const before = await snapshot();
      const audited = await auditCount('grouping_members');

      const members = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, { members: shares602020 }, { as: manager.apiKey });
      expect(members.status).toBe(422);
      expect(members.body).toEqual({
        code: 'GROUPING_PERIOD_CLOSED',
        message:
          'The members and execution shares of grouping RTI-A allocate the settlement of every period of contract PD-SDC, and periods Y1, Y2 are closed: an approver reopens them before the groupings change',
        details: {
          contractId: contract,
          groupingId: rtiA,
          periods: [
            { periodId: period('Y1').id, period: 'Y1' },
            { periodId: period('Y2').id, period: 'Y2' },
          ],
          fields: [{ field: 'members', message: 'cannot change while periods Y1, Y2 are closed' }],
        },
      });
      const asAdmin = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, { members: shares602020 });
      expect([asAdmin.status, asAdmin.body.code]).toEqual([422, 'GROUPING_PERIOD_CLOSED']);
      const removed = await t.request('DELETE', `/api/v1/groupings/${rtiB}`, undefined, { as: manager.apiKey });
      expect([removed.status, removed.body.code, removed.body.details.groupingId]).toEqual([422, 'GROUPING_PERIOD_CLOSED', rtiB]);
      const added = await t.request('POST', `/api/v1/contracts/${contract}/groupings`, { code: 'RTI-C', name: 'RTI C', type: 'RTI', members: rtiBMembers() }, { as: manager.apiKey });
      expect([added.status, added.body.code]).toEqual([422, 'GROUPING_PERIOD_CLOSED']);
      expect(added.body.message).toBe(
        'A new grouping would take part in the settlement of every period of contract PD-SDC, and periods Y1, Y2 are closed: an approver reopens them before the groupings change',
      );
      expect(await snapshot()).toEqual(before);
      expect(await auditCount('grouping_members')).toBe(audited);

      // One closed period is enough.
      await reopen('Y2');
      const stillClosed = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, { members: shares602020 }, { as: manager.apiKey });
      expect([stillClosed.status, stillClosed.body.details.periods]).toEqual([422, [{ periodId: period('Y1').id, period: 'Y1' }]]);
      expect(stillClosed.body.message).toContain('and period Y1 is closed: an approver reopens it before');
      expect(await snapshot()).toEqual(before);

      await reopen('Y1');
      const replaced = await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, { members: shares602020 }, { as: manager.apiKey });
      expect(replaced.status).toBe(200);
      const reread = await t.request('GET', `/api/v1/groupings/${rtiA}`);
      expect(reread.body.members.map((m: { executionShare: string }) => m.executionShare)).toEqual(['0.60', '0.20', '0.20']);
      expect((await t.request('PUT', `/api/v1/groupings/${rtiA}/members`, { members: rtiAMembers() }, { as: manager.apiKey })).status).toBe(200);
    });
  });

  it('answers 404 for unknown groupings and contracts', async () => {
    for (const [method, url, body] of [
      ['GET', `/api/v1/groupings/${UNKNOWN_ID}`, undefined],
      ['PATCH', `/api/v1/groupings/${UNKNOWN_ID}`, { name: 'x' }],
      ['DELETE', `/api/v1/groupings/${UNKNOWN_ID}`, undefined],
      ['DELETE', `/api/v1/groupings/${UNKNOWN_ID}/fees/${UNKNOWN_ID}`, undefined],
    ] as const) {
      const res = await t.request(method, url, body);
      expect({ method, url, status: res.status, code: res.body.code }).toEqual({ method, url, status: 404, code: 'GROUPING_NOT_FOUND' });
    }
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { code: 'RTI-X', name: 'X', type: 'RTI', members: rtiAMembers() }],
    ] as const) {
      const res = await t.request(method, `/api/v1/contracts/${UNKNOWN_ID}/groupings`, body);
      expect({ method, status: res.status, code: res.body.code }).toEqual({ method, status: 404, code: 'CONTRACT_NOT_FOUND' });
    }
  });

  it('keeps member organisations from being deleted, and deletes a grouping with its members and fees', async () => {
    const inUse = await t.request('DELETE', `/api/v1/organisations/${org['ETS-EDERA']}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('ORGANISATION_IN_USE');

    expect((await t.request('DELETE', `/api/v1/groupings/${rtiB}`)).status).toBe(204);
    const gone = await t.request('GET', `/api/v1/groupings/${rtiB}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('GROUPING_NOT_FOUND');
    const fees = await t.request('GET', `/api/v1/contracts/${contract}/fees`);
    expect(fees.body.items.map((f: { groupingCode: string }) => f.groupingCode)).toEqual(['RTI-A', 'RTI-A', 'RTI-A']);
    // Edera is no longer a member of anything: it can go now.
    expect((await t.request('DELETE', `/api/v1/organisations/${org['ETS-EDERA']}`)).status).toBe(204);
  });
});
