import { dec } from 'src/common/decimal/decimal';
import { EvaluatedCheck, GroupingInput, MemberInput, TermInput } from 'src/settlements/calculation/settlement.types';

// The Padova rule PD-SDC-R1 (../shared/examples/padova-sdc.md) as calculator input, for the specs.

export const RTI_A_MEMBERS: MemberInput[] = [
  { id: 'aurora', name: 'Cooperativa Sociale Aurora (fittizia)', executionShare: '0.50', lead: true },
  { id: 'borgo', name: 'Cooperativa Sociale Borgo Vivo (fittizia)', executionShare: '0.30', lead: false },
  { id: 'ciclamino', name: 'Cooperativa Sociale Ciclamino (fittizia)', executionShare: '0.20', lead: false },
];

export const RTI_B_MEMBERS: MemberInput[] = [
  { id: 'delta', name: 'Cooperativa Sociale Delta (fittizia)', executionShare: '0.60', lead: true },
  { id: 'edera', name: 'Cooperativa Sociale Edera (fittizia)', executionShare: '0.40', lead: false },
];

export function under60Gate(share: string): EvaluatedCheck {
  return { id: 'G-UNDER60', label: 'UNDER60 share >= 0.15', holds: dec(share).greaterThanOrEqualTo(dec('0.15')), actual: share, threshold: '0.15' };
}

const linear = { kind: 'LINEAR', threshold: '0.5', cap: '1.0' } as const;

function accepted(value: string) {
  return { status: 'ACCEPTED', value } as const;
}

/** Case A: RTI-A, Y2 (actuals 11.0, 12, 1,210, 76.0, 5.8; UNDER60 share 0.20). */
export function caseATerms(under60 = '0.20'): TermInput[] {
  return [
    { id: 'T1', indicatorCode: 'IND-01', direction: 'INCREASE', baseline: '8.0', target: '12.0', measurement: accepted('11.0'), payout: linear, weight: '0.20' },
    { id: 'T2', indicatorCode: 'IND-02', direction: 'INCREASE', baseline: '0', target: '10', measurement: accepted('12'), payout: linear, weight: '0.15' },
    {
      id: 'T3',
      indicatorCode: 'IND-03',
      direction: 'INCREASE',
      baseline: '1100',
      target: '1320',
      measurement: accepted('1210'),
      payout: linear,
      weight: '0.30',
      gate: under60Gate(under60),
    },
    {
      id: 'T4',
      indicatorCode: 'IND-04',
      direction: 'LEVEL',
      baseline: null,
      target: '80.0',
      measurement: accepted('76.0'),
      payout: { kind: 'LEVEL_RATIO', threshold: '0.5', cap: '1.0' },
      weight: '0.15',
    },
    { id: 'T5', indicatorCode: 'IND-05', direction: 'INCREASE', baseline: '5.0', target: '7.0', measurement: accepted('5.8'), payout: linear, weight: '0.20' },
  ];
}

export function rtiA(terms: TermInput[] = caseATerms()): GroupingInput {
  return {
    groupingCode: 'RTI-A',
    basis: { kind: 'SHARE_OF_FEE', fee: '320000.00', share: '0.10' },
    terms,
    missingPolicy: 'ZERO',
    guardrails: [],
    phase: { mode: 'LIVE' },
    members: RTI_A_MEMBERS,
  };
}

/** Case B: RTI-B, Y2 (actuals 14.5, 6, 1,080, survey n = 150 < 200, 5.5; UNDER60 share 0.18). */
export function caseBTerms(): TermInput[] {
  return [
    { id: 'T1', indicatorCode: 'IND-01', direction: 'INCREASE', baseline: '10.0', target: '14.0', measurement: accepted('14.5'), payout: linear, weight: '0.20' },
    { id: 'T2', indicatorCode: 'IND-02', direction: 'INCREASE', baseline: '0', target: '10', measurement: accepted('6'), payout: linear, weight: '0.15' },
    {
      id: 'T3',
      indicatorCode: 'IND-03',
      direction: 'INCREASE',
      baseline: '900',
      target: '1080',
      measurement: accepted('1080'),
      payout: linear,
      weight: '0.30',
      gate: under60Gate('0.18'),
    },
    {
      id: 'T4',
      indicatorCode: 'IND-04',
      direction: 'LEVEL',
      baseline: null,
      target: '80.0',
      measurement: { status: 'NOT_ASSESSABLE', sampleSize: '150', minSampleSize: '200' },
      payout: { kind: 'LEVEL_RATIO', threshold: '0.5', cap: '1.0' },
      weight: '0.15',
    },
    { id: 'T5', indicatorCode: 'IND-05', direction: 'INCREASE', baseline: '4.0', target: '6.0', measurement: accepted('5.5'), payout: linear, weight: '0.20' },
  ];
}

export function rtiB(terms: TermInput[] = caseBTerms()): GroupingInput {
  return {
    groupingCode: 'RTI-B',
    basis: { kind: 'SHARE_OF_FEE', fee: '280000.00', share: '0.10' },
    terms,
    missingPolicy: 'ZERO',
    guardrails: [],
    phase: { mode: 'LIVE' },
    members: RTI_B_MEMBERS,
  };
}

/** A one-member grouping with the given terms, basis 10,000.00: for the other payment shapes. */
export function grouping(terms: TermInput[], extra: Partial<GroupingInput> = {}): GroupingInput {
  return {
    groupingCode: 'G',
    basis: { kind: 'AMOUNT', amount: '10000.00' },
    terms,
    missingPolicy: 'ZERO',
    guardrails: [],
    phase: { mode: 'LIVE' },
    members: [{ id: 'solo', name: 'Solo', executionShare: '1', lead: true }],
    ...extra,
  };
}
