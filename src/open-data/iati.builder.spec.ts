import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import { buildIatiActivity } from 'src/open-data/iati.builder';
import { ContractData, OrgData, ProjectData, rowKey } from 'src/open-data/open-data.model';
import type { MeasurementRow } from 'src/settlements/engine/indicator-inputs';
import { validateIatiActivities } from 'test/support/official-schemas';

// The IATI activity of a hand-made project: one contract, two groupings, IND-03 (unique participants,
// by target group) with member rows to aggregate, IND-04 (a survey rate) on another outcome node.

const org = (code: string, name: string, kind: OrgData['kind'], taxCode: string | null = null): OrgData => ({ id: `id-${code}`, code, name, kind, taxCode });
const padova = org('C-PADOVA', 'Comune di Padova', 'MUNICIPALITY', '00644060287');
const aurora = org('ETS-AURORA', 'Cooperativa Aurora', 'ETS', '01234567890');
const borgo = org('ETS-BORGO', 'Cooperativa Borgo Vivo', 'ETS');
const delta = org('ETS-DELTA', 'Cooperativa Delta & Figli', 'ETS');

const indicator = (code: string, over: Partial<IndicatorSnapshot>): IndicatorSnapshot => ({
  code,
  labelIt: `Indicatore ${code}`,
  labelEn: null,
  node: 'OD3',
  unit: 'COUNT',
  direction: 'INCREASE',
  formula: null,
  instrument: null,
  dataOwner: 'GROUPING',
  frequency: 'ANNUAL',
  scope: 'PER_GROUPING',
  aggregation: 'UNIQUE',
  minSampleSize: null,
  disaggregations: [],
  baselines: [],
  targets: [],
  denominators: [],
  ...over,
});

const ind03 = indicator('IND-03', {
  labelEn: 'Unique participants',
  disaggregations: [{ dimension: 'TARGET_GROUP', values: ['OVER60', 'UNDER60'] }],
  baselines: [
    { grouping: 'RTI-A', value: '1100', reference: '2022' },
    { grouping: null, value: '2000', reference: '2022', note: 'città' },
  ],
  targets: [
    { period: 'Y2', grouping: 'RTI-A', value: '1320' },
    { period: 'Y2', grouping: 'RTI-B', value: '1080' },
  ],
});
const ind04 = indicator('IND-04', {
  node: 'OD4',
  unit: 'PERCENT',
  direction: 'LEVEL',
  aggregation: 'NONE',
  minSampleSize: 200,
  baselines: [{ grouping: 'RTI-A', value: null, establishedIn: 'Y1' }],
  targets: [{ period: 'Y2', grouping: null, value: '80.0' }],
});

const row = (organisation: string, value: string, extra: Partial<MeasurementRow> = {}): MeasurementRow => ({
  measurementId: `m-${organisation}-${value}`,
  version: 1,
  organisation,
  value,
  numerator: null,
  denominator: null,
  sampleSize: null,
  notAssessable: false,
  disaggregations: {},
  ...extra,
});

function contract(visible: string[] = ['RTI-A', 'RTI-B']): ContractData {
  const set = { versionId: 'v1', version: 1, contentHash: 'h', effectiveFromPeriodCode: 'Y1', indicators: [ind03, ind04], groupings: ['RTI-A', 'RTI-B'], paymentRules: null };
  return {
    id: 'c-1',
    code: 'PD-SDC-2.0',
    title: 'Sviluppo di Comunità 2.0',
    currency: 'EUR',
    startDate: '2024-07-01',
    endDate: '2027-06-30',
    municipality: padova,
    periods: [
      { id: 'p1', code: 'Y1', startDate: '2024-07-01', endDate: '2025-06-30', position: 0 },
      { id: 'p2', code: 'Y2', startDate: '2025-07-01', endDate: '2026-06-30', position: 1 },
    ],
    groupings: [
      { id: 'g-a', code: 'RTI-A', name: 'RTI A', fees: [], members: [{ organisation: aurora, lead: true, executionShare: '0.6' }, { organisation: borgo, lead: false, executionShare: '0.4' }] },
      { id: 'g-b', code: 'RTI-B', name: 'RTI B', fees: [], members: [{ organisation: delta, lead: true, executionShare: '1' }] },
    ],
    sets: { Y1: set, Y2: set },
    rows: new Map([
      [rowKey('Y2', 'RTI-A', 'IND-03'), [row('ETS-AURORA', '900', { disaggregations: { TARGET_GROUP: { OVER60: '897', UNDER60: '3' } } }), row('ETS-BORGO', '450', { disaggregations: { TARGET_GROUP: { OVER60: '449', UNDER60: '1' } } })]],
      [rowKey('Y2', 'RTI-B', 'IND-03'), [row('ETS-DELTA', '1100', { disaggregations: { TARGET_GROUP: { OVER60: '800', UNDER60: '300' } } })]],
      [rowKey('Y2', 'RTI-A', 'IND-04'), [row('ETS-AURORA', '78.0', { sampleSize: 120 }), row('ETS-BORGO', '73.5', { sampleSize: 90 })]],
    ]),
    visibleGroupings: new Set(visible),
  };
}

function project(c: ContractData): ProjectData {
  return {
    id: 'pr-1',
    code: 'PRJ-SDC',
    name: 'Sviluppo di Comunità 2.0',
    description: null,
    municipality: padova,
    contracts: [c],
    nodes: [
      { code: 'OD3', level: 'OUTCOME', labelIt: 'Aumento platea dei destinatari', labelEn: 'More people reached' },
      { code: 'OD4', level: 'OUTCOME', labelIt: 'Soddisfazione dei partecipanti', labelEn: null },
      { code: 'IO2', level: 'IMPACT', labelIt: 'Quartieri animati', labelEn: null },
    ],
  };
}

const options = { reportingOrgRef: 'XI-ANCORA-C-PADOVA', generatedAt: '2026-01-15T10:00:00.000Z', suppressBelow: 0 };

describe('IATI activity of a project', () => {
  it('is valid against the official IATI 2.03 schema', async () => {
    const xml = buildIatiActivity(project(contract()), { ...options, suppressBelow: 5 });
    expect(await validateIatiActivities(xml)).toEqual({ valid: true, errors: [] });
  });

  it('identifies the activity and its organisations, status and dates', () => {
    const xml = buildIatiActivity(project(contract()), options);
    expect(xml).toContain('<iati-activities version="2.03" generated-datetime="2026-01-15T10:00:00.000Z">');
    expect(xml).toContain('<iati-activity last-updated-datetime="2026-01-15T10:00:00.000Z" xml:lang="it" default-currency="EUR">');
    expect(xml).toContain('<iati-identifier>XI-ANCORA-C-PADOVA-PRJ-SDC</iati-identifier>');
    expect(xml).toContain('<reporting-org ref="XI-ANCORA-C-PADOVA" type="11">');
    expect(xml).toContain('<participating-org ref="IT-CF-00644060287" type="11" role="1">');
    expect(xml).toContain('<participating-org ref="IT-CF-01234567890" type="22" role="4">');
    expect(xml).toMatch(/<participating-org type="22" role="4">\s*<narrative xml:lang="it">Cooperativa Delta &amp; Figli<\/narrative>/);
    expect(xml).toContain('<activity-status code="2"/>');
    expect(xml).toMatch(/<activity-date type="1" iso-date="2024-07-01"\/>\s*<activity-date type="2" iso-date="2024-07-01"\/>\s*<activity-date type="3" iso-date="2027-06-30"\/>/);
  });

  it('publishes one outcome result per node with baselines, targets and member rows aggregated per grouping', () => {
    const xml = buildIatiActivity(project(contract()), options);
    expect(xml.match(/<result type="2">/g)).toHaveLength(2);
    expect(xml).toContain('<indicator measure="1" ascending="true">');
    expect(xml).toContain('<reference vocabulary="99" code="PD-SDC-2.0/IND-03"/>');
    expect(xml).toMatch(/<baseline year="2022" value="1100">\s*<dimension name="grouping" value="RTI-A"\/>/);
    expect(xml).toMatch(/<baseline year="2022" value="2000">\s*<comment>/);
    expect(xml).toMatch(/<target value="1320">\s*<dimension name="grouping" value="RTI-A"\/>/);
    // RTI-A's two members: 900 + 450, OVER60 897 + 449, UNDER60 3 + 1.
    expect(xml).toMatch(/<actual value="1350">\s*<dimension name="grouping" value="RTI-A"\/>\s*<comment>\s*<narrative xml:lang="it">Valore del raggruppamento dai valori accettati di 2 membri \(SUM\)/);
    expect(xml).toMatch(/<actual value="1346">\s*<dimension name="grouping" value="RTI-A"\/>\s*<dimension name="TARGET_GROUP" value="OVER60"\/>/);
    expect(xml).toMatch(/<actual value="4">\s*<dimension name="grouping" value="RTI-A"\/>\s*<dimension name="TARGET_GROUP" value="UNDER60"\/>/);
    // IND-04, a LEVEL rate: no ascending; the survey mean weighted by sample (78.0 x 120 + 73.5 x 90) / 210, 6 decimals.
    expect(xml).toContain('<indicator measure="2">');
    expect(xml).toMatch(/<actual value="76.071429">/);
    // A baseline still to be established (null) and Y1 (no target, no actual) are left out.
    expect(xml).not.toContain('iso-date="2024-07-01"/>\n          <period-end');
    expect(xml.match(/<baseline /g)).toHaveLength(2);
  });

  it('suppresses small counts and their complement, saying so on the total', () => {
    const xml = buildIatiActivity(project(contract()), { ...options, suppressBelow: 5 });
    expect(xml).toMatch(/<actual value="1350">/);
    expect(xml).not.toMatch(/<actual value="1346">/);
    expect(xml).not.toMatch(/<actual value="4">/);
    expect(xml).toContain('Small-number suppression: values below 5 and their complements not published (TARGET_GROUP: OVER60, UNDER60)');
    // RTI-B's parts are all above the threshold.
    expect(xml).toMatch(/<actual value="300">\s*<dimension name="grouping" value="RTI-B"\/>\s*<dimension name="TARGET_GROUP" value="UNDER60"\/>/);
  });

  it("leaves out the actuals of groupings the caller may not see in full, keeping the agreed targets", () => {
    const xml = buildIatiActivity(project(contract(['RTI-B'])), options);
    expect(xml).not.toMatch(/<actual value="1350">/);
    expect(xml).toMatch(/<target value="1320">/);
    expect(xml).toMatch(/<actual value="1100">\s*<dimension name="grouping" value="RTI-B"\/>/);
  });
});
