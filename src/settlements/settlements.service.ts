import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditEvent, AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import type { BindingIndicatorSet } from 'src/co-definition/indicator-set.resolver';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database } from 'src/database/database';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { hashOf } from 'src/settlements/engine/settlement-manifest';
import {
  ApproveSettlementDto,
  ComputeSettlementsResultDto,
  ReopenSettlementDto,
  SettlementDto,
  SettlementListDto,
  SettlementSummaryDto,
  SettlementVerificationDto,
  toSettlementSummary,
} from 'src/settlements/dto/settlement.dto';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { buildDocument, verifyDocument } from 'src/settlements/settlement-document.builder';
import type { SettlementDocument, SettlementInputs } from 'src/settlements/settlement-document';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { assembleInputs, bindingsInForce, type ContractFrame, fetchInputRows, type InputRows } from 'src/settlements/settlement-inputs.loader';
import { calculating, SettlementError } from 'src/settlements/settlements.errors';

/**
 * Settlements of a contract period (docs/settlements.md). States:
 *   (none) --compute--> DRAFT --compute--> DRAFT (recomputed in place from the current data)
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

  /** Drafts for every grouping of the period whose latest version is not approved. */
  async compute(p: Principal, contractId: string, periodId: string): Promise<ComputeSettlementsResultDto> {
    return this.db.transaction(async (m) => {
      const { contract } = await this.access.contract(m, p, contractId, true);
      await this.access.requireManager(m, p, contract);
      return this.computeIn(m, p, contract, periodId);
    });
  }

  /** The compute step inside the caller's transaction. */
  async computeIn(m: EntityManager, p: Principal, contract: ContractEntity, periodId: string): Promise<ComputeSettlementsResultDto> {
    return this.writeDrafts(m, p, contract, await this.currentInputs(m, contract, periodId));
  }

  /**
   * Writes the drafts of a contract period from inputs already read (a portfolio run reads many contracts
   * at once, then writes each in its own transaction): new versions inserted together, audit entries
   * appended together, approved groupings left alone.
   */
  async writeDrafts(m: EntityManager, p: Principal, contract: ContractEntity, ready: ReadyInputs): Promise<ComputeSettlementsResultDto> {
    const { inputs, frame, period, bindingVersionId } = ready;
    const existing = ready.latest;
    const codes = codesOf(frame);
    const computed: SettlementSummaryDto[] = [];
    const unchanged: SettlementSummaryDto[] = [];
    const inserts: SettlementEntity[] = [];
    const events: AuditEvent[] = [];
    const now = this.clock.nowIso();
    for (const [i, g] of frame.groupings.entries()) {
      const latest = existing.get(g.id);
      if (latest?.state === 'APPROVED') {
        unchanged.push(toSettlementSummary(latest, codes(latest)));
        continue;
      }
      const previous = latest?.previousId ? await m.findOneByOrFail(SettlementEntity, { id: latest.previousId }) : null;
      const { doc, text } = calculating(() =>
        buildDocument(
          { id: latest?.id ?? this.ids.next(), version: latest?.version ?? 1, computedAt: now, computedBy: p.label, reopenReason: latest?.reopenReason ?? null },
          inputs[i],
          previous === null ? null : parseDocument(previous),
        ),
      );
      const row = this.row(doc, text, { contractId: contract.id, periodId: period.id, groupingId: g.id, bindingVersionId }, p, now, latest ?? null);
      if (latest) {
        const updated = await m.update(SettlementEntity, { id: latest.id, state: 'DRAFT', documentHash: latest.documentHash }, row);
        if (updated.affected === 0) {
          throw new SettlementError('SETTLEMENT_STALE', `The draft of ${g.code} changed while it was being recomputed: compute again`, { id: latest.id });
        }
      } else inserts.push(row);
      events.push({
        action: latest ? 'recompute' : 'compute',
        objectType: 'settlement',
        objectId: row.id,
        contractId: contract.id,
        municipalityId: contract.municipalityId,
        before: latest ? toSettlementSummary(latest, codes(latest)) : null,
        after: toSettlementSummary(row, codes(row)),
      });
      computed.push(toSettlementSummary(row, codes(row)));
    }
    if (computed.length === 0 && unchanged.length > 0) {
      throw new SettlementError('SETTLEMENT_ALREADY_APPROVED', `Every grouping's settlement for period ${period.code} is approved: reopen one to change it`, {
        periodId: period.id,
      });
    }
    if (inserts.length > 0) await m.insert(SettlementEntity, inserts);
    await this.audit.recordMany(m, p, events);
    return { computed, unchanged };
  }

  async approve(p: Principal, id: string, dto: ApproveSettlementDto): Promise<SettlementDto> {
    return this.db.transaction(async (m) => {
      const { settlement, contract } = await this.access.settlement(m, p, id, true);
      await this.access.requireApprover(m, p, contract);
      if (settlement.state !== 'DRAFT') {
        throw new SettlementError('SETTLEMENT_NOT_DRAFT', `Settlement version ${settlement.version} is ${settlement.state}`, { id, state: settlement.state });
      }
      if (settlement.computedBy === p.userId || settlement.reopenedBy === p.userId) {
        throw new SettlementError('SETTLEMENT_SELF_APPROVAL', 'A settlement is approved by someone other than the person who computed or reopened it', { id });
      }
      if (dto.documentHash !== settlement.documentHash) {
        throw new SettlementError('SETTLEMENT_STALE', 'The document you approve is not the current draft: read it again', {
          id,
          documentHash: settlement.documentHash,
          fields: [{ field: 'documentHash', message: 'does not match the current draft' }],
        });
      }
      const { inputs, groupingIds } = await this.currentInputs(m, contract, settlement.periodId);
      const current = inputs[groupingIds.indexOf(settlement.groupingId)];
      const doc = parseDocument(settlement);
      if (current === undefined || hashOf(current) !== doc.manifest.inputsHash) {
        throw new SettlementError('SETTLEMENT_STALE', 'Measurements, rules or other settlements changed since this draft was computed: recompute it before approving', {
          id,
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
    const reason = dto.reason.trim();
    if (reason === '') {
      throw new SettlementError('SETTLEMENT_REASON_REQUIRED', 'Say why the settlement is reopened', { fields: [{ field: 'reason', message: 'must not be blank' }] });
    }
    return this.db.transaction(async (m) => {
      const { settlement, contract } = await this.access.settlement(m, p, id, true);
      await this.access.requireApprover(m, p, contract);
      await this.access.contract(m, p, contract.id, true);
      const newer = await m.findOne(SettlementEntity, { where: { contractId: contract.id, periodId: settlement.periodId, groupingId: settlement.groupingId }, order: { version: 'DESC' } });
      if (settlement.state !== 'APPROVED' || (newer !== null && newer.version > settlement.version)) {
        throw new SettlementError('SETTLEMENT_NOT_APPROVED', `Only the latest approved version is reopened; version ${settlement.version} is ${settlement.state}`, {
          id,
          state: settlement.state,
          latestVersion: newer?.version ?? settlement.version,
        });
      }
      const { inputs, groupingIds, period, bindingVersionId } = await this.currentInputs(m, contract, settlement.periodId);
      const index = groupingIds.indexOf(settlement.groupingId);
      const now = this.clock.nowIso();
      const { doc, text } = calculating(() =>
        buildDocument({ id: this.ids.next(), version: settlement.version + 1, computedAt: now, computedBy: p.label, reopenReason: reason }, inputs[index], parseDocument(settlement)),
      );
      const row = this.row(doc, text, { contractId: contract.id, periodId: period.id, groupingId: settlement.groupingId, bindingVersionId }, p, now, null);
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

  /** Every version the caller may see, by period then grouping then version. */
  async list(p: Principal, contractId: string, periodId?: string): Promise<SettlementListDto> {
    return this.db.read(async (m) => {
      const { contract, groupings } = await this.access.contract(m, p, contractId);
      const rows = await m.find(SettlementEntity, {
        where: { contractId: contract.id, ...(periodId ? { periodId } : {}), ...(groupings === 'ALL' ? {} : { groupingId: In(groupings.concat(['-'])) }) },
        select: { id: true, contractId: true, periodId: true, groupingId: true, version: true, state: true, premium: true, payable: true, documentHash: true,
          computedAt: true, computedBy: true, computedByLabel: true, approvedAt: true, approvedBy: true, approvedByLabel: true, previousId: true, reopenReason: true,
          reopenedBy: true, indicatorSetVersionId: true, createdAt: true, updatedAt: true },
      });
      const codes = await this.codes(m, contract.id);
      const order = await this.order(m, contract.id);
      rows.sort((a, b) => order(a) - order(b) || a.version - b.version);
      return { items: rows.map((r) => toSettlementSummary(r, codes(r))) };
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

  /** Everything the period's settlements are computed from, read once. */
  private async currentInputs(m: EntityManager, contract: ContractEntity, periodId: string): Promise<ReadyInputs> {
    const periodIds = new Map([[contract.id, periodId]]);
    const rows = await fetchInputRows(m, [contract], periodIds);
    const bindings = await bindingsInForce(m, rows, periodIds);
    return readyInputs(rows, bindings, contract, periodId);
  }

  private async codes(m: EntityManager, contractId: string): Promise<(s: Pick<SettlementEntity, 'periodId' | 'groupingId'>) => { period: string; grouping: string }> {
    const periods = new Map((await m.find(ContractPeriodEntity, { where: { contractId } })).map((x) => [x.id, x.code]));
    const groupings = new Map((await m.find(ProviderGroupingEntity, { where: { contractId } })).map((x) => [x.id, x.code]));
    return (s) => ({ period: periods.get(s.periodId) ?? s.periodId, grouping: groupings.get(s.groupingId) ?? s.groupingId });
  }

  private async order(m: EntityManager, contractId: string): Promise<(s: SettlementEntity) => number> {
    const periods = new Map((await m.find(ContractPeriodEntity, { where: { contractId } })).map((x) => [x.id, x.position]));
    const groupings = new Map((await m.find(ProviderGroupingEntity, { where: { contractId } })).map((x) => [x.id, x.position]));
    return (s) => (periods.get(s.periodId) ?? 0) * 10_000 + (groupings.get(s.groupingId) ?? 0);
  }

  private row(
    doc: SettlementDocument,
    text: string,
    at: { contractId: string; periodId: string; groupingId: string; bindingVersionId: string },
    p: Principal,
    now: string,
    latest: SettlementEntity | null,
  ): SettlementEntity {
    return {
      id: doc.id,
      contractId: at.contractId,
      periodId: at.periodId,
      groupingId: at.groupingId,
      version: doc.version,
      state: 'DRAFT',
      document: text,
      documentHash: doc.manifest.documentHash,
      indicatorSetVersionId: at.bindingVersionId,
      premium: doc.result.premium,
      payable: doc.result.payable,
      computedBy: p.userId,
      computedByLabel: p.label,
      computedAt: now,
      approvedBy: null,
      approvedByLabel: null,
      approvedAt: null,
      previousId: latest?.previousId ?? null,
      reopenedBy: latest?.reopenedBy ?? null,
      reopenReason: latest?.reopenReason ?? null,
      createdAt: latest?.createdAt ?? now,
      updatedAt: now,
    };
  }
}

export function parseDocument(s: Pick<SettlementEntity, 'document'>): SettlementDocument {
  return JSON.parse(s.document) as SettlementDocument;
}

export function verification(settlement: SettlementEntity): SettlementVerificationDto {
  const doc = parseDocument(settlement);
  const result = verifyDocument(doc, settlement.document);
  const differences = [...result.differences];
  if (settlement.documentHash !== doc.manifest.documentHash && !differences.includes('documentHash')) differences.push('documentHash');
  return { settlementId: settlement.id, matches: differences.length === 0, stored: result.stored, recomputed: result.recomputed, differences, error: result.error };
}


/** Period and grouping codes of a settlement row, from the contract frame already read. */
function codesOf(frame: ContractFrame): (s: Pick<SettlementEntity, 'periodId' | 'groupingId'>) => { period: string; grouping: string } {
  const periods = new Map(frame.periods.map((x) => [x.id, x.code]));
  const groupings = new Map(frame.groupings.map((x) => [x.id, x.code]));
  return (s) => ({ period: periods.get(s.periodId) ?? s.periodId, grouping: groupings.get(s.groupingId) ?? s.groupingId });
}

export interface ReadyInputs {
  inputs: SettlementInputs[];
  /** The latest version of each grouping's settlement for the period (without documents), by grouping id. */
  latest: Map<string, SettlementEntity>;
  groupingIds: string[];
  frame: ContractFrame;
  period: ContractFrame['periods'][number];
  bindingVersionId: string;
}

/** The inputs of a contract period from rows already read; 404/409/422 when it cannot be settled. */
export function readyInputs(rows: InputRows, bindings: ReadonlyMap<string, BindingIndicatorSet>, contract: ContractEntity, periodId: string): ReadyInputs {
  const period = (rows.periods.get(contract.id) ?? []).find((x) => x.id === periodId);
  if (!period) {
    throw new SettlementError('SETTLEMENT_PERIOD_NOT_IN_CONTRACT', `Period ${periodId} is not a period of contract ${contract.id}`, { periodId });
  }
  const binding = bindings.get(contract.id);
  if (!binding) {
    throw new SettlementError('SETTLEMENT_NO_BINDING_INDICATOR_SET', `No binding indicator set is in force for period ${period.code}`, { periodId });
  }
  if (binding.paymentRules === null || binding.paymentRules === undefined) {
    throw new SettlementError('SETTLEMENT_NO_RULE_SET', `Binding version ${binding.version} has no payment rules: add them and approve a new version`, {
      periodId,
      version: binding.version,
    });
  }
  const { frame, inputs } = calculating(() => assembleInputs(rows, contract, periodId, binding, binding.paymentRules as RuleSetDocument));
  return {
    inputs,
    latest: rows.latest.get(contract.id) ?? new Map<string, SettlementEntity>(),
    groupingIds: frame.groupings.map((g) => g.id),
    frame,
    period: frame.periods.find((x) => x.id === periodId) as ContractFrame['periods'][number],
    bindingVersionId: binding.versionId,
  };
}
