import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { AccessFixture, Actor, ACTORS, seedTenants } from 'test/support/access-fixtures';
import { padovaIndicatorBodies } from 'test/support/fixtures';
import { createTestApp, HttpMethod, TestApp, TestResponse } from 'test/support/test-app';

// Every role against every resource of the existing modules (organisations, projects, value chains,
// reference populations, contracts, periods, groupings, fees, payment rules, indicators, contract
// definitions) and verb, with the exact status; lists with exactly the ids each caller sees; and for every
// write, one audit entry by the right actor on success and none on refusal.

type Expectation = Record<Actor, number>;

/** Build an expectation: `status` for the listed actors, `otherwise` for the rest. */
function only(actors: readonly Actor[], status: number, otherwise: number): Expectation {
  return Object.fromEntries(ACTORS.map((a) => [a, actors.includes(a) ? status : otherwise])) as Expectation;
}

// Who may read Padova's contract (and so its project, value chain, periods, groupings, fees, indicators):
// its municipality's staff, the ETS of its two RTIs, and the evaluator whose university holds a grant.
const PADOVA_READERS: readonly Actor[] = [
  'platformAdmin',
  'padovaAdmin',
  'padovaManager',
  'padovaApprover',
  'padovaAuditor',
  'rtiAMember',
  'rtiALead',
  'rtiBMember',
  'grantedEvaluator',
];
const READ = only(PADOVA_READERS, 200, 404);
const PADOVA_EDITORS: readonly Actor[] = ['platformAdmin', 'padovaManager'];
/**
 * A write on something of Padova's: its contract managers (and the platform) succeed; the manager of the
 * other municipality cannot even see it (404); everyone else is refused, by the guard (roles that never
 * write structure) or by the service (Padova's user administrator, who may read but not manage).
 */
function write(status: number): Expectation {
  return { ...only(PADOVA_EDITORS, status, 403), otherManager: 404 };
}
/** Creating something for Padova's municipality itself: nobody outside it manages it (403, the municipality is public). */
function createForPadova(status: number): Expectation {
  return only(PADOVA_EDITORS, status, 403);
}

interface Ctx {
  fx: AccessFixture;
  /** Ids created in beforeAll through the API as the platform admin. */
  indicatorId: string;
  linkId: string;
}

interface AuditExpectation {
  action: string;
  objectType: string;
  /** `created` is the response body of the write, `prepared` what the case's prepare returned. */
  contractId: (ctx: Ctx, created: { id: string }, prepared: string) => string | null;
  /** `created` is the response body of the write (the new organisation's id...). */
  municipalityId: (ctx: Ctx, created: { id: string }) => string | null;
}

interface Case {
  resource: string;
  verb: string;
  method: HttpMethod;
  /** Runs as the platform admin before each actor's request (fresh objects to delete...); returns an id for url/body. */
  prepare?: (ctx: Ctx, actor: Actor) => Promise<string>;
  url: (ctx: Ctx, prepared: string) => string;
  body?: (ctx: Ctx, actor: Actor, prepared: string) => unknown;
  expect: Expectation;
  /** For writes: the audit entry a success appends. */
  audit?: AuditExpectation;
  /** For updates: where the object is read back (as the admin) to show a refused write changed nothing. */
  readBack?: (ctx: Ctx, prepared: string) => string;
}

const padovaContract = (c: Ctx) => c.fx.padova.contractId;
const padovaMunicipality = (c: Ctx) => c.fx.padova.municipalityId;
const none = () => null;
const inContract = (action: string, objectType: string): AuditExpectation => ({ action, objectType, contractId: padovaContract, municipalityId: padovaMunicipality });
const inProject = (action: string, objectType: string): AuditExpectation => ({ action, objectType, contractId: none, municipalityId: padovaMunicipality });

describe('access matrix: every role against every resource and verb', () => {
  let t: TestApp;
  let ctx: Ctx;
  let seq = 0;
  const unique = (prefix: string) => `${prefix}-${++seq}`;

  const admin = async (method: HttpMethod, url: string, body?: unknown): Promise<TestResponse["body"]> => {
    const res = await t.request(method, url, body);
    if (res.status >= 300) {
      throw new Error(`setup ${method} ${url} answered ${res.status}: ${res.text}`);
    }
    return res.body;
  };
  const as = (actor: Actor) => ({ as: ctx.fx.users[actor].apiKey });
  const auditRows = () => t.app.get(DataSource).getRepository(AuditEntryEntity);

  // Fresh Padova objects for the delete cases, created through the API as the platform admin.
  const freshProject = async () => (await admin('POST', '/api/v1/projects', { code: unique('PRJ-DEL'), name: 'Da cancellare', municipalityId: ctx.fx.padova.municipalityId })).id as string;
  const freshContract = async (periods: unknown[] = []) =>
    (
      await admin('POST', '/api/v1/contracts', {
        code: unique('CTR-X'),
        title: 'Contratto di prova',
        projectId: ctx.fx.padova.projectId,
        municipalityId: ctx.fx.padova.municipalityId,
        startDate: '2030-01-01',
        endDate: '2031-12-31',
        periods,
      })
    ).id as string;
  const freshNode = async (level: string) =>
    (await admin('POST', `/api/v1/projects/${ctx.fx.padova.projectId}/value-chain/nodes`, { code: unique('N'), level, labelIt: 'Nodo di prova' })).id as string;
  const singleGrouping = (code: string, organisationId: string) => ({
    code,
    name: `Grouping ${code}`,
    type: 'SINGLE',
    members: [{ organisationId, role: 'MANDATARIA', executionShare: '1' }],
  });

  const CASES: Case[] = [
    // Organisations: a public directory; contract managers add and edit ETS, only the platform deletes.
    { resource: 'organisation', verb: 'read', method: 'GET', url: (c) => `/api/v1/organisations/${c.fx.padova.etsIds.AURORA}`, expect: only(ACTORS, 200, 200) },
    {
      resource: 'organisation',
      verb: 'create ETS',
      method: 'POST',
      url: () => '/api/v1/organisations',
      body: (_c, actor) => ({ code: unique(`ETS-NEW-${actor}`), kind: 'ETS', name: `Nuova cooperativa ${actor}`, legalForm: 'COOPERATIVA_SOCIALE' }),
      expect: only(['platformAdmin', 'padovaManager', 'otherManager'], 201, 403),
      audit: { action: 'create', objectType: 'organisation', contractId: none, municipalityId: none },
    },
    {
      resource: 'organisation',
      verb: 'create municipality',
      method: 'POST',
      url: () => '/api/v1/organisations',
      body: (_c, actor) => ({ code: unique(`C-NEW-${actor}`), kind: 'MUNICIPALITY', name: `Comune nuovo ${actor}` }),
      expect: only(['platformAdmin'], 201, 403),
      // A municipality's own changes are filed under it.
      audit: { action: 'create', objectType: 'organisation', contractId: none, municipalityId: (_c, created) => created.id },
    },
    {
      resource: 'organisation',
      verb: 'update ETS',
      method: 'PATCH',
      url: (c) => `/api/v1/organisations/${c.fx.outsideEtsId}`,
      body: (_c, actor) => ({ name: `Associazione rinominata da ${actor}` }),
      expect: only(['platformAdmin', 'padovaManager', 'otherManager'], 200, 403),
      audit: { action: 'update', objectType: 'organisation', contractId: none, municipalityId: none },
      readBack: (c) => `/api/v1/organisations/${c.fx.outsideEtsId}`,
    },
    {
      resource: 'organisation',
      verb: 'update municipality',
      method: 'PATCH',
      url: (c) => `/api/v1/organisations/${c.fx.other.municipalityId}`,
      body: (_c, actor) => ({ name: `Comune rinominato (${actor})` }),
      expect: only(['platformAdmin'], 200, 403),
      audit: { action: 'update', objectType: 'organisation', contractId: none, municipalityId: (c) => c.fx.other.municipalityId },
      readBack: (c) => `/api/v1/organisations/${c.fx.other.municipalityId}`,
    },
    {
      resource: 'organisation',
      verb: 'delete',
      method: 'DELETE',
      prepare: async () => (await admin('POST', '/api/v1/organisations', { code: unique('ETS-DEL'), kind: 'ETS', name: 'Da cancellare', legalForm: 'ODV' })).id,
      url: (_c, id) => `/api/v1/organisations/${id}`,
      expect: only(['platformAdmin'], 204, 403),
      audit: { action: 'delete', objectType: 'organisation', contractId: none, municipalityId: none },
      readBack: (_c, id) => `/api/v1/organisations/${id}`,
    },

    // Projects.
    { resource: 'project', verb: 'read', method: 'GET', url: (c) => `/api/v1/projects/${c.fx.padova.projectId}`, expect: READ },
    {
      resource: 'project',
      verb: 'create',
      method: 'POST',
      url: () => '/api/v1/projects',
      body: (c, actor) => ({ code: unique(`PRJ-${actor}`), name: 'Nuovo progetto', municipalityId: c.fx.padova.municipalityId }),
      expect: createForPadova(201),
      audit: inProject('create', 'project'),
    },
    {
      resource: 'project',
      verb: 'update',
      method: 'PATCH',
      url: (c) => `/api/v1/projects/${c.fx.padova.projectId}`,
      body: (_c, actor) => ({ description: `edited by ${actor}` }),
      expect: write(200),
      audit: inProject('update', 'project'),
      readBack: (c) => `/api/v1/projects/${c.fx.padova.projectId}`,
    },
    {
      resource: 'project',
      verb: 'delete',
      method: 'DELETE',
      prepare: freshProject,
      url: (_c, id) => `/api/v1/projects/${id}`,
      expect: write(204),
      audit: inProject('delete', 'project'),
      readBack: (_c, id) => `/api/v1/projects/${id}`,
    },

    // Value chain: nodes, links and the whole-chain views.
    { resource: 'value-chain node', verb: 'read', method: 'GET', url: (c) => `/api/v1/value-chain/nodes/${c.fx.padova.nodeIds.OD1}`, expect: READ },
    { resource: 'value-chain node', verb: 'list', method: 'GET', url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/value-chain/nodes`, expect: READ },
    {
      resource: 'value-chain node',
      verb: 'create',
      method: 'POST',
      url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/value-chain/nodes`,
      body: (_c, actor) => ({ code: unique(`N-${actor}`), level: 'OUTPUT', labelIt: `Output di ${actor}` }),
      expect: write(201),
      audit: inProject('create', 'value_chain_node'),
    },
    {
      resource: 'value-chain node',
      verb: 'update',
      method: 'PATCH',
      url: (c) => `/api/v1/value-chain/nodes/${c.fx.padova.nodeIds.OU1}`,
      body: (_c, actor) => ({ description: `edited by ${actor}` }),
      expect: write(200),
      audit: inProject('update', 'value_chain_node'),
      readBack: (c) => `/api/v1/value-chain/nodes/${c.fx.padova.nodeIds.OU1}`,
    },
    {
      resource: 'value-chain node',
      verb: 'delete',
      method: 'DELETE',
      prepare: () => freshNode('PROCESS'),
      url: (_c, id) => `/api/v1/value-chain/nodes/${id}`,
      expect: write(204),
      audit: inProject('delete', 'value_chain_node'),
      readBack: (_c, id) => `/api/v1/value-chain/nodes/${id}`,
    },
    { resource: 'value-chain link', verb: 'read', method: 'GET', url: (c) => `/api/v1/value-chain/links/${c.linkId}`, expect: READ },
    { resource: 'value-chain link', verb: 'list', method: 'GET', url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/value-chain/links`, expect: READ },
    {
      resource: 'value-chain link',
      verb: 'create',
      method: 'POST',
      prepare: async () => `${await freshNode('OUTPUT')}/${await freshNode('OUTCOME')}`,
      url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/value-chain/links`,
      body: (_c, _a, ids) => ({ fromNodeId: ids.split('/')[0], toNodeId: ids.split('/')[1] }),
      expect: write(201),
      audit: inProject('create', 'value_chain_link'),
    },
    {
      resource: 'value-chain link',
      verb: 'delete',
      method: 'DELETE',
      prepare: async (c) => {
        const to = await freshNode('OUTCOME');
        return (await admin('POST', `/api/v1/projects/${c.fx.padova.projectId}/value-chain/links`, { fromNodeId: c.fx.padova.nodeIds.OU1, toNodeId: to })).id;
      },
      url: (_c, id) => `/api/v1/value-chain/links/${id}`,
      expect: write(204),
      audit: inProject('delete', 'value_chain_link'),
      readBack: (_c, id) => `/api/v1/value-chain/links/${id}`,
    },
    { resource: 'value-chain graph', verb: 'read', method: 'GET', url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/value-chain`, expect: READ },
    { resource: 'value-chain tree', verb: 'read', method: 'GET', url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/value-chain/tree`, expect: READ },
    { resource: 'budget', verb: 'read', method: 'GET', url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/budget`, expect: READ },

    // Reference populations.
    {
      resource: 'reference population',
      verb: 'read',
      method: 'GET',
      url: (c) => `/api/v1/reference-populations/${c.fx.padova.populationIds['POP-OVER60-CITY']}`,
      expect: READ,
    },
    { resource: 'reference population', verb: 'list', method: 'GET', url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/reference-populations`, expect: READ },
    {
      resource: 'reference population',
      verb: 'create',
      method: 'POST',
      url: (c) => `/api/v1/projects/${c.fx.padova.projectId}/reference-populations`,
      body: (_c, actor) => ({ code: unique(`POP-${actor}`), labelIt: 'Residenti', referenceDate: '2024-01-01', source: 'ISTAT', value: '1000' }),
      expect: write(201),
      audit: inProject('create', 'reference_population'),
    },
    {
      resource: 'reference population',
      verb: 'update',
      method: 'PATCH',
      url: (c) => `/api/v1/reference-populations/${c.fx.padova.populationIds['POP-OVER60-CITY']}`,
      body: (_c, actor) => ({ source: `ISTAT, checked by ${actor}` }),
      expect: write(200),
      audit: inProject('update', 'reference_population'),
      readBack: (c) => `/api/v1/reference-populations/${c.fx.padova.populationIds['POP-OVER60-CITY']}`,
    },
    {
      resource: 'reference population',
      verb: 'delete',
      method: 'DELETE',
      prepare: async (c) =>
        (
          await admin('POST', `/api/v1/projects/${c.fx.padova.projectId}/reference-populations`, {
            code: unique('POP-DEL'),
            labelIt: 'Da cancellare',
            referenceDate: '2024-01-01',
            source: 'ISTAT',
            value: '1',
          })
        ).id,
      url: (_c, id) => `/api/v1/reference-populations/${id}`,
      expect: write(204),
      audit: inProject('delete', 'reference_population'),
      readBack: (_c, id) => `/api/v1/reference-populations/${id}`,
    },

    // Contracts.
    { resource: 'contract', verb: 'read', method: 'GET', url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}`, expect: READ },
    {
      resource: 'contract',
      verb: 'create',
      method: 'POST',
      url: () => '/api/v1/contracts',
      body: (c, actor) => ({
        code: unique(`CTR-${actor}`),
        title: 'Nuovo contratto',
        projectId: c.fx.padova.projectId,
        municipalityId: c.fx.padova.municipalityId,
        startDate: '2030-01-01',
        endDate: '2030-12-31',
      }),
      expect: createForPadova(201),
      audit: { action: 'create', objectType: 'contract', contractId: (_c, created) => created.id, municipalityId: padovaMunicipality },
    },
    {
      resource: 'contract',
      verb: 'update',
      method: 'PATCH',
      url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}`,
      body: (_c, actor) => ({ title: `Sviluppo di Comunità 2.0 (${actor})` }),
      expect: write(200),
      audit: inContract('update', 'contract'),
      readBack: (c) => `/api/v1/contracts/${c.fx.padova.contractId}`,
    },
    {
      resource: 'contract',
      verb: 'delete',
      method: 'DELETE',
      prepare: () => freshContract(),
      url: (_c, id) => `/api/v1/contracts/${id}`,
      expect: write(204),
      audit: { action: 'delete', objectType: 'contract', contractId: (_c, _created, prepared) => prepared, municipalityId: padovaMunicipality },
      readBack: (_c, id) => `/api/v1/contracts/${id}`,
    },

    // Periods.
    { resource: 'period', verb: 'read', method: 'GET', url: (c) => `/api/v1/contract-periods/${c.fx.padova.periodIds.Y1}`, expect: READ },
    { resource: 'period', verb: 'list', method: 'GET', url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/periods`, expect: READ },
    {
      resource: 'period',
      verb: 'create',
      method: 'POST',
      prepare: () => freshContract(),
      url: (_c, id) => `/api/v1/contracts/${id}/periods`,
      body: () => ({ code: 'Y1', startDate: '2030-01-01', endDate: '2030-12-31' }),
      expect: write(201),
      audit: { action: 'create', objectType: 'contract_period', contractId: (_c, _created, prepared) => prepared, municipalityId: padovaMunicipality },
    },
    {
      resource: 'period',
      verb: 'update',
      method: 'PATCH',
      url: (c) => `/api/v1/contract-periods/${c.fx.padova.periodIds.Y3}`,
      body: (_c, actor) => ({ phase: `PHASE-${actor}` }),
      expect: write(200),
      audit: inContract('update', 'contract_period'),
      readBack: (c) => `/api/v1/contract-periods/${c.fx.padova.periodIds.Y3}`,
    },
    {
      resource: 'period',
      verb: 'delete',
      method: 'DELETE',
      prepare: async () => {
        const contractId = await freshContract([{ code: 'Y1', startDate: '2030-01-01', endDate: '2030-12-31' }]);
        return `${contractId}/${(await admin('GET', `/api/v1/contracts/${contractId}/periods`)).items[0].id}`;
      },
      url: (_c, ids) => `/api/v1/contract-periods/${ids.split('/')[1]}`,
      expect: write(204),
      audit: { action: 'delete', objectType: 'contract_period', contractId: (_c, _created, prepared) => prepared.split('/')[0], municipalityId: padovaMunicipality },
      readBack: (_c, ids) => `/api/v1/contract-periods/${ids.split('/')[1]}`,
    },

    // Groupings and their members.
    { resource: 'grouping', verb: 'read', method: 'GET', url: (c) => `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-B']}`, expect: READ },
    { resource: 'grouping', verb: 'list', method: 'GET', url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/groupings`, expect: READ },
    {
      resource: 'grouping',
      verb: 'create',
      method: 'POST',
      url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/groupings`,
      body: (c, actor) => singleGrouping(unique(`G-${actor}`), c.fx.spareEtsId),
      expect: write(201),
      audit: inContract('create', 'grouping'),
    },
    {
      resource: 'grouping',
      verb: 'update',
      method: 'PATCH',
      url: (c) => `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-A']}`,
      body: (_c, actor) => ({ name: `RTI-A (${actor})` }),
      expect: write(200),
      audit: inContract('update', 'grouping'),
      readBack: (c) => `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-A']}`,
    },
    {
      resource: 'grouping',
      verb: 'replace members',
      method: 'PUT',
      url: (c) => `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-B']}/members`,
      body: (c) => ({
        members: [
          { organisationId: c.fx.padova.etsIds.DELTA, role: 'MANDATARIA', executionShare: '0.60' },
          { organisationId: c.fx.padova.etsIds.EDERA, role: 'MANDANTE', executionShare: '0.40' },
        ],
      }),
      expect: write(200),
      audit: inContract('replace', 'grouping_members'),
      readBack: (c) => `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-B']}`,
    },
    {
      resource: 'grouping',
      verb: 'delete',
      method: 'DELETE',
      prepare: async (c) => (await admin('POST', `/api/v1/contracts/${c.fx.padova.contractId}/groupings`, singleGrouping(unique('G-DEL'), c.fx.spareEtsId))).id,
      url: (_c, id) => `/api/v1/groupings/${id}`,
      expect: write(204),
      audit: inContract('delete', 'grouping'),
      readBack: (_c, id) => `/api/v1/groupings/${id}`,
    },

    // Fees.
    { resource: 'fees', verb: 'list', method: 'GET', url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/fees`, expect: READ },
    {
      resource: 'fees',
      verb: 'update',
      method: 'PUT',
      url: (c) => `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-A']}/fees/${c.fx.padova.periodIds.Y2}`,
      body: () => ({ amount: '330000.00' }),
      expect: write(200),
      audit: inContract('update', 'grouping_fee'),
      readBack: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/fees`,
    },
    {
      resource: 'fees',
      verb: 'delete',
      method: 'DELETE',
      prepare: async (c) => {
        await admin('PUT', `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-B']}/fees/${c.fx.padova.periodIds.Y3}`, { amount: '280000.00' });
        return '';
      },
      url: (c) => `/api/v1/groupings/${c.fx.padova.groupingIds['RTI-B']}/fees/${c.fx.padova.periodIds.Y3}`,
      expect: write(204),
      audit: inContract('delete', 'grouping_fee'),
      readBack: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/fees`,
    },

    // Payment rules.
    { resource: 'payment rules', verb: 'read', method: 'GET', url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/payment-rules`, expect: READ },
    {
      resource: 'payment rules',
      verb: 'update',
      method: 'PUT',
      url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/payment-rules`,
      // A valid rule set whatever the other cases did to indicators and groupings: one with no terms yet.
      body: (_c, actor) => ({ paymentRules: { code: 'PD-AM-R1', title: `set by ${actor}`, terms: [] } }),
      expect: write(200),
      audit: inContract('replace', 'payment_rules'),
      readBack: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/payment-rules`,
    },

    // Indicators with their baselines and targets.
    { resource: 'indicator', verb: 'read', method: 'GET', url: (c) => `/api/v1/indicators/${c.indicatorId}`, expect: READ },
    { resource: 'indicator', verb: 'list', method: 'GET', url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/indicators`, expect: READ },
    {
      resource: 'indicator',
      verb: 'create',
      method: 'POST',
      url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/indicators`,
      body: (c, actor) => ({ ...padovaIndicatorBodies(c.fx.padova)['IND-04'], code: unique(`IND-${actor}`) }),
      expect: write(201),
      audit: inContract('create', 'indicator'),
    },
    {
      resource: 'indicator',
      verb: 'update',
      method: 'PATCH',
      url: (c) => `/api/v1/indicators/${c.indicatorId}`,
      body: (_c, actor) => ({ instrument: `registro accordi (${actor})` }),
      expect: write(200),
      audit: inContract('update', 'indicator'),
      readBack: (c) => `/api/v1/indicators/${c.indicatorId}`,
    },
    {
      resource: 'indicator',
      verb: 'replace targets',
      method: 'PUT',
      url: (c) => `/api/v1/indicators/${c.indicatorId}/targets`,
      body: (c) => ({ targets: [{ periodId: c.fx.padova.periodIds.Y2, groupingId: c.fx.padova.groupingIds['RTI-A'], value: '11' }] }),
      expect: write(200),
      audit: inContract('replace', 'indicator_targets'),
      readBack: (c) => `/api/v1/indicators/${c.indicatorId}`,
    },
    {
      resource: 'indicator',
      verb: 'delete',
      method: 'DELETE',
      prepare: async (c) =>
        (await admin('POST', `/api/v1/contracts/${c.fx.padova.contractId}/indicators`, { ...padovaIndicatorBodies(c.fx.padova)['IND-04'], code: unique('IND-DEL') })).id,
      url: (_c, id) => `/api/v1/indicators/${id}`,
      expect: write(204),
      audit: inContract('delete', 'indicator'),
      readBack: (_c, id) => `/api/v1/indicators/${id}`,
    },

    // Contract definition documents.
    { resource: 'definition', verb: 'export', method: 'GET', url: (c) => `/api/v1/contracts/${c.fx.padova.contractId}/definition`, expect: READ },
    {
      resource: 'definition',
      verb: 'import',
      method: 'POST',
      url: () => '/api/v1/contract-definitions',
      body: (_c, actor) => padovaDocument(unique(`DOC-${actor}`)),
      expect: createForPadova(201),
      audit: { action: 'import', objectType: 'contract', contractId: (_c, created) => created.id, municipalityId: padovaMunicipality },
    },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    const fx = await seedTenants(t);
    ctx = { fx, indicatorId: '', linkId: '' };
    ctx.indicatorId = (await admin('POST', `/api/v1/contracts/${fx.padova.contractId}/indicators`, padovaIndicatorBodies(fx.padova)['IND-02'])).id;
    ctx.linkId = (await admin('GET', `/api/v1/projects/${fx.padova.projectId}/value-chain/links?limit=1`)).items[0].id;
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(CASES.map((c) => [`${c.resource}: ${c.verb} (${c.method})`, c] as const))('%s', async (_name, c) => {
    const statuses = {} as Expectation;
    const auditProblems: string[] = [];
    for (const actor of ACTORS) {
      const prepared = c.prepare ? await c.prepare(ctx, actor) : '';
      const before = await auditRows().count();
      const snapshot = c.readBack ? await t.request('GET', c.readBack(ctx, prepared)) : null;
      const res = await t.request(c.method, c.url(ctx, prepared), c.body?.(ctx, actor, prepared), as(actor));
      statuses[actor] = res.status;
      if (res.status === 404 || res.status === 403) {
        expect(res.body.code).toEqual(res.status === 403 ? 'AUTH_FORBIDDEN' : expect.stringMatching(/_NOT_FOUND$/));
      }
      if (c.method === 'GET') continue;
      const after = await auditRows().count();
      if (res.status < 300) {
        const entry = await auditRows().findOneByOrFail({ seq: after });
        const actual = { added: after - before, actorId: entry.actorId, action: entry.action, objectType: entry.objectType, contractId: entry.contractId, municipalityId: entry.municipalityId };
        const wanted = {
          added: 1,
          actorId: ctx.fx.users[actor].userId,
          action: c.audit!.action,
          objectType: c.audit!.objectType,
          contractId: c.audit!.contractId(ctx, res.body, prepared),
          municipalityId: c.audit!.municipalityId(ctx, res.body),
        };
        if (JSON.stringify(actual) !== JSON.stringify(wanted)) auditProblems.push(`${actor}: ${JSON.stringify(actual)} != ${JSON.stringify(wanted)}`);
      } else {
        if (after !== before) auditProblems.push(`${actor}: refused with ${res.status} but ${after - before} audit entries were added`);
        if (snapshot) {
          const now = await t.request('GET', c.readBack!(ctx, prepared));
          if (JSON.stringify(now.body) !== JSON.stringify(snapshot.body)) auditProblems.push(`${actor}: refused with ${res.status} but the object changed`);
        }
      }
    }
    expect(statuses).toEqual(c.expect);
    expect(auditProblems).toEqual([]);
  });

  describe('the other municipality\'s contract', () => {
    const OTHER_READERS: readonly Actor[] = ['platformAdmin', 'otherManager'];
    it.each([
      ['contract', (c: Ctx) => `/api/v1/contracts/${c.fx.other.contractId}`],
      ['project', (c: Ctx) => `/api/v1/projects/${c.fx.other.projectId}`],
      ['value-chain graph', (c: Ctx) => `/api/v1/projects/${c.fx.other.projectId}/value-chain`],
      ['grouping', (c: Ctx) => `/api/v1/groupings/${c.fx.other.groupingIds['RTI-A']}`],
      ['fees', (c: Ctx) => `/api/v1/contracts/${c.fx.other.contractId}/fees`],
      ['definition', (c: Ctx) => `/api/v1/contracts/${c.fx.other.contractId}/definition`],
    ])('%s is invisible to every Padova user and ETS (404), another ETS included', async (_name, url) => {
      const statuses = {} as Expectation;
      for (const actor of ACTORS) {
        statuses[actor] = (await t.request('GET', url(ctx), undefined, as(actor))).status;
      }
      expect(statuses).toEqual(only(OTHER_READERS, 200, 404));
    });

    it("an ETS of Padova's RTI-A reads its own contract but not the other municipality's, by id or by code in the error", async () => {
      const own = await t.request('GET', `/api/v1/contracts/${ctx.fx.padova.contractId}`, undefined, as('rtiAMember'));
      expect(own.status).toBe(200);
      expect(own.body.code).toBe('CTR-PD');
      const other = await t.request('GET', `/api/v1/contracts/${ctx.fx.other.contractId}`, undefined, as('rtiAMember'));
      expect(other.status).toBe(404);
      expect(other.body).toMatchObject({ code: 'CONTRACT_NOT_FOUND' });
      expect(other.text).not.toContain('CTR-VR');
    });
  });

  describe('lists show exactly what each caller may see', () => {
    const idsOf = async (url: string, actor: Actor): Promise<{ ids: string[]; total: number }> => {
      const res = await t.request('GET', url, undefined, as(actor));
      expect(res.status).toBe(200);
      return { ids: res.body.items.map((i: { id: string }) => i.id).sort(), total: res.body.page.total };
    };

    it('contracts: Padova\'s users, its ETS and the granted evaluator see Padova\'s contracts only; the outsiders none', async () => {
      const all = (await t.request('GET', '/api/v1/contracts?limit=200')).body.items as { id: string; municipalityId: string }[];
      const padova = all.filter((c) => c.municipalityId === ctx.fx.padova.municipalityId).map((c) => c.id).sort();
      const other = all.filter((c) => c.municipalityId === ctx.fx.other.municipalityId).map((c) => c.id).sort();
      expect(padova).toContain(ctx.fx.padova.contractId);
      expect(other).toEqual([ctx.fx.other.contractId]);
      const expected: Record<Actor, string[]> = {
        platformAdmin: [...padova, ...other].sort(),
        padovaAdmin: padova,
        padovaManager: padova,
        padovaApprover: padova,
        padovaAuditor: padova,
        otherManager: other,
        // The ETS are members of the seeded contract's groupings only; the grant names one contract.
        rtiAMember: [ctx.fx.padova.contractId],
        rtiALead: [ctx.fx.padova.contractId],
        rtiBMember: [ctx.fx.padova.contractId],
        outsideEts: [],
        evaluator: [],
        grantedEvaluator: [ctx.fx.padova.contractId],
      };
      for (const actor of ACTORS) {
        const { ids, total } = await idsOf('/api/v1/contracts?limit=200', actor);
        expect({ actor, ids, total }).toEqual({ actor, ids: expected[actor], total: expected[actor].length });
      }
    });

    it('projects: by municipality for its staff, by contract for the ETS and the evaluator', async () => {
      const all = (await t.request('GET', '/api/v1/projects?limit=200')).body.items as { id: string; municipalityId: string }[];
      const padova = all.filter((p) => p.municipalityId === ctx.fx.padova.municipalityId).map((p) => p.id).sort();
      const other = all.filter((p) => p.municipalityId === ctx.fx.other.municipalityId).map((p) => p.id).sort();
      expect(other).toEqual([ctx.fx.other.projectId]);
      const expected: Record<Actor, string[]> = {
        platformAdmin: [...padova, ...other].sort(),
        padovaAdmin: padova,
        padovaManager: padova,
        padovaApprover: padova,
        padovaAuditor: padova,
        otherManager: other,
        rtiAMember: [ctx.fx.padova.projectId],
        rtiALead: [ctx.fx.padova.projectId],
        rtiBMember: [ctx.fx.padova.projectId],
        outsideEts: [],
        evaluator: [],
        grantedEvaluator: [ctx.fx.padova.projectId],
      };
      for (const actor of ACTORS) {
        const { ids, total } = await idsOf('/api/v1/projects?limit=200', actor);
        expect({ actor, ids, total }).toEqual({ actor, ids: expected[actor], total: expected[actor].length });
      }
    });

    it('a filter on the other municipality gives an outsider an empty page, not its rows', async () => {
      for (const actor of ['rtiAMember', 'padovaManager', 'grantedEvaluator'] as const) {
        expect(await idsOf(`/api/v1/contracts?municipalityId=${ctx.fx.other.municipalityId}`, actor)).toEqual({ ids: [], total: 0 });
        expect(await idsOf(`/api/v1/projects?municipalityId=${ctx.fx.other.municipalityId}`, actor)).toEqual({ ids: [], total: 0 });
      }
    });

    it('organisations: the same public directory for everyone', async () => {
      const expected = await idsOf('/api/v1/organisations?limit=200', 'platformAdmin');
      expect(expected.ids).toEqual(expect.arrayContaining([ctx.fx.padova.municipalityId, ctx.fx.other.municipalityId, ctx.fx.outsideEtsId]));
      for (const actor of ACTORS) {
        expect(await idsOf('/api/v1/organisations?limit=200', actor)).toEqual(expected);
      }
    });

    it("a contract's sub-lists return its own rows to its readers", async () => {
      const periods = await idsOf(`/api/v1/contracts/${ctx.fx.padova.contractId}/periods`, 'rtiBMember');
      expect(periods.ids).toEqual(Object.values(ctx.fx.padova.periodIds).sort());
      const groupings = await idsOf(`/api/v1/contracts/${ctx.fx.padova.contractId}/groupings?limit=200`, 'grantedEvaluator');
      expect(groupings.ids).toEqual(expect.arrayContaining(Object.values(ctx.fx.padova.groupingIds)));
      expect(groupings.ids).not.toContain(ctx.fx.other.groupingIds['RTI-A']);
    });
  });
});

/** contracts/examples/padova-sdc-2.0.json for the seeded Padova municipality (C-PADOVA-PD), under new project and contract codes. */
function padovaDocument(code: string): unknown {
  const text = readFileSync(join(__dirname, '..', '..', 'contracts', 'examples', 'padova-sdc-2.0.json'), 'utf8').replaceAll('"C-PADOVA"', '"C-PADOVA-PD"');
  const doc = JSON.parse(text);
  doc.project.code = code;
  doc.contract.code = code;
  return doc;
}
