import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AccessScope, isVisible } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';
import { OpenDataQueryDto } from 'src/open-data/dto/open-data.dto';
import { buildIatiActivity } from 'src/open-data/iati.builder';
import { buildOcdsReleasePackage } from 'src/open-data/ocds.builder';
import { OpenDataError } from 'src/open-data/open-data.errors';
import { loadContractData, toOrgData } from 'src/open-data/open-data.loader';
import { ApprovedSettlement } from 'src/open-data/open-data.model';

export const DEFAULT_OCID_PREFIX = 'ocds-ancora-';

/** The IATI reporting-org ref: IATI_REPORTING_ORG_REF, else XI-ANCORA-<municipality code> (XI: IATI's own registration agency prefix). */
export function reportingOrgRef(config: Pick<AppConfig, 'iatiReportingOrgRef'>, municipalityCode: string): string {
  return config.iatiReportingOrgRef ?? `XI-ANCORA-${municipalityCode}`;
}

export interface OpenDataFile {
  fileName: string;
  contentType: string;
  text: string;
}

/** Loads what a reader may see of a project or contract, and builds its IATI activity or OCDS release package. */
@Injectable()
export class OpenDataService {
  constructor(
    private readonly db: Database,
    private readonly scope: AccessScope,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async iati(p: Principal, projectId: string, query: OpenDataQueryDto): Promise<OpenDataFile> {
    const project = await this.db.read(async (m) => {
      const found = await m.findOneBy(ProjectEntity, { id: projectId });
      if (!found || !isVisible(await this.scope.readableProjects(m, p), found.id)) {
        throw new OpenDataError('OPEN_DATA_PROJECT_NOT_FOUND', `Project ${projectId} not found`, { id: projectId });
      }
      const municipality = await m.findOneByOrFail(OrganisationEntity, { id: found.municipalityId });
      const readable = await this.scope.readableContracts(m, p);
      const contracts = (await m.find(ContractEntity, { where: { projectId: found.id }, order: { code: 'ASC' } })).filter((c) => isVisible(readable, c.id));
      const data = [];
      for (const contract of contracts) data.push(await loadContractData(m, this.scope, p, contract));
      const nodes = await m.find(ValueChainNodeEntity, { where: { projectId: found.id }, order: { position: 'ASC' } });
      return {
        id: found.id,
        code: found.code,
        name: found.name,
        description: found.description,
        municipality: toOrgData(municipality),
        contracts: data,
        nodes: nodes.map((n) => ({ code: n.code, level: n.level, labelIt: n.labelIt, labelEn: n.labelEn })),
      };
    });
    const text = buildIatiActivity(project, {
      reportingOrgRef: reportingOrgRef(this.config, project.municipality.code),
      generatedAt: this.clock.nowIso(),
      suppressBelow: query.suppressBelow ?? 0,
    });
    return { fileName: `iati-${safe(project.code)}.xml`, contentType: 'application/xml; charset=utf-8', text };
  }

  async ocds(p: Principal, contractId: string, query: OpenDataQueryDto): Promise<OpenDataFile> {
    const { data, settlements } = await this.db.read(async (m) => {
      const contract = await m.findOneBy(ContractEntity, { id: contractId });
      if (!contract || !(await this.scope.canReadContract(m, p, contract.id))) {
        throw new OpenDataError('OPEN_DATA_CONTRACT_NOT_FOUND', `Contract ${contractId} not found`, { id: contractId });
      }
      const loaded = await loadContractData(m, this.scope, p, contract);
      return { data: loaded, settlements: await approvedSettlements(m, contract.id) };
    });
    const text = buildOcdsReleasePackage(data, settlements, {
      ocidPrefix: this.config.ocdsOcidPrefix ?? DEFAULT_OCID_PREFIX,
      publishedAt: this.clock.nowIso(),
      suppressBelow: query.suppressBelow ?? 0,
    });
    return { fileName: `ocds-${safe(data.code)}.json`, contentType: 'application/json; charset=utf-8', text };
  }
}

/** The APPROVED settlement versions of a contract, with the member allocation read from each document. */
export async function approvedSettlements(m: EntityManager, contractId: string): Promise<ApprovedSettlement[]> {
  const rows = await m.find(SettlementEntity, { where: { contractId, state: In(['APPROVED']) }, order: { createdAt: 'ASC', id: 'ASC' } });
  return rows.map((s) => ({
    id: s.id,
    periodId: s.periodId,
    groupingId: s.groupingId,
    version: s.version,
    payable: s.payable,
    approvedAt: s.approvedAt ?? s.updatedAt,
    documentHash: s.documentHash,
    allocation: allocationOf(s.document),
  }));
}

function allocationOf(document: string): ApprovedSettlement['allocation'] {
  const parsed = JSON.parse(document) as { result?: { allocation?: { memberId?: unknown; amount?: unknown }[] } };
  return (parsed.result?.allocation ?? []).flatMap((a) => (typeof a.memberId === 'string' && typeof a.amount === 'string' ? [{ member: a.memberId, amount: a.amount }] : []));
}

function safe(code: string): string {
  return code.replace(/[^A-Za-z0-9._-]/g, '_');
}
