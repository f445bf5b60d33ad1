import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingFeeEntity, GroupingMemberEntity, MemberRole, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ReferencePopulationEntity } from 'src/value-chain/reference-population.entity';
import { ValueChainLinkEntity } from 'src/value-chain/value-chain-link.entity';
import { ValueChainLevel, ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';
import { TEST_NOW } from 'test/support/test-app';

// Test data inserted straight through TypeORM, below the HTTP API, so a test of one module does not
// depend on the API of another: the Padova "Sviluppo di Comunità 2.0" contract of
// /work/shared/examples/padova-sdc.md (two RTIs, three annualità, part of its value chain, the
// over-60 populations of IND-05). Codes that are unique database-wide (organisations, projects,
// contracts) carry the fixture's `key`, so one database can hold several of these contracts.

export const FIXTURE_NODES = {
  IN1: { level: 'INPUT', labelIt: 'Compenso comunale annuo (due RTI)' },
  PR1: { level: 'PROCESS', labelIt: 'Fusione servizi di animazione over60 con i CAT' },
  OU1: { level: 'OUTPUT', labelIt: 'Iniziative di quartiere realizzate' },
  OD1: { level: 'OUTCOME', labelIt: 'Autonomia dai finanziamenti pubblici' },
  OD2: { level: 'OUTCOME', labelIt: 'Nuove collaborazioni e partenariati' },
  OD3: { level: 'OUTCOME', labelIt: 'Aumento platea dei destinatari, per target e diverse tipologie di bisogno' },
  OD4: { level: 'OUTCOME', labelIt: 'Soddisfazione dei partecipanti' },
  OD5: { level: 'OUTCOME', labelIt: 'Aumento quota di cittadini «conosciuti» dalla rete' },
  IO1: { level: 'IMPACT', labelIt: 'Capacitazione della rete di attori sociali' },
  IO2: { level: 'IMPACT', labelIt: 'Promozione di iniziative per animare i quartieri' },
} as const satisfies Record<string, { level: ValueChainLevel; labelIt: string }>;
export type FixtureNodeCode = keyof typeof FIXTURE_NODES;

const LINKS: readonly [FixtureNodeCode, FixtureNodeCode][] = [
  ['IN1', 'PR1'],
  ['PR1', 'OU1'],
  ['OU1', 'OD2'],
  ['OU1', 'OD3'],
  ['OD1', 'IO1'],
  ['OD2', 'IO1'],
  ['OD3', 'IO2'],
  ['OD4', 'IO2'],
  ['OD5', 'IO2'],
];

/** Residents over 60 (ISTAT, 1/1/2024) of each RTI's neighbourhoods and of the city: denominators of IND-05. */
export const FIXTURE_POPULATIONS = {
  'POP-OVER60-RTI-A': { area: 'Quartieri 1-3', value: '30000' },
  'POP-OVER60-RTI-B': { area: 'Quartieri 4-6', value: '28000' },
  'POP-OVER60-CITY': { area: 'Comune di Padova', value: '58000' },
} as const;
export type FixturePopulationCode = keyof typeof FIXTURE_POPULATIONS;

export const FIXTURE_PERIODS = [
  { code: 'Y1', startDate: '2024-07-01', endDate: '2025-06-30', phase: 'TRANSITION' },
  { code: 'Y2', startDate: '2025-07-01', endDate: '2026-06-30', phase: 'TERRITORIALISATION' },
  { code: 'Y3', startDate: '2026-07-01', endDate: '2027-06-30', phase: 'TERRITORIALISATION' },
] as const;
export type FixturePeriodCode = (typeof FIXTURE_PERIODS)[number]['code'];

export type FixtureGroupingCode = 'RTI-A' | 'RTI-B';
export interface FixtureGrouping {
  code: FixtureGroupingCode;
  areas: readonly string[];
  /** Compenso per period, in euros. */
  annualFee: string;
  /** `ets` is the short name of the member organisation (its code is `ETS-<ets>-<key>`). */
  members: readonly { ets: string; name: string; role: MemberRole; executionShare: string }[];
}

export const FIXTURE_GROUPINGS: readonly FixtureGrouping[] = [
  {
    code: 'RTI-A',
    areas: ['Quartiere 1 Centro', 'Quartiere 2 Nord', 'Quartiere 3 Est'],
    annualFee: '320000.00',
    members: [
      { ets: 'AURORA', name: 'Cooperativa Sociale Aurora (fittizia)', role: 'MANDATARIA', executionShare: '0.50' },
      { ets: 'BORGO-VIVO', name: 'Cooperativa Sociale Borgo Vivo (fittizia)', role: 'MANDANTE', executionShare: '0.30' },
      { ets: 'CICLAMINO', name: 'Cooperativa Sociale Ciclamino (fittizia)', role: 'MANDANTE', executionShare: '0.20' },
    ],
  },
  {
    code: 'RTI-B',
    areas: ['Quartiere 4 Sud-Est', 'Quartiere 5 Sud-Ovest', 'Quartiere 6 Ovest'],
    annualFee: '280000.00',
    members: [
      { ets: 'DELTA', name: 'Cooperativa Sociale Delta (fittizia)', role: 'MANDATARIA', executionShare: '0.60' },
      { ets: 'EDERA', name: 'Cooperativa Sociale Edera (fittizia)', role: 'MANDANTE', executionShare: '0.40' },
    ],
  },
];

export interface ContractFixtureOptions {
  /** Suffix of the database-wide unique codes (e.g. `C-PADOVA-PD`, `PRJ-PD`, `CTR-PD`); defaults to `PD`. */
  key?: string;
}

export interface ContractFixture {
  key: string;
  municipalityId: string;
  /** ETS organisations by short name: AURORA, BORGO-VIVO, CICLAMINO, DELTA, EDERA. */
  etsIds: Record<string, string>;
  projectId: string;
  projectCode: string;
  nodeIds: Record<FixtureNodeCode, string>;
  populationIds: Record<FixturePopulationCode, string>;
  contractId: string;
  contractCode: string;
  periodIds: Record<FixturePeriodCode, string>;
  groupingIds: Record<FixtureGroupingCode, string>;
}

/** Anything that can hand out the application's DataSource (a Nest app, a TestApp's `app`), or the DataSource itself. */
export type FixtureTarget = DataSource | { get(token: typeof DataSource): DataSource };

/**
 * Inserts a municipality, five ETS, a project with ten value-chain nodes, nine links and three reference
 * populations, and a contract with periods Y1-Y3 and groupings RTI-A (Aurora 0.50 mandataria, Borgo
 * Vivo 0.30, Ciclamino 0.20) and RTI-B (Delta 0.60 mandataria, Edera 0.40) with their yearly fees.
 * Call it before requests are in flight: on SQLite it writes beside the app's write queue.
 */
export async function seedContract(target: FixtureTarget, options: ContractFixtureOptions = {}): Promise<ContractFixture> {
  const dataSource = target instanceof DataSource ? target : target.get(DataSource);
  const key = options.key ?? 'PD';
  return dataSource.transaction((m) => insertContract(m, key));
}

async function insertContract(m: EntityManager, key: string): Promise<ContractFixture> {
  const now = TEST_NOW.toISOString();
  const stamp = { createdAt: now, updatedAt: now };

  const municipalityId = randomUUID();
  await m.insert(OrganisationEntity, {
    id: municipalityId,
    code: `C-PADOVA-${key}`,
    kind: 'MUNICIPALITY',
    name: 'Comune di Padova',
    taxCode: null,
    legalForm: null,
    districtId: null,
    leadOrganisationId: null,
    ...stamp,
  });
  const etsIds: Record<string, string> = {};
  for (const member of FIXTURE_GROUPINGS.flatMap((g) => g.members)) {
    etsIds[member.ets] = randomUUID();
    await m.insert(OrganisationEntity, {
      id: etsIds[member.ets],
      code: `ETS-${member.ets}-${key}`,
      kind: 'ETS',
      name: member.name,
      taxCode: null,
      legalForm: 'COOPERATIVA_SOCIALE',
      districtId: null,
      leadOrganisationId: null,
      ...stamp,
    });
  }

  const projectId = randomUUID();
  const projectCode = `PRJ-${key}`;
  await m.insert(ProjectEntity, {
    id: projectId,
    code: projectCode,
    name: 'Sviluppo di Comunità 2.0',
    municipalityId,
    department: 'Settore Servizi Sociali',
    description: null,
    workAreas: ['ANZIANI', 'COMMUNITY_BUILDING'],
    targetGroups: ['OVER60', 'UNDER60'],
    ...stamp,
  });
  const nodeIds = {} as Record<FixtureNodeCode, string>;
  for (const [position, [code, node]] of Object.entries(FIXTURE_NODES).entries()) {
    nodeIds[code as FixtureNodeCode] = randomUUID();
    const isFee = code === 'IN1';
    await m.insert(ValueChainNodeEntity, {
      id: nodeIds[code as FixtureNodeCode],
      projectId,
      code,
      level: node.level,
      labelIt: node.labelIt,
      labelEn: null,
      description: null,
      quantity: null,
      unit: isFee ? 'EUR' : null,
      monetaryValue: isFee ? '600000.00' : null,
      fundingSource: isFee ? 'MUNICIPAL' : null,
      position,
      ...stamp,
    });
  }
  for (const [position, [from, to]] of LINKS.entries()) {
    await m.insert(ValueChainLinkEntity, { id: randomUUID(), position, projectId, fromNodeId: nodeIds[from], toNodeId: nodeIds[to] });
  }
  const populationIds = {} as Record<FixturePopulationCode, string>;
  for (const [position, [code, population]] of Object.entries(FIXTURE_POPULATIONS).entries()) {
    populationIds[code as FixturePopulationCode] = randomUUID();
    await m.insert(ReferencePopulationEntity, {
      id: populationIds[code as FixturePopulationCode],
      projectId,
      code,
      labelIt: `Residenti over 60, ${population.area}`,
      labelEn: null,
      area: population.area,
      targetGroup: 'OVER60',
      referenceDate: '2024-01-01',
      source: "ISTAT, popolazione residente all'1/1/2024",
      value: population.value,
      position,
      ...stamp,
    });
  }

  const contractId = randomUUID();
  const contractCode = `CTR-${key}`;
  await m.insert(ContractEntity, {
    id: contractId,
    code: contractCode,
    title: 'Sviluppo di Comunità 2.0',
    projectId,
    municipalityId,
    currency: 'EUR',
    startDate: FIXTURE_PERIODS[0].startDate,
    endDate: FIXTURE_PERIODS[FIXTURE_PERIODS.length - 1].endDate,
    paymentRules: null,
    ...stamp,
  });
  const periodIds = {} as Record<FixturePeriodCode, string>;
  for (const [position, period] of FIXTURE_PERIODS.entries()) {
    periodIds[period.code] = randomUUID();
    await m.insert(ContractPeriodEntity, { id: periodIds[period.code], contractId, position, ...period, ...stamp });
  }
  const groupingIds = {} as Record<FixtureGroupingCode, string>;
  for (const [position, grouping] of FIXTURE_GROUPINGS.entries()) {
    const groupingId = randomUUID();
    groupingIds[grouping.code] = groupingId;
    await m.insert(ProviderGroupingEntity, {
      id: groupingId,
      contractId,
      code: grouping.code,
      name: `${grouping.code} Sviluppo di Comunità`,
      type: 'RTI',
      areas: [...grouping.areas],
      position,
      ...stamp,
    });
    for (const [i, member] of grouping.members.entries()) {
      await m.insert(GroupingMemberEntity, {
        id: randomUUID(),
        position: i,
        groupingId,
        organisationId: etsIds[member.ets],
        role: member.role,
        executionShare: member.executionShare,
      });
    }
    for (const [i, period] of FIXTURE_PERIODS.entries()) {
      await m.insert(GroupingFeeEntity, { id: randomUUID(), position: i, groupingId, periodId: periodIds[period.code], amount: grouping.annualFee });
    }
  }

  return { key, municipalityId, etsIds, projectId, projectCode, nodeIds, populationIds, contractId, contractCode, periodIds, groupingIds };
}

/**
 * Request bodies for `POST /contracts/:contractId/indicators` defining Padova's IND-01..IND-05 on a
 * seeded contract, with the baselines, targets and denominators of examples/padova-sdc.md.
 */
export function padovaIndicatorBodies(fx: ContractFixture): Record<'IND-01' | 'IND-02' | 'IND-03' | 'IND-04' | 'IND-05', Record<string, unknown>> {
  const g = fx.groupingIds;
  const p = fx.periodIds;
  const perRti = (y2: [string, string], y3: [string, string]) => [
    { periodId: p.Y2, groupingId: g['RTI-A'], value: y2[0] },
    { periodId: p.Y2, groupingId: g['RTI-B'], value: y2[1] },
    { periodId: p.Y3, groupingId: g['RTI-A'], value: y3[0] },
    { periodId: p.Y3, groupingId: g['RTI-B'], value: y3[1] },
  ];
  return {
    'IND-01': {
      code: 'IND-01',
      nodeId: fx.nodeIds.OD1,
      labelIt: "Quota di risorse non pubbliche sul totale delle risorse gestite dall'RTI nel progetto",
      unit: 'PERCENT',
      direction: 'INCREASE',
      formula: { text: '(fundraising + quote utenti + valorizzazione in-kind) / risorse totali * 100' },
      instrument: 'rendiconto economico annuale RTI',
      dataOwner: 'GROUPING',
      frequency: 'ANNUAL',
      scope: 'PER_GROUPING',
      baselines: [
        { groupingId: g['RTI-A'], value: '8.0', establishedInPeriodId: p.Y1 },
        { groupingId: g['RTI-B'], value: '10.0', establishedInPeriodId: p.Y1 },
      ],
      targets: perRti(['12.0', '14.0'], ['15.0', '17.0']),
    },
    'IND-02': {
      code: 'IND-02',
      nodeId: fx.nodeIds.OD2,
      labelIt: 'Nuove collaborazioni formalizzate (patti, accordi, protocolli) con attori del territorio non già partner',
      unit: 'COUNT',
      direction: 'INCREASE',
      instrument: 'registro accordi + copia atti',
      dataOwner: 'GROUPING',
      frequency: 'ANNUAL',
      scope: 'PER_GROUPING',
      baselines: [
        { groupingId: g['RTI-A'], value: '0' },
        { groupingId: g['RTI-B'], value: '0' },
      ],
      targets: perRti(['10', '10'], ['12', '12']),
    },
    'IND-03': {
      code: 'IND-03',
      nodeId: fx.nodeIds.OD3,
      labelIt: 'Partecipanti unici alle iniziative nel periodo',
      unit: 'COUNT',
      direction: 'INCREASE',
      instrument: 'registro presenze con ID pseudonimo',
      dataOwner: 'GROUPING',
      frequency: 'QUARTERLY',
      disaggregations: [
        { dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] },
        { dimension: 'NEED_TYPE', values: ['SOCIALITA', 'MOVIMENTO', 'CULTURA', 'SUPPORTO'] },
      ],
      scope: 'PER_GROUPING',
      aggregation: 'UNIQUE', // the city total is the de-duplicated union, not the sum
      baselines: [
        { groupingId: g['RTI-A'], value: '1100', reference: '2022' },
        { groupingId: g['RTI-B'], value: '900', reference: '2022' },
        { groupingId: null, value: '2000', reference: '2022', note: 'city; 5000 in 2012 (-60%)' },
      ],
      targets: perRti(['1320', '1080'], ['1540', '1260']),
    },
    'IND-04': {
      code: 'IND-04',
      nodeId: fx.nodeIds.OD4,
      labelIt: 'Partecipanti soddisfatti (voto >= 4 su scala 1-5)',
      labelEn: 'Satisfied participants (score >= 4 on a 1-5 scale)',
      unit: 'PERCENT',
      direction: 'LEVEL',
      instrument: 'questionario di gradimento annuale',
      dataOwner: 'GROUPING',
      frequency: 'ANNUAL',
      minSampleSize: 200,
      scope: 'PER_GROUPING',
      baselines: [
        { groupingId: g['RTI-A'], value: null, establishedInPeriodId: p.Y1, note: 'first measured in Y1' },
        { groupingId: g['RTI-B'], value: null, establishedInPeriodId: p.Y1, note: 'first measured in Y1' },
      ],
      targets: [
        { periodId: p.Y2, value: '80.0' },
        { periodId: p.Y3, value: '80.0' },
      ],
    },
    'IND-05': {
      code: 'IND-05',
      nodeId: fx.nodeIds.OD5,
      labelIt: "Quota di residenti over60 dell'area 'conosciuti' dalla rete (almeno un contatto registrato con consenso nel periodo)",
      unit: 'PERCENT',
      direction: 'INCREASE',
      formula: {
        text: "over60 conosciuti (unici) / residenti over60 dell'area (ISTAT 1/1/2024) * 100",
        numerator: 'over60 conosciuti (unici)',
        denominator: "residenti over60 dell'area (ISTAT 1/1/2024)",
      },
      dataOwner: 'GROUPING',
      frequency: 'ANNUAL',
      scope: 'PER_GROUPING',
      baselines: [
        { groupingId: g['RTI-A'], value: '5.0' },
        { groupingId: g['RTI-B'], value: '4.0' },
      ],
      targets: perRti(['7.0', '6.0'], ['9.0', '8.0']),
      denominators: [
        { groupingId: g['RTI-A'], referencePopulationId: fx.populationIds['POP-OVER60-RTI-A'] },
        { groupingId: g['RTI-B'], referencePopulationId: fx.populationIds['POP-OVER60-RTI-B'] },
      ],
    },
  };
}
