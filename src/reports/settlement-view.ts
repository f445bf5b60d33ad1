import type { ReportLang } from 'src/reports/report-text';
import type { IndicatorInput, MeasurementSource, SettlementDocument } from 'src/settlements/settlement-document';
import type { SettlementLine } from 'src/settlements/calculation/settlement.types';

// What every rendering (CSV, XLSX, PDF) reads from a settlement document, joined once: each line with
// its indicator's label and the measurement versions it was computed from.

export interface ReportLine {
  line: SettlementLine;
  indicator: IndicatorInput | null;
  label: string;
  unit: string;
  /** "ETS-AURORA v2 9f1c…" per accepted measurement version, in the order of the inputs. */
  measurementVersions: string[];
  /** The gates, guardrails, caps and floors applied to the line, and its missing-data policy: see appliedOf. */
  applied: string[];
}

export function indicatorLabel(indicator: IndicatorInput | null, lang: ReportLang): string {
  if (indicator === null) return '';
  return lang === 'en' && indicator.labelEn !== null ? indicator.labelEn : indicator.labelIt;
}

/** "IND-01 · label"; the code alone when there is no label. */
export function codeAndLabel(code: string, label: string): string {
  return label === '' ? code : `${code} · ${label}`;
}

/**
 * What a line of the delta is about: "IND-01 · label", or "T5 · IND-05 · label" when the term has an id of its
 * own. A term only the previous version had is no line of this document: its id alone (its indicator's label
 * when the id is an indicator code of the inputs).
 */
export function termTitle(doc: SettlementDocument, termId: string, lang: ReportLang): string {
  const code = doc.result.lines.find((l) => l.termId === termId)?.indicatorCode ?? termId;
  const label = indicatorLabel(doc.inputs.indicators.find((i) => i.code === code) ?? null, lang);
  return codeAndLabel(code === termId ? termId : `${termId} · ${code}`, label);
}

/**
 * The line's `applied` entries as the reports show them. The calculator also records a shadow line without a
 * target as `NO_TARGET` there: that is the line's status (in the status column), not something applied to it,
 * so the reports leave it out. The document keeps it: it is part of the hashed result.
 */
export function appliedOf(line: SettlementLine): string[] {
  return line.applied.filter((a) => a !== 'NO_TARGET');
}

export function measurementVersion(source: MeasurementSource): string {
  return `${source.organisation} v${source.version} ${source.measurementId}`;
}

export function reportLines(doc: SettlementDocument, lang: ReportLang): ReportLine[] {
  const byCode = new Map(doc.inputs.indicators.map((i) => [i.code, i]));
  return doc.result.lines.map((line) => {
    const indicator = byCode.get(line.indicatorCode) ?? null;
    return {
      line,
      indicator,
      label: indicatorLabel(indicator, lang),
      unit: indicator?.unit ?? '',
      measurementVersions: indicator?.sources.map(measurementVersion) ?? [],
      applied: appliedOf(line),
    };
  });
}

/** The rule set's code, read defensively: the document stores the frozen rule set as opaque JSON. */
export function ruleSetCode(doc: SettlementDocument): string | null {
  const rs = doc.inputs.ruleSet;
  if (typeof rs === 'object' && rs !== null && 'code' in rs && typeof rs.code === 'string') return rs.code;
  return null;
}

/** "PD-SDC-R1, indicator-set version 3": the rule set is frozen into (and versioned with) the indicator set. */
export function ruleSetDescription(doc: SettlementDocument, lang: ReportLang): string {
  const code = ruleSetCode(doc) ?? '?';
  const v = doc.inputs.indicatorSet.version;
  return lang === 'it' ? `${code}, versione ${v} del set di indicatori` : `${code}, indicator-set version ${v}`;
}

/** A stable file name for a rendering: "settlement-PD-SDC-2.0-RTI-A-Y2-v1.pdf". */
export function settlementReportFileName(
  doc: SettlementDocument,
  extension: 'json' | 'csv' | 'xlsx' | 'pdf',
  variant: { profile?: 'it' | 'intl'; lang?: 'it' | 'en' } = {},
): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  const { contract, grouping, period } = doc.inputs;
  // Italian with the Italian CSV profile keeps the plain name; other variants are marked, so that the files of
  // one settlement in both languages (and both CSV profiles) can sit in one folder. JSON has no language.
  const marks = `${variant.profile === 'intl' ? '.intl' : ''}${variant.lang === 'en' && extension !== 'json' ? '.en' : ''}`;
  return `settlement-${safe(contract.code)}-${safe(grouping.code)}-${safe(period.code)}-v${doc.version}${marks}.${extension}`;
}

export const REPORT_CONTENT_TYPES = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
