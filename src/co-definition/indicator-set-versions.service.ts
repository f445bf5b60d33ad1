import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isUniqueViolation } from 'src/database/database';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { IndicatorEntity } from 'src/indicators/indicator.entity';
import { closedPeriods } from 'src/measurements/period-closure.lookup';
import { CoDefinitionAccess, forbidden } from 'src/co-definition/co-definition.access';
import { CoDefinitionError } from 'src/co-definition/co-definition.errors';
import {
  ApproveIndicatorSetVersionDto,
  BindingIndicatorSetDto,
  CreateIndicatorSetVersionDto,
  IndicatorSetVersionDto,
  IndicatorSetVersionSummaryDto,
  VersionRuleSetTestRunDto,
} from 'src/co-definition/dto/indicator-set-version.dto';
import { IndicatorSetApprovalEntity, IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
import { auditSummaryOf, summaryOf, versionView, versionViews } from 'src/co-definition/indicator-set-version.view';
import { indicatorSetInForce, periodsInForce } from 'src/co-definition/indicator-set.resolver';
import { requirePassingRuleSetTests, runVersionRuleSetTests } from 'src/co-definition/indicator-set.rule-set-tests';
import { canonicalHash, IndicatorSetContent, snapshotIndicatorSet } from 'src/co-definition/indicator-set.snapshot';
import { missingSides, requiredSides } from 'src/co-definition/indicator-set.rules';

/**
 * Versions of a contract's indicator set: frozen snapshots approved by the municipality and the lead of
 * every grouping. A version binds when every side approved its exact content hash; earlier binding
 * versions stay BINDING and keep the periods before its effective one (`inForceFor`, the resolver's rule),
 * and nothing is ever rewritten.
 */
@Injectable()
export class IndicatorSetVersionsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: CoDefinitionAccess,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, contractId: string, dto: CreateIndicatorSetVersionDto): Promise<IndicatorSetVersionDto> {
    try {
      return await this.db.transaction(async (m) => {
        // The contract row lock (PostgreSQL) serialises freezes of one contract: numbering and supersession.
        const contract = await this.access.readableContract(m, principal, contractId, true);
        await this.access.requireManager(m, principal, contract);
        const versions = await m.find(IndicatorSetVersionEntity, { where: { contractId }, order: { version: 'DESC' } });
        const version = (versions[0]?.version ?? 0) + 1;
        const reason = dto.reason?.trim() ? dto.reason : null;
        if (version > 1 && reason === null) {
          throw new CoDefinitionError('CO_DEFINITION_REASON_REQUIRED', `Version ${version} needs the reason for the change`, {
            fields: [{ field: 'reason', message: 'required from version 2 on' }],
          });
        }
        const periods = await m.find(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' } });
        const effectiveFrom = await this.effectiveFrom(m, dto, version, periods, versions);
        await requireNoClosedPeriodFrom(m, version, effectiveFrom, periods);
        if ((await m.countBy(ProviderGroupingEntity, { contractId })) === 0) {
          throw new CoDefinitionError('CO_DEFINITION_NO_GROUPINGS', 'The contract has no provider groupings to approve an indicator set', { contractId });
        }
        if ((await m.countBy(IndicatorEntity, { contractId })) === 0) {
          throw new CoDefinitionError('CO_DEFINITION_EMPTY_SET', 'The contract has no indicators to freeze', { contractId });
        }
        const now = this.clock.nowIso();
        for (const open of versions.filter((v) => v.state === 'DRAFT')) {
          await m.update(IndicatorSetVersionEntity, { id: open.id }, { state: 'SUPERSEDED', updatedAt: now });
          await this.record(m, principal, 'supersede', contract, open.id, { version: open.version, state: open.state }, { version: open.version, state: 'SUPERSEDED' });
        }
        const content = await snapshotIndicatorSet(m, contract, {
          version,
          effectiveFromPeriodCode: effectiveFrom.code,
          reason,
          minute: dto.minute ?? null,
        });
        const { json, hash } = canonicalHash(content);
        const entity: IndicatorSetVersionEntity = {
          id: this.ids.next(),
          contractId,
          version,
          state: 'DRAFT',
          content: json,
          contentHash: hash,
          reason,
          minute: dto.minute ?? null,
          effectiveFromPeriodId: effectiveFrom.id,
          createdBy: principal.userId,
          createdByLabel: principal.label,
          boundAt: null,
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(IndicatorSetVersionEntity, entity);
        const view = await versionView(m, entity, await periodsInForce(m, contractId));
        await this.record(m, principal, 'create', contract, entity.id, null, auditSummaryOf(view));
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new CoDefinitionError('CO_DEFINITION_VERSION_CONFLICT', 'Another version of this contract was frozen at the same time; retry', { contractId });
      }
      throw error;
    }
  }

  async list(principal: Principal, contractId: string, query: PageQueryDto): Promise<Page<IndicatorSetVersionSummaryDto>> {
    const { take, skip } = pageWindow(query);
    const { views, total } = await this.db.read(async (m) => {
      await this.access.readableContract(m, principal, contractId);
      const [rows, count] = await m.findAndCount(IndicatorSetVersionEntity, { where: { contractId }, order: { version: 'ASC' }, take, skip });
      // The contract's periods and binding versions once for the page, not per version.
      const views = await versionViews(m, rows, await periodsInForce(m, contractId));
      return { views: views.map(summaryOf), total: count };
    });
    return toPage(views, total, query, (v) => v);
  }

  async get(principal: Principal, id: string): Promise<IndicatorSetVersionDto> {
    return this.db.read(async (m) => {
      const { version } = await this.readableVersion(m, principal, id);
      return versionView(m, version, await periodsInForce(m, version.contractId));
    });
  }

  /**
   * Runs the test cases of the version's frozen payment rules exactly as an approval does, so a side sees
   * what it would approve tested before approving (the contract's test-runs endpoint runs the working copy).
   * Read-only; any reader of the contract may run them.
   */
  async testRuns(principal: Principal, id: string): Promise<VersionRuleSetTestRunDto> {
    return this.db.read(async (m) => {
      const { version, contract } = await this.readableVersion(m, principal, id);
      const run = await runVersionRuleSetTests(m, contract, version, JSON.parse(version.content) as IndicatorSetContent);
      if (run === null) {
        throw new CoDefinitionError('CO_DEFINITION_NO_RULE_SET', `Version ${version.version} of contract ${contract.code} has no payment rules: it was frozen before any were saved`, { id });
      }
      const { rules, results } = run;
      return { versionId: version.id, version: version.version, contentHash: version.contentHash, ruleSetCode: rules.code, total: results.length, passed: results.filter((r) => r.passed).length, results };
    });
  }

  /**
   * One side approves the exact content it names by hash. The version row lock (PostgreSQL) serialises the
   * approvals of one version, so the last missing side makes exactly one DRAFT -> BINDING transition.
   */
  async approve(principal: Principal, id: string, dto: ApproveIndicatorSetVersionDto): Promise<IndicatorSetVersionDto> {
    try {
      return await this.db.transaction(async (m) => {
        const { version, contract } = await this.readableVersion(m, principal, id, true);
        const content = JSON.parse(version.content) as IndicatorSetContent;
        const side = await this.sideOf(m, principal, contract, content, dto.groupingId);
        if (version.state !== 'DRAFT') {
          throw new CoDefinitionError('CO_DEFINITION_VERSION_NOT_OPEN', `Version ${version.version} is ${version.state} and takes no approvals`, {
            id,
            state: version.state,
          });
        }
        if (dto.contentHash !== version.contentHash) {
          throw new CoDefinitionError('CO_DEFINITION_HASH_MISMATCH', `The content you approve is not version ${version.version}'s`, {
            id,
            contentHash: version.contentHash,
            fields: [{ field: 'contentHash', message: 'does not match the content of this version' }],
          });
        }
        if (await m.existsBy(IndicatorSetApprovalEntity, { versionId: id, sideKey: side.sideKey })) {
          throw alreadyApproved(version.version, side.sideKey);
        }
        await requirePassingRuleSetTests(m, contract, version, content);
        // A period may have been closed since the version was frozen: no side approves it while it would change one.
        const periods = await m.find(ContractPeriodEntity, { where: { contractId: contract.id }, order: { position: 'ASC' } });
        const from = periods.find((x) => x.id === version.effectiveFromPeriodId);
        if (from) await requireNoClosedPeriodFrom(m, version.version, from, periods);
        const now = this.clock.nowIso();
        const approval: IndicatorSetApprovalEntity = {
          id: this.ids.next(),
          versionId: id,
          side: side.groupingId === null ? 'MUNICIPALITY' : 'GROUPING',
          groupingId: side.groupingId,
          sideKey: side.sideKey,
          contentHash: dto.contentHash,
          organisationId: principal.organisationId as string,
          approvedBy: principal.userId,
          approvedByLabel: principal.label,
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(IndicatorSetApprovalEntity, approval);
        await this.audit.record(m, principal, {
          action: 'approve',
          objectType: 'indicator_set_approval',
          objectId: approval.id,
          contractId: contract.id,
          municipalityId: contract.municipalityId,
          before: null,
          after: { versionId: id, version: version.version, sideKey: side.sideKey, contentHash: dto.contentHash },
        });
        const approvals = await m.find(IndicatorSetApprovalEntity, { where: { versionId: id, contentHash: version.contentHash } });
        if (missingSides(requiredSides(content.groupings), approvals).length === 0) {
          const before = auditSummaryOf(await versionView(m, version, await periodsInForce(m, contract.id)));
          const bound: IndicatorSetVersionEntity = { ...version, state: 'BINDING', boundAt: now, updatedAt: now };
          await m.update(IndicatorSetVersionEntity, { id, state: 'DRAFT' }, { state: 'BINDING', boundAt: now, updatedAt: now });
          // Read again after the update: binding changes which periods this version and earlier ones govern.
          const view = await versionView(m, bound, await periodsInForce(m, contract.id));
          await this.record(m, principal, 'bind', contract, id, before, auditSummaryOf(view));
          return view;
        }
        return versionView(m, version, await periodsInForce(m, contract.id));
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new CoDefinitionError('CO_DEFINITION_ALREADY_APPROVED', 'This side approved this version at the same time from another request', { id });
      }
      throw error;
    }
  }

  async inForce(principal: Principal, contractId: string, periodId: string): Promise<BindingIndicatorSetDto> {
    return this.db.read(async (m) => {
      await this.access.readableContract(m, principal, contractId);
      if (!(await m.existsBy(ContractPeriodEntity, { id: periodId, contractId }))) {
        throw new CoDefinitionError('CO_DEFINITION_PERIOD_NOT_FOUND', `Period ${periodId} is not a period of contract ${contractId}`, { contractId, periodId });
      }
      const set = await indicatorSetInForce(m, contractId, periodId);
      if (!set) {
        throw new CoDefinitionError('CO_DEFINITION_NO_BINDING_VERSION', 'No binding indicator set is in force for this period yet', { contractId, periodId });
      }
      return { ...set, indicators: set.indicators as unknown as Record<string, unknown>[] };
    });
  }

  private async effectiveFrom(
    m: EntityManager,
    dto: CreateIndicatorSetVersionDto,
    version: number,
    periods: readonly ContractPeriodEntity[],
    versions: readonly IndicatorSetVersionEntity[],
  ): Promise<ContractPeriodEntity> {
    if (dto.effectiveFromPeriodId === undefined && (version > 1 || periods.length === 0)) {
      throw new CoDefinitionError('CO_DEFINITION_EFFECTIVE_FROM_REQUIRED', `Version ${version} needs the first period it applies to`, {
        fields: [{ field: 'effectiveFromPeriodId', message: version > 1 ? 'required from version 2 on' : 'the contract has no periods yet' }],
      });
    }
    const period = dto.effectiveFromPeriodId === undefined ? periods[0] : periods.find((p) => p.id === dto.effectiveFromPeriodId);
    if (!period) {
      throw new CoDefinitionError('CO_DEFINITION_UNKNOWN_PERIOD', `Period ${dto.effectiveFromPeriodId} is not a period of this contract`, {
        fields: [{ field: 'effectiveFromPeriodId', message: 'not a period of this contract' }],
      });
    }
    const previous = versions.find((v) => v.state === 'BINDING');
    if (previous) {
      const from = periods.find((p) => p.id === previous.effectiveFromPeriodId) ?? (await m.findOneByOrFail(ContractPeriodEntity, { id: previous.effectiveFromPeriodId }));
      if (period.position < from.position) {
        throw new CoDefinitionError(
          'CO_DEFINITION_EFFECTIVE_FROM_TOO_EARLY',
          `Version ${version} cannot apply before ${from.code}, from which binding version ${previous.version} applies`,
          { fields: [{ field: 'effectiveFromPeriodId', message: `must not be before ${from.code} (binding version ${previous.version})` }] },
        );
      }
    }
    return period;
  }

  /** The side the caller approves for: the municipality (its approver) or a grouping it leads. */
  private async sideOf(
    m: EntityManager,
    principal: Principal,
    contract: ContractEntity,
    content: IndicatorSetContent,
    groupingId: string | undefined,
  ): Promise<{ sideKey: string; groupingId: string | null }> {
    const sides: { sideKey: string; groupingId: string | null }[] = [];
    if (groupingId === undefined && (await this.access.isMunicipalApprover(m, principal, contract))) {
      sides.push({ sideKey: 'MUNICIPALITY', groupingId: null });
    }
    for (const g of await this.access.ledGroupingsOf(m, principal, contract.id)) {
      if (content.groupings.includes(g.code) && (groupingId === undefined || g.id === groupingId)) {
        sides.push({ sideKey: g.code, groupingId: g.id });
      }
    }
    if (sides.length === 0) {
      const named = groupingId === undefined ? null : await m.findOneBy(ProviderGroupingEntity, { id: groupingId, contractId: contract.id });
      throw forbidden(
        groupingId === undefined
          ? "Only the municipality's approver and the leads of the contract's groupings approve its indicator set"
          : `You do not lead grouping ${named?.code ?? groupingId} of this contract`,
      );
    }
    if (sides.length > 1) {
      throw new CoDefinitionError('CO_DEFINITION_SIDE_AMBIGUOUS', 'You may approve for several sides: name the grouping', {
        sides: sides.map((s) => s.sideKey),
        fields: [{ field: 'groupingId', message: 'required when you lead several groupings of the contract' }],
      });
    }
    return sides[0];
  }

  private async readableVersion(m: EntityManager, principal: Principal, id: string, lock = false): Promise<{ version: IndicatorSetVersionEntity; contract: ContractEntity }> {
    const notFound = () => new CoDefinitionError('CO_DEFINITION_VERSION_NOT_FOUND', `Indicator-set version ${id} not found`, { id });
    const locking = lock && this.db.dialect === 'postgres';
    const version = await m.findOne(IndicatorSetVersionEntity, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!version) throw notFound();
    try {
      return { version, contract: await this.access.readableContract(m, principal, version.contractId) };
    } catch {
      throw notFound();
    }
  }

  private record(m: EntityManager, principal: Principal, action: string, contract: ContractEntity, id: string, before: unknown, after: unknown) {
    return this.audit.record(m, principal, {
      action,
      objectType: 'indicator_set_version',
      objectId: id,
      contractId: contract.id,
      municipalityId: contract.municipalityId,
      before,
      after,
    });
  }
}

function alreadyApproved(version: number, sideKey: string): Error {
  return new CoDefinitionError('CO_DEFINITION_ALREADY_APPROVED', `${sideKey} already approved version ${version}`, { sideKey });
}

/**
 * Nobody alters a closed period (DOMAIN.md §4): a version that would apply to a closed period, from its
 * effective period on, is neither frozen nor approved (422). An approver reopens the period first, with a
 * reason, so the change is on record. On PostgreSQL the periods are locked FOR SHARE, so a closing waits.
 */
async function requireNoClosedPeriodFrom(m: EntityManager, version: number, from: ContractPeriodEntity, periods: readonly ContractPeriodEntity[]): Promise<void> {
  const covered = periods.filter((x) => x.position >= from.position);
  const closed = await closedPeriods(m, covered.map((x) => x.id));
  if (closed.size === 0) return;
  const codes = covered.filter((x) => closed.has(x.id)).map((x) => x.code);
  throw new CoDefinitionError(
    'CO_DEFINITION_PERIOD_CLOSED',
    `Version ${version} would apply to closed period${codes.length > 1 ? 's' : ''} ${codes.join(', ')}: an approver reopens a period before its indicators change`,
    { periods: codes, fields: [{ field: 'effectiveFromPeriodId', message: `applies to closed period${codes.length > 1 ? 's' : ''} ${codes.join(', ')}` }] },
  );
}
