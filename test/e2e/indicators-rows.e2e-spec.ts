import { coverageRate, checkIndicatorValue } from 'src/indicators/indicator.rules';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp, TEST_NOW } from 'test/support/test-app';

const LATER = '2026-02-01T09:30:00.000Z';

describe('indicators API: baselines, targets and denominators', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let other: ContractFixture;
  const ids: Record<string, string> = {};

  const get = async (id: string) => (await t.request('GET', `/api/v1/indicators/${id}`)).body;
  const fieldsOf = (body: { details: { fields: { field: string }[] } }) => body.details.fields.map((f) => f.field);

  beforeAll(async () => {
    t = await createTestApp();
    pd = await seedContract(t.app);
    other = await seedContract(t.app, { key: 'XX' });
    const bodies = padovaIndicatorBodies(pd);
    for (const code of ['IND-01', 'IND-02', 'IND-04', 'IND-05'] as const) {
      const res = await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, bodies[code]);
      expect(res.status).toBe(201);
      ids[code] = res.body.id;
    }
    // Bergamo-style, lower is better: avoidable emergency admissions per 1,000 residents over 75, whole contract.
    const bergamo = await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, {
      code: 'IND-B1',
      nodeId: pd.nodeIds.IO2,
      labelIt: 'Ricoveri in emergenza evitabili ogni 1.000 residenti over 75',
      unit: 'RATIO',
      direction: 'DECREASE',
      frequency: 'ANNUAL',
      dataOwner: 'EXTERNAL',
      scope: 'CONTRACT_WIDE',
      baselines: [{ value: '42.5', reference: '2023' }],
    });
    expect(bergamo.status).toBe(201);
    ids['IND-B1'] = bergamo.body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => {
    t.clock.set(TEST_NOW);
  });

  describe('PUT /indicators/:id/baselines', () => {
    it("establishes IND-04's satisfaction baselines from Y1 data, replacing the placeholders in document order", async () => {
      t.clock.set(new Date(LATER));
      const res = await t.request('PUT', `/api/v1/indicators/${ids['IND-04']}/baselines`, {
        baselines: [
          { groupingId: pd.groupingIds['RTI-B'], value: '75.5', establishedInPeriodId: pd.periodIds.Y1, reference: 'Y1 survey', note: 'n = 240' },
          { groupingId: pd.groupingIds['RTI-A'], value: '72.0', establishedInPeriodId: pd.periodIds.Y1, reference: 'Y1 survey', note: 'n = 310' },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.baselines).toEqual([
        {
          groupingId: pd.groupingIds['RTI-B'],
          groupingCode: 'RTI-B',
          value: '75.5',
          establishedInPeriodId: pd.periodIds.Y1,
          establishedInPeriodCode: 'Y1',
          reference: 'Y1 survey',
          note: 'n = 240',
        },
        {
          groupingId: pd.groupingIds['RTI-A'],
          groupingCode: 'RTI-A',
          value: '72.0',
          establishedInPeriodId: pd.periodIds.Y1,
          establishedInPeriodCode: 'Y1',
          reference: 'Y1 survey',
          note: 'n = 310',
        },
      ]);
      expect(res.body.targets.map((x: { value: string }) => x.value)).toEqual(['80.0', '80.0']);
      expect(res.body.createdAt).toBe(TEST_NOW.toISOString());
      expect(res.body.updatedAt).toBe(LATER);
      expect(await get(ids['IND-04'])).toEqual(res.body);
    });

    it('validates new baselines against the stored targets and changes nothing when one is wrong', async () => {
      const before = await get(ids['IND-01']);
      t.clock.set(new Date(LATER));
      // RTI-A's stored Y2 target is 12.0: a baseline of 13.0 would make it a decrease.
      const res = await t.request('PUT', `/api/v1/indicators/${ids['IND-01']}/baselines`, {
        baselines: [
          { groupingId: pd.groupingIds['RTI-A'], value: '13.0' },
          { groupingId: pd.groupingIds['RTI-B'], value: '10.0' },
        ],
      });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        code: 'INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE',
        message: 'targets[0].value 12.0 must be above the baseline 13.0 (direction INCREASE)',
        details: { baseline: '13.0', target: '12.0', direction: 'INCREASE', fields: [{ field: 'targets[0].value', message: 'must be above the baseline 13.0' }] },
      });

      const rejected: [Record<string, unknown>, number, string, string][] = [
        [{ baselines: [{ groupingId: pd.groupingIds['RTI-A'], value: '8.0' }, { groupingId: pd.groupingIds['RTI-A'], value: '9.0' }] }, 422, 'INDICATOR_DUPLICATE_BASELINE', 'baselines[1]'],
        [{ baselines: [{ groupingId: other.groupingIds['RTI-B'], value: '8.0' }] }, 422, 'INDICATOR_UNKNOWN_GROUPING', 'baselines[0].groupingId'],
        [{ baselines: [{ groupingId: pd.groupingIds['RTI-A'], value: '8.0', establishedInPeriodId: other.periodIds.Y1 }] }, 422, 'INDICATOR_UNKNOWN_PERIOD', 'baselines[0].establishedInPeriodId'],
        [{ baselines: [{ groupingId: pd.groupingIds['RTI-A'], value: '100.5' }] }, 422, 'INDICATOR_VALUE_OUT_OF_RANGE', 'baselines[0].value'],
        [{ baselines: [{ groupingId: pd.groupingIds['RTI-A'], value: 8 }] }, 400, 'VALIDATION_FAILED', 'baselines[0].value'],
        [{ baselines: [{ groupingId: pd.groupingIds['RTI-A'], value: '8,0' }] }, 400, 'VALIDATION_FAILED', 'baselines[0].value'],
        [{ baselines: [{ groupingId: pd.groupingIds['RTI-A'], value: '8.0', period: 'Y1' }] }, 400, 'VALIDATION_FAILED', 'baselines[0].period'],
        [{ baselines: [], targets: [] }, 400, 'VALIDATION_FAILED', 'targets'],
        [{}, 400, 'VALIDATION_FAILED', 'baselines'],
      ];
      for (const [body, status, code, field] of rejected) {
        const r = await t.request('PUT', `/api/v1/indicators/${ids['IND-01']}/baselines`, body);
        expect({ body, status: r.status, code: r.body.code, field: fieldsOf(r.body)[0] }).toEqual({ body, status, code, field });
      }
      const bare = await t.request('PUT', `/api/v1/indicators/${ids['IND-01']}/baselines`, [{ groupingId: pd.groupingIds['RTI-A'], value: '8.0' }]);
      expect(bare.status).toBe(400);

      expect(await get(ids['IND-01'])).toEqual(before);
    });

    it('refuses a per-grouping baseline on a contract-wide indicator', async () => {
      const before = await get(ids['IND-B1']);
      const res = await t.request('PUT', `/api/v1/indicators/${ids['IND-B1']}/baselines`, {
        baselines: [{ value: '42.5' }, { groupingId: pd.groupingIds['RTI-A'], value: '40.0' }],
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('INDICATOR_SCOPE_MISMATCH');
      expect(res.body.details.fields).toEqual([{ field: 'baselines[1]', message: 'a CONTRACT_WIDE indicator has no per-grouping values' }]);
      expect(await get(ids['IND-B1'])).toEqual(before);
    });
  });

  describe('PUT /indicators/:id/targets', () => {
    it('sets the Bergamo admissions targets below the baseline, and refuses one above it', async () => {
      const ok = await t.request('PUT', `/api/v1/indicators/${ids['IND-B1']}/targets`, {
        targets: [
          { periodId: pd.periodIds.Y2, value: '40.0' },
          { periodId: pd.periodIds.Y3, groupingId: null, value: '38.0' },
        ],
      });
      expect(ok.status).toBe(200);
      expect(ok.body.targets).toEqual([
        { periodId: pd.periodIds.Y2, periodCode: 'Y2', groupingId: null, groupingCode: null, value: '40.0' },
        { periodId: pd.periodIds.Y3, periodCode: 'Y3', groupingId: null, groupingCode: null, value: '38.0' },
      ]);

      const wrong = await t.request('PUT', `/api/v1/indicators/${ids['IND-B1']}/targets`, {
        targets: [
          { periodId: pd.periodIds.Y2, value: '40.0' },
          { periodId: pd.periodIds.Y3, value: '45.0' },
        ],
      });
      expect(wrong.status).toBe(422);
      expect(wrong.body.code).toBe('INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE');
      expect(wrong.body.details).toEqual({
        baseline: '42.5',
        target: '45.0',
        direction: 'DECREASE',
        fields: [{ field: 'targets[1].value', message: 'must be below the baseline 42.5' }],
      });
      expect(await get(ids['IND-B1'])).toEqual(ok.body);
    });

    it('replaces IND-02 targets as a whole, refuses bad lists without touching the stored one, and clears with []', async () => {
      const url = `/api/v1/indicators/${ids['IND-02']}/targets`;
      const g = pd.groupingIds;
      const p = pd.periodIds;
      const replaced = await t.request('PUT', url, {
        targets: [
          { periodId: p.Y1, groupingId: g['RTI-A'], value: '4' },
          { periodId: p.Y2, groupingId: g['RTI-A'], value: '10' },
          { periodId: p.Y2, groupingId: g['RTI-B'], value: '9' },
        ],
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body.targets.map((x: { periodCode: string; groupingCode: string; value: string }) => [x.periodCode, x.groupingCode, x.value])).toEqual([
        ['Y1', 'RTI-A', '4'],
        ['Y2', 'RTI-A', '10'],
        ['Y2', 'RTI-B', '9'],
      ]);

      const rejected: [unknown[], number, string, string][] = [
        [[{ periodId: p.Y2, groupingId: g['RTI-A'], value: '10' }, { periodId: p.Y2, groupingId: g['RTI-A'], value: '11' }], 422, 'INDICATOR_DUPLICATE_TARGET', 'targets[1]'],
        [[{ periodId: other.periodIds.Y2, groupingId: g['RTI-A'], value: '10' }], 422, 'INDICATOR_UNKNOWN_PERIOD', 'targets[0].periodId'],
        [[{ periodId: p.Y2, groupingId: other.groupingIds['RTI-A'], value: '10' }], 422, 'INDICATOR_UNKNOWN_GROUPING', 'targets[0].groupingId'],
        [[{ periodId: p.Y3, groupingId: g['RTI-B'], value: '12' }, { periodId: p.Y2, groupingId: g['RTI-B'], value: '3.5' }], 422, 'INDICATOR_VALUE_OUT_OF_RANGE', 'targets[1].value'],
        // Baseline 0: a target of 0 is no increase.
        [[{ periodId: p.Y2, groupingId: g['RTI-B'], value: '0' }], 422, 'INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE', 'targets[0].value'],
        [[{ periodId: p.Y2, groupingId: g['RTI-B'], value: 12 }], 400, 'VALIDATION_FAILED', 'targets[0].value'],
        [[{ periodId: p.Y2, groupingId: g['RTI-B'], value: '12,0' }], 400, 'VALIDATION_FAILED', 'targets[0].value'],
        [[{ periodId: p.Y2, groupingId: g['RTI-B'], value: '1e1' }], 400, 'VALIDATION_FAILED', 'targets[0].value'],
        [[{ periodId: p.Y2, groupingId: g['RTI-B'], value: '12', weight: '1' }], 400, 'VALIDATION_FAILED', 'targets[0].weight'],
        [[{ groupingId: g['RTI-B'], value: '12' }], 400, 'VALIDATION_FAILED', 'targets[0].periodId'],
      ];
      for (const [targets, status, code, field] of rejected) {
        const r = await t.request('PUT', url, { targets });
        expect({ targets, status: r.status, code: r.body.code, field: fieldsOf(r.body)[0] }).toEqual({ targets, status, code, field });
      }
      expect(await get(ids['IND-02'])).toEqual(replaced.body);

      const cleared = await t.request('PUT', url, { targets: [] });
      expect(cleared.status).toBe(200);
      expect(cleared.body.targets).toEqual([]);
      expect(cleared.body.baselines).toHaveLength(2);
      expect((await get(ids['IND-02'])).targets).toEqual([]);
    });

    it('keeps one whole list when two replacements race (never a mix of both)', async () => {
      const url = `/api/v1/indicators/${ids['IND-02']}/targets`;
      const g = pd.groupingIds;
      const listOf = (value: string) => [
        { periodId: pd.periodIds.Y2, groupingId: g['RTI-A'], value },
        { periodId: pd.periodIds.Y2, groupingId: g['RTI-B'], value },
      ];
      for (let round = 0; round < 5; round += 1) {
        expect((await t.request('PUT', url, { targets: [] })).status).toBe(200);
        const [a, b] = await Promise.all([t.request('PUT', url, { targets: listOf('10') }), t.request('PUT', url, { targets: listOf('20') })]);
        expect([a.status, b.status]).toEqual([200, 200]);
        const values = (await get(ids['IND-02'])).targets.map((x: { value: string }) => x.value);
        expect([['10', '10'], ['20', '20']]).toContainEqual(values);
      }
    });
  });

  describe('PUT /indicators/:id/denominators', () => {
    it('computes the IND-05 coverage rate of need from the stored reference populations (Padova Y2 actuals)', async () => {
      const ind05 = await get(ids['IND-05']);
      const population = (rti: string) => ind05.denominators.find((d: { groupingCode: string }) => d.groupingCode === rti).populationValue as string;
      expect([population('RTI-A'), population('RTI-B')]).toEqual(['30000', '28000']);

      // Over-60s known to the network in Y2: 1,740 in RTI-A's area, 1,540 in RTI-B's.
      const rateA = coverageRate('1740', population('RTI-A'));
      const rateB = coverageRate('1540', population('RTI-B'));
      expect([rateA, rateB]).toEqual(['5.8', '5.5']);
      expect(() => checkIndicatorValue(ind05.unit, rateA, 'actual')).not.toThrow();
      // Case A: 5.8 sits between RTI-A's baseline 5.0 and its Y2 target 7.0, achievement (5.8 - 5.0) / (7.0 - 5.0) = 0.4.
      expect(ind05.baselines[0]).toMatchObject({ groupingCode: 'RTI-A', value: '5.0' });
      expect(ind05.targets[0]).toMatchObject({ periodCode: 'Y2', groupingCode: 'RTI-A', value: '7.0' });
    });

    it('moves IND-05 to a city-wide denominator and back, refusing bad lists without touching the stored one', async () => {
      const url = `/api/v1/indicators/${ids['IND-05']}/denominators`;
      const before = await get(ids['IND-05']);
      const rejected: [unknown[], number, string, string][] = [
        [
          [
            { groupingId: pd.groupingIds['RTI-A'], referencePopulationId: pd.populationIds['POP-OVER60-RTI-A'] },
            { groupingId: pd.groupingIds['RTI-A'], referencePopulationId: pd.populationIds['POP-OVER60-CITY'] },
          ],
          422,
          'INDICATOR_DUPLICATE_DENOMINATOR',
          'denominators[1]',
        ],
        [[{ referencePopulationId: other.populationIds['POP-OVER60-CITY'] }], 422, 'INDICATOR_UNKNOWN_POPULATION', 'denominators[0].referencePopulationId'],
        [[{ groupingId: other.groupingIds['RTI-A'], referencePopulationId: pd.populationIds['POP-OVER60-RTI-A'] }], 422, 'INDICATOR_UNKNOWN_GROUPING', 'denominators[0].groupingId'],
        [[{ referencePopulationId: 'POP-OVER60-CITY' }], 400, 'VALIDATION_FAILED', 'denominators[0].referencePopulationId'],
        [[{ referencePopulationId: pd.populationIds['POP-OVER60-CITY'], value: '58000' }], 400, 'VALIDATION_FAILED', 'denominators[0].value'],
      ];
      for (const [denominators, status, code, field] of rejected) {
        const r = await t.request('PUT', url, { denominators });
        expect({ denominators, status: r.status, code: r.body.code, field: fieldsOf(r.body)[0] }).toEqual({ denominators, status, code, field });
      }
      expect(await get(ids['IND-05'])).toEqual(before);

      const city = await t.request('PUT', url, { denominators: [{ referencePopulationId: pd.populationIds['POP-OVER60-CITY'] }] });
      expect(city.status).toBe(200);
      expect(city.body.denominators).toEqual([
        {
          groupingId: null,
          groupingCode: null,
          referencePopulationId: pd.populationIds['POP-OVER60-CITY'],
          referencePopulationCode: 'POP-OVER60-CITY',
          populationValue: '58000',
        },
      ]);
      // 3,280 over-60s known city-wide out of 58,000: 5.655172...%, rounded half-up at the 6th place.
      expect(coverageRate('3280', city.body.denominators[0].populationValue)).toBe('5.655172');

      const back = await t.request('PUT', url, { denominators: before.denominators.map((d: { groupingId: string; referencePopulationId: string }) => ({ groupingId: d.groupingId, referencePopulationId: d.referencePopulationId })) });
      expect(back.status).toBe(200);
      expect(back.body.denominators).toEqual(before.denominators);
    });

    it('refuses a per-grouping denominator on a contract-wide indicator, and a switch to contract-wide while one exists', async () => {
      const wide = await t.request('PUT', `/api/v1/indicators/${ids['IND-B1']}/denominators`, {
        denominators: [{ groupingId: pd.groupingIds['RTI-B'], referencePopulationId: pd.populationIds['POP-OVER60-RTI-B'] }],
      });
      expect(wide.status).toBe(422);
      expect(wide.body.code).toBe('INDICATOR_SCOPE_MISMATCH');
      expect(wide.body.details.fields).toEqual([{ field: 'denominators[0]', message: 'a CONTRACT_WIDE indicator has no per-grouping values' }]);
      expect((await get(ids['IND-B1'])).denominators).toEqual([]);

      // IND-05 without per-RTI baselines and targets still has per-RTI denominators.
      const url = `/api/v1/indicators/${ids['IND-05']}`;
      const before = await get(ids['IND-05']);
      expect((await t.request('PUT', `${url}/baselines`, { baselines: [] })).status).toBe(200);
      expect((await t.request('PUT', `${url}/targets`, { targets: [] })).status).toBe(200);
      const scope = await t.request('PATCH', url, { scope: 'CONTRACT_WIDE' });
      expect(scope.status).toBe(422);
      expect(scope.body.code).toBe('INDICATOR_SCOPE_MISMATCH');
      expect(fieldsOf(scope.body)).toEqual(['denominators[0]']);
      expect((await get(ids['IND-05'])).scope).toBe('PER_GROUPING');
      expect((await get(ids['IND-05'])).denominators).toEqual(before.denominators);
    });
  });
});
