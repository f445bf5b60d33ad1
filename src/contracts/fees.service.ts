import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { ContractEntity } from 'src/contracts/contract.entity';
import { EntityManager, In } from 'typeorm';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow } from 'src/common/pagination/page';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { auditScope, findGrouping, findPeriod, groupingNotFound, manageableContract, readableContract } from 'src/contracts/contracts.lookup';
import { FeeDto, PutFeeDto, toFeeDto } from 'src/contracts/dto/grouping.dto';
import { GroupingFeeEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database } from 'src/database/database';
import { closedPeriods } from 'src/measurements/period-closure.lookup';

/** The yearly fee (compenso) of each grouping in each period of its contract. */
@Injectable()
export class FeesService {
  constructor(
    private readonly db: Database,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  /** Every grouping x period of the contract, groupings then periods in their order, `amount: null` where unset. */
  async list(principal: Principal, contractId: string, query: PageQueryDto): Promise<Page<FeeDto>> {
    const { take, skip } = pageWindow(query);
    const cells = await this.db.read(async (m) => {
      await readableContract(m, this.access, principal, contractId);
      const groupings = await m.find(ProviderGroupingEntity, { where: { contractId }, order: { position: 'ASC' } });
      const periods = await m.find(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' } });
      const fees =
        groupings.length === 0 ? [] : await m.find(GroupingFeeEntity, { where: { groupingId: In(groupings.map((g) => g.id)) } });
      const byCell = new Map(fees.map((f) => [`${f.groupingId}/${f.periodId}`, f]));
      return groupings.flatMap((g) => periods.map((p) => toFeeDto(g, p, byCell.get(`${g.id}/${p.id}`))));
    });
    return { items: cells.slice(skip, skip + take), page: { limit: take, offset: skip, total: cells.length } };
  }

  /** Sets (or replaces) the grouping's fee for an open period of its own contract. */
  async put(principal: Principal, groupingId: string, periodId: string, dto: PutFeeDto): Promise<FeeDto> {
    return this.db.transaction(async (m) => {
      const { grouping, period, contract } = await findCell(m, this.access, principal, groupingId, periodId);
      await requireFeePeriodOpen(m, grouping, period);
      const current = await m.findOneBy(GroupingFeeEntity, { groupingId, periodId });
      const fee: GroupingFeeEntity = {
        id: current?.id ?? this.ids.next(),
        groupingId,
        periodId,
        amount: dto.amount,
        position: period.position,
      };
      await m.save(GroupingFeeEntity, fee);
      await this.audit.record(m, principal, {
        action: current ? 'update' : 'create',
        objectType: 'grouping_fee',
        objectId: fee.id,
        ...auditScope(contract),
        before: current ? toFeeDto(grouping, period, current) : null,
        after: toFeeDto(grouping, period, fee),
      });
      return toFeeDto(grouping, period, fee);
    });
  }

  async remove(principal: Principal, groupingId: string, periodId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const { grouping, period, contract } = await findCell(m, this.access, principal, groupingId, periodId);
      await requireFeePeriodOpen(m, grouping, period);
      const current = await m.findOneBy(GroupingFeeEntity, { groupingId, periodId });
      if (!current) {
        throw new ContractError('FEE_NOT_FOUND', `Grouping ${grouping.code} has no fee for period ${period.code}`, { groupingId, periodId });
      }
      await m.delete(GroupingFeeEntity, { id: current.id });
      await this.audit.record(m, principal, {
        action: 'delete',
        objectType: 'grouping_fee',
        objectId: current.id,
        ...auditScope(contract),
        before: toFeeDto(grouping, period, current),
      });
    });
  }
}

/** The grouping and the period, which must belong to the same contract; locks that contract, which the caller must manage. */
async function findCell(
  m: EntityManager,
  access: AccessScope,
  principal: Principal,
  groupingId: string,
  periodId: string,
): Promise<{ grouping: ProviderGroupingEntity; period: ContractPeriodEntity; contract: ContractEntity }> {
  const grouping = await findGrouping(m, groupingId);
  const contract = await manageableContract(m, access, principal, grouping.contractId, () => groupingNotFound(groupingId));
  const period = await findPeriod(m, periodId);
  if (period.contractId !== grouping.contractId) {
    throw new ContractError('FEE_PERIOD_NOT_IN_CONTRACT', `Period ${period.code} belongs to another contract than grouping ${grouping.code}`, {
      groupingId,
      periodId,
      fields: [{ field: 'periodId', message: "must be a period of the grouping's contract" }],
    });
  }
  return { grouping, period, contract };
}

/**
 * Nobody alters a closed period (DOMAIN.md §4): its fee is the basis of its settlements, so it is frozen
 * until an approver reopens the period with a reason. On PostgreSQL the period is locked FOR SHARE
 * (closedPeriods), so a closing waits for this write and this write for a closing.
 */
async function requireFeePeriodOpen(m: EntityManager, grouping: ProviderGroupingEntity, period: ContractPeriodEntity): Promise<void> {
  if ((await closedPeriods(m, [period.id])).size === 0) return;
  throw new ContractError(
    'FEE_PERIOD_CLOSED',
    `Period ${period.code} is closed: the fee of grouping ${grouping.code} for it cannot change until an approver reopens the period`,
    {
      groupingId: grouping.id,
      periodId: period.id,
      period: period.code,
      fields: [{ field: 'periodId', message: `refers to period ${period.code}, which is closed` }],
    },
  );
}
