import { dec } from 'src/common/decimal/decimal';
import type { IndicatorHistory } from 'src/reports/indicator-chart';
import type { SettlementStatus } from 'src/reports/settlement-status';
import { settleGrouping } from 'src/settlements/calculation/grouping-settlement';
import { hashOf, seal } from 'src/settlements/engine/settlement-manifest';
import { caseATerms, RTI_A_MEMBERS, rtiA } from 'src/settlements/calculation/padova-fixture';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { ConditionTrace, IndicatorInput, SETTLEMENT_FORMAT, SettlementDocument, SettlementInputs } from 'src/settlements/settlement-document';

// Padova Case A (RTI-A, Y2: premium 18,960.00 of 32,000.00 at risk) as a settlement document, for the
// report specs: the result comes from the calculator itself, the inputs and the manifest are what the
// settlement service writes around it, sealed with its manifest function (labels from
// contracts/examples/padova-sdc-2.0.json).

const MEMBER_CODES: Record<string, string> = { aurora: 'ETS-AURORA', borgo: 'ETS-BORGO-VIVO', ciclamino: 'ETS-CICLAMINO' };
const members = RTI_A_MEMBERS.map((m) => ({ ...m, id: MEMBER_CODES[m.id] }));

export const FIXTURE_SETTLEMENT_ID = '5b0c3f7e-2d4a-4c1e-9a61-0d2f6c8e1a01';
export const FIXTURE_COMPUTED_AT = '2026-07-20T09:30:00.000Z';
export const FIXTURE_REOPENED_ID = '5b0c3f7e-2d4a-4c1e-9a61-0d2f6c8e1a02';
export const FIXTURE_APPROVED_AT = '2026-07-22T08:15:00.000Z';
/** An approver's label with an ampersand (a header code in Excel) and a comma (a CSV separator). */
export const FIXTURE_APPROVER = 'Dott. Luca Neri (approver, Settore Servizi Sociali & Salute)';

/** Version 1 as a draft, approved, or superseded by the reopened version 2. */
export function fixtureStatus(state: SettlementStatus['state']): SettlementStatus {
  if (state === 'DRAFT') return { state, approvedAt: null, approvedBy: null, supersededBy: null };
  return {
    state,
    approvedAt: FIXTURE_APPROVED_AT,
    approvedBy: FIXTURE_APPROVER,
    supersededBy: state === 'SUPERSEDED' ? { id: FIXTURE_REOPENED_ID, version: 2 } : null,
  };
}


const linear = { kind: 'LINEAR', threshold: '0.5', cap: '1.0' } as const;

const RULE_SET: RuleSetDocument = {
  format: 'ancora.rule-set/1',
  code: 'PD-SDC-R1',
  title: 'Quota del compenso ancorata ai risultati',
  textBasis: 'ancorare una parte del compenso agli Enti al raggiungimento di alcuni obiettivi specifici',
  basis: { kind: 'SHARE_OF_FEE', share: '0.10' },
  missingPolicy: 'ZERO',
  rounding: { mode: 'HALF_UP', to: '0.01' },
  terms: [
    { id: 'T1', indicator: 'IND-01', weight: '0.20', payout: linear },
    { id: 'T2', indicator: 'IND-02', weight: '0.15', payout: linear },
    {
      id: 'T3',
      indicator: 'IND-03',
      weight: '0.30',
      payout: linear,
      gate: { label: 'UNDER60 share >= 0.15', condition: { all: [{ fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThanInclusive', value: '0.15' }] } },
    },
    { id: 'T4', indicator: 'IND-04', weight: '0.15', payout: { kind: 'LEVEL_RATIO', threshold: '0.5', cap: '1.0' } },
    { id: 'T5', indicator: 'IND-05', weight: '0.20', payout: linear },
  ],
  poolCap: '60000.00',
};

function source(organisation: string, n: number, version: number, value: string, sampleSize: number | null = null) {
  return { measurementId: `7d2e0c55-0000-4000-8000-00000000000${n}`, version, organisation, value, notAssessable: false, sampleSize };
}

function indicator(partial: Partial<IndicatorInput> & Pick<IndicatorInput, 'code' | 'labelIt' | 'labelEn' | 'unit' | 'baseline' | 'target' | 'value'>): IndicatorInput {
  return {
    direction: 'INCREASE',
    minSampleSize: null,
    status: 'ACCEPTED',
    sampleSize: null,
    disaggregations: {},
    aggregation: 'SINGLE',
    sources: [],
    ...partial,
  };
}

const INDICATORS: IndicatorInput[] = [
  indicator({
    code: 'IND-01',
    labelIt: "Quota di risorse non pubbliche sul totale delle risorse gestite dall'RTI nel progetto",
    labelEn: 'Share of non-public resources in all resources the RTI manages in the project',
    unit: 'PERCENT',
    baseline: '8.0',
    target: '12.0',
    value: '11.0',
    sources: [source('ETS-AURORA', 1, 2, '11.0')],
  }),
  indicator({
    code: 'IND-02',
    labelIt: 'Nuove collaborazioni formalizzate (patti, accordi, protocolli) con attori del territorio non già partner',
    labelEn: 'New formal collaborations (pacts, agreements, protocols) with local actors not already partners',
    unit: 'COUNT',
    baseline: '0',
    target: '10',
    value: '12',
    aggregation: 'SUM',
    sources: [source('ETS-AURORA', 2, 1, '7'), source('ETS-BORGO-VIVO', 3, 1, '5')],
  }),
  indicator({
    code: 'IND-03',
    labelIt: 'Partecipanti unici alle iniziative nel periodo',
    labelEn: 'Unique participants in the initiatives during the period',
    unit: 'COUNT',
    baseline: '1100',
    target: '1320',
    value: '1210',
    aggregation: 'SUM',
    disaggregations: { TARGET_GROUP: { OVER60: '968', UNDER60: '242' } },
    sources: [source('ETS-AURORA', 4, 1, '610'), source('ETS-BORGO-VIVO', 5, 3, '360'), source('ETS-CICLAMINO', 6, 1, '240')],
  }),
  indicator({
    code: 'IND-04',
    labelIt: 'Partecipanti soddisfatti (voto >= 4 su scala 1-5)',
    labelEn: 'Satisfied participants (rating >= 4 on a 1-5 scale)',
    unit: 'PERCENT',
    direction: 'LEVEL',
    minSampleSize: 200,
    baseline: null,
    target: '80.0',
    value: '76.0',
    sampleSize: '212',
    sources: [source('ETS-AURORA', 7, 1, '76.0', 212)],
  }),
  indicator({
    code: 'IND-05',
    labelIt: "Quota di residenti over60 dell'area 'conosciuti' dalla rete (almeno un contatto registrato con consenso nel periodo)",
    labelEn: 'Share of over-60 residents of the area "known" to the network (at least one contact recorded with consent in the period)',
    unit: 'PERCENT',
    baseline: '5.0',
    target: '7.0',
    value: '5.8',
    aggregation: 'RATIO',
    sources: [source('ETS-AURORA', 8, 1, '5.8')],
  }),
];

/** Padova Case A, RTI-A, Y2, version 1. */
export function padovaCaseADocument(): SettlementDocument {
  const result = settleGrouping({ ...rtiA(), members });
  return seal({
    format: SETTLEMENT_FORMAT,
    id: FIXTURE_SETTLEMENT_ID,
    version: 1,
    reopenReason: null,
    computedAt: FIXTURE_COMPUTED_AT,
    computedBy: 'Maria Rossi (contract_manager, C-PADOVA)',
    inputs: caseAInputs(),
    result: { ...result, conditions: [GATE_TRACE] },
    delta: null,
  });
}

const GATE_TRACE: ConditionTrace = {
  kind: 'GATE',
  id: 'G-UNDER60',
  label: 'UNDER60 share >= 0.15',
  holds: true,
  trace: ['all of 1 is true', 'IND-03.TARGET_GROUP.UNDER60.share 0.2 >= 0.15 is true'],
};

function caseAInputs(): SettlementInputs {
  return {
    contract: {
      code: 'PD-SDC-2.0',
      title: 'Co-progettazione del servizio «Sviluppo di Comunità 2.0» (luglio 2024 – giugno 2027)',
      currency: 'EUR',
      municipality: { code: 'C-PADOVA', name: 'Comune di Padova' },
    },
    period: { code: 'Y2', startDate: '2025-07-01', endDate: '2026-06-30', position: 2 },
    grouping: {
      code: 'RTI-A',
      name: 'RTI A – Quartieri Centro, Nord, Est',
      fee: '320000.00',
      members: members.map((m) => ({ code: m.id, name: m.name, executionShare: m.executionShare, lead: m.lead })),
    },
    indicatorSet: { version: 3, contentHash: hashOf({ indicators: INDICATORS.map((i) => i.code), ruleSet: RULE_SET.code }) },
    ruleSet: RULE_SET,
    rounding: { mode: 'HALF_UP', to: '0.01' },
    indicators: INDICATORS,
    facts: { 'IND-01': '11.0', 'IND-03': '1210', 'IND-03.TARGET_GROUP.UNDER60': '242', 'IND-03.TARGET_GROUP.UNDER60.share': '0.2' },
    evaluations: {},
    settledBefore: [],
    pool: { cap: '60000.00', requests: [{ grouping: 'RTI-A', requested: '18960.00' }, { grouping: 'RTI-B', requested: '21450.00' }] },
  };
}

/**
 * Version 2 of the same settlement, reopened after RTI-A corrected IND-05 (5.8 -> 6.4), under a variant of
 * the rule set with a grouping cap of 20,000.00 and a foundation paying 25 % of certified savings up to
 * 8,000.00: exact premium 23,440 capped to 20,000.00, the foundation pays 8,000.00 outside the premium.
 */
export function padovaReopenedDocument(): SettlementDocument {
  const v1 = padovaCaseADocument();
  const terms = caseATerms().map((t) => (t.id === 'T5' ? { ...t, measurement: { status: 'ACCEPTED', value: '6.4' } as const } : t));
  const evaluation = { significant: true, certifiedSavings: '40000.00', recordId: '3c4d5e6f-0000-4000-8000-0000000000e1' };
  const result = settleGrouping({
    ...rtiA(terms),
    members,
    cap: '20000.00',
    evaluationPayers: [{ id: 'EV-FOND', payer: 'FOND-CARIPARO', label: 'Fondazione Cassa di Risparmio (fittizia)', share: '0.25', cap: '8000.00', evaluation }],
  });
  const inputs = caseAInputs();
  inputs.ruleSet = {
    ...RULE_SET,
    groupingCap: '20000.00',
    evaluationPayers: [{ id: 'EV-FOND', payer: 'FOND-CARIPARO', label: 'Fondazione Cassa di Risparmio (fittizia)', share: '0.25', cap: '8000.00' }],
  };
  inputs.indicators = inputs.indicators.map((i) =>
    i.code === 'IND-05' ? { ...i, value: '6.4', sources: [source('ETS-AURORA', 9, 2, '6.4')] } : i,
  );
  inputs.evaluations = { 'EV-FOND': evaluation };
  inputs.pool = { cap: '60000.00', requests: [{ grouping: 'RTI-A', requested: '20000.00' }, { grouping: 'RTI-B', requested: '21450.00' }] };
  const change = (before: string, after: string) => ({ before, after, change: dec(after).minus(dec(before)).toFixed(2) });
  return seal({
    format: SETTLEMENT_FORMAT,
    id: FIXTURE_REOPENED_ID,
    version: 2,
    reopenReason: 'Rettifica della misurazione IND-05 di ETS-AURORA (verbale del 02/09/2026)',
    computedAt: '2026-09-03T14:00:00.000Z',
    computedBy: 'Maria Rossi (contract_manager, C-PADOVA)',
    inputs,
    result: { ...result, conditions: [GATE_TRACE] },
    delta: {
      previousId: v1.id,
      previousVersion: 1,
      premium: change(v1.result.premium, result.premium),
      payable: change(v1.result.payable, result.payable),
      lines: [{ termId: 'T5', ...change(v1.result.lines[4].amount, result.lines[4].amount) }],
      allocation: result.allocation.map((a, i) => ({ member: a.memberId, ...change(v1.result.allocation[i].amount, a.amount) })),
    },
  });
}

/** Y1 (shadow year, baseline established), Y2 (this settlement), Y3 (target only) for the PDF charts. */
export function padovaHistory(lang: 'it' | 'en' = 'it'): IndicatorHistory[] {
  const y1: Record<string, string> = { 'IND-01': '8.0', 'IND-02': '3', 'IND-03': '1100', 'IND-04': '78.5', 'IND-05': '5.0' };
  const y3: Record<string, string> = { 'IND-01': '15.0', 'IND-02': '12', 'IND-03': '1450', 'IND-04': '80.0', 'IND-05': '9.0' };
  return INDICATORS.map((i) => ({
    code: i.code,
    label: lang === 'en' && i.labelEn !== null ? i.labelEn : i.labelIt,
    unit: i.unit,
    points: [
      { period: 'Y1', actual: y1[i.code], baseline: i.baseline, target: null },
      { period: 'Y2', actual: i.value, baseline: i.baseline, target: i.target },
      { period: 'Y3', actual: null, baseline: i.baseline, target: y3[i.code] },
    ],
  }));
}
