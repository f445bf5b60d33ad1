import { createHash } from 'node:crypto';
import { Dec, dec } from 'src/common/decimal/decimal';
import type { IndicatorUnit } from 'src/indicators/indicator.entity';
import { indicatorTimelines, IndicatorTimeline } from 'src/open-data/indicator-timeline';
import { JsonDecimal, JsonValue, stringifyJson } from 'src/open-data/json-decimal';
import { ApprovedSettlement, ContractData, GroupingData, OrgData, PeriodData } from 'src/open-data/open-data.model';
import { publishedParts, suppressedSummary, taxCodeRef } from 'src/open-data/open-data.rules';

// A contract as one OCDS 1.1.5 release package with the metrics extension (docs/open-data.md has the
// field mapping). Each provider grouping is one award and one contract (its members are the suppliers,
// its fees the value); per contract, `agreedMetrics` holds every indicator's baseline and targets per
// period, `implementation.metrics` the grouping's accepted actuals per period as observations (parts
// after small-number suppression, suppression.ts), and each APPROVED settlement becomes a met payment
// milestone and one transaction per member of its allocation (payer: the municipality).

export const OCDS_VERSION = '1.1';
export const METRICS_EXTENSION = 'https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json';

export interface OcdsOptions {
  /** Prefix of the ocid, followed by the contract code (e.g. `ocds-ancora-` -> `ocds-ancora-PD-SDC-2.0`). */
  ocidPrefix: string;
  publishedAt: string;
  suppressBelow: number;
}

/** UN/CEFACT Recommendation 20 units. */
const UNITS: Record<IndicatorUnit, { name: string; id: string }> = {
  COUNT: { name: 'unit', id: 'C62' },
  PERCENT: { name: 'percent', id: 'P1' },
  RATIO: { name: 'ratio', id: 'C62' },
  SCORE: { name: 'score', id: 'C62' },
  EUR: { name: 'euro', id: 'EUR' },
  HOURS: { name: 'hour', id: 'HUR' },
  DAYS: { name: 'day', id: 'DAY' },
  FTE: { name: 'full-time equivalent', id: 'C62' },
};

const partyId = (org: OrgData): string => taxCodeRef(org) ?? `ancora-${org.code}`;
const ref = (org: OrgData): JsonValue => ({ id: partyId(org), name: org.name });
const dateTime = (date: string, end = false): string => `${date}T${end ? '23:59:59' : '00:00:00'}Z`;
const periodOf = (p: { startDate: string; endDate: string }): JsonValue => ({ startDate: dateTime(p.startDate), endDate: dateTime(p.endDate, true) });
/** OCDS dimension names are camelCase: TARGET_GROUP -> targetGroup. */
const camel = (name: string): string => name.toLowerCase().replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function organization(org: OrgData, roles: string[]): JsonValue {
  return {
    id: partyId(org),
    name: org.name,
    identifier: org.taxCode === null ? undefined : { scheme: 'IT-CF', id: org.taxCode, legalName: org.name },
    roles,
  };
}

function measureOf(unit: IndicatorUnit, value: string, currency: string): { [key: string]: JsonValue } {
  return unit === 'EUR' ? { value: { amount: new JsonDecimal(value), currency } } : { measure: value, unit: { ...UNITS[unit], scheme: 'UNCEFACT' } };
}

function agreedMetrics(c: ContractData, g: GroupingData, timelines: IndicatorTimeline[]): JsonValue[] {
  return timelines.flatMap((t) => {
    const d = t.definition;
    const observations: JsonValue[] = [];
    const baseline = d.baselines.find((b) => b.grouping === g.code) ?? d.baselines.find((b) => b.grouping === null);
    if (baseline && baseline.value !== null) {
      observations.push({ id: `${d.code}-baseline`, ...measureOf(d.unit, baseline.value, c.currency), dimensions: { observationType: 'baseline' }, notes: baseline.note });
    }
    for (const p of t.periods) {
      const target = p.targets.find((x) => x.grouping === g.code) ?? p.targets.find((x) => x.grouping === null);
      if (target) {
        observations.push({ id: `${d.code}-${p.period.code}-target`, period: periodOf(p.period), ...measureOf(d.unit, target.value, c.currency), dimensions: { observationType: 'target' } });
      }
    }
    if (observations.length === 0) return [];
    return [{ id: d.code, title: d.labelIt, description: describe(t), observations }];
  });
}

function describe(t: IndicatorTimeline): string {
  const d = t.definition;
  const direction = { INCREASE: 'higher is better', DECREASE: 'lower is better', LEVEL: 'hold a level' }[d.direction];
  return [d.labelEn, `unit ${d.unit}`, direction, d.formula ? `formula: ${d.formula.text}` : null, d.instrument ? `instrument: ${d.instrument}` : null]
    .filter((x) => x !== null)
    .join('; ');
}

function reportedMetrics(c: ContractData, g: GroupingData, timelines: IndicatorTimeline[], suppressBelow: number): JsonValue[] {
  return timelines.flatMap((t) => {
    const d = t.definition;
    const observations: JsonValue[] = [];
    for (const p of t.periods) {
      const actual = p.actuals.find((a) => a.grouping === g.code);
      if (!actual || actual.status !== 'ACCEPTED' || actual.value === null) continue;
      const parts = publishedParts(p.definition, actual.disaggregations, suppressBelow);
      const notes = [
        actual.members > 1 ? `grouping value from ${actual.members} members' accepted values (${actual.aggregation})` : null,
        suppressedSummary(parts) === null ? null : `small-number suppression: values below ${suppressBelow} and their complements not published (${suppressedSummary(parts)})`,
      ].filter((x) => x !== null);
      observations.push({
        id: `${d.code}-${p.period.code}`,
        period: periodOf(p.period),
        ...measureOf(d.unit, actual.value, c.currency),
        notes: notes.length === 0 ? undefined : notes.join('; '),
      });
      for (const dimension of parts) {
        for (const cell of dimension.published) {
          observations.push({
            id: `${d.code}-${p.period.code}-${dimension.dimension}-${cell.key}`,
            period: periodOf(p.period),
            ...measureOf(d.unit, cell.value, c.currency),
            dimensions: { [camel(dimension.dimension)]: cell.key },
          });
        }
      }
    }
    return observations.length === 0 ? [] : [{ id: d.code, title: d.labelIt, description: describe(t), observations }];
  });
}

function sum(values: readonly string[]): string {
  return values.reduce((acc, v) => acc.plus(dec(v)), new Dec(0)).toFixed(2);
}

function contractStatus(c: { startDate: string; endDate: string }, today: string): string {
  if (today < c.startDate) return 'pending';
  return today > c.endDate ? 'terminated' : 'active';
}

export function buildOcdsReleasePackage(c: ContractData, approved: readonly ApprovedSettlement[], options: OcdsOptions): string {
  const ocid = `${options.ocidPrefix}${c.code}`;
  const today = options.publishedAt.slice(0, 10);
  const timelines = indicatorTimelines(c);
  const periods = new Map<string, PeriodData>(c.periods.map((p) => [p.id, p]));
  const settlements = approved.filter((s) => c.groupings.some((g) => g.id === s.groupingId && c.visibleGroupings.has(g.code)));

  const members = new Map<string, OrgData>();
  c.groupings.flatMap((g) => g.members).forEach((x) => members.set(x.organisation.id, x.organisation));
  const payees = new Set(settlements.flatMap((s) => s.allocation.map((a) => a.member)));
  const parties: JsonValue[] = [
    organization(c.municipality, ['buyer', 'procuringEntity', 'payer']),
    ...[...members.values()].map((o) => organization(o, ['tenderer', 'supplier', ...(payees.has(o.code) ? ['payee'] : [])])),
  ];

  const contracts = c.groupings.map((g): JsonValue => {
    const own = settlements.filter((s) => s.groupingId === g.id).sort((a, b) => (periods.get(a.periodId)?.position ?? 0) - (periods.get(b.periodId)?.position ?? 0));
    const milestones: JsonValue[] = own.map((s) => {
      const period = periods.get(s.periodId);
      return {
        id: `payment-${period?.code ?? s.periodId}`,
        title: `Premio di risultato ${period?.code ?? s.periodId} (outcome payment)`,
        type: 'payment',
        description: `Settlement ${s.id} version ${s.version}, approved; payable ${s.payable} ${c.currency}; document SHA-256 ${s.documentHash}`,
        dueDate: period ? dateTime(period.endDate, true) : undefined,
        dateMet: s.approvedAt,
        dateModified: s.approvedAt,
        status: 'met',
      };
    });
    const transactions: JsonValue[] = own.flatMap((s) =>
      s.allocation
        .filter((a) => dec(a.amount).greaterThan(0))
        .map((a): JsonValue => {
          const member = g.members.find((x) => x.organisation.code === a.member)?.organisation;
          return {
            id: `${s.id}-${a.member}`,
            date: s.approvedAt,
            value: { amount: new JsonDecimal(a.amount), currency: c.currency },
            payer: ref(c.municipality),
            payee: member ? ref(member) : { name: a.member },
          };
        }),
    );
    const agreed = agreedMetrics(c, g, timelines);
    const reported = c.visibleGroupings.has(g.code) ? reportedMetrics(c, g, timelines, options.suppressBelow) : [];
    const implementation: { [key: string]: JsonValue } = {};
    if (transactions.length > 0) implementation.transactions = transactions;
    if (milestones.length > 0) implementation.milestones = milestones;
    if (reported.length > 0) implementation.metrics = reported;
    return {
      id: `${c.code}-${g.code}`,
      awardID: `${c.code}-${g.code}`,
      title: `${c.title} - ${g.name}`,
      status: contractStatus(c, today),
      period: periodOf(c),
      value: { amount: new JsonDecimal(sum(g.fees.map((f) => f.amount))), currency: c.currency },
      agreedMetrics: agreed.length === 0 ? undefined : agreed,
      implementation: Object.keys(implementation).length === 0 ? undefined : implementation,
    };
  });

  const release: { [key: string]: JsonValue } = {
    ocid,
    id: '',
    date: options.publishedAt,
    tag: ['award', 'contract', 'implementation'],
    initiationType: 'tender',
    language: 'it',
    parties,
    buyer: ref(c.municipality),
    tender: {
      id: `${c.code}-tender`,
      title: c.title,
      status: 'complete',
      procuringEntity: ref(c.municipality),
      tenderers: [...members.values()].map(ref),
      numberOfTenderers: new JsonDecimal(String(members.size)),
    },
    awards: c.groupings.map((g) => ({
      id: `${c.code}-${g.code}`,
      title: g.name,
      status: 'active',
      suppliers: g.members.map((x) => ref(x.organisation)),
      value: { amount: new JsonDecimal(sum(g.fees.map((f) => f.amount))), currency: c.currency },
      contractPeriod: periodOf(c),
    })),
    contracts,
  };
  // The release id names its content: the same data gives the same id, any change a new one.
  const content = stringifyJson({ ...release, id: undefined, date: undefined });
  const releaseId = `${ocid}-${createHash('sha256').update(content, 'utf8').digest('hex').slice(0, 16)}`;
  release.id = releaseId;

  return `${stringifyJson({
    uri: `urn:ancora:ocds:${releaseId}`,
    version: OCDS_VERSION,
    extensions: [METRICS_EXTENSION],
    publishedDate: options.publishedAt,
    publisher: { name: c.municipality.name, scheme: c.municipality.taxCode === null ? undefined : 'IT-CF', uid: c.municipality.taxCode ?? undefined },
    releases: [release],
  })}\n`;
}
