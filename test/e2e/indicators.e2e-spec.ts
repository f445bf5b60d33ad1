import { DataSource } from 'typeorm';
import { IndicatorBaselineEntity, IndicatorDenominatorEntity, IndicatorTargetEntity } from 'src/indicators/indicator.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('indicators API: definitions', () => {
  let t: TestApp;
  let pd: ContractFixture;
  let other: ContractFixture;
  let bodies: ReturnType<typeof padovaIndicatorBodies>;
  const ids: Record<string, string> = {};

  const url = () => `/api/v1/contracts/${pd.contractId}/indicators`;
  const snapshot = async () => (await t.request('GET', `${url()}?limit=200`)).body;

  beforeAll(async () => {
    t = await createTestApp();
    pd = await seedContract(t.app);
    other = await seedContract(t.app, { key: 'XX' });
    bodies = padovaIndicatorBodies(pd);
  });

  afterAll(async () => {
    await t.close();
  });

  it("defines Padova's IND-01..IND-05 with their exact baselines, targets and denominators", async () => {
    for (const code of ['IND-01', 'IND-02', 'IND-03', 'IND-04', 'IND-05'] as const) {
      const res = await t.request('POST', url(), bodies[code]);
      expect(res.status).toBe(201);
      ids[code] = res.body.id;
    }

    const ind05 = await t.request('GET', `/api/v1/indicators/${ids['IND-05']}`);
    expect(ind05.status).toBe(200);
    expect(ind05.body).toEqual({
      id: ids['IND-05'],
      contractId: pd.contractId,
      code: 'IND-05',
      nodeId: pd.nodeIds.OD5,
      nodeCode: 'OD5',
      labelIt: "Quota di residenti over60 dell'area 'conosciuti' dalla rete (almeno un contatto registrato con consenso nel periodo)",
      labelEn: null,
      unit: 'PERCENT',
      direction: 'INCREASE',
      formula: {
        text: "over60 conosciuti (unici) / residenti over60 dell'area (ISTAT 1/1/2024) * 100",
        numerator: 'over60 conosciuti (unici)',
        denominator: "residenti over60 dell'area (ISTAT 1/1/2024)",
      },
      instrument: null,
      dataOwner: 'GROUPING',
      frequency: 'ANNUAL',
      minSampleSize: null,
      disaggregations: [],
      scope: 'PER_GROUPING',
      aggregation: 'NONE',
      position: 4,
      baselines: [
        { groupingId: pd.groupingIds['RTI-A'], groupingCode: 'RTI-A', value: '5.0', establishedInPeriodId: null, establishedInPeriodCode: null, reference: null, note: null },
        { groupingId: pd.groupingIds['RTI-B'], groupingCode: 'RTI-B', value: '4.0', establishedInPeriodId: null, establishedInPeriodCode: null, reference: null, note: null },
      ],
      targets: [
        { periodId: pd.periodIds.Y2, periodCode: 'Y2', groupingId: pd.groupingIds['RTI-A'], groupingCode: 'RTI-A', value: '7.0' },
        { periodId: pd.periodIds.Y2, periodCode: 'Y2', groupingId: pd.groupingIds['RTI-B'], groupingCode: 'RTI-B', value: '6.0' },
        { periodId: pd.periodIds.Y3, periodCode: 'Y3', groupingId: pd.groupingIds['RTI-A'], groupingCode: 'RTI-A', value: '9.0' },
        { periodId: pd.periodIds.Y3, periodCode: 'Y3', groupingId: pd.groupingIds['RTI-B'], groupingCode: 'RTI-B', value: '8.0' },
      ],
      denominators: [
        {
          groupingId: pd.groupingIds['RTI-A'],
          groupingCode: 'RTI-A',
          referencePopulationId: pd.populationIds['POP-OVER60-RTI-A'],
          referencePopulationCode: 'POP-OVER60-RTI-A',
          populationValue: '30000',
        },
        {
          groupingId: pd.groupingIds['RTI-B'],
          groupingCode: 'RTI-B',
          referencePopulationId: pd.populationIds['POP-OVER60-RTI-B'],
          referencePopulationCode: 'POP-OVER60-RTI-B',
          populationValue: '28000',
        },
      ],
      createdAt: '2026-01-15T10:00:00.000Z',
      updatedAt: '2026-01-15T10:00:00.000Z',
    });

    const list = await t.request('GET', url());
    expect(list.status).toBe(200);
    expect(list.body.page).toEqual({ limit: 50, offset: 0, total: 5 });
    const byCode = Object.fromEntries(list.body.items.map((i: { code: string }) => [i.code, i]));
    expect(list.body.items.map((i: { code: string }) => i.code)).toEqual(['IND-01', 'IND-02', 'IND-03', 'IND-04', 'IND-05']);
    const summary = (code: string) => ({
      baselines: byCode[code].baselines.map((b: { groupingCode: string | null; value: string | null }) => [b.groupingCode, b.value]),
      targets: byCode[code].targets.map((x: { periodCode: string; groupingCode: string | null; value: string }) => [x.periodCode, x.groupingCode, x.value]),
    });
    expect(summary('IND-01')).toEqual({
      baselines: [['RTI-A', '8.0'], ['RTI-B', '10.0']],
      targets: [['Y2', 'RTI-A', '12.0'], ['Y2', 'RTI-B', '14.0'], ['Y3', 'RTI-A', '15.0'], ['Y3', 'RTI-B', '17.0']],
    });
    expect(byCode['IND-01'].baselines[0].establishedInPeriodCode).toBe('Y1');
    expect(summary('IND-02')).toEqual({
      baselines: [['RTI-A', '0'], ['RTI-B', '0']],
      targets: [['Y2', 'RTI-A', '10'], ['Y2', 'RTI-B', '10'], ['Y3', 'RTI-A', '12'], ['Y3', 'RTI-B', '12']],
    });
    expect(summary('IND-03')).toEqual({
      baselines: [['RTI-A', '1100'], ['RTI-B', '900'], [null, '2000']],
      targets: [['Y2', 'RTI-A', '1320'], ['Y2', 'RTI-B', '1080'], ['Y3', 'RTI-A', '1540'], ['Y3', 'RTI-B', '1260']],
    });
    expect(byCode['IND-03'].baselines[2]).toMatchObject({ reference: '2022', note: 'city; 5000 in 2012 (-60%)' });
    expect(byCode['IND-03'].aggregation).toBe('UNIQUE');
    expect(byCode['IND-03'].disaggregations).toEqual([
      { dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] },
      { dimension: 'NEED_TYPE', values: ['SOCIALITA', 'MOVIMENTO', 'CULTURA', 'SUPPORTO'] },
    ]);
    expect(summary('IND-04')).toEqual({
      baselines: [['RTI-A', null], ['RTI-B', null]],
      targets: [['Y2', null, '80.0'], ['Y3', null, '80.0']],
    });
    expect(byCode['IND-04']).toMatchObject({ direction: 'LEVEL', minSampleSize: 200, labelEn: 'Satisfied participants (score >= 4 on a 1-5 scale)' });
    expect(byCode['IND-04'].baselines[0]).toMatchObject({ establishedInPeriodCode: 'Y1', note: 'first measured in Y1' });
    expect(summary('IND-05')).toEqual({
      baselines: [['RTI-A', '5.0'], ['RTI-B', '4.0']],
      targets: [['Y2', 'RTI-A', '7.0'], ['Y2', 'RTI-B', '6.0'], ['Y3', 'RTI-A', '9.0'], ['Y3', 'RTI-B', '8.0']],
    });
  });

  it('defaults the aggregation by unit: COUNT sums, PERCENT has none; an explicit one is kept', async () => {
    const list = (await t.request('GET', url())).body.items as { code: string; aggregation: string }[];
    expect(list.map((i) => [i.code, i.aggregation])).toEqual([
      ['IND-01', 'NONE'],
      ['IND-02', 'SUM'],
      ['IND-03', 'UNIQUE'],
      ['IND-04', 'NONE'],
      ['IND-05', 'NONE'],
    ]);
  });

  it('filters by node, unit and direction and pages in document order', async () => {
    const codes = async (query: string) => {
      const res = await t.request('GET', `${url()}?${query}`);
      expect(res.status).toBe(200);
      return { codes: res.body.items.map((i: { code: string }) => i.code), page: res.body.page };
    };
    expect((await codes(`nodeId=${pd.nodeIds.OD3}`)).codes).toEqual(['IND-03']);
    expect((await codes('unit=PERCENT')).codes).toEqual(['IND-01', 'IND-04', 'IND-05']);
    expect((await codes('direction=LEVEL')).codes).toEqual(['IND-04']);
    expect((await codes('unit=PERCENT&direction=INCREASE')).codes).toEqual(['IND-01', 'IND-05']);
    expect(await codes('limit=2&offset=2')).toEqual({ codes: ['IND-03', 'IND-04'], page: { limit: 2, offset: 2, total: 5 } });
    expect((await codes(`nodeId=${pd.nodeIds.IO1}`)).codes).toEqual([]);

    const otherContract = await t.request('GET', `/api/v1/contracts/${other.contractId}/indicators`);
    expect(otherContract.body).toEqual({ items: [], page: { limit: 50, offset: 0, total: 0 } });

    const badFilter = await t.request('GET', `${url()}?unit=LITRES&nodeId=x`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['nodeId', 'unit']);
  });

  it('answers 404 for an unknown contract or indicator, and 400 for a malformed id', async () => {
    const noContract = await t.request('GET', `/api/v1/contracts/${MISSING}/indicators`);
    expect(noContract.status).toBe(404);
    expect(noContract.body.code).toBe('INDICATOR_CONTRACT_NOT_FOUND');
    const createNoContract = await t.request('POST', `/api/v1/contracts/${MISSING}/indicators`, { ...bodies['IND-02'], code: 'IND-X' });
    expect(createNoContract.status).toBe(404);
    expect(createNoContract.body.code).toBe('INDICATOR_CONTRACT_NOT_FOUND');

    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { labelIt: 'x' }],
      ['DELETE', '', undefined],
      ['PUT', '/baselines', { baselines: [] }],
      ['PUT', '/targets', { targets: [] }],
      ['PUT', '/denominators', { denominators: [] }],
    ] as const) {
      const res = await t.request(method, `/api/v1/indicators/${MISSING}${path}`, body);
      expect({ method, path, status: res.status, code: res.body.code }).toEqual({ method, path, status: 404, code: 'INDICATOR_NOT_FOUND' });
    }

    const badId = await t.request('GET', '/api/v1/indicators/IND-01');
    expect(badId.status).toBe(400);
    expect(badId.body.details.fields).toEqual([{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }]);
    const badContractId = await t.request('POST', '/api/v1/contracts/CTR-PD/indicators', bodies['IND-01']);
    expect(badContractId.status).toBe(400);
    expect(badContractId.body.details.fields).toEqual([{ field: 'contractId', code: 'isUuid', message: 'contractId must be a UUID' }]);
  });

  it('refuses malformed fields with 400 and their paths, and creates nothing', async () => {
    const before = await snapshot();
    const base = { ...bodies['IND-02'], code: 'IND-NEW' };
    const targetWith = (value: unknown) => ({ ...base, targets: [{ periodId: pd.periodIds.Y2, groupingId: pd.groupingIds['RTI-A'], value }] });
    const cases: [string, Record<string, unknown>, { field: string; message: string }][] = [
      ['target as a JSON number', targetWith(12), { field: 'targets[0].value', message: 'value must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values' }],
      ['target with a comma', targetWith('12,0'), { field: 'targets[0].value', message: 'value must use a decimal point, not a comma (e.g. "12.50")' }],
      ['target with an exponent', targetWith('1e1'), { field: 'targets[0].value', message: 'value must be a plain decimal: exponents, NaN and Infinity are not accepted' }],
      ['target without a value', targetWith(undefined), { field: 'targets[0].value', message: 'value must be a decimal string such as "12.50"' }],
      ['an unknown field', { ...base, weight: '0.20' }, { field: 'weight', message: 'weight is not a known field' }],
      [
        'an unknown field in a target',
        { ...base, targets: [{ periodId: pd.periodIds.Y2, value: '10', grouping: 'RTI-A' }] },
        { field: 'targets[0].grouping', message: 'targets[0].grouping is not a known field' },
      ],
      ['a baseline without its value key', { ...base, baselines: [{ groupingId: pd.groupingIds['RTI-A'] }] }, { field: 'baselines[0].value', message: 'value must be a decimal string such as "12.50"' }],
      ['a sample size of 0', { ...base, minSampleSize: 0 }, { field: 'minSampleSize', message: 'minSampleSize must not be less than 1' }],
      ['a sample size of 2.5', { ...base, minSampleSize: 2.5 }, { field: 'minSampleSize', message: 'minSampleSize must be an integer number' }],
      ['an unknown unit', { ...base, unit: 'LITRES' }, { field: 'unit', message: expect.stringContaining('unit must be one of the following values') }],
      ['an aggregation of AVERAGE', { ...base, aggregation: 'AVERAGE' }, { field: 'aggregation', message: expect.stringContaining('aggregation must be one of') }],
      ['a formula with empty text', { ...base, formula: { text: '', numerator: 'a' } }, { field: 'formula.text', message: 'text must be longer than or equal to 1 characters' }],
      ['a disaggregation without values', { ...base, disaggregations: [{ dimension: 'target', values: [] }] }, { field: 'disaggregations[0].values', message: 'values must contain at least 1 elements' }],
      ['a period that is not a UUID', { ...base, targets: [{ periodId: 'Y2', value: '10' }] }, { field: 'targets[0].periodId', message: 'periodId must be a UUID' }],
    ];
    for (const [name, body, problem] of cases) {
      const res = await t.request('POST', url(), body);
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 400, code: 'VALIDATION_FAILED' });
      expect({ name, fields: res.body.details.fields.map(({ field, message }: { field: string; message: string }) => ({ field, message })) }).toEqual({ name, fields: [problem] });
    }
    const missing = await t.request('POST', url(), {});
    expect(missing.status).toBe(400);
    expect([...new Set(missing.body.details.fields.map((f: { field: string }) => f.field))].sort()).toEqual(
      ['code', 'direction', 'frequency', 'labelIt', 'nodeId', 'scope', 'unit'],
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses domain errors with 409/422 and their paths, and creates nothing', async () => {
    const before = await snapshot();
    const rowsBefore = await rowCounts();
    const base = { ...bodies['IND-05'], code: 'IND-NEW' };
    const g = pd.groupingIds;
    const p = pd.periodIds;
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      ['a code already used', { ...base, code: 'IND-01' }, 409, 'INDICATOR_CODE_TAKEN', 'code'],
      ["a node of another project's value chain", { ...base, nodeId: other.nodeIds.OD5 }, 422, 'INDICATOR_NODE_NOT_IN_PROJECT', 'nodeId'],
      ['a node that does not exist', { ...base, nodeId: MISSING }, 422, 'INDICATOR_NODE_NOT_IN_PROJECT', 'nodeId'],
      [
        "a period of another contract",
        { ...base, targets: [{ periodId: p.Y2, groupingId: g['RTI-A'], value: '7.0' }, { periodId: other.periodIds.Y3, groupingId: g['RTI-A'], value: '9.0' }] },
        422,
        'INDICATOR_UNKNOWN_PERIOD',
        'targets[1].periodId',
      ],
      ['a baseline established in an unknown period', { ...base, baselines: [{ groupingId: g['RTI-A'], value: '5.0', establishedInPeriodId: MISSING }] }, 422, 'INDICATOR_UNKNOWN_PERIOD', 'baselines[0].establishedInPeriodId'],
      ['a grouping of another contract', { ...base, baselines: [{ groupingId: other.groupingIds['RTI-A'], value: '5.0' }] }, 422, 'INDICATOR_UNKNOWN_GROUPING', 'baselines[0].groupingId'],
      ['a target for an unknown grouping', { ...base, targets: [{ periodId: p.Y2, groupingId: MISSING, value: '7.0' }] }, 422, 'INDICATOR_UNKNOWN_GROUPING', 'targets[0].groupingId'],
      [
        "a population of another project",
        { ...base, denominators: [{ groupingId: g['RTI-A'], referencePopulationId: pd.populationIds['POP-OVER60-RTI-A'] }, { groupingId: g['RTI-B'], referencePopulationId: other.populationIds['POP-OVER60-RTI-B'] }] },
        422,
        'INDICATOR_UNKNOWN_POPULATION',
        'denominators[1].referencePopulationId',
      ],
      ['a percent of 100.5', { ...base, baselines: [{ groupingId: g['RTI-A'], value: '100.5' }], targets: [] }, 422, 'INDICATOR_VALUE_OUT_OF_RANGE', 'baselines[0].value'],
      ['a count of 3.5', { ...bodies['IND-02'], code: 'IND-NEW', targets: [{ periodId: p.Y2, groupingId: g['RTI-B'], value: '3.5' }] }, 422, 'INDICATOR_VALUE_OUT_OF_RANGE', 'targets[0].value'],
      [
        'a target below the baseline of an INCREASE indicator',
        { ...base, targets: [{ periodId: p.Y2, groupingId: g['RTI-A'], value: '7.0' }, { periodId: p.Y2, groupingId: g['RTI-B'], value: '3.5' }] },
        422,
        'INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE',
        'targets[1].value',
      ],
      ['two baselines for RTI-A', { ...base, baselines: [{ groupingId: g['RTI-A'], value: '5.0' }, { groupingId: g['RTI-A'], value: '5.5' }] }, 422, 'INDICATOR_DUPLICATE_BASELINE', 'baselines[1]'],
      [
        'two Y2 targets for RTI-B',
        { ...base, targets: [{ periodId: p.Y2, groupingId: g['RTI-B'], value: '6.0' }, { periodId: p.Y2, groupingId: g['RTI-B'], value: '6.5' }] },
        422,
        'INDICATOR_DUPLICATE_TARGET',
        'targets[1]',
      ],
      [
        'two populations for RTI-A',
        { ...base, denominators: [{ groupingId: g['RTI-A'], referencePopulationId: pd.populationIds['POP-OVER60-RTI-A'] }, { groupingId: g['RTI-A'], referencePopulationId: pd.populationIds['POP-OVER60-CITY'] }] },
        422,
        'INDICATOR_DUPLICATE_DENOMINATOR',
        'denominators[1]',
      ],
      ['a contract-wide indicator with per-RTI baselines', { ...base, scope: 'CONTRACT_WIDE', denominators: [] }, 422, 'INDICATOR_SCOPE_MISMATCH', 'baselines[0]'],
      [
        'a dimension listed twice',
        { ...base, disaggregations: [{ dimension: 'target', values: ['OVER60'] }, { dimension: 'target', values: ['UNDER60'] }] },
        422,
        'INDICATOR_DISAGGREGATION_INVALID',
        'disaggregations[1].dimension',
      ],
      ['a value listed twice', { ...base, disaggregations: [{ dimension: 'needType', values: ['CULTURA', 'CULTURA'] }] }, 422, 'INDICATOR_DISAGGREGATION_INVALID', 'disaggregations[0].values[1]'],
    ];
    for (const [name, body, status, code, field] of cases) {
      const res = await t.request('POST', url(), body);
      expect({ name, status: res.status, code: res.body.code, fields: res.body.details?.fields?.map((f: { field: string }) => f.field) }).toEqual({
        name,
        status,
        code,
        fields: [field],
      });
    }
    const wrongSide = await t.request('POST', url(), cases[10][1]);
    expect(wrongSide.body.details).toEqual({
      baseline: '4.0',
      target: '3.5',
      direction: 'INCREASE',
      fields: [{ field: 'targets[1].value', message: 'must be above the baseline 4.0' }],
    });

    expect(await snapshot()).toEqual(before);
    expect(await rowCounts()).toEqual(rowsBefore);
  });

  it('updates the definition, clears optional fields with null, and re-validates the stored rows', async () => {
    const id = ids['IND-01'];
    const updated = await t.request('PATCH', `/api/v1/indicators/${id}`, {
      labelEn: 'Share of non-public resources',
      instrument: null,
      formula: null,
      frequency: 'SEMIANNUAL',
      nodeId: pd.nodeIds.IO1,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      code: 'IND-01',
      labelEn: 'Share of non-public resources',
      instrument: null,
      formula: null,
      frequency: 'SEMIANNUAL',
      nodeId: pd.nodeIds.IO1,
      nodeCode: 'IO1',
      unit: 'PERCENT',
    });
    expect(updated.body.targets).toHaveLength(4);
    const before = (await t.request('GET', `/api/v1/indicators/${id}`)).body;
    expect(before).toEqual(updated.body);

    // Lower is better would put every target on the wrong side of its baseline.
    const decrease = await t.request('PATCH', `/api/v1/indicators/${id}`, { direction: 'DECREASE', labelIt: 'changed' });
    expect(decrease.status).toBe(422);
    expect(decrease.body.code).toBe('INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE');
    expect(decrease.body.details).toEqual({
      baseline: '8.0',
      target: '12.0',
      direction: 'DECREASE',
      fields: [{ field: 'targets[0].value', message: 'must be below the baseline 8.0' }],
    });
    // "8.0" is not a whole number of anything.
    const count = await t.request('PATCH', `/api/v1/indicators/${id}`, { unit: 'COUNT' });
    expect(count.status).toBe(422);
    expect(count.body.code).toBe('INDICATOR_VALUE_OUT_OF_RANGE');
    expect(count.body.details.fields).toEqual([{ field: 'baselines[0].value', message: 'must be a whole number (COUNT)' }]);
    const wide = await t.request('PATCH', `/api/v1/indicators/${id}`, { scope: 'CONTRACT_WIDE' });
    expect(wide.status).toBe(422);
    expect(wide.body.code).toBe('INDICATOR_SCOPE_MISMATCH');
    const taken = await t.request('PATCH', `/api/v1/indicators/${id}`, { code: 'IND-02' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('INDICATOR_CODE_TAKEN');
    const foreignNode = await t.request('PATCH', `/api/v1/indicators/${id}`, { nodeId: other.nodeIds.OD1 });
    expect(foreignNode.status).toBe(422);
    expect(foreignNode.body.code).toBe('INDICATOR_NODE_NOT_IN_PROJECT');
    const badField = await t.request('PATCH', `/api/v1/indicators/${id}`, { baselines: [] });
    expect(badField.status).toBe(400);
    expect(badField.body.details.fields[0].field).toBe('baselines');
    expect((await t.request('GET', `/api/v1/indicators/${id}`)).body).toEqual(before);

    // A LEVEL indicator whose baselines are still to be established can become INCREASE: null has no side.
    const level = await t.request('PATCH', `/api/v1/indicators/${ids['IND-04']}`, { direction: 'INCREASE' });
    expect(level.status).toBe(200);
    expect(level.body.direction).toBe('INCREASE');
    // IND-02's whole-number counts are valid hours too; the aggregation stays as stored.
    const hours = await t.request('PATCH', `/api/v1/indicators/${ids['IND-02']}`, { unit: 'HOURS', code: 'IND-02H' });
    expect(hours.status).toBe(200);
    expect(hours.body).toMatchObject({ unit: 'HOURS', code: 'IND-02H', aggregation: 'SUM' });
  });

  it('deletes an indicator with its baselines, targets and denominators', async () => {
    const id = ids['IND-05'];
    const ds = t.app.get(DataSource);
    expect(await ds.getRepository(IndicatorTargetEntity).countBy({ indicatorId: id })).toBe(4);
    const res = await t.request('DELETE', `/api/v1/indicators/${id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await t.request('GET', `/api/v1/indicators/${id}`)).status).toBe(404);
    expect(await ds.getRepository(IndicatorBaselineEntity).countBy({ indicatorId: id })).toBe(0);
    expect(await ds.getRepository(IndicatorTargetEntity).countBy({ indicatorId: id })).toBe(0);
    expect(await ds.getRepository(IndicatorDenominatorEntity).countBy({ indicatorId: id })).toBe(0);
    const list = await t.request('GET', url());
    expect(list.body.items.map((i: { code: string }) => i.code)).toEqual(['IND-01', 'IND-02H', 'IND-03', 'IND-04']);

    // The code is free again, and the new indicator goes last.
    const again = await t.request('POST', url(), { ...bodies['IND-05'], nodeId: pd.nodeIds.OD3 });
    expect(again.status).toBe(201);
    expect(again.body.position).toBe(4);
    const byNode = await t.request('GET', `${url()}?nodeId=${pd.nodeIds.OD3}`);
    expect(byNode.body.items.map((i: { code: string }) => i.code)).toEqual(['IND-03', 'IND-05']);
  });

  async function rowCounts(): Promise<Record<string, number>> {
    const ds = t.app.get(DataSource);
    return {
      baselines: await ds.getRepository(IndicatorBaselineEntity).count(),
      targets: await ds.getRepository(IndicatorTargetEntity).count(),
      denominators: await ds.getRepository(IndicatorDenominatorEntity).count(),
    };
  }
});
