import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { Database } from 'src/database/database';
import { ContractEntity } from 'src/contracts/contract.entity';
import { IndicatorEntity } from 'src/indicators/indicator.entity';
import { CoDefinitionAccess, forbidden } from 'src/co-definition/co-definition.access';
import { CoDefinitionError } from 'src/co-definition/co-definition.errors';
import {
  CreateProposalDto,
  IndicatorSourcesDto,
  ListProposalsQueryDto,
  ProposalDto,
  ProposalItemDto,
  ReplaceIndicatorSourcesDto,
  toProposalDto,
  UpdateProposalDto,
} from 'src/co-definition/dto/proposal.dto';
import { IndicatorProposalLinkEntity, ProposalAnswers, ProposalEntity, ProposalItem } from 'src/co-definition/proposal.entity';
import { missingForSubmission } from 'src/co-definition/proposal.rules';

const items = (list: readonly ProposalItemDto[] | undefined): ProposalItem[] =>
  (list ?? []).map((i) => ({ label: i.label, description: i.description ?? null }));

/** Proposal sheets (schede) and the links from final indicators to the proposals they came from. */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: CoDefinitionAccess,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, contractId: string, dto: CreateProposalDto): Promise<ProposalDto> {
    return this.db.transaction(async (m) => {
      const contract = await this.access.readableContract(m, principal, contractId);
      const organisationId = await this.access.proposingOrganisation(m, principal, contract);
      const now = this.clock.nowIso();
      const entity: ProposalEntity = {
        id: this.ids.next(),
        contractId,
        organisationId,
        authoredBy: principal.userId,
        authoredByLabel: principal.label,
        state: 'DRAFT',
        answers: { q1: dto.answers?.q1 ?? null, q2: dto.answers?.q2 ?? null, q3: dto.answers?.q3 ?? null, q4: dto.answers?.q4 ?? null },
        dimensions: items(dto.dimensions),
        metrics: items(dto.metrics),
        instruments: items(dto.instruments),
        submittedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await m.insert(ProposalEntity, entity);
      const after = toProposalDto(entity);
      await this.record(m, principal, 'create', contract, entity.id, null, after);
      return after;
    });
  }

  async list(principal: Principal, contractId: string, query: ListProposalsQueryDto): Promise<Page<ProposalDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await this.db.read(async (m) => {
      const contract = await this.access.readableContract(m, principal, contractId);
      const all = await this.access.seesAllProposals(m, principal, contract);
      if (!all && !principal.organisationId) return [[], 0] as [ProposalEntity[], number];
      const where = {
        contractId,
        ...(all ? {} : { organisationId: principal.organisationId as string }),
        ...(query.state ? { state: query.state } : {}),
      };
      return m.findAndCount(ProposalEntity, { where, order: { createdAt: 'ASC', id: 'ASC' }, take, skip });
    });
    return toPage(rows, total, query, toProposalDto);
  }

  async get(principal: Principal, id: string): Promise<ProposalDto> {
    return this.db.read(async (m) => toProposalDto((await this.access.readableProposal(m, principal, id)).proposal));
  }

  async update(principal: Principal, id: string, dto: UpdateProposalDto): Promise<ProposalDto> {
    return this.db.transaction(async (m) => {
      const { proposal, contract } = await this.editable(m, principal, id);
      const answers: ProposalAnswers = { ...proposal.answers };
      for (const key of ['q1', 'q2', 'q3', 'q4'] as const) {
        const value = dto.answers?.[key];
        if (value !== undefined) answers[key] = value;
      }
      const next: ProposalEntity = {
        ...proposal,
        answers,
        dimensions: dto.dimensions === undefined ? proposal.dimensions : items(dto.dimensions),
        metrics: dto.metrics === undefined ? proposal.metrics : items(dto.metrics),
        instruments: dto.instruments === undefined ? proposal.instruments : items(dto.instruments),
        updatedAt: this.clock.nowIso(),
      };
      await m.save(ProposalEntity, next);
      const after = toProposalDto(next);
      await this.record(m, principal, 'update', contract, id, toProposalDto(proposal), after);
      return after;
    });
  }

  async submit(principal: Principal, id: string): Promise<ProposalDto> {
    return this.db.transaction(async (m) => {
      const { proposal, contract } = await this.editable(m, principal, id);
      const missing = missingForSubmission(proposal);
      if (missing.length > 0) {
        throw new CoDefinitionError('CO_DEFINITION_PROPOSAL_INCOMPLETE', 'The proposal is not complete: answer the four questions and propose dimensions and metrics', {
          fields: missing,
        });
      }
      const now = this.clock.nowIso();
      const next: ProposalEntity = { ...proposal, state: 'SUBMITTED', submittedAt: now, updatedAt: now };
      await m.update(ProposalEntity, { id }, { state: next.state, submittedAt: now, updatedAt: now });
      const after = toProposalDto(next);
      await this.record(m, principal, 'submit', contract, id, toProposalDto(proposal), after);
      return after;
    });
  }

  async sources(principal: Principal, indicatorId: string): Promise<IndicatorSourcesDto> {
    return this.db.read(async (m) => {
      const { indicator, contract } = await this.readableIndicator(m, principal, indicatorId);
      return this.sourcesView(m, principal, indicator, contract);
    });
  }

  /** Replaces the indicator's links to the (submitted) proposals of its contract it was consolidated from. */
  async replaceSources(principal: Principal, indicatorId: string, dto: ReplaceIndicatorSourcesDto): Promise<IndicatorSourcesDto> {
    return this.db.transaction(async (m) => {
      const { indicator, contract } = await this.readableIndicator(m, principal, indicatorId, true);
      await this.access.requireManager(m, principal, contract);
      const proposals = dto.proposalIds.length === 0 ? [] : await m.find(ProposalEntity, { where: { id: In(dto.proposalIds) } });
      const byId = new Map(proposals.map((p) => [p.id, p]));
      const problems = dto.proposalIds.flatMap((pid, i) => {
        const p = byId.get(pid);
        if (!p || p.contractId !== contract.id) return [{ field: `proposalIds[${i}]`, message: "not a proposal of the indicator's contract" }];
        if (p.state !== 'SUBMITTED') return [{ field: `proposalIds[${i}]`, message: 'still a draft: only submitted proposals can be consolidated' }];
        return [];
      });
      if (problems.length > 0) {
        throw new CoDefinitionError('CO_DEFINITION_PROPOSAL_NOT_LINKABLE', 'Only submitted proposals of the same contract can be sources of an indicator', {
          fields: problems,
        });
      }
      const before = await this.sourcesView(m, principal, indicator, contract);
      await m.delete(IndicatorProposalLinkEntity, { indicatorId });
      if (dto.proposalIds.length > 0) {
        await m.insert(
          IndicatorProposalLinkEntity,
          dto.proposalIds.map((proposalId, position) => ({ id: this.ids.next(), position, indicatorId, proposalId })),
        );
      }
      const after = await this.sourcesView(m, principal, indicator, contract);
      await this.audit.record(m, principal, {
        action: 'update',
        objectType: 'indicator_sources',
        objectId: indicatorId,
        contractId: contract.id,
        municipalityId: contract.municipalityId,
        before,
        after,
      });
      return after;
    });
  }

  private async sourcesView(m: EntityManager, principal: Principal, indicator: IndicatorEntity, contract: ContractEntity): Promise<IndicatorSourcesDto> {
    const links = await m.find(IndicatorProposalLinkEntity, { where: { indicatorId: indicator.id }, order: { position: 'ASC' } });
    const proposals = links.length === 0 ? [] : await m.find(ProposalEntity, { where: { id: In(links.map((l) => l.proposalId)) } });
    const byId = new Map(proposals.map((p) => [p.id, p]));
    const all = await this.access.seesAllProposals(m, principal, contract);
    return {
      indicatorId: indicator.id,
      indicatorCode: indicator.code,
      contractId: contract.id,
      sources: links
        .map((l) => byId.get(l.proposalId))
        .filter((p): p is ProposalEntity => p !== undefined && (all || p.organisationId === principal.organisationId))
        .map((p) => ({ proposalId: p.id, organisationId: p.organisationId, state: p.state, submittedAt: p.submittedAt })),
    };
  }

  private async readableIndicator(m: EntityManager, principal: Principal, id: string, lock = false): Promise<{ indicator: IndicatorEntity; contract: ContractEntity }> {
    const locking = lock && this.db.dialect === 'postgres';
    const indicator = await m.findOne(IndicatorEntity, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!indicator) {
      throw new CoDefinitionError('CO_DEFINITION_INDICATOR_NOT_FOUND', `Indicator ${id} not found`, { id });
    }
    try {
      return { indicator, contract: await this.access.readableContract(m, principal, indicator.contractId) };
    } catch {
      throw new CoDefinitionError('CO_DEFINITION_INDICATOR_NOT_FOUND', `Indicator ${id} not found`, { id });
    }
  }

  /** A proposal its author's organisation may still change: 404 if unseen, 403 for other readers, 409 once submitted. */
  private async editable(m: EntityManager, principal: Principal, id: string): Promise<{ proposal: ProposalEntity; contract: ContractEntity }> {
    const found = await this.access.readableProposal(m, principal, id, true);
    if (found.proposal.organisationId !== principal.organisationId) {
      throw forbidden("Only the proposing organisation may change its proposal");
    }
    if (found.proposal.state !== 'DRAFT') {
      throw new CoDefinitionError('CO_DEFINITION_PROPOSAL_NOT_DRAFT', 'The proposal was submitted and can no longer be changed', { id, state: found.proposal.state });
    }
    return found;
  }

  private record(m: EntityManager, principal: Principal, action: string, contract: ContractEntity, id: string, before: unknown, after: unknown) {
    return this.audit.record(m, principal, {
      action,
      objectType: 'indicator_proposal',
      objectId: id,
      contractId: contract.id,
      municipalityId: contract.municipalityId,
      before,
      after,
    });
  }
}
