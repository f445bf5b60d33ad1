import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { checkPeriodAppend } from 'src/contracts/contract.rules';
import { ContractError } from 'src/contracts/contracts.errors';
import { auditScope, findPeriod, manageableContract, periodNotFound, readableContract } from 'src/contracts/contracts.lookup';
import { ContractPeriodDto, CreatePeriodDto, toContractPeriodDto, UpdatePeriodDto } from 'src/contracts/dto/contract.dto';
import { GroupingFeeEntity } from 'src/contracts/provider-grouping.entity';
import { Database, isForeignKeyViolation, isUniqueViolation } from 'src/database/database';
import { IndicatorBaselineEntity, IndicatorTargetEntity } from 'src/indicators/indicator.entity';
import { closedPeriods } from 'src/measurements/period-closure.lookup';

/** Periods are appended at the end and removed from the end, so a contract's periods stay contiguous. */
@Injectable()
export class ContractPeriodsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async append(principal: Principal, contractId: string, dto: CreatePeriodDto): Promise<ContractPeriodDto> {
    try {
      return await this.db.transaction(async (m) => {
        const contract = await manageableContract(m, this.access, principal, contractId);
        const existing = await m.find(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' } });
        const now = this.clock.nowIso();
        const period: ContractPeriodEntity = {
          id: this.ids.next(),
          contractId,
          code: dto.code,
          startDate: dto.startDate,
          endDate: dto.endDate,
          phase: dto.phase ?? null,
          position: existing.length === 0 ? 0 : existing[existing.length - 1].position + 1,
          createdAt: now,
          updatedAt: now,
        };
        checkPeriodAppend(contract, existing, period);
        await m.insert(ContractPeriodEntity, period);
        await this.audit.record(m, principal, {
          action: 'create',
          objectType: 'contract_period',
          objectId: period.id,
          ...auditScope(contract),
          after: toContractPeriodDto(period),
        });
        return toContractPeriodDto(period);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ContractError('PERIOD_CODE_TAKEN', `Period code ${dto.code} is already used in the contract`, {
          period: dto.code,
          fields: [{ field: 'code', message: 'already taken' }],
        });
      }
      throw error;
    }
  }

  async list(principal: Principal, contractId: string, query: PageQueryDto): Promise<Page<ContractPeriodDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await this.db.read(async (m) => {
      await readableContract(m, this.access, principal, contractId);
      return m.findAndCount(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' }, take, skip });
    });
    return toPage(rows, total, query, toContractPeriodDto);
  }

  async get(principal: Principal, id: string): Promise<ContractPeriodDto> {
    return this.db.read(async (m) => {
      const period = await findPeriod(m, id);
      await readableContract(m, this.access, principal, period.contractId, () => periodNotFound(id));
      return toContractPeriodDto(period);
    });
  }

  /**
   * Only the phase label changes; the dates shape the contract and move only by removing and appending.
   * Not while the period is closed (422 PERIOD_CLOSED): nobody alters a closed period (DOMAIN.md §4).
   */
  async update(principal: Principal, id: string, dto: UpdatePeriodDto): Promise<ContractPeriodDto> {
    return this.db.transaction(async (m) => {
      const current = await findPeriod(m, id);
      const contract = await manageableContract(m, this.access, principal, current.contractId, () => periodNotFound(id));
      await requirePeriodOpen(m, current);
      const next: ContractPeriodEntity = {
        ...current,
        phase: dto.phase === undefined ? current.phase : dto.phase,
        updatedAt: this.clock.nowIso(),
      };
      await m.update(ContractPeriodEntity, { id }, { phase: next.phase, updatedAt: next.updatedAt });
      await this.audit.record(m, principal, {
        action: 'update',
        objectType: 'contract_period',
        objectId: id,
        ...auditScope(contract),
        before: toContractPeriodDto(current),
        after: toContractPeriodDto(next),
      });
      return toContractPeriodDto(next);
    });
  }

  /** Removes the last period of its contract, if no fee, target or baseline refers to it. */
  async remove(principal: Principal, id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        const period = await findPeriod(m, id);
        const contract = await manageableContract(m, this.access, principal, period.contractId, () => periodNotFound(id));
        const last = await m.findOne(ContractPeriodEntity, { where: { contractId: period.contractId }, order: { position: 'DESC' } });
        if (last !== null && last.id !== period.id) {
          throw new ContractError('PERIOD_NOT_LAST', `Only the last period (${last.code}) can be removed, not ${period.code}`, {
            id,
            last: { id: last.id, code: last.code },
          });
        }
        const uses = {
          fees: await m.countBy(GroupingFeeEntity, { periodId: id }),
          indicatorTargets: await m.countBy(IndicatorTargetEntity, { periodId: id }),
          indicatorBaselines: await m.countBy(IndicatorBaselineEntity, { establishedInPeriodId: id }),
        };
        if (uses.fees + uses.indicatorTargets + uses.indicatorBaselines > 0) {
          throw periodInUse(period.code, id, uses);
        }
        await m.delete(ContractPeriodEntity, { id });
        await this.audit.record(m, principal, {
          action: 'delete',
          objectType: 'contract_period',
          objectId: id,
          ...auditScope(contract),
          before: toContractPeriodDto(period),
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw periodInUse('', id, {});
      }
      throw error;
    }
  }
}

/**
 * A closed period's phase label is part of what was closed, as its fees are (FEE_PERIOD_CLOSED): it stays
 * until an approver reopens the period with a reason. On PostgreSQL the period row is locked FOR UPDATE
 * (closedPeriods, exclusive: this write updates that row), so a closing waits for this write and this write
 * for a closing, and two label changes queue instead of deadlocking on a shared lock.
 */
async function requirePeriodOpen(m: EntityManager, period: ContractPeriodEntity): Promise<void> {
  if ((await closedPeriods(m, [period.id], true)).size === 0) return;
  throw new ContractError('PERIOD_CLOSED', `Period ${period.code} is closed: its phase label cannot change until an approver reopens the period`, {
    periodId: period.id,
    period: period.code,
    fields: [{ field: 'phase', message: `cannot change while period ${period.code} is closed` }],
  });
}

function periodInUse(code: string, id: string, uses: Record<string, number>): InstanceType<typeof ContractError> {
  const name = code === '' ? id : code;
  return new ContractError('PERIOD_IN_USE', `Period ${name} still has fees, targets or baselines: remove them first`, { id, ...uses });
}
