import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AccessScope } from 'src/auth/access-scope';
import { AuditService } from 'src/audit/audit.service';
import { AuthError } from 'src/auth/auth.errors';
import { isPlatformAdmin, Principal } from 'src/auth/principal';
import { Role } from 'src/auth/roles';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { Database } from 'src/database/database';
import { PeriodClosureStatusDto, ReopenPeriodDto, toPeriodClosureDto } from 'src/measurements/dto/period-closure.dto';
import { PeriodClosureEntity } from 'src/measurements/measurement.entity';
import { MeasurementError } from 'src/measurements/measurements.errors';
import { closedPeriods } from 'src/measurements/period-closure.lookup';

/**
 * Closing a period (contract manager or approver of the contract) freezes its measurements: no
 * submission, correction or review until an approver reopens it with a reason. Closures are kept as
 * history in their own table; the contract's periods are not edited.
 */
@Injectable()
export class PeriodClosuresService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
    private readonly scope: AccessScope,
  ) {}

  async status(p: Principal, periodId: string): Promise<PeriodClosureStatusDto> {
    return this.db.read(async (m) => {
      const { period } = await this.readable(m, p, periodId);
      return statusOf(m, period.id);
    });
  }

  async close(p: Principal, periodId: string): Promise<PeriodClosureStatusDto> {
    return this.db.transaction(async (m) => {
      const { period, contract } = await this.writable(m, p, periodId, ['contract_manager', 'approver']);
      if ((await closedPeriods(m, [period.id], true)).size > 0) {
        throw new MeasurementError('MEASUREMENT_PERIOD_ALREADY_CLOSED', `Period ${period.code} is already closed`, { periodId });
      }
      const now = this.clock.nowIso();
      const before = await statusOf(m, period.id);
      const closure: PeriodClosureEntity = {
        id: this.ids.next(),
        periodId,
        contractId: contract.id,
        closedAt: now,
        closedBy: p.userId,
        reopenedAt: null,
        reopenedBy: null,
        reopenReason: null,
        createdAt: now,
        updatedAt: now,
      };
      await m.insert(PeriodClosureEntity, closure);
      const after = await statusOf(m, period.id);
      await this.audit.record(m, p, { action: 'close', objectType: 'contract_period', objectId: periodId, contractId: contract.id, municipalityId: contract.municipalityId, before, after });
      return after;
    });
  }

  async reopen(p: Principal, periodId: string, dto: ReopenPeriodDto): Promise<PeriodClosureStatusDto> {
    return this.db.transaction(async (m) => {
      const { period, contract } = await this.writable(m, p, periodId, ['approver']);
      await closedPeriods(m, [period.id], true);
      const open = await m.findOneBy(PeriodClosureEntity, { periodId, reopenedAt: IsNull() });
      if (!open) {
        throw new MeasurementError('MEASUREMENT_PERIOD_NOT_CLOSED', `Period ${period.code} is not closed`, { periodId });
      }
      const before = await statusOf(m, period.id);
      const now = this.clock.nowIso();
      await m.update(PeriodClosureEntity, { id: open.id }, { reopenedAt: now, reopenedBy: p.userId, reopenReason: dto.reason, updatedAt: now });
      const after = await statusOf(m, period.id);
      await this.audit.record(m, p, { action: 'reopen', objectType: 'contract_period', objectId: periodId, contractId: contract.id, municipalityId: contract.municipalityId, before, after });
      return after;
    });
  }

  private async readable(m: EntityManager, p: Principal, periodId: string) {
    const period = await m.findOneBy(ContractPeriodEntity, { id: periodId });
    if (!period || !(await this.scope.canReadContract(m, p, period.contractId))) {
      throw new ContractError('PERIOD_NOT_FOUND', `Contract period ${periodId} not found`, { id: periodId });
    }
    const contract = await m.findOneByOrFail(ContractEntity, { id: period.contractId });
    return { period, contract };
  }

  private async writable(m: EntityManager, p: Principal, periodId: string, roles: Role[]) {
    const found = await this.readable(m, p, periodId);
    if (isPlatformAdmin(p) || !(await this.scope.canManage(m, p, found.contract.municipalityId, roles))) {
      throw new AuthError('AUTH_FORBIDDEN', `Only a ${roles.join(' or ')} of the contract may do this`, {});
    }
    return found;
  }
}

async function statusOf(m: EntityManager, periodId: string): Promise<PeriodClosureStatusDto> {
  const history = await m.find(PeriodClosureEntity, { where: { periodId }, order: { closedAt: 'ASC', id: 'ASC' } });
  return { periodId, closed: history.some((c) => c.reopenedAt === null), history: history.map(toPeriodClosureDto) };
}
