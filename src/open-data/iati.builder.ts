import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { indicatorTimelines, IndicatorTimeline } from 'src/open-data/indicator-timeline';
import { ContractData, NodeData, OrgData, ProjectData } from 'src/open-data/open-data.model';
import { activityStatus, baselineYear, iatiMeasure, publishedParts, suppressedSummary, taxCodeRef } from 'src/open-data/open-data.rules';

// A project as one IATI activity (Activity Standard 2.03), docs/open-data.md has the field mapping.
// Results: one <result type="2"> (outcome) per OUTCOME node of the value chain that has indicators,
// one <indicator> per indicator on it (per contract of the project), with baselines and one <period>
// per contract period that has a target or an actual. Values per provider grouping carry
// <dimension name="grouping" value="RTI-A"/>; disaggregated actuals add the disaggregation's dimension
// (TARGET_GROUP = OVER60), after small-number suppression (suppression.ts).

export const IATI_VERSION = '2.03';
export const GROUPING_DIMENSION = 'grouping';
/** IATI OrganisationType: 11 local government, 22 national NGO (Third Sector bodies), 90 other. */
const ORG_TYPE: Record<OrgData['kind'], string> = { MUNICIPALITY: '11', DISTRICT: '11', ETS: '22', OTHER: '90' };

export interface IatiOptions {
  /** The reporting organisation's IATI identifier; the iati-identifier is `<ref>-<project code>`. */
  reportingOrgRef: string;
  /** ISO date-time of the export (generated-datetime, last-updated-datetime) and its day (activity status). */
  generatedAt: string;
  /** Disaggregated counts below this are not published (0: no suppression). */
  suppressBelow: number;
}

type Narratives = { it: string; en?: string | null };

function narratives(parent: XMLBuilder, text: Narratives): XMLBuilder {
  parent.ele('narrative', { 'xml:lang': 'it' }).txt(text.it);
  if (text.en) parent.ele('narrative', { 'xml:lang': 'en' }).txt(text.en);
  return parent;
}

function groupingDimension(parent: XMLBuilder, grouping: string | null): void {
  if (grouping !== null) parent.ele('dimension', { name: GROUPING_DIMENSION, value: grouping });
}

export function buildIatiActivity(project: ProjectData, options: IatiOptions): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('iati-activities', { version: IATI_VERSION, 'generated-datetime': options.generatedAt });
  const currencies = [...new Set(project.contracts.map((c) => c.currency))];
  const activity = root.ele('iati-activity', {
    'last-updated-datetime': options.generatedAt,
    'xml:lang': 'it',
    ...(currencies.length === 1 ? { 'default-currency': currencies[0] } : {}),
  });
  activity.ele('iati-identifier').txt(`${options.reportingOrgRef}-${project.code}`);
  narratives(activity.ele('reporting-org', { ref: options.reportingOrgRef, type: ORG_TYPE[project.municipality.kind] }), { it: project.municipality.name });
  narratives(activity.ele('title'), { it: project.name });
  const contractList = project.contracts.map((c) => `${c.title} (${c.code})`).join('; ');
  narratives(activity.ele('description', { type: '1' }), {
    it: project.description ?? `Progetto ${project.name} di ${project.municipality.name}, con compenso in parte legato ai risultati. Contratti: ${contractList || 'nessuno'}.`,
    en: `Outcome-based social services project of ${project.municipality.name}. Contracts: ${contractList || 'none'}.`,
  });

  const municipalityRef = taxCodeRef(project.municipality) ?? options.reportingOrgRef;
  for (const role of ['1', '3']) {
    // 1 funding, 3 extending: the municipality pays and contracts.
    narratives(activity.ele('participating-org', { ref: municipalityRef, type: ORG_TYPE[project.municipality.kind], role }), { it: project.municipality.name });
  }
  const implementers = new Map<string, OrgData>();
  project.contracts.flatMap((c) => c.groupings.flatMap((g) => g.members.map((x) => x.organisation))).forEach((o) => implementers.set(o.id, o));
  for (const org of implementers.values()) {
    const ref = taxCodeRef(org);
    narratives(activity.ele('participating-org', { ...(ref === null ? {} : { ref }), type: ORG_TYPE[org.kind], role: '4' }), { it: org.name });
  }

  activity.ele('activity-status', { code: activityStatus(project.contracts, options.generatedAt.slice(0, 10)) });
  const starts = project.contracts.map((c) => c.startDate).sort();
  const ends = project.contracts.map((c) => c.endDate).sort();
  const today = options.generatedAt.slice(0, 10);
  if (starts.length > 0) {
    activity.ele('activity-date', { type: '1', 'iso-date': starts[0] });
    if (starts[0] <= today) activity.ele('activity-date', { type: '2', 'iso-date': starts[0] });
    activity.ele('activity-date', { type: '3', 'iso-date': ends[ends.length - 1] });
    if (ends[ends.length - 1] < today) activity.ele('activity-date', { type: '4', 'iso-date': ends[ends.length - 1] });
  } else {
    activity.ele('activity-date', { type: '1', 'iso-date': today });
  }
  activity.ele('recipient-country', { code: 'IT', percentage: '100' });
  // DAC 5-digit 16010: social protection.
  activity.ele('sector', { vocabulary: '1', code: '16010', percentage: '100' });

  const timelines = project.contracts.map((c) => ({ contract: c, timelines: indicatorTimelines(c) }));
  for (const node of project.nodes.filter((n) => n.level === 'OUTCOME')) {
    const indicators = timelines.flatMap(({ contract, timelines: list }) => list.filter((t) => t.definition.node === node.code).map((t) => ({ contract, timeline: t })));
    if (indicators.length === 0) continue;
    const result = activity.ele('result', { type: '2' });
    narratives(result.ele('title'), { it: node.labelIt, en: node.labelEn });
    for (const { contract, timeline } of indicators) {
      indicatorElement(result, contract, timeline, node, options);
    }
  }
  return root.end({ prettyPrint: true });
}

function indicatorElement(result: XMLBuilder, contract: ContractData, timeline: IndicatorTimeline, node: NodeData, options: IatiOptions): void {
  const d = timeline.definition;
  const indicator = result.ele('indicator', {
    measure: iatiMeasure(d.unit),
    ...(d.direction === 'LEVEL' ? {} : { ascending: d.direction === 'INCREASE' ? 'true' : 'false' }),
  });
  narratives(indicator.ele('title'), { it: d.labelIt, en: d.labelEn });
  const about = [`Unità: ${d.unit}`, d.formula ? `formula: ${d.formula.text}` : null, d.instrument ? `strumento: ${d.instrument}` : null, `contratto ${contract.code}`, `nodo ${node.code}`];
  narratives(indicator.ele('description'), { it: about.filter((x) => x !== null).join('; ') });
  indicator.ele('reference', { vocabulary: '99', code: `${contract.code}/${d.code}` });

  const periodStart = (code: string) => contract.periods.find((p) => p.code === code)?.startDate;
  for (const baseline of d.baselines) {
    if (baseline.value === null) continue;
    const b = indicator.ele('baseline', { year: baselineYear(baseline, periodStart, contract.startDate), value: baseline.value });
    groupingDimension(b, baseline.grouping);
    if (baseline.note !== undefined) narratives(b.ele('comment'), { it: baseline.note });
  }

  for (const p of timeline.periods) {
    const accepted = p.actuals.filter((a) => a.status === 'ACCEPTED' && a.value !== null);
    if (p.targets.length === 0 && accepted.length === 0) continue;
    const period = indicator.ele('period');
    period.ele('period-start', { 'iso-date': p.period.startDate });
    period.ele('period-end', { 'iso-date': p.period.endDate });
    for (const target of p.targets) {
      groupingDimension(period.ele('target', { value: target.value }), target.grouping);
    }
    for (const actual of accepted) {
      const parts = publishedParts(p.definition, actual.disaggregations, options.suppressBelow);
      const total = period.ele('actual', { value: actual.value ?? '' });
      groupingDimension(total, actual.grouping);
      const notes: Narratives[] = [];
      if (actual.members > 1) {
        notes.push({ it: `Valore del raggruppamento dai valori accettati di ${actual.members} membri (${actual.aggregation})`, en: `Grouping value from ${actual.members} members' accepted values (${actual.aggregation})` });
      }
      const hidden = suppressedSummary(parts);
      if (hidden !== null) {
        notes.push({
          it: `Soppressione dei piccoli numeri: non pubblicati i valori sotto ${options.suppressBelow} e i complementari (${hidden})`,
          en: `Small-number suppression: values below ${options.suppressBelow} and their complements not published (${hidden})`,
        });
      }
      if (notes.length > 0) narratives(total.ele('comment'), { it: notes.map((n) => n.it).join('. '), en: notes.map((n) => n.en).join('. ') });
      for (const dimension of parts) {
        for (const cell of dimension.published) {
          const part = period.ele('actual', { value: cell.value });
          groupingDimension(part, actual.grouping);
          part.ele('dimension', { name: dimension.dimension, value: cell.key });
        }
      }
    }
  }
}
