import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { pageWindow, toPage } from 'src/common/pagination/page';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database } from 'src/database/database';
import { hashOf } from 'src/settlements/engine/settlement-manifest';
import { SettlementListQueryDto } from 'src/settlements/dto/settlement-query.dto';
import {
  ApproveSettlementDto,
  ReopenSettlementDto,
  SettlementDto,
  SettlementListDto,
  SettlementSummaryDto,
  SettlementVerificationDto,
  toSettlementSummary,
} from 'src/settlements/dto/settlement.dto';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { buildDocument } from 'src/settlements/settlement-document.builder';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { readCurrentInputs } from 'src/settlements/settlement-inputs.ready';
import { staleInputs, staleMessage } from 'src/settlements/settlement-staleness';
import { parseDocument, settlementRow, verification } from 'src/settlements/settlement-rows';
import { calculating, SettlementError } from 'src/settlements/settlements.errors';

// What toSettlementSummary reads: a list never loads the documents (large; read one at a time).
const SUMMARY_COLUMNS = [
  'id', 'contractId', 'periodId', 'groupingId', 'version', 'state', 'premium', 'payable', 'documentHash',
  'computedAt', 'computedByLabel', 'approvedAt', 'approvedByLabel', 'previousId', 'reopenReason',
] as const satisfies readonly (keyof SettlementEntity)[];

/**
 * Settlements of a contract period (docs/settlements.md). States:
 *   (none) --compute--> DRAFT --compute--> DRAFT (recomputed in place: SettlementDraftsService)
 *   DRAFT --approve (an approver who did not compute it, naming its documentHash, data unchanged)--> APPROVED
 *   APPROVED --reopen (approver, reason)--> a new DRAFT version with the delta; when that version is
 *   approved the old one becomes SUPERSEDED. Documents are never edited once approved.
 * Every change locks the contract row (PostgreSQL; SQLite serialises) and records an audit entry in the
 * same transaction.
 */
@Injectable()
export class SettlementsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
    private readonly access: SettlementAccess,
  ) {}

  async approve(p: Principal, id: string, dto: ApproveSettlementDto): Promise<SettlementDto> {
    return this.db.transaction(async (m) => {
      const { settlement, contract } = await this.access.settlement(m, p, id, true);
      await this.access.requireApprover(m, p, contract);
      if (settlement.state !== 'DRAFT') {
        throw new SettlementError('SETTLEMENT_NOT_DRAFT', `Settlement version ${settlement.version} is ${settlement.state}`, { id, state: settlement.state });
      }
      if (settlement.computedBy === p.userId || settlement.reopenedBy === p.userId) {
        const did = settlement.reopenedBy === p.userId ? `reopened version ${settlement.version - 1} into it` : 'computed it';
        throw new SettlementError('SETTLEMENT_SELF_APPROVAL', `A settlement is approved by someone other than the person who computed or reopened it: you ${did}`, {
          id,
          reason: settlement.reopenedBy === p.userId ? 'REOPENED_BY_YOU' : 'COMPUTED_BY_YOU',
        });
      }
      if (dto.documentHash !== settlement.documentHash) {
        throw new SettlementError('SETTLEMENT_STALE', 'The document you approve is not the current draft: read it again', {
          id,
          documentHash: settlement.documentHash,
          fields: [{ field: 'documentHash', message: 'does not match the current draft' }],
        });
      }
      const { inputs, groupingIds } = await readCurrentInputs(m, contract, settlement.periodId);
      const current = inputs[groupingIds.indexOf(settlement.groupingId)];
      const doc = parseDocument(settlement);
      if (current === undefined || hashOf(current) !== doc.manifest.inputsHash) {
        const stale = staleInputs(doc.inputs, current);
        throw new SettlementError('SETTLEMENT_STALE', staleMessage(stale), {
          id,
          changed: stale.changed,
          ...(stale.indicators.length > 0 ? { indicators: stale.indicators } : {}),
        });
      }
      const now = this.clock.nowIso();
      const codes = await this.codes(m, contract.id);
      const before = toSettlementSummary(settlement, codes(settlement));
      const approved: SettlementEntity = { ...settlement, state: 'APPROVED', approvedBy: p.userId, approvedByLabel: p.label, approvedAt: now, updatedAt: now };
      await m.update(SettlementEntity, { id, state: 'DRAFT' }, { state: 'APPROVED', approvedBy: p.userId, approvedByLabel: p.label, approvedAt: now, updatedAt: now });
      if (settlement.previousId) await m.update(SettlementEntity, { id: settlement.previousId, state: 'APPROVED' }, { state: 'SUPERSEDED', updatedAt: now });
      await this.audit.record(m, p, {
        action: 'approve',
        objectType: 'settlement',
        objectId: id,
        contractId: contract.id,
        municipalityId: contract.municipalityId,
        before,
        after: toSettlementSummary(approved, codes(approved)),
      });
      return { ...toSettlementSummary(approved, codes(approved)), document: doc };
    });
  }

  /** A new DRAFT version computed from the current data, with the delta against this approved one. */
  async reopen(p: Principal, id: string, dto: ReopenSettlementDto): Promise<SettlementDto> {
    // Validation refuses a blank reason (400 VALIDATION_FAILED, like a missing one); what is stored is trimmed.
    const reason = dto.reason.trim();
    return this.db.transaction(async (m) => {
      const { settlement, contract } = await this.access.settlement(m, p, id, true);
      await this.access.requireApprover(m, p, contract);
      await this.access.contract(m, p, contract.id, true);
      const newer = await m.findOne(SettlementEntity, { where: { contractId: contract.id, periodId: settlement.periodId, groupingId: settlement.groupingId }, order: { version: 'DESC' } });
      if (settlement.state !== 'APPROVED' || (newer !== null && newer.version > settlement.version)) {
        // Say what stands in the way: a newer version (already reopened, its draft waiting), or this one's state.
        const why =
          newer !== null && newer.version > settlement.version
            ? `version ${settlement.version} was already reopened: version ${newer.version} is ${newer.state}${newer.state === 'DRAFT' ? ' (approve it, or recompute it first)' : ''}`
            : `version ${settlement.version} is ${settlement.state}`;
        throw new SettlementError('SETTLEMENT_NOT_APPROVED', `Only the latest approved version is reopened; ${why}`, {
          id,
          state: settlement.state,
          latestVersion: newer?.version ?? settlement.version,
        });
      }
      const { inputs, groupingIds, period, bindingVersionId } = await readCurrentInputs(m, contract, settlement.periodId);
      const index = groupingIds.indexOf(settlement.groupingId);
      const now = this.clock.nowIso();
      const { doc, text } = calculating(() =>
        buildDocument({ id: this.ids.next(), version: settlement.version + 1, computedAt: now, computedBy: p.label, reopenReason: reason }, inputs[index], parseDocument(settlement)),
      );
      const row = settlementRow(doc, text, { contractId: contract.id, periodId: period.id, groupingId: settlement.groupingId, bindingVersionId }, p, now, null);
      row.previousId = settlement.id;
      row.reopenedBy = p.userId;
      row.reopenReason = reason;
      await m.insert(SettlementEntity, row);
      const codes = await this.codes(m, contract.id);
      await this.audit.record(m, p, {
        action: 'reopen',
        objectType: 'settlement',
        objectId: row.id,
        contractId: contract.id,
        municipalityId: contract.municipalityId,
        before: toSettlementSummary(settlement, codes(settlement)),
        after: toSettlementSummary(row, codes(row)),
      });
      return { ...toSettlementSummary(row, codes(row)), document: doc };
    });
  }

  async get(p: Principal, id: string): Promise<SettlementDto> {
    return this.db.read(async (m) => {
      const { settlement, contract } = await this.access.settlement(m, p, id);
      const codes = await this.codes(m, contract.id);
      return { ...toSettlementSummary(settlement, codes(settlement)), document: parseDocument(settlement) };
    });
  }

  /** Every version the caller may see, by period then grouping (their positions in the contract) then version, paged. */
  async list(p: Principal, contractId: string, query: SettlementListQueryDto): Promise<SettlementListDto> {
    const { take, skip } = pageWindow(query);
    return this.db.read(async (m) => {
      const { contract, groupings } = await this.access.contract(m, p, contractId);
      if (groupings !== 'ALL' && groupings.length === 0) return toPage([], 0, query, (r: SettlementSummaryDto) => r);
      const qb = m
        .createQueryBuilder(SettlementEntity, 's')
        .innerJoin(ContractPeriodEntity, 'p', 'p.id = s.periodId')
        .innerJoin(ProviderGroupingEntity, 'g', 'g.id = s.groupingId')
        .select(SUMMARY_COLUMNS.map((c) => `s.${c}`))
        .where('s.contractId = :contractId', { contractId: contract.id });
      if (query.periodId !== undefined) qb.andWhere('s.periodId = :periodId', { periodId: query.periodId });
      if (groupings !== 'ALL') qb.andWhere('s.groupingId IN (:...groupings)', { groupings });
      // One row per settlement (each has one period and one grouping), so plain LIMIT/OFFSET pages it.
      const [rows, total] = await qb
        .orderBy('p.position', 'ASC')
        .addOrderBy('g.position', 'ASC')
        .addOrderBy('s.version', 'ASC')
        .addOrderBy('s.id', 'ASC')
        .offset(skip)
        .limit(take)
        .getManyAndCount();
      const codes = await this.codes(m, contract.id);
      return toPage(rows, total, query, (r) => toSettlementSummary(r, codes(r)));
    });
  }

  /** Recomputes the settlement from its stored inputs and compares every hash. */
  async verify(p: Principal, id: string): Promise<SettlementVerificationDto> {
    return this.db.read(async (m) => {
      const { settlement } = await this.access.settlement(m, p, id);
      return verification(settlement);
    });
  }

  // -- helpers -------------------------------------------------------------------------------------

  private async codes(m: EntityManager, contractId: string): Promise<(s: Pick<SettlementEntity, 'periodId' | 'groupingId'>) => { period: string; grouping: string }> {
    const periods = new Map((await m.find(ContractPeriodEntity, { where: { contractId } })).map((x) => [x.id, x.code]));
    const groupings = new Map((await m.find(ProviderGroupingEntity, { where: { contractId } })).map((x) => [x.id, x.code]));
    return (s) => ({ period: periods.get(s.periodId) ?? s.periodId, grouping: groupings.get(s.groupingId) ?? s.groupingId });
  }



}
