import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { IndicatorEntity } from 'src/indicators/indicator.entity';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';

// Nodes and links of a project's value chain through HTTP: every write path, and every refusal leaving the
// chain exactly as it was.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING = '00000000-0000-4000-8000-000000000000';
const NOW = TEST_NOW.toISOString();

describe('value chain API: nodes and links', () => {
  let t: TestApp;
  let municipalityId: string;
  let projectCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const municipality = await t.request('POST', '/api/v1/organisations', { code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova' });
    municipalityId = municipality.body.id;
  });

  afterAll(async () => {
    await t.close();
  });

  async function newProject(): Promise<string> {
    projectCount += 1;
    const res = await t.request('POST', '/api/v1/projects', { code: `PD-VC-${projectCount}`, name: 'Sviluppo di Comunità 2.0', municipalityId });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** Creates nodes from `CODE:LEVEL` specs and returns their ids by code. */
  async function addNodes(projectId: string, specs: string[]): Promise<Record<string, string>> {
    const ids: Record<string, string> = {};
    for (const spec of specs) {
      const [code, level] = spec.split(':');
      const res = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, { code, level, labelIt: code });
      expect(res.status).toBe(201);
      ids[code] = res.body.id;
    }
    return ids;
  }

  async function addLink(projectId: string, fromNodeId: string, toNodeId: string) {
    return t.request('POST', `/api/v1/projects/${projectId}/value-chain/links`, { fromNodeId, toNodeId });
  }

  /** The distinct fields a 400 names, sorted (one field may break several constraints). */
  function fieldsOf(res: { body: { details: { fields: { field: string }[] } } }): string[] {
    return [...new Set(res.body.details.fields.map((f) => f.field))].sort();
  }

  async function graph(projectId: string) {
    const res = await t.request('GET', `/api/v1/projects/${projectId}/value-chain`);
    expect(res.status).toBe(200);
    return res.body;
  }

  describe('nodes', () => {
    it("creates Padova's fee as an input, reads, lists by level, updates and deletes it", async () => {
      const projectId = await newProject();
      const fee = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, {
        code: 'IN1',
        level: 'INPUT',
        labelIt: 'Compenso comunale annuo (due RTI)',
        labelEn: 'Annual municipal fee (two RTIs)',
        quantity: '600000.00',
        unit: 'EUR',
        monetaryValue: '600000.00',
        fundingSource: 'MUNICIPAL',
      });
      expect(fee.status).toBe(201);
      expect(fee.body).toEqual({
        id: expect.stringMatching(UUID),
        projectId,
        code: 'IN1',
        level: 'INPUT',
        labelIt: 'Compenso comunale annuo (due RTI)',
        labelEn: 'Annual municipal fee (two RTIs)',
        description: null,
        quantity: '600000.00',
        unit: 'EUR',
        monetaryValue: '600000.00',
        fundingSource: 'MUNICIPAL',
        position: 0,
        createdAt: NOW,
        updatedAt: NOW,
      });
      const process = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, {
        code: 'PR1',
        level: 'PROCESS',
        labelIt: 'Fusione servizi di animazione over60 con i CAT',
      });
      expect(process.body).toMatchObject({ code: 'PR1', position: 1, quantity: null, fundingSource: null });
      const hours = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, {
        code: 'IN2',
        level: 'INPUT',
        labelIt: 'Ore di volontariato',
        quantity: '4000',
        unit: 'HOURS',
        fundingSource: 'IN_KIND',
      });
      expect(hours.body).toMatchObject({ position: 2, monetaryValue: null });

      expect((await t.request('GET', `/api/v1/value-chain/nodes/${fee.body.id}`)).body).toEqual(fee.body);
      const inputs = await t.request('GET', `/api/v1/projects/${projectId}/value-chain/nodes?level=INPUT`);
      expect(inputs.body.page).toEqual({ limit: 50, offset: 0, total: 2 });
      expect(inputs.body.items.map((n: { code: string }) => n.code)).toEqual(['IN1', 'IN2']);
      const second = await t.request('GET', `/api/v1/projects/${projectId}/value-chain/nodes?limit=1&offset=1`);
      expect(second.body.page).toEqual({ limit: 1, offset: 1, total: 3 });
      expect(second.body.items.map((n: { code: string }) => n.code)).toEqual(['PR1']);

      t.clock.set(new Date('2026-02-01T08:00:00.000Z'));
      const valued = await t.request('PATCH', `/api/v1/value-chain/nodes/${hours.body.id}`, { monetaryValue: '60000.00', labelEn: 'Volunteer hours' });
      t.clock.set(TEST_NOW);
      expect(valued.status).toBe(200);
      expect(valued.body).toEqual({
        ...hours.body,
        monetaryValue: '60000.00',
        labelEn: 'Volunteer hours',
        updatedAt: '2026-02-01T08:00:00.000Z',
      });
      const cleared = await t.request('PATCH', `/api/v1/value-chain/nodes/${hours.body.id}`, { monetaryValue: null, labelEn: null });
      expect(cleared.body).toMatchObject({ monetaryValue: null, labelEn: null, quantity: '4000' });

      expect((await t.request('DELETE', `/api/v1/value-chain/nodes/${hours.body.id}`)).status).toBe(204);
      const gone = await t.request('GET', `/api/v1/value-chain/nodes/${hours.body.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('VALUE_CHAIN_NODE_NOT_FOUND');
      const next = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, { code: 'OU1', level: 'OUTPUT', labelIt: 'Iniziative' });
      expect(next.body.position).toBe(2);
    });

    it('refuses money as a JSON number, a comma, cents below the cent and unknown fields, creating nothing', async () => {
      const projectId = await newProject();
      const url = `/api/v1/projects/${projectId}/value-chain/nodes`;
      const base = { code: 'IN1', level: 'INPUT', labelIt: 'Compenso' };

      const number = await t.request('POST', url, { ...base, monetaryValue: 600000 });
      expect(number.status).toBe(400);
      expect(number.body).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'monetaryValue must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values',
        details: {
          fields: [
            {
              field: 'monetaryValue',
              code: 'isDecimalString',
              message: 'monetaryValue must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values',
            },
          ],
        },
      });
      const comma = await t.request('POST', url, { ...base, monetaryValue: '600000,00' });
      expect(comma.body.details.fields).toEqual([
        { field: 'monetaryValue', code: 'isDecimalString', message: 'monetaryValue must use a decimal point, not a comma (e.g. "12.50")' },
      ]);
      const mills = await t.request('POST', url, { ...base, monetaryValue: '10.005' });
      expect(mills.body.details.fields[0].message).toBe('monetaryValue must have at most 2 decimal places');
      const negative = await t.request('POST', url, { ...base, monetaryValue: '-1.00' });
      expect(negative.body.details.fields[0].message).toBe('monetaryValue must be at least 0');
      const quantity = await t.request('POST', url, { ...base, quantity: 4000 });
      expect(quantity.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['quantity']);
      const unknown = await t.request('POST', url, { ...base, currency: 'EUR' });
      expect(unknown.body.details.fields).toEqual([{ field: 'currency', code: 'whitelistValidation', message: 'currency is not a known field' }]);
      const several = await t.request('POST', url, { code: 'IN 1', level: 'RESOURCE', labelIt: '', unit: 'hours', fundingSource: 'BANK' });
      expect(several.status).toBe(400);
      expect(fieldsOf(several)).toEqual(['code', 'fundingSource', 'labelIt', 'level', 'unit']);

      for (const res of [comma, mills, negative, quantity, unknown]) {
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect((await graph(projectId)).nodes).toEqual([]);
    });

    it('refuses a null label or level in an update and a change of code, changing nothing', async () => {
      const projectId = await newProject();
      const { PR1 } = await addNodes(projectId, ['PR1:PROCESS']);
      const before = (await t.request('GET', `/api/v1/value-chain/nodes/${PR1}`)).body;
      const nullLabel = await t.request('PATCH', `/api/v1/value-chain/nodes/${PR1}`, { labelIt: null, level: null });
      expect(nullLabel.status).toBe(400);
      expect(fieldsOf(nullLabel)).toEqual(['labelIt', 'level']);
      const code = await t.request('PATCH', `/api/v1/value-chain/nodes/${PR1}`, { code: 'PR9' });
      expect(code.status).toBe(400);
      expect(code.body.details.fields[0]).toMatchObject({ field: 'code', code: 'whitelistValidation' });
      expect((await t.request('GET', `/api/v1/value-chain/nodes/${PR1}`)).body).toEqual(before);
    });

    it('answers 404 for an unknown project or node and 400 for an id that is not a UUID', async () => {
      const create = await t.request('POST', `/api/v1/projects/${MISSING}/value-chain/nodes`, { code: 'IN1', level: 'INPUT', labelIt: 'x' });
      expect(create.status).toBe(404);
      expect(create.body).toEqual({ code: 'PROJECT_NOT_FOUND', message: `Project ${MISSING} not found`, details: { id: MISSING } });
      expect((await t.request('GET', `/api/v1/projects/${MISSING}/value-chain/nodes`)).body.code).toBe('PROJECT_NOT_FOUND');
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const res = await t.request(method, `/api/v1/value-chain/nodes/${MISSING}`, method === 'PATCH' ? { labelIt: 'x' } : undefined);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('VALUE_CHAIN_NODE_NOT_FOUND');
      }
      const badId = await t.request('GET', '/api/v1/projects/not-a-uuid/value-chain/nodes');
      expect(badId.status).toBe(400);
      expect(badId.body.details.fields).toEqual([{ field: 'projectId', code: 'isUuid', message: 'projectId must be a UUID' }]);
    });

    it('refuses a second node with the same code in a project, but not in another project', async () => {
      const projectId = await newProject();
      await addNodes(projectId, ['OD1:OUTCOME']);
      const dup = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, { code: 'OD1', level: 'OUTCOME', labelIt: 'Altro' });
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({
        code: 'VALUE_CHAIN_NODE_CODE_TAKEN',
        message: 'The project already has a node with code OD1',
        details: { fields: [{ field: 'code', message: 'already taken in this project' }] },
      });
      expect((await graph(projectId)).nodes.map((n: { labelIt: string }) => n.labelIt)).toEqual(['OD1']);
      const other = await newProject();
      expect((await t.request('POST', `/api/v1/projects/${other}/value-chain/nodes`, { code: 'OD1', level: 'OUTCOME', labelIt: 'x' })).status).toBe(201);
    });

    it('keeps quantities, units, values and funding sources on inputs only', async () => {
      const projectId = await newProject();
      const url = `/api/v1/projects/${projectId}/value-chain/nodes`;
      const process = await t.request('POST', url, { code: 'PR1', level: 'PROCESS', labelIt: 'Tavolo', monetaryValue: '100.00', fundingSource: 'MUNICIPAL' });
      expect(process.status).toBe(422);
      expect(process.body).toEqual({
        code: 'VALUE_CHAIN_INPUT_ONLY_FIELD',
        message: 'A PROCESS node cannot carry monetaryValue, fundingSource: only inputs do',
        details: {
          fields: [
            { field: 'monetaryValue', message: 'only an INPUT node has a monetaryValue' },
            { field: 'fundingSource', message: 'only an INPUT node has a fundingSource' },
          ],
        },
      });
      expect((await graph(projectId)).nodes).toEqual([]);

      const input = await t.request('POST', url, { code: 'IN3', level: 'INPUT', labelIt: 'Spazi CAT', quantity: '12', unit: 'COUNT' });
      const toOutput = await t.request('PATCH', `/api/v1/value-chain/nodes/${input.body.id}`, { level: 'OUTPUT' });
      expect(toOutput.status).toBe(422);
      expect(toOutput.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['quantity', 'unit']);
      expect((await t.request('GET', `/api/v1/value-chain/nodes/${input.body.id}`)).body).toEqual(input.body);

      const cleared = await t.request('PATCH', `/api/v1/value-chain/nodes/${input.body.id}`, { level: 'OUTPUT', quantity: null, unit: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ level: 'OUTPUT', quantity: null, unit: null });
    });

    it('re-checks the links when a node changes level, refusing a level that would make a link run backward', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['IN1:INPUT', 'PR1:PROCESS', 'OU1:OUTPUT', 'OD1:OUTCOME']);
      for (const [from, to] of [['IN1', 'PR1'], ['PR1', 'OU1'], ['OU1', 'OD1']]) {
        expect((await addLink(projectId, ids[from], ids[to])).status).toBe(201);
      }
      const before = await graph(projectId);

      const down = await t.request('PATCH', `/api/v1/value-chain/nodes/${ids.OD1}`, { level: 'PROCESS', labelIt: 'Rinominato' });
      expect(down.status).toBe(422);
      const message = 'OU1 (OUTPUT) cannot feed OD1 (PROCESS): the chain flows INPUT -> PROCESS -> OUTPUT -> OUTCOME -> IMPACT';
      expect(down.body).toEqual({
        code: 'VALUE_CHAIN_BACKWARD_LINK',
        message,
        details: { link: { from: 'OU1', to: 'OD1' }, fields: [{ field: 'level', message }] },
      });
      const toInput = await t.request('PATCH', `/api/v1/value-chain/nodes/${ids.PR1}`, { level: 'INPUT' });
      expect(toInput.status).toBe(422);
      expect(toInput.body.details.link).toEqual({ from: 'IN1', to: 'PR1' });
      expect(await graph(projectId)).toEqual(before);

      const up = await t.request('PATCH', `/api/v1/value-chain/nodes/${ids.OD1}`, { level: 'IMPACT' });
      expect(up.status).toBe(200);
      expect(up.body.level).toBe('IMPACT');
    });
  });

  describe('links', () => {
    it('links two nodes, lists, reads and deletes the link', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['IN1:INPUT', 'PR1:PROCESS', 'OU1:OUTPUT']);
      const first = await addLink(projectId, ids.IN1, ids.PR1);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ id: expect.stringMatching(UUID), fromNodeId: ids.IN1, toNodeId: ids.PR1, fromCode: 'IN1', toCode: 'PR1' });
      const second = await addLink(projectId, ids.PR1, ids.OU1);

      const list = await t.request('GET', `/api/v1/projects/${projectId}/value-chain/links?limit=1&offset=1`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [second.body], page: { limit: 1, offset: 1, total: 2 } });
      expect((await t.request('GET', `/api/v1/value-chain/links/${first.body.id}`)).body).toEqual(first.body);

      expect((await t.request('DELETE', `/api/v1/value-chain/links/${first.body.id}`)).status).toBe(204);
      const gone = await t.request('DELETE', `/api/v1/value-chain/links/${first.body.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ code: 'VALUE_CHAIN_LINK_NOT_FOUND', message: `Value chain link ${first.body.id} not found`, details: { id: first.body.id } });
      expect((await t.request('GET', `/api/v1/value-chain/links/${MISSING}`)).body.code).toBe('VALUE_CHAIN_LINK_NOT_FOUND');
      expect((await graph(projectId)).links).toEqual([second.body]);
    });

    it('refuses a cycle among outcomes, naming its nodes, and leaves the chain as it was', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['IN1:INPUT', 'PR1:PROCESS', 'OU1:OUTPUT', 'OD1:OUTCOME', 'OD2:OUTCOME', 'OD3:OUTCOME', 'IO1:IMPACT']);
      for (const [from, to] of [['IN1', 'PR1'], ['PR1', 'OU1'], ['OU1', 'OD1'], ['OD1', 'OD2'], ['OD2', 'OD3'], ['OD3', 'IO1']]) {
        expect((await addLink(projectId, ids[from], ids[to])).status).toBe(201);
      }
      const before = await graph(projectId);

      const cycle = await addLink(projectId, ids.OD3, ids.OD1);
      expect(cycle.status).toBe(422);
      const message = 'The value chain has a cycle: OD1 -> OD2 -> OD3 -> OD1';
      expect(cycle.body).toEqual({
        code: 'VALUE_CHAIN_CYCLE',
        message,
        details: { cycle: ['OD1', 'OD2', 'OD3'], fields: [{ field: 'toNodeId', message }] },
      });
      const self = await addLink(projectId, ids.PR1, ids.PR1);
      expect(self.status).toBe(422);
      expect(self.body.details.cycle).toEqual(['PR1']);
      expect(await graph(projectId)).toEqual(before);
    });

    it('lets only one of two concurrent links that together close a cycle through', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['OD1:OUTCOME', 'OD2:OUTCOME']);
      for (let round = 0; round < 5; round += 1) {
        const results = await Promise.all([addLink(projectId, ids.OD1, ids.OD2), addLink(projectId, ids.OD2, ids.OD1)]);
        expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
        expect(results.find((r) => r.status === 422)!.body.code).toBe('VALUE_CHAIN_CYCLE');
        const links = (await graph(projectId)).links;
        expect(links).toHaveLength(1);
        expect((await t.request('DELETE', `/api/v1/value-chain/links/${links[0].id}`)).status).toBe(204);
      }
    });

    it('refuses backward links and an input feeding an input, allows skipping levels', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['IN1:INPUT', 'IN2:INPUT', 'PR1:PROCESS', 'OU1:OUTPUT', 'OD1:OUTCOME', 'IO1:IMPACT']);
      const backward = await addLink(projectId, ids.IO1, ids.OD1);
      expect(backward.status).toBe(422);
      const message = 'IO1 (IMPACT) cannot feed OD1 (OUTCOME): the chain flows INPUT -> PROCESS -> OUTPUT -> OUTCOME -> IMPACT';
      expect(backward.body).toEqual({
        code: 'VALUE_CHAIN_BACKWARD_LINK',
        message,
        details: { link: { from: 'IO1', to: 'OD1' }, fields: [{ field: 'toNodeId', message }] },
      });
      const inputs = await addLink(projectId, ids.IN2, ids.IN1);
      expect(inputs.status).toBe(422);
      expect(inputs.body.message).toBe('IN2 cannot feed IN1: inputs are combined by a process, not by another input');
      expect((await graph(projectId)).links).toEqual([]);

      expect((await addLink(projectId, ids.OU1, ids.IO1)).status).toBe(201);
      expect((await addLink(projectId, ids.IN2, ids.OD1)).status).toBe(201);
      expect((await graph(projectId)).links.map((l: { fromCode: string; toCode: string }) => `${l.fromCode}>${l.toCode}`)).toEqual(['OU1>IO1', 'IN2>OD1']);
    });

    it('refuses the same link twice and a node of another project, changing nothing', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['IN1:INPUT', 'PR1:PROCESS']);
      expect((await addLink(projectId, ids.IN1, ids.PR1)).status).toBe(201);
      const before = await graph(projectId);

      const dup = await addLink(projectId, ids.IN1, ids.PR1);
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({
        code: 'VALUE_CHAIN_LINK_DUPLICATE',
        message: 'IN1 already feeds PR1',
        details: { link: { from: 'IN1', to: 'PR1' }, fields: [{ field: 'toNodeId', message: 'IN1 -> PR1 is already linked' }] },
      });

      const otherProject = await newProject();
      const other = await addNodes(otherProject, ['OU1:OUTPUT']);
      const cross = await addLink(projectId, ids.PR1, other.OU1);
      expect(cross.status).toBe(422);
      expect(cross.body).toEqual({
        code: 'VALUE_CHAIN_CROSS_PROJECT_LINK',
        message: 'Node OU1 belongs to another project',
        details: { fields: [{ field: 'toNodeId', message: 'the node belongs to another project' }] },
      });
      const crossFrom = await addLink(otherProject, ids.IN1, other.OU1);
      expect(crossFrom.body.details.fields[0].field).toBe('fromNodeId');

      expect(await graph(projectId)).toEqual(before);
      expect((await graph(otherProject)).links).toEqual([]);
    });

    it('answers 404 for an unknown project or node and 400 for malformed link bodies', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['IN1:INPUT']);
      const noProject = await addLink(MISSING, ids.IN1, ids.IN1);
      expect(noProject.status).toBe(404);
      expect(noProject.body.code).toBe('PROJECT_NOT_FOUND');
      expect((await t.request('GET', `/api/v1/projects/${MISSING}/value-chain/links`)).body.code).toBe('PROJECT_NOT_FOUND');
      const noNode = await addLink(projectId, ids.IN1, MISSING);
      expect(noNode.status).toBe(404);
      expect(noNode.body).toEqual({
        code: 'VALUE_CHAIN_NODE_NOT_FOUND',
        message: `Value chain node ${MISSING} not found`,
        details: { id: MISSING, fields: [{ field: 'toNodeId', message: 'no such value chain node' }] },
      });
      const malformed = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/links`, { fromNodeId: 'IN1', weight: 1 });
      expect(malformed.status).toBe(400);
      expect(fieldsOf(malformed)).toEqual(['fromNodeId', 'toNodeId', 'weight']);
      expect((await graph(projectId)).links).toEqual([]);
    });
  });

  describe('deleting nodes', () => {
    it('deletes a node together with its links', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['IN1:INPUT', 'PR1:PROCESS', 'OU1:OUTPUT']);
      await addLink(projectId, ids.IN1, ids.PR1);
      const kept = await addLink(projectId, ids.IN1, ids.OU1);
      await addLink(projectId, ids.PR1, ids.OU1);
      expect((await t.request('DELETE', `/api/v1/value-chain/nodes/${ids.PR1}`)).status).toBe(204);
      const after = await graph(projectId);
      expect(after.nodes.map((n: { code: string }) => n.code)).toEqual(['IN1', 'OU1']);
      expect(after.links).toEqual([kept.body]);
    });

    it('refuses to delete a node an indicator hangs on', async () => {
      const projectId = await newProject();
      const ids = await addNodes(projectId, ['OD3:OUTCOME']);
      await t.app.get(Database).transaction(async (m) => {
        await m.insert(ContractEntity, {
          id: '00000000-0000-4000-8000-0000000000c1',
          code: 'PD-SDC-2024',
          title: 'Sviluppo di Comunità 2.0',
          projectId,
          municipalityId,
          currency: 'EUR',
          startDate: '2024-07-01',
          endDate: '2027-06-30',
          paymentRules: null,
          createdAt: NOW,
          updatedAt: NOW,
        });
        await m.insert(IndicatorEntity, {
          id: '00000000-0000-4000-8000-0000000000d1',
          contractId: '00000000-0000-4000-8000-0000000000c1',
          nodeId: ids.OD3,
          code: 'IND-03',
          labelIt: 'Partecipanti unici alle iniziative nel periodo',
          labelEn: null,
          unit: 'COUNT',
          direction: 'INCREASE',
          formulaText: null,
          formulaNumerator: null,
          formulaDenominator: null,
          instrument: null,
          dataOwner: 'GROUPING',
          frequency: 'QUARTERLY',
          minSampleSize: null,
          disaggregations: [],
          scope: 'PER_GROUPING',
          aggregation: 'UNIQUE',
          position: 0,
          createdAt: NOW,
          updatedAt: NOW,
        });
      });
      const inUse = await t.request('DELETE', `/api/v1/value-chain/nodes/${ids.OD3}`);
      expect(inUse.status).toBe(409);
      expect(inUse.body).toEqual({ code: 'VALUE_CHAIN_NODE_IN_USE', message: 'The node is still referenced by indicators', details: { id: ids.OD3 } });
      expect((await t.request('GET', `/api/v1/value-chain/nodes/${ids.OD3}`)).status).toBe(200);
    });
  });
});
