import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { factsFor } from 'src/settlements/engine/settlement-engine';
import type { IndicatorInput, SettlementInputs } from 'src/settlements/settlement-document';
import type { DocumentMeta } from 'src/settlements/settlement-document.builder';

// Settlement inputs whose results quote every kind of number a reason can carry, for the specs of the
// document builder (reasons of each format, verification). Two fictitious grouping-periods:
//
//  PADOVA   RTI-A, Y2, 10 % of 320,000.00 at risk. T1 paid (a 0.75); T2 a = 7/9 (a 50-digit decimal),
//           capped at 3,500.00; T3's gate fails on an under-60 share of 145/1210 (≈0.1198); T4 not
//           assessable (sample 150 below 200); T5 suspended by a guardrail (8.5 hours, actual quoted);
//           8,300.00 raised to the grouping floor 9,000.00, then the lifetime cap (60,000.00 with
//           51,234.56 settled before: 8,765.44 left), then the pool cap 15,000.00 over 20,765.44
//           requested; a regional payer's 0.30 of 657,000.00 certified savings capped at 150,000.00.
//  BERGAMO  one consortium, Q4, fixed amounts. Emergency admissions DECREASE 100 -> 82, actual 81:
//           a = 19/18 (a 50-digit decimal) >= 1; 17 units above baseline x 850 capped at 12,000.00;
//           satisfaction a 0.6 x 2,000.00 raised to its floor 1,500.00; waiting days a 0.9375 below
//           the threshold 1; 23,500.00 capped to the grouping cap 20,000.00; one payer without a
//           record, one whose evaluation found no significant impact.

function indicator(
  partial: Partial<IndicatorInput> & Pick<IndicatorInput, 'code' | 'labelIt' | 'unit' | 'direction' | 'baseline' | 'target' | 'value'>,
): IndicatorInput {
  return {
    labelEn: null,
    minSampleSize: null,
    status: 'ACCEPTED',
    sampleSize: null,
    disaggregations: {},
    aggregation: 'SINGLE',
    sources:
      partial.value === null
        ? []
        : [{ measurementId: `m-${partial.code}`, version: 1, organisation: 'ETS-LEAD', value: partial.value, notAssessable: false, sampleSize: null }],
    ...partial,
  };
}

const linear = { kind: 'LINEAR', threshold: '0.5', cap: '1.0' } as const;

const PADOVA_RULES: RuleSetDocument = {
  format: 'ancora.rule-set/1',
  code: 'PD-SDC-R1-TEST',
  basis: { kind: 'SHARE_OF_FEE', share: '0.10' },
  missingPolicy: 'ZERO',
  rounding: { mode: 'HALF_UP', to: '0.01' },
  terms: [
    { id: 'T1', indicator: 'IND-01', weight: '0.20', payout: linear },
    { id: 'T2', indicator: 'IND-02', weight: '0.15', payout: linear, cap: '3500.00' },
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
  guardrails: [
    {
      id: 'G-HOURS',
      label: 'IND-G1 >= 10 hours of activity per participant',
      condition: { all: [{ fact: 'IND-G1', operator: 'greaterThanInclusive', value: '10' }] },
      suspends: ['T5'],
    },
  ],
  groupingFloor: '9000.00',
  lifetimeCap: '60000.00',
  poolCap: '15000.00',
  evaluationPayers: [{ id: 'EV-REG', payer: 'REGIONE-LOMBARDIA', label: 'Regione Lombardia', share: '0.30', cap: '150000.00' }],
};

const PADOVA_INDICATORS: IndicatorInput[] = [
  indicator({ code: 'IND-01', labelIt: 'Quota di enti non pubblici nella rete', unit: 'PERCENT', direction: 'INCREASE', baseline: '8.0', target: '12.0', value: '11.0' }),
  indicator({ code: 'IND-02', labelIt: 'Accordi di collaborazione attivi', unit: 'COUNT', direction: 'INCREASE', baseline: '3', target: '12', value: '10' }),
  indicator({
    code: 'IND-03',
    labelIt: 'Persone raggiunte',
    unit: 'COUNT',
    direction: 'INCREASE',
    baseline: '1100',
    target: '1320',
    value: '1210',
    disaggregations: { TARGET_GROUP: { OVER60: '1065', UNDER60: '145' } },
  }),
  indicator({
    code: 'IND-04',
    labelIt: 'Soddisfazione dei partecipanti',
    unit: 'PERCENT',
    direction: 'LEVEL',
    baseline: null,
    target: '80.0',
    value: null,
    status: 'NOT_ASSESSABLE',
    minSampleSize: 200,
    sampleSize: '150',
  }),
  indicator({ code: 'IND-05', labelIt: "Quota di over60 'conosciuti' dalla rete", unit: 'PERCENT', direction: 'INCREASE', baseline: '5.0', target: '7.0', value: '6.6' }),
  indicator({ code: 'IND-G1', labelIt: 'Ore di attività per partecipante', unit: 'NUMBER', direction: 'LEVEL', baseline: null, target: null, value: '8.5' }),
];

const BERGAMO_RULES: RuleSetDocument = {
  format: 'ancora.rule-set/1',
  code: 'BG-PLAT-R1-TEST',
  missingPolicy: 'ZERO',
  terms: [
    { id: 'T-ACC', indicator: 'IND-ACC', fixedAmount: '10000.00', payout: { kind: 'THRESHOLD' } },
    { id: 'T-UNITS', indicator: 'IND-UNITS', payout: { kind: 'PRICE_PER_UNIT', unitPrice: '850' }, cap: '12000.00' },
    { id: 'T-SAT', indicator: 'IND-SAT', fixedAmount: '2000.00', payout: linear, floor: '1500.00' },
    { id: 'T-WAIT', indicator: 'IND-WAIT', fixedAmount: '3000.00', payout: { kind: 'THRESHOLD' } },
  ],
  groupingCap: '20000.00',
  evaluationPayers: [
    { id: 'EV-RSA', payer: 'REGIONE-LOMBARDIA', label: 'Regione Lombardia: 30% dei risparmi sugli anni di RSA evitati', share: '0.30', cap: '150000.00' },
    { id: 'EV-PS', payer: 'REGIONE-LOMBARDIA', label: 'Regione Lombardia: 40% dei risparmi sul pronto soccorso', share: '0.40', cap: '100000.00' },
  ],
};

const BERGAMO_INDICATORS: IndicatorInput[] = [
  indicator({ code: 'IND-ACC', labelIt: 'Accessi al pronto soccorso per 1.000 anziani', unit: 'NUMBER', direction: 'DECREASE', baseline: '100', target: '82', value: '81' }),
  indicator({ code: 'IND-UNITS', labelIt: 'Anziani con piano di cura attivo', unit: 'COUNT', direction: 'INCREASE', baseline: '40', target: '60', value: '57' }),
  indicator({ code: 'IND-SAT', labelIt: 'Soddisfazione dei caregiver', unit: 'PERCENT', direction: 'INCREASE', baseline: '60.0', target: '80.0', value: '72.0' }),
  indicator({ code: 'IND-WAIT', labelIt: 'Giorni di attesa per la presa in carico', unit: 'NUMBER', direction: 'DECREASE', baseline: '30', target: '14', value: '15' }),
];

const CONTRACT = { code: 'TEST-REASONS', title: 'Contratto di prova delle motivazioni', currency: 'EUR', municipality: { code: 'C-TEST', name: 'Comune di Prova' } };

export function padovaReasonInputs(): SettlementInputs {
  return {
    contract: CONTRACT,
    period: { code: 'Y2', startDate: '2025-07-01', endDate: '2026-06-30', position: 2 },
    grouping: {
      code: 'RTI-A',
      name: 'RTI A (fittizio)',
      fee: '320000.00',
      members: [
        { code: 'ETS-AURORA', name: 'Cooperativa Sociale Aurora (fittizia)', executionShare: '0.50', lead: true },
        { code: 'ETS-BORGO', name: 'Cooperativa Sociale Borgo Vivo (fittizia)', executionShare: '0.30', lead: false },
        { code: 'ETS-CICLAMINO', name: 'Cooperativa Sociale Ciclamino (fittizia)', executionShare: '0.20', lead: false },
      ],
    },
    indicatorSet: { version: 1, contentHash: '0'.repeat(64) },
    ruleSet: PADOVA_RULES,
    rounding: { mode: 'HALF_UP', to: '0.01' },
    indicators: PADOVA_INDICATORS,
    facts: factsFor(PADOVA_INDICATORS),
    evaluations: { 'EV-REG': { recordId: 'r-ev-reg', significant: true, certifiedSavings: '657000.00' } },
    settledBefore: [{ period: 'Y1', settlementId: 's-y1', payable: '51234.56' }],
    pool: { cap: '15000.00', requests: [{ grouping: 'RTI-A', requested: '8765.44' }, { grouping: 'RTI-B', requested: '12000.00' }] },
  };
}

// Padova's inputs with two values not there: IND-04's survey reached the settlement without a sample size
// (accepted while the binding version had no minimum, judged against a later minimum of 200), and IND-G1
// has no accepted value, so its guardrail cannot hold. Format 2 wrote "campione ?" and, in both
// languages, "; no value for IND-G1" inside the quoted label; format 3 says both in words.
export function padovaUnreportedInputs(): SettlementInputs {
  const indicators = PADOVA_INDICATORS.map((i) =>
    i.code === 'IND-04'
      ? { ...i, sampleSize: null }
      : i.code === 'IND-G1'
        ? { ...i, status: 'MISSING' as const, value: null, sources: [] }
        : i,
  );
  return { ...padovaReasonInputs(), indicators, facts: factsFor(indicators) };
}

export function bergamoReasonInputs(): SettlementInputs {
  return {
    contract: CONTRACT,
    period: { code: 'Q4', startDate: '2025-10-01', endDate: '2025-12-31', position: 4 },
    grouping: {
      code: 'CONS-ORIZZONTE',
      name: 'Consorzio Orizzonte (fittizio)',
      fee: null,
      members: [
        { code: 'ETS-SOLE', name: 'Cooperativa Sole (fittizia)', executionShare: '0.70', lead: true },
        { code: 'ETS-LUNA', name: 'Cooperativa Luna (fittizia)', executionShare: '0.30', lead: false },
      ],
    },
    indicatorSet: { version: 1, contentHash: '1'.repeat(64) },
    ruleSet: BERGAMO_RULES,
    rounding: { mode: 'HALF_UP', to: '0.01' },
    indicators: BERGAMO_INDICATORS,
    facts: factsFor(BERGAMO_INDICATORS),
    evaluations: { 'EV-PS': { recordId: 'r-ev-ps', significant: false, certifiedSavings: '90000.00' } },
    settledBefore: [],
    pool: null,
  };
}

const FIXTURE_IDS = {
  padova: 'a1000000-0000-4000-8000-000000000001',
  bergamo: 'a1000000-0000-4000-8000-000000000002',
  'padova-unreported': 'a1000000-0000-4000-8000-000000000004',
} as const;

export function reasonFixtureMeta(name: keyof typeof FIXTURE_IDS): DocumentMeta {
  return {
    id: FIXTURE_IDS[name],
    version: 1,
    computedAt: '2026-07-20T09:30:00.000Z',
    computedBy: 'Maria Rossi (contract_manager, C-TEST)',
    reopenReason: null,
  };
}
