import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEvent, AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { ComputeSettlementsResultDto, SettlementSummaryDto, toSettlementSummary } from 'src/settlements/dto/settlement.dto';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { buildDocument } from 'src/settlements/settlement-document.builder';
import type { SettlementDocument } from 'src/settlements/settlement-document';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { readCurrentInputs, type ReadyInputs } from 'src/settlements/settlement-inputs.ready';
import { codesOf, parseDocument, settlementRow } from 'src/settlements/settlement-rows';
import { calculating, SettlementError } from 'src/settlements/settlements.errors';

/**
 * Computing drafts (docs/settlements.md): every grouping of a contract period whose latest version is not
 * approved gets a DRAFT computed from the current data, or its draft recomputed in place; approved ones are
 * left alone. One transaction; the contract row is locked on PostgreSQL; audit entries appended together.
 */
@Injectable()
export class SettlementDraftsService {
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
    return this.writeDrafts(m, p, contract, await readCurrentInputs(m, contract, periodId));
  }

  /**
   * Writes the drafts of a contract period from inputs already read (a portfolio run reads many contracts
   * at once, then writes each in its own transaction): new versions inserted together, audit entries
   * appended together, approved groupings left alone. `built` sees each document written (the run's warnings).
   */
  async writeDrafts(
    m: EntityManager,
    p: Principal,
    contract: ContractEntity,
    ready: ReadyInputs,
    built: (doc: SettlementDocument) => void = () => undefined,
  ): Promise<ComputeSettlementsResultDto> {
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
      built(doc);
      const row = settlementRow(doc, text, { contractId: contract.id, periodId: period.id, groupingId: g.id, bindingVersionId }, p, now, latest ?? null);
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
}
