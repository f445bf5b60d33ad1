import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Principal } from 'src/auth/principal';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { ReportFormat, SettlementReportQueryDto } from 'src/reports/dto/report-query.dto';
import { earlierPeriodSettlements, groupingHistory } from 'src/reports/grouping-history';
import { ReportError } from 'src/reports/reports.errors';
import type { ReportLang } from 'src/reports/report-text';
import { CsvProfileName, renderSettlementCsv } from 'src/reports/settlement-csv';
import { renderSettlementJson } from 'src/reports/settlement-json';
import { IndicatorHistory, PreviousBasis, renderSettlementPdf } from 'src/reports/settlement-pdf';
import type { SettlementStatus } from 'src/reports/settlement-status';
import { REPORT_CONTENT_TYPES, settlementReportFileName } from 'src/reports/settlement-view';
import { renderSettlementXlsx } from 'src/reports/settlement-xlsx';
import { SettlementAccess } from 'src/settlements/settlement.access';
import type { SettlementDocument, SettlementState } from 'src/settlements/settlement-document';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { parseDocument } from 'src/settlements/settlement-rows';

/** One rendering of a settlement, ready to send or write. */
export interface ReportFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** The latest version of one grouping's settlement in a period report. */
export interface PeriodReportSettlement {
  settlementId: string;
  contractCode: string;
  groupingCode: string;
  version: number;
  state: SettlementState;
  premium: string;
  payable: string;
  documentHash: string;
}

export interface PeriodReportPlan {
  municipalityCode: string;
  periodCode: string;
  /** Every contract of the municipality that has the period, by code; `settlements` by grouping order (empty: none computed yet). */
  contracts: { contractCode: string; settlements: PeriodReportSettlement[] }[];
}

/** Every rendering the period report writes for one settlement (docs/reports.md). */
export const PERIOD_REPORT_RENDERINGS: readonly { format: ReportFormat; profile?: CsvProfileName }[] = [
  { format: 'json' },
  { format: 'csv', profile: 'it' },
  { format: 'csv', profile: 'intl' },
  { format: 'xlsx' },
  { format: 'pdf' },
];

/**
 * Reports of settlements (docs/reports.md): the pure renderers fed with a settlement the caller may read
 * (SettlementAccess: ETS staff only their own groupings) and, for the PDF charts, the grouping's earlier
 * periods. Loading happens in one read; rendering (the PDF's charts take a moment) after it, so the
 * database is not held while pages are laid out.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: Database,
    private readonly access: SettlementAccess,
  ) {}

  async settlementReport(p: Principal, id: string, query: SettlementReportQueryDto): Promise<ReportFile> {
    const format = query.format ?? 'json';
    const lang = query.lang ?? 'it';
    const { doc, status, earlier, previous } = await this.db.read((m) => this.load(m, p, id, format === 'pdf'));
    return render(doc, format, { status, lang, profile: query.profile ?? 'it', history: groupingHistory(doc, earlier, lang), previous });
  }

  /** Every rendering of one settlement (JSON, CSV in both profiles, XLSX, PDF) in the period report's order. */
  async allReports(p: Principal, id: string, lang: ReportLang): Promise<ReportFile[]> {
    const { doc, status, earlier, previous } = await this.db.read((m) => this.load(m, p, id, true));
    const history = groupingHistory(doc, earlier, lang);
    const files: ReportFile[] = [];
    for (const r of PERIOD_REPORT_RENDERINGS) files.push(await render(doc, r.format, { status, lang, profile: r.profile ?? 'it', history, previous }));
    return files;
  }

  /** The latest settlement of every grouping the caller may see, in every contract of the municipality that has the period. */
  async periodPlan(p: Principal, municipalityCode: string, periodCode: string): Promise<PeriodReportPlan> {
    return this.db.read(async (m) => {
      const municipality = await m.findOneBy(OrganisationEntity, { code: municipalityCode });
      if (municipality === null) {
        throw new ReportError('REPORT_MUNICIPALITY_NOT_FOUND', `Municipality ${municipalityCode} not found`, { municipalityCode });
      }
      const contracts = await m.find(ContractEntity, { where: { municipalityId: municipality.id }, order: { code: 'ASC' } });
      const periods = await m.find(ContractPeriodEntity, { where: { code: periodCode, contractId: In(contracts.map((c) => c.id).concat(['-'])) } });
      const plan: PeriodReportPlan = { municipalityCode, periodCode, contracts: [] };
      for (const contract of contracts) {
        const period = periods.find((x) => x.contractId === contract.id);
        const visible = period ? await this.access.visibleGroupings(m, p, contract) : null;
        if (!period || visible === null) continue;
        const groupings = await m.find(ProviderGroupingEntity, { where: { contractId: contract.id }, order: { position: 'ASC' } });
        const rows = await m.find(SettlementEntity, {
          where: { contractId: contract.id, periodId: period.id },
          select: { id: true, groupingId: true, version: true, state: true, premium: true, payable: true, documentHash: true },
        });
        const settlements: PeriodReportSettlement[] = [];
        for (const g of groupings) {
          if (visible !== 'ALL' && !visible.includes(g.id)) continue;
          const latest = rows.filter((r) => r.groupingId === g.id).reduce<SettlementEntity | null>((a, r) => (a === null || r.version > a.version ? r : a), null);
          if (latest === null) continue;
          const { id: settlementId, version, state, premium, payable, documentHash } = latest;
          settlements.push({ settlementId, contractCode: contract.code, groupingCode: g.code, version, state, premium, payable, documentHash });
        }
        plan.contracts.push({ contractCode: contract.code, settlements });
      }
      if (plan.contracts.length === 0) {
        throw new ReportError('REPORT_PERIOD_NOT_FOUND', `No contract of ${municipalityCode} has a period ${periodCode}`, { municipalityCode, periodCode });
      }
      return plan;
    });
  }

  /**
   * The settlement (404 unless the caller may read it) and its state; for a PDF, the documents of its grouping's
   * earlier periods (charts) and, when it replaces a version, what that version was computed on (the delta's basis).
   */
  private async load(
    m: EntityManager,
    p: Principal,
    id: string,
    forPdf: boolean,
  ): Promise<{ doc: SettlementDocument; status: SettlementStatus; earlier: SettlementDocument[]; previous: PreviousBasis | undefined }> {
    const { settlement } = await this.access.settlement(m, p, id);
    const doc = parseDocument(settlement);
    const status = await statusOf(m, settlement);
    if (!forPdf) return { doc, status, earlier: [], previous: undefined };
    const previous = doc.delta === null ? undefined : await previousBasis(m, doc.delta.previousId);
    const positions = new Map((await m.find(ContractPeriodEntity, { where: { contractId: settlement.contractId } })).map((x) => [x.id, x.position]));
    const rows = await m.find(SettlementEntity, {
      where: { contractId: settlement.contractId, groupingId: settlement.groupingId },
      select: { id: true, periodId: true, version: true, state: true },
    });
    const refs = rows.map((r) => ({ id: r.id, periodPosition: positions.get(r.periodId) ?? Number.MAX_SAFE_INTEGER, version: r.version, state: r.state }));
    const chosen = earlierPeriodSettlements(refs, positions.get(settlement.periodId) ?? 0);
    if (chosen.length === 0) return { doc, status, earlier: [], previous };
    const documents = await m.find(SettlementEntity, { where: { id: In(chosen.map((c) => c.id)) }, select: { id: true, document: true } });
    const byId = new Map(documents.map((d) => [d.id, d]));
    return { doc, status, earlier: chosen.map((c) => parseDocument(byId.get(c.id) as SettlementEntity)), previous };
  }
}

/**
 * Where the settlement stands, from its row (the document does not say: decision 0011). A SUPERSEDED version
 * names the version that replaced it: the reopened one (previousId) whose approval superseded it, which may
 * itself have been superseded since.
 */
async function statusOf(m: EntityManager, s: SettlementEntity): Promise<SettlementStatus> {
  const next =
    s.state === 'SUPERSEDED'
      ? await m.findOne(SettlementEntity, { where: { previousId: s.id, state: In(['APPROVED', 'SUPERSEDED']) }, select: { id: true, version: true }, order: { version: 'ASC' } })
      : null;
  return { state: s.state, approvedAt: s.approvedAt, approvedBy: s.approvedByLabel, supersededBy: next === null ? null : { id: next.id, version: next.version } };
}

/** The replaced version's basis; the same grouping and period, so readable by whoever reads this one. */
async function previousBasis(m: EntityManager, previousId: string): Promise<PreviousBasis | undefined> {
  const row = await m.findOne(SettlementEntity, { where: { id: previousId }, select: { id: true, document: true } });
  if (row === null) return undefined;
  const previous = parseDocument(row);
  return { indicatorSetVersion: previous.inputs.indicatorSet.version, ruleSetHash: previous.manifest.ruleSetHash };
}

async function render(
  doc: SettlementDocument,
  format: ReportFormat,
  options: { status: SettlementStatus; lang: ReportLang; profile: CsvProfileName; history: IndicatorHistory[]; previous: PreviousBasis | undefined },
): Promise<ReportFile> {
  const profile = format === 'csv' ? options.profile : undefined;
  const fileName = settlementReportFileName(doc, format, { profile, lang: options.lang });
  const file = (bytes: Buffer): ReportFile => ({ fileName, contentType: REPORT_CONTENT_TYPES[format], bytes });
  switch (format) {
    case 'json':
      // The stored document itself, what verification reads (docs/settlements.md): the state cannot be added to it.
      return file(renderSettlementJson(doc));
    case 'csv':
      return file(renderSettlementCsv(doc, { profile: options.profile, lang: options.lang, status: options.status }));
    case 'xlsx':
      return file(await renderSettlementXlsx(doc, { lang: options.lang, status: options.status }));
    case 'pdf':
      return file(await renderSettlementPdf(doc, { status: options.status, lang: options.lang, history: options.history, previous: options.previous }));
  }
}
