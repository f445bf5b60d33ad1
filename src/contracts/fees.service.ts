import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow } from 'src/common/pagination/page';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { findContract, findGrouping, findPeriod } from 'src/contracts/contracts.lookup';
import { FeeDto, PutFeeDto, toFeeDto } from 'src/contracts/dto/grouping.dto';
import { GroupingFeeEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database } from 'src/database/database';

/** The yearly fee (compenso) of each grouping in each period of its contract. */
@Injectable()
export class FeesService {
  constructor(
    private readonly db: Database,
    private readonly ids: IdGenerator,
  ) {}

  /** Every grouping x period of the contract, groupings then periods in their order, `amount: null` where unset. */
  async list(contractId: string, query: PageQueryDto): Promise<Page<FeeDto>> {
    const { take, skip } = pageWindow(query);
    const cells = await this.db.read(async (m) => {
      await findContract(m, contractId);
      const groupings = await m.find(ProviderGroupingEntity, { where: { contractId }, order: { position: 'ASC' } });
      const periods = await m.find(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' } });
      const fees =
        groupings.length === 0 ? [] : await m.find(GroupingFeeEntity, { where: { groupingId: In(groupings.map((g) => g.id)) } });
      const byCell = new Map(fees.map((f) => [`${f.groupingId}/${f.periodId}`, f]));
      return groupings.flatMap((g) => periods.map((p) => toFeeDto(g, p, byCell.get(`${g.id}/${p.id}`))));
    });
    return { items: cells.slice(skip, skip + take), page: { limit: take, offset: skip, total: cells.length } };
  }

  /** Sets (or replaces) the grouping's fee for a period of its own contract. */
  async put(groupingId: string, periodId: string, dto: PutFeeDto): Promise<FeeDto> {
    return this.db.transaction(async (m) => {
      const { grouping, period } = await findCell(m, groupingId, periodId);
      const current = await m.findOneBy(GroupingFeeEntity, { groupingId, periodId });
      const fee: GroupingFeeEntity = {
        id: current?.id ?? this.ids.next(),
        groupingId,
        periodId,
        amount: dto.amount,
        position: period.position,
      };
      await m.save(GroupingFeeEntity, fee);
      return toFeeDto(grouping, period, fee);
    });
  }

  async remove(groupingId: string, periodId: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const { grouping, period } = await findCell(m, groupingId, periodId);
      const current = await m.findOneBy(GroupingFeeEntity, { groupingId, periodId });
      if (!current) {
        throw new ContractError('FEE_NOT_FOUND', `Grouping ${grouping.code} has no fee for period ${period.code}`, { groupingId, periodId });
      }
      await m.delete(GroupingFeeEntity, { id: current.id });
    });
  }
}

/** The grouping and the period, which must belong to the same contract; locks that contract. */
async function findCell(
  m: EntityManager,
  groupingId: string,
  periodId: string,
): Promise<{ grouping: ProviderGroupingEntity; period: ContractPeriodEntity }> {
  const grouping = await findGrouping(m, groupingId);
  await findContract(m, grouping.contractId, true);
  const period = await findPeriod(m, periodId);
  if (period.contractId !== grouping.contractId) {
    throw new ContractError('FEE_PERIOD_NOT_IN_CONTRACT', `Period ${period.code} belongs to another contract than grouping ${grouping.code}`, {
      groupingId,
      periodId,
      fields: [{ field: 'periodId', message: "must be a period of the grouping's contract" }],
    });
  }
  return { grouping, period };
}
