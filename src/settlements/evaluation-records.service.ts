import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AuthError } from 'src/auth/auth.errors';
import { hasAnyRole, Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { indicatorSetInForce } from 'src/co-definition/indicator-set.resolver';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database } from 'src/database/database';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { CreateEvaluationRecordDto, EvaluationRecordDto, EvaluationRecordListDto } from 'src/settlements/dto/settlement.dto';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { EvaluationRecordEntity } from 'src/settlements/settlement.entity';
import { SettlementError } from 'src/settlements/settlements.errors';

/**
 * Evaluation records: an evaluator with a grant on the contract states, for a period, a grouping and an
 * evaluation payer of the binding rule set, whether the impact is significant and the savings certified.
 * Records are never edited: a later record replaces an earlier one in the next settlement computation.
 */
@Injectable()
export class EvaluationRecordsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
    private readonly access: SettlementAccess,
  ) {}

  async create(p: Principal, contractId: string, periodId: string, dto: CreateEvaluationRecordDto): Promise<EvaluationRecordDto> {
    return this.db.transaction(async (m) => {
      const { contract, groupings } = await this.access.contract(m, p, contractId);
      if (!hasAnyRole(p, ['evaluator']) || groupings !== 'ALL') {
        throw new AuthError('AUTH_FORBIDDEN', 'Only an evaluator granted on the contract enters evaluation records', {});
      }
      await requirePeriodOfContract(m, contractId, periodId);
      if (!(await m.existsBy(ProviderGroupingEntity, { id: dto.groupingId, contractId }))) {
        throw new SettlementError('SETTLEMENT_GROUPING_NOT_IN_CONTRACT', `Grouping ${dto.groupingId} is not a grouping of contract ${contractId}`, {
          fields: [{ field: 'groupingId', message: 'not in the contract' }],
        });
      }
      const binding = await indicatorSetInForce(m, contractId, periodId);
      const payers = ((binding?.paymentRules as RuleSetDocument | null)?.evaluationPayers ?? []).map((x) => x.id);
      if (!payers.includes(dto.payer)) {
        throw new SettlementError('SETTLEMENT_EVALUATION_PAYER_UNKNOWN', `The binding rule set for this period has no evaluation payer ${dto.payer}`, {
          fields: [{ field: 'payer', message: payers.length === 0 ? 'the rule set has no evaluation payers' : `one of ${payers.join(', ')}` }],
        });
      }
      const now = this.clock.nowIso();
      const row: EvaluationRecordEntity = {
        id: this.ids.next(),
        contractId,
        periodId,
        groupingId: dto.groupingId,
        payerKey: dto.payer,
        significant: dto.significant,
        certifiedSavings: dto.certifiedSavings,
        method: dto.method,
        recordedBy: p.userId,
        recordedByLabel: p.label,
        createdAt: now,
        updatedAt: now,
      };
      await m.insert(EvaluationRecordEntity, row);
      await this.audit.record(m, p, {
        action: 'create',
        objectType: 'evaluation_record',
        objectId: row.id,
        contractId,
        municipalityId: contract.municipalityId,
        before: null,
        after: toDto(row),
      });
      return toDto(row);
    });
  }

  async list(p: Principal, contractId: string, periodId: string): Promise<EvaluationRecordListDto> {
    return this.db.read(async (m) => {
      const { groupings } = await this.access.contract(m, p, contractId);
      // A period of another contract (or none) is a 404 like on every settlement route, not an empty list.
      await requirePeriodOfContract(m, contractId, periodId);
      const rows = await m.find(EvaluationRecordEntity, { where: { contractId, periodId }, order: { createdAt: 'ASC', id: 'ASC' } });
      return { items: rows.filter((r) => groupings === 'ALL' || groupings.includes(r.groupingId)).map(toDto) };
    });
  }
}

async function requirePeriodOfContract(m: EntityManager, contractId: string, periodId: string): Promise<void> {
  if (!(await m.existsBy(ContractPeriodEntity, { id: periodId, contractId }))) {
    throw new SettlementError('SETTLEMENT_PERIOD_NOT_IN_CONTRACT', `Period ${periodId} is not a period of contract ${contractId}`, { periodId });
  }
}

function toDto(r: EvaluationRecordEntity): EvaluationRecordDto {
  return {
    id: r.id,
    contractId: r.contractId,
    periodId: r.periodId,
    groupingId: r.groupingId,
    payer: r.payerKey,
    significant: r.significant,
    certifiedSavings: r.certifiedSavings,
    method: r.method,
    recordedBy: r.recordedByLabel,
    recordedAt: r.createdAt,
  };
}
