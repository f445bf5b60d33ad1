import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { IndicatorDenominatorEntity, IndicatorEntity } from 'src/indicators/indicator.entity';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';

// Projects and their reference populations through HTTP.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING = '00000000-0000-4000-8000-000000000000';
const NOW = TEST_NOW.toISOString();

describe('projects API', () => {
  let t: TestApp;
  let padova: string;
  let como: string;
  let aurora: string;

  beforeAll(async () => {
    t = await createTestApp();
    padova = (await t.request('POST', '/api/v1/organisations', { code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova' })).body.id;
    como = (await t.request('POST', '/api/v1/organisations', { code: 'C-COMO', kind: 'MUNICIPALITY', name: 'Comune di Como' })).body.id;
    aurora = (
      await t.request('POST', '/api/v1/organisations', {
        code: 'ETS-AURORA',
        kind: 'ETS',
        name: 'Cooperativa Sociale Aurora (fittizia)',
        legalForm: 'COOPERATIVA_SOCIALE',
      })
    ).body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  /** The distinct fields a 400 names, sorted (one field may break several constraints). */
  function fieldsOf(res: { body: { details: { fields: { field: string }[] } } }): string[] {
    return [...new Set(res.body.details.fields.map((f) => f.field))].sort();
  }

  async function allProjects() {
    return (await t.request('GET', '/api/v1/projects?limit=200')).body;
  }

  /** A contract (and, when given, an indicator on a node dividing by a population) inserted below the API. */
  async function insertContract(key: string, projectId: string, indicator?: { nodeId: string; referencePopulationId: string }) {
    const contractId = `00000000-0000-4000-8000-0000000000${key}`;
    await t.app.get(Database).transaction(async (m) => {
      await m.insert(ContractEntity, {
        id: contractId,
        code: `PD-SDC-${key}`,
        title: 'Sviluppo di Comunità 2.0',
        projectId,
        municipalityId: padova,
        currency: 'EUR',
        startDate: '2024-07-01',
        endDate: '2027-06-30',
        paymentRules: null,
        createdAt: NOW,
        updatedAt: NOW,
      });
      if (indicator) {
        const indicatorId = `00000000-0000-4000-8000-0000000001${key}`;
        await m.insert(IndicatorEntity, {
          id: indicatorId,
          contractId,
          nodeId: indicator.nodeId,
          code: 'IND-05',
          labelIt: "Quota di residenti over60 dell'area 'conosciuti' dalla rete",
          labelEn: null,
          unit: 'PERCENT',
          direction: 'INCREASE',
          formulaText: null,
          formulaNumerator: null,
          formulaDenominator: null,
          instrument: null,
          dataOwner: 'GROUPING',
          frequency: 'ANNUAL',
          minSampleSize: null,
          disaggregations: [],
          scope: 'PER_GROUPING',
          aggregation: 'NONE',
          position: 0,
          createdAt: NOW,
          updatedAt: NOW,
        });
        await m.insert(IndicatorDenominatorEntity, {
          id: `00000000-0000-4000-8000-0000000002${key}`,
          indicatorId,
          groupingId: null,
          referencePopulationId: indicator.referencePopulationId,
          position: 0,
        });
      }
    });
  }

  describe('projects', () => {
    it("creates Padova's project, reads, lists by municipality, updates and deletes it", async () => {
      const created = await t.request('POST', '/api/v1/projects', {
        code: 'PD-SDC-2.0',
        name: 'Sviluppo di Comunità 2.0',
        municipalityId: padova,
        department: 'Settore Servizi Sociali',
        workAreas: ['ANZIANI', 'COMMUNITY_BUILDING'],
        targetGroups: ['OVER60', 'UNDER60'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(UUID),
        code: 'PD-SDC-2.0',
        name: 'Sviluppo di Comunità 2.0',
        municipalityId: padova,
        department: 'Settore Servizi Sociali',
        description: null,
        workAreas: ['ANZIANI', 'COMMUNITY_BUILDING'],
        targetGroups: ['OVER60', 'UNDER60'],
        createdAt: NOW,
        updatedAt: NOW,
      });
      const id = created.body.id as string;
      const como1 = await t.request('POST', '/api/v1/projects', { code: 'CO-WELFARE', name: 'Welfare di comunità', municipalityId: como });
      expect(como1.body).toMatchObject({ department: null, workAreas: [], targetGroups: [] });
      await t.request('POST', '/api/v1/projects', { code: 'AA-FIRST', name: 'Primo', municipalityId: padova });

      expect((await t.request('GET', `/api/v1/projects/${id}`)).body).toEqual(created.body);
      const ofPadova = await t.request('GET', `/api/v1/projects?municipalityId=${padova}`);
      expect(ofPadova.body.page).toEqual({ limit: 50, offset: 0, total: 2 });
      expect(ofPadova.body.items.map((p: { code: string }) => p.code)).toEqual(['AA-FIRST', 'PD-SDC-2.0']);
      const page = await t.request('GET', '/api/v1/projects?limit=1&offset=1');
      expect(page.body.items.map((p: { code: string }) => p.code)).toEqual(['CO-WELFARE']);
      expect(page.body.page).toEqual({ limit: 1, offset: 1, total: 3 });

      t.clock.set(new Date('2026-03-01T09:30:00.000Z'));
      const updated = await t.request('PATCH', `/api/v1/projects/${id}`, {
        description: 'Co-progettazione art. 55',
        department: null,
        targetGroups: ['OVER60'],
      });
      t.clock.set(TEST_NOW);
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({
        ...created.body,
        description: 'Co-progettazione art. 55',
        department: null,
        targetGroups: ['OVER60'],
        updatedAt: '2026-03-01T09:30:00.000Z',
      });
      expect((await t.request('GET', `/api/v1/projects/${id}`)).body).toEqual(updated.body);

      expect((await t.request('DELETE', `/api/v1/projects/${id}`)).status).toBe(204);
      const gone = await t.request('GET', `/api/v1/projects/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ code: 'PROJECT_NOT_FOUND', message: `Project ${id} not found`, details: { id } });
    });

    it('requires the municipality to be an existing organisation of kind MUNICIPALITY', async () => {
      const before = await allProjects();
      const ets = await t.request('POST', '/api/v1/projects', { code: 'X-ETS', name: 'X', municipalityId: aurora });
      expect(ets.status).toBe(422);
      expect(ets.body).toEqual({
        code: 'ORGANISATION_WRONG_KIND',
        message: 'municipalityId must be a MUNICIPALITY, not a ETS',
        details: { fields: [{ field: 'municipalityId', message: 'must be a MUNICIPALITY' }] },
      });
      const unknown = await t.request('POST', '/api/v1/projects', { code: 'X-NONE', name: 'X', municipalityId: MISSING });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('ORGANISATION_NOT_FOUND');
      expect(unknown.body.details.fields).toEqual([{ field: 'municipalityId', message: 'no such organisation' }]);
      expect(await allProjects()).toEqual(before);
    });

    it('refuses a duplicate code with 409 and bad fields with 400, changing nothing', async () => {
      const first = await t.request('POST', '/api/v1/projects', { code: 'RE-CASA', name: 'Casa', municipalityId: padova });
      expect(first.status).toBe(201);
      const before = await allProjects();

      const dup = await t.request('POST', '/api/v1/projects', { code: 'RE-CASA', name: 'Altra casa', municipalityId: como });
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({
        code: 'PROJECT_CODE_TAKEN',
        message: 'A project with code RE-CASA already exists',
        details: { fields: [{ field: 'code', message: 'already taken' }] },
      });
      const unknownField = await t.request('POST', '/api/v1/projects', { code: 'RE-X', name: 'X', municipalityId: padova, budget: '100.00' });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.message).toBe('budget is not a known field');
      const bad = await t.request('POST', '/api/v1/projects', { code: 'RE X', name: '', municipalityId: 'padova', workAreas: ['ANZIANI', 'not ok'] });
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad)).toEqual(['code', 'municipalityId', 'name', 'workAreas']);
      const notArray = await t.request('POST', '/api/v1/projects', { code: 'RE-Y', name: 'Y', municipalityId: padova, targetGroups: 'OVER60' });
      expect(fieldsOf(notArray)).toEqual(['targetGroups']);
      const nullName = await t.request('PATCH', `/api/v1/projects/${first.body.id}`, { name: null, workAreas: null });
      expect(fieldsOf(nullName)).toEqual(['name', 'workAreas']);
      const fixed = await t.request('PATCH', `/api/v1/projects/${first.body.id}`, { code: 'RE-CASA-2', municipalityId: como });
      expect(fixed.status).toBe(400);
      expect(fieldsOf(fixed)).toEqual(['code', 'municipalityId']);
      const badFilter = await t.request('GET', '/api/v1/projects?municipalityId=padova');
      expect(badFilter.status).toBe(400);

      expect(await allProjects()).toEqual(before);
    });

    it('answers 404 for unknown projects and 400 for ids that are not UUIDs', async () => {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const res = await t.request(method, `/api/v1/projects/${MISSING}`, method === 'PATCH' ? { name: 'x' } : undefined);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('PROJECT_NOT_FOUND');
      }
      const badId = await t.request('PATCH', '/api/v1/projects/42', { name: 'x' });
      expect(badId.status).toBe(400);
      expect(badId.body.details.fields).toEqual([{ field: 'id', code: 'isUuid', message: 'id must be a UUID' }]);
    });

    it('deletes a project with its value chain and populations, but not while a contract refers to it', async () => {
      const project = (await t.request('POST', '/api/v1/projects', { code: 'BG-CARE', name: 'Care', municipalityId: padova })).body.id;
      const input = await t.request('POST', `/api/v1/projects/${project}/value-chain/nodes`, { code: 'IN1', level: 'INPUT', labelIt: 'Fondi' });
      const process = await t.request('POST', `/api/v1/projects/${project}/value-chain/nodes`, { code: 'PR1', level: 'PROCESS', labelIt: 'Presa in carico' });
      const link = await t.request('POST', `/api/v1/projects/${project}/value-chain/links`, { fromNodeId: input.body.id, toNodeId: process.body.id });
      const population = await t.request('POST', `/api/v1/projects/${project}/reference-populations`, {
        code: 'POP-1',
        labelIt: 'Residenti',
        referenceDate: '2024-01-01',
        source: 'ISTAT',
        value: '1000',
      });
      expect(population.status).toBe(201);

      const kept = (await t.request('POST', '/api/v1/projects', { code: 'PD-CONTRACTED', name: 'Con contratto', municipalityId: padova })).body;
      await insertContract('a1', kept.id);
      const inUse = await t.request('DELETE', `/api/v1/projects/${kept.id}`);
      expect(inUse.status).toBe(409);
      expect(inUse.body).toEqual({ code: 'PROJECT_IN_USE', message: 'The project is still referenced by contracts', details: { id: kept.id } });
      expect((await t.request('GET', `/api/v1/projects/${kept.id}`)).body).toEqual(kept);

      expect((await t.request('DELETE', `/api/v1/projects/${project}`)).status).toBe(204);
      expect((await t.request('GET', `/api/v1/value-chain/nodes/${input.body.id}`)).status).toBe(404);
      expect((await t.request('GET', `/api/v1/value-chain/links/${link.body.id}`)).status).toBe(404);
      expect((await t.request('GET', `/api/v1/reference-populations/${population.body.id}`)).status).toBe(404);
    });
  });

  describe('reference populations', () => {
    const over60 = {
      code: 'POP-OVER60-RTI-A',
      labelIt: 'Residenti over 60 dei Quartieri 1-3',
      labelEn: 'Residents over 60, districts 1-3',
      area: 'Quartieri 1-3',
      targetGroup: 'OVER60',
      referenceDate: '2024-01-01',
      source: "ISTAT, popolazione residente all'1/1/2024",
      value: '30000',
    };

    async function newProject(code: string): Promise<string> {
      return (await t.request('POST', '/api/v1/projects', { code, name: code, municipalityId: padova })).body.id;
    }

    async function populations(projectId: string) {
      return (await t.request('GET', `/api/v1/projects/${projectId}/reference-populations`)).body;
    }

    it("records the over-60 residents of each RTI's area, reads, lists, updates and deletes them", async () => {
      const projectId = await newProject('PD-POP-1');
      const a = await t.request('POST', `/api/v1/projects/${projectId}/reference-populations`, over60);
      expect(a.status).toBe(201);
      expect(a.body).toEqual({ id: expect.stringMatching(UUID), projectId, ...over60, position: 0, createdAt: NOW, updatedAt: NOW });
      const b = await t.request('POST', `/api/v1/projects/${projectId}/reference-populations`, {
        code: 'POP-OVER60-RTI-B',
        labelIt: 'Residenti over 60 dei Quartieri 4-6',
        referenceDate: '2024-01-01',
        source: 'ISTAT',
        value: '28000',
      });
      expect(b.body).toMatchObject({ position: 1, labelEn: null, area: null, targetGroup: null });

      expect((await t.request('GET', `/api/v1/reference-populations/${a.body.id}`)).body).toEqual(a.body);
      const list = await t.request('GET', `/api/v1/projects/${projectId}/reference-populations?limit=1`);
      expect(list.body).toEqual({ items: [a.body], page: { limit: 1, offset: 0, total: 2 } });

      const updated = await t.request('PATCH', `/api/v1/reference-populations/${b.body.id}`, { value: '28150', referenceDate: '2025-01-01', area: 'Quartieri 4-6' });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ ...b.body, value: '28150', referenceDate: '2025-01-01', area: 'Quartieri 4-6' });
      const cleared = await t.request('PATCH', `/api/v1/reference-populations/${b.body.id}`, { area: null });
      expect(cleared.body.area).toBeNull();

      expect((await t.request('DELETE', `/api/v1/reference-populations/${a.body.id}`)).status).toBe(204);
      const gone = await t.request('GET', `/api/v1/reference-populations/${a.body.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({
        code: 'REFERENCE_POPULATION_NOT_FOUND',
        message: `Reference population ${a.body.id} not found`,
        details: { id: a.body.id },
      });
      expect((await populations(projectId)).items.map((p: { code: string }) => p.code)).toEqual(['POP-OVER60-RTI-B']);
    });

    it('refuses a count of people that is not a whole decimal string of at least 1, and impossible dates', async () => {
      const projectId = await newProject('PD-POP-2');
      const url = `/api/v1/projects/${projectId}/reference-populations`;
      const number = await t.request('POST', url, { ...over60, value: 30000 });
      expect(number.status).toBe(400);
      expect(number.body.details.fields).toEqual([
        {
          field: 'value',
          code: 'isDecimalString',
          message: 'value must be a decimal string such as "12": JSON numbers are not accepted for money or measured values',
        },
      ]);
      const cases: [unknown, string][] = [
        ['30000.5', 'value must be a whole number'],
        ['0', 'value must be at least 1'],
        ['30.000', 'value must be a whole number'],
        ['30,000', 'value must use a decimal point, not a comma (e.g. "12")'],
        ['3e4', 'value must be a plain decimal: exponents, NaN and Infinity are not accepted'],
      ];
      for (const [value, message] of cases) {
        const res = await t.request('POST', url, { ...over60, value });
        expect(res.status).toBe(400);
        expect(res.body.details.fields).toEqual([{ field: 'value', code: 'isDecimalString', message }]);
      }
      const date = await t.request('POST', url, { ...over60, referenceDate: '2024-02-30' });
      expect(date.body.details.fields).toEqual([{ field: 'referenceDate', code: 'isIsoDate', message: 'referenceDate must be a calendar date as YYYY-MM-DD' }]);
      const unknown = await t.request('POST', url, { ...over60, year: 2024 });
      expect(unknown.body.details.fields).toEqual([{ field: 'year', code: 'whitelistValidation', message: 'year is not a known field' }]);
      const missing = await t.request('POST', url, { code: 'POP-X' });
      expect(fieldsOf(missing)).toEqual(['labelIt', 'referenceDate', 'source', 'value']);
      expect((await populations(projectId)).items).toEqual([]);

      const created = await t.request('POST', url, over60);
      const patch = await t.request('PATCH', `/api/v1/reference-populations/${created.body.id}`, { value: 28000, source: null, code: 'POP-Y' });
      expect(fieldsOf(patch)).toEqual(['code', 'source', 'value']);
      expect((await t.request('GET', `/api/v1/reference-populations/${created.body.id}`)).body).toEqual(created.body);
    });

    it('refuses a second population with the same code in a project, but not in another project', async () => {
      const projectId = await newProject('PD-POP-3');
      await t.request('POST', `/api/v1/projects/${projectId}/reference-populations`, over60);
      const before = await populations(projectId);
      const dup = await t.request('POST', `/api/v1/projects/${projectId}/reference-populations`, { ...over60, value: '1' });
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({
        code: 'REFERENCE_POPULATION_CODE_TAKEN',
        message: 'The project already has a reference population with code POP-OVER60-RTI-A',
        details: { fields: [{ field: 'code', message: 'already taken in this project' }] },
      });
      expect(await populations(projectId)).toEqual(before);
      const other = await newProject('PD-POP-4');
      expect((await t.request('POST', `/api/v1/projects/${other}/reference-populations`, over60)).status).toBe(201);
    });

    it('answers 404 for unknown projects and populations', async () => {
      const create = await t.request('POST', `/api/v1/projects/${MISSING}/reference-populations`, over60);
      expect(create.status).toBe(404);
      expect(create.body.code).toBe('PROJECT_NOT_FOUND');
      expect((await t.request('GET', `/api/v1/projects/${MISSING}/reference-populations`)).body.code).toBe('PROJECT_NOT_FOUND');
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const res = await t.request(method, `/api/v1/reference-populations/${MISSING}`, method === 'PATCH' ? { value: '2' } : undefined);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('REFERENCE_POPULATION_NOT_FOUND');
      }
    });

    it('refuses to delete a population an indicator divides by', async () => {
      const projectId = await newProject('PD-POP-5');
      const population = await t.request('POST', `/api/v1/projects/${projectId}/reference-populations`, over60);
      const node = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, { code: 'OD5', level: 'OUTCOME', labelIt: 'Conosciuti' });
      await insertContract('b2', projectId, { nodeId: node.body.id, referencePopulationId: population.body.id });
      const inUse = await t.request('DELETE', `/api/v1/reference-populations/${population.body.id}`);
      expect(inUse.status).toBe(409);
      expect(inUse.body).toEqual({
        code: 'REFERENCE_POPULATION_IN_USE',
        message: 'The reference population is still the denominator of indicators',
        details: { id: population.body.id },
      });
      expect((await t.request('GET', `/api/v1/reference-populations/${population.body.id}`)).body).toEqual(population.body);
    });
  });
});
