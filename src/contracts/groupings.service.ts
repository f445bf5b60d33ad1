import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { ContractEntity } from 'src/contracts/contract.entity';
import { EntityManager, In } from 'typeorm';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { checkGroupingMembers } from 'src/contracts/contract.rules';
import { ContractError } from 'src/contracts/contracts.errors';
import { auditScope, findGrouping, groupingNotFound, manageableContract, membersOf, readableContract } from 'src/contracts/contracts.lookup';
import {
  CreateGroupingDto,
  GroupingDto,
  GroupingMemberInputDto,
  toGroupingDto,
  UpdateGroupingDto,
} from 'src/contracts/dto/grouping.dto';
import { GroupingMemberEntity, GroupingType, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database, isForeignKeyViolation, isUniqueViolation } from 'src/database/database';
import { IndicatorBaselineEntity, IndicatorDenominatorEntity, IndicatorTargetEntity } from 'src/indicators/indicator.entity';
import { closedPeriods } from 'src/measurements/period-closure.lookup';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { OrganisationError } from 'src/organisations/organisations.errors';

/** Provider groupings (RTI, consortium, single ETS) as awarded within one contract, with their members. */
@Injectable()
export class GroupingsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, contractId: string, dto: CreateGroupingDto): Promise<GroupingDto> {
    checkMembers(dto.type, dto.members);
    try {
      return await this.db.transaction(async (m) => {
        const contract = await manageableContract(m, this.access, principal, contractId);
        await requireNoClosedPeriod(m, contract, (closed) => `A new grouping would take part in the settlement of every period of contract ${contract.code}, and ${closed}`);
        if (await m.existsBy(ProviderGroupingEntity, { contractId, code: dto.code })) {
          throw codeTaken(dto.code);
        }
        const last = await m.findOne(ProviderGroupingEntity, { where: { contractId }, order: { position: 'DESC' } });
        const now = this.clock.nowIso();
        const grouping: ProviderGroupingEntity = {
          id: this.ids.next(),
          contractId,
          code: dto.code,
          name: dto.name,
          type: dto.type,
          areas: dto.areas ?? [],
          position: last === null ? 0 : last.position + 1,
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(ProviderGroupingEntity, grouping);
        await this.insertMembers(m, grouping.id, dto.members);
        const after = await this.toDto(m, grouping);
        await this.audit.record(m, principal, { action: 'create', objectType: 'grouping', objectId: grouping.id, ...auditScope(contract), after });
        return after;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw codeTaken(dto.code);
      }
      throw error;
    }
  }

  async list(principal: Principal, contractId: string, query: PageQueryDto): Promise<Page<GroupingDto>> {
    const { take, skip } = pageWindow(query);
    const { rows, total, members } = await this.db.read(async (m) => {
      await readableContract(m, this.access, principal, contractId);
      const [rows, total] = await m.findAndCount(ProviderGroupingEntity, { where: { contractId }, order: { position: 'ASC' }, take, skip });
      return { rows, total, members: await membersOf(m, rows.map((g) => g.id)) };
    });
    return toPage(rows, total, query, (g) => toGroupingDto(g, members.get(g.id) ?? []));
  }

  async get(principal: Principal, id: string): Promise<GroupingDto> {
    return this.db.read(async (m) => {
      const grouping = await findGrouping(m, id);
      await readableContract(m, this.access, principal, grouping.contractId, () => groupingNotFound(id));
      return this.toDto(m, grouping);
    });
  }

  /** Name and areas; the type and code identify the grouping in the contract and do not change. */
  async update(principal: Principal, id: string, dto: UpdateGroupingDto): Promise<GroupingDto> {
    return this.db.transaction(async (m) => {
      const { grouping: current, contract } = await this.lockGrouping(m, principal, id);
      const before = await this.toDto(m, current);
      const next: ProviderGroupingEntity = {
        ...current,
        name: dto.name ?? current.name,
        areas: dto.areas ?? current.areas,
        updatedAt: this.clock.nowIso(),
      };
      await m.save(ProviderGroupingEntity, next);
      const after = await this.toDto(m, next);
      await this.audit.record(m, principal, { action: 'update', objectType: 'grouping', objectId: id, ...auditScope(contract), before, after });
      return after;
    });
  }

  /** Replaces the whole member list at once: validated as a set, all or nothing; never while a period of the contract is closed. */
  async replaceMembers(principal: Principal, id: string, members: GroupingMemberInputDto[]): Promise<GroupingDto> {
    return this.db.transaction(async (m) => {
      const { grouping, contract } = await this.lockGrouping(m, principal, id);
      await requireNoClosedPeriod(
        m,
        contract,
        (closed) => `The members and execution shares of grouping ${grouping.code} allocate the settlement of every period of contract ${contract.code}, and ${closed}`,
        { groupingId: id, field: 'members' },
      );
      checkMembers(grouping.type, members);
      const before = await this.toDto(m, grouping);
      await m.delete(GroupingMemberEntity, { groupingId: id });
      await this.insertMembers(m, id, members);
      const next: ProviderGroupingEntity = { ...grouping, updatedAt: this.clock.nowIso() };
      await m.update(ProviderGroupingEntity, { id }, { updatedAt: next.updatedAt });
      const after = await this.toDto(m, next);
      await this.audit.record(m, principal, { action: 'replace', objectType: 'grouping_members', objectId: id, ...auditScope(contract), before, after });
      return after;
    });
  }

  /** Removes the grouping with its members and fees, unless indicators still refer to it or a period of the contract is closed. */
  async remove(principal: Principal, id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        const { grouping, contract } = await this.lockGrouping(m, principal, id);
        await requireNoClosedPeriod(m, contract, (closed) => `Grouping ${grouping.code} takes part in the settlement of every period of contract ${contract.code}, and ${closed}`, {
          groupingId: id,
        });
        const uses = {
          indicatorTargets: await m.countBy(IndicatorTargetEntity, { groupingId: id }),
          indicatorBaselines: await m.countBy(IndicatorBaselineEntity, { groupingId: id }),
          indicatorDenominators: await m.countBy(IndicatorDenominatorEntity, { groupingId: id }),
        };
        if (uses.indicatorTargets + uses.indicatorBaselines + uses.indicatorDenominators > 0) {
          throw groupingInUse(grouping.code, id, uses);
        }
        const before = await this.toDto(m, grouping);
        await m.delete(ProviderGroupingEntity, { id });
        await this.audit.record(m, principal, { action: 'delete', objectType: 'grouping', objectId: id, ...auditScope(contract), before });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw groupingInUse(id, id, {});
      }
      throw error;
    }
  }

  /** Loads the grouping and locks its contract, as every write to a contract's structure does; the caller must manage it. */
  private async lockGrouping(m: EntityManager, principal: Principal, id: string): Promise<{ grouping: ProviderGroupingEntity; contract: ContractEntity }> {
    const grouping = await findGrouping(m, id);
    const contract = await manageableContract(m, this.access, principal, grouping.contractId, () => groupingNotFound(id));
    return { grouping, contract };
  }

  private async insertMembers(m: EntityManager, groupingId: string, members: readonly GroupingMemberInputDto[]): Promise<void> {
    await requireEtsMembers(m, members);
    const rows: GroupingMemberEntity[] = members.map((member, position) => ({
      id: this.ids.next(),
      groupingId,
      organisationId: member.organisationId,
      role: member.role,
      executionShare: member.executionShare,
      position,
    }));
    if (rows.length > 0) {
      await m.insert(GroupingMemberEntity, rows);
    }
  }

  private async toDto(m: EntityManager, grouping: ProviderGroupingEntity): Promise<GroupingDto> {
    const members = await membersOf(m, [grouping.id]);
    return toGroupingDto(grouping, members.get(grouping.id) ?? []);
  }
}

function checkMembers(type: GroupingType, members: readonly GroupingMemberInputDto[]): void {
  checkGroupingMembers(
    type,
    members.map((x) => ({ organisation: x.organisationId, role: x.role, executionShare: x.executionShare })),
    '',
    'organisationId',
  );
}

/** Every member must be an existing ETS (a municipality or district cannot be awarded a share of the service). */
async function requireEtsMembers(m: EntityManager, members: readonly GroupingMemberInputDto[]): Promise<void> {
  const ids = members.map((x) => x.organisationId);
  const found = ids.length === 0 ? [] : await m.findBy(OrganisationEntity, { id: In(ids) });
  const byId = new Map(found.map((o) => [o.id, o]));
  members.forEach((member, i) => {
    const field = `members[${i}].organisationId`;
    const organisation = byId.get(member.organisationId);
    if (!organisation) {
      throw new OrganisationError('ORGANISATION_NOT_FOUND', `Organisation ${member.organisationId} not found`, {
        id: member.organisationId,
        fields: [{ field, message: 'no such organisation' }],
      });
    }
    if (organisation.kind !== 'ETS') {
      throw new ContractError('GROUPING_MEMBER_NOT_ETS', `Members must be ETS organisations; ${organisation.code} is a ${organisation.kind}`, {
        organisationId: organisation.id,
        fields: [{ field, message: `must be an ETS, not a ${organisation.kind}` }],
      });
    }
  });
}

/**
 * Nobody alters a closed period (DOMAIN.md §4). A contract's groupings and their members and execution
 * shares are not per period: every settlement of the contract, a reopened version of a closed period's
 * included, reads them as they are now. So while any period of the contract is closed they are frozen
 * (422), until an approver reopens it with a reason. A change effective only from a later period is not
 * modelled (docs/decisions/0006). On PostgreSQL the periods are locked FOR SHARE, so a closing waits.
 */
async function requireNoClosedPeriod(
  m: EntityManager,
  contract: ContractEntity,
  message: (closed: string) => string,
  details: { groupingId?: string; field?: string } = {},
): Promise<void> {
  const periods = await m.find(ContractPeriodEntity, { where: { contractId: contract.id }, order: { position: 'ASC' } });
  const closedIds = await closedPeriods(m, periods.map((p) => p.id));
  if (closedIds.size === 0) return;
  const closed = periods.filter((p) => closedIds.has(p.id));
  const codes = closed.map((p) => p.code).join(', ');
  const phrase = closed.length > 1 ? `periods ${codes} are closed` : `period ${codes} is closed`;
  throw new ContractError('GROUPING_PERIOD_CLOSED', `${message(phrase)}: an approver reopens ${closed.length > 1 ? 'them' : 'it'} before the groupings change`, {
    contractId: contract.id,
    ...(details.groupingId === undefined ? {} : { groupingId: details.groupingId }),
    periods: closed.map((p) => ({ periodId: p.id, period: p.code })),
    ...(details.field === undefined ? {} : { fields: [{ field: details.field, message: `cannot change while ${phrase}` }] }),
  });
}

function codeTaken(code: string): InstanceType<typeof ContractError> {
  return new ContractError('GROUPING_CODE_TAKEN', `The contract already has a grouping with code ${code}`, {
    fields: [{ field: 'code', message: 'already taken in this contract' }],
  });
}

function groupingInUse(name: string, id: string, uses: Record<string, number>): InstanceType<typeof ContractError> {
  return new ContractError('GROUPING_IN_USE', `Grouping ${name} still has indicator baselines, targets or denominators: remove them first`, {
    id,
    ...uses,
  });
}
