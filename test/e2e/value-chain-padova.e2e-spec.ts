import { createTestApp, TestApp } from 'test/support/test-app';

// Padova "Sviluppo di Comunità 2.0" (shared/examples/padova-sdc.md) built through the API: four inputs,
// four processes, three outputs, five outcome dimensions, two impact objectives. The input values and the
// links below the outcomes are invented; outcome -> objective links are the text's.

const MISSING = '00000000-0000-4000-8000-000000000000';

const NODES: { code: string; level: string; labelIt: string; input?: Record<string, string> }[] = [
  { code: 'IN1', level: 'INPUT', labelIt: 'Compenso comunale annuo (due RTI)', input: { quantity: '600000.00', unit: 'EUR', monetaryValue: '600000.00', fundingSource: 'MUNICIPAL' } },
  { code: 'IN2', level: 'INPUT', labelIt: 'Ore di volontariato messe a disposizione dagli ETS', input: { quantity: '4000', unit: 'HOURS', fundingSource: 'IN_KIND' } },
  { code: 'IN3', level: 'INPUT', labelIt: 'Spazi CAT e sale di quartiere', input: { quantity: '12', unit: 'COUNT', monetaryValue: '36000.00', fundingSource: 'IN_KIND' } },
  { code: 'IN4', level: 'INPUT', labelIt: 'Animatori/educatori', input: { quantity: '9.5', unit: 'FTE' } },
  { code: 'PR1', level: 'PROCESS', labelIt: 'Fusione servizi di animazione over60 con i CAT' },
  { code: 'PR2', level: 'PROCESS', labelIt: 'Traghettare le Attività Creative della Terza Età verso il territorio' },
  { code: 'PR3', level: 'PROCESS', labelIt: 'Territorializzazione dei servizi per quartiere' },
  { code: 'PR4', level: 'PROCESS', labelIt: 'Tavolo trimestrale Comune–RTI' },
  { code: 'OU1', level: 'OUTPUT', labelIt: 'Iniziative di quartiere realizzate' },
  { code: 'OU2', level: 'OUTPUT', labelIt: 'Ore di attività erogate' },
  { code: 'OU3', level: 'OUTPUT', labelIt: 'Corsi di motoria, laboratori, escursioni, soggiorni attivati' },
  { code: 'OD1', level: 'OUTCOME', labelIt: 'Autonomia dai finanziamenti pubblici' },
  { code: 'OD2', level: 'OUTCOME', labelIt: 'Nuove collaborazioni e partenariati' },
  { code: 'OD3', level: 'OUTCOME', labelIt: 'Aumento platea dei destinatari, per target e diverse tipologie di bisogno' },
  { code: 'OD4', level: 'OUTCOME', labelIt: 'Soddisfazione dei partecipanti' },
  { code: 'OD5', level: 'OUTCOME', labelIt: 'Aumento quota di cittadini «conosciuti» dalla rete' },
  { code: 'IO1', level: 'IMPACT', labelIt: 'Capacitazione della rete di attori sociali' },
  { code: 'IO2', level: 'IMPACT', labelIt: 'Promozione di iniziative per animare i quartieri' },
];

const LINKS = [
  'IN1>PR1', 'IN1>PR2', 'IN1>PR3', 'IN1>PR4', 'IN2>PR3', 'IN3>PR1', 'IN3>PR3', 'IN4>PR1', 'IN4>PR2',
  'PR1>OU1', 'PR1>OU3', 'PR2>OU3', 'PR3>OU1', 'PR3>OU2', 'PR4>OD2',
  'OU1>OD2', 'OU1>OD3', 'OU1>OD5', 'OU2>OD3', 'OU2>OD4', 'OU3>OD3', 'OU3>OD4', 'OU1>IO2',
  'OD2>OD1', 'OD1>IO1', 'OD2>IO1', 'OD3>IO2', 'OD4>IO2', 'OD5>IO2',
];

interface TreeNode {
  id: string;
  code: string;
  level: string;
  labelIt: string;
  labelEn: null;
  children: TreeNode[];
}

describe("Padova's value chain through the API", () => {
  let t: TestApp;
  let projectId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const municipality = await t.request('POST', '/api/v1/organisations', { code: 'C-PADOVA', kind: 'MUNICIPALITY', name: 'Comune di Padova' });
    const project = await t.request('POST', '/api/v1/projects', {
      code: 'PD-SDC-2.0',
      name: 'Sviluppo di Comunità 2.0',
      municipalityId: municipality.body.id,
      department: 'Settore Servizi Sociali',
      workAreas: ['ANZIANI', 'COMMUNITY_BUILDING'],
      targetGroups: ['OVER60', 'UNDER60'],
    });
    projectId = project.body.id;
    for (const node of NODES) {
      const res = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, {
        code: node.code,
        level: node.level,
        labelIt: node.labelIt,
        ...node.input,
      });
      expect(res.status).toBe(201);
      ids[node.code] = res.body.id;
    }
    for (const link of LINKS) {
      const [from, to] = link.split('>');
      const res = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/links`, { fromNodeId: ids[from], toNodeId: ids[to] });
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  /** The expected tree node for `code`, built from the test's own table. */
  function tree(code: string, ...children: TreeNode[]): TreeNode {
    const node = NODES.find((n) => n.code === code)!;
    return { id: ids[code], code, level: node.level, labelIt: node.labelIt, labelEn: null, children };
  }

  it('answers the whole graph: nodes in chain order, links with both ids and codes in the order they were made', async () => {
    const res = await t.request('GET', `/api/v1/projects/${projectId}/value-chain`);
    expect(res.status).toBe(200);
    expect(res.body.projectId).toBe(projectId);
    expect(res.body.nodes.map((n: { code: string; position: number }) => `${n.position}:${n.code}`)).toEqual(NODES.map((n, i) => `${i}:${n.code}`));
    expect(res.body.nodes[1]).toMatchObject({ code: 'IN2', quantity: '4000', unit: 'HOURS', monetaryValue: null, fundingSource: 'IN_KIND' });
    expect(res.body.links).toEqual(
      LINKS.map((link) => {
        const [from, to] = link.split('>');
        return { id: expect.any(String), fromNodeId: ids[from], toNodeId: ids[to], fromCode: from, toCode: to };
      }),
    );
  });

  it('grows one tree per objective, down to the resources, repeating nodes that feed several others', async () => {
    const pr1 = () => tree('PR1', tree('IN1'), tree('IN3'), tree('IN4'));
    const pr2 = () => tree('PR2', tree('IN1'), tree('IN4'));
    const pr3 = () => tree('PR3', tree('IN1'), tree('IN2'), tree('IN3'));
    const pr4 = () => tree('PR4', tree('IN1'));
    const ou1 = () => tree('OU1', pr1(), pr3());
    const ou2 = () => tree('OU2', pr3());
    const ou3 = () => tree('OU3', pr1(), pr2());
    const od2 = () => tree('OD2', pr4(), ou1());

    const res = await t.request('GET', `/api/v1/projects/${projectId}/value-chain/tree`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      projectId,
      trees: [
        tree('IO1', tree('OD1', od2()), od2()),
        tree('IO2', ou1(), tree('OD3', ou1(), ou2(), ou3()), tree('OD4', ou2(), ou3()), tree('OD5', ou1())),
      ],
      detached: [],
    });
  });

  it("adds up the single budget: the municipality's fee, valued and unvalued in-kind resources, staff without a source", async () => {
    const res = await t.request('GET', `/api/v1/projects/${projectId}/budget`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      projectId,
      currency: 'EUR',
      lines: [
        { fundingSource: 'MUNICIPAL', itemCount: 1, unvaluedCount: 0, total: '600000.00', inputCodes: ['IN1'] },
        { fundingSource: 'IN_KIND', itemCount: 2, unvaluedCount: 1, total: '36000.00', inputCodes: ['IN2', 'IN3'] },
        { fundingSource: 'UNSPECIFIED', itemCount: 1, unvaluedCount: 1, total: '0.00', inputCodes: ['IN4'] },
      ],
      grandTotal: '636000.00',
      totalExcludingInKind: '600000.00',
      inKindWithoutValuation: 1,
    });
  });

  it('moves the budget when the volunteer hours are valued and the staff is charged to the fee', async () => {
    expect((await t.request('PATCH', `/api/v1/value-chain/nodes/${ids.IN2}`, { monetaryValue: '60000.00' })).status).toBe(200);
    expect((await t.request('PATCH', `/api/v1/value-chain/nodes/${ids.IN4}`, { fundingSource: 'MUNICIPAL', monetaryValue: '285000.50' })).status).toBe(200);
    const res = await t.request('GET', `/api/v1/projects/${projectId}/budget`);
    expect(res.body.lines).toEqual([
      { fundingSource: 'MUNICIPAL', itemCount: 2, unvaluedCount: 0, total: '885000.50', inputCodes: ['IN1', 'IN4'] },
      { fundingSource: 'IN_KIND', itemCount: 2, unvaluedCount: 0, total: '96000.00', inputCodes: ['IN2', 'IN3'] },
    ]);
    expect(res.body).toMatchObject({ grandTotal: '981000.50', totalExcludingInKind: '885000.50', inKindWithoutValuation: 0 });
  });

  it('lists a node that feeds no objective as detached until it is linked', async () => {
    const extra = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/nodes`, { code: 'OU4', level: 'OUTPUT', labelIt: 'Soggiorni climatici' });
    const detached = await t.request('GET', `/api/v1/projects/${projectId}/value-chain/tree`);
    expect(detached.body.detached).toEqual([{ id: extra.body.id, code: 'OU4', level: 'OUTPUT' }]);
    await t.request('POST', `/api/v1/projects/${projectId}/value-chain/links`, { fromNodeId: extra.body.id, toNodeId: ids.OD4 });
    const linked = await t.request('GET', `/api/v1/projects/${projectId}/value-chain/tree`);
    expect(linked.body.detached).toEqual([]);
    const od4 = linked.body.trees[1].children[2];
    expect(od4.children.map((c: { code: string }) => c.code)).toEqual(['OU2', 'OU3', 'OU4']);
  });

  it('refuses an objective feeding back into an outcome dimension and keeps the trees as they were', async () => {
    const before = await t.request('GET', `/api/v1/projects/${projectId}/value-chain/tree`);
    const res = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/links`, { fromNodeId: ids.IO2, toNodeId: ids.OD5 });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALUE_CHAIN_BACKWARD_LINK');
    const cycle = await t.request('POST', `/api/v1/projects/${projectId}/value-chain/links`, { fromNodeId: ids.OD1, toNodeId: ids.OD2 });
    expect(cycle.status).toBe(422);
    expect(cycle.body.details.cycle).toEqual(['OD2', 'OD1']);
    expect((await t.request('GET', `/api/v1/projects/${projectId}/value-chain/tree`)).body).toEqual(before.body);
  });

  it('answers 404 for the views of an unknown project', async () => {
    for (const path of ['value-chain', 'value-chain/tree', 'budget']) {
      const res = await t.request('GET', `/api/v1/projects/${MISSING}/${path}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('PROJECT_NOT_FOUND');
    }
  });
});
