import { Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { ContractEntity } from 'src/contracts/contract.entity';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isUniqueViolation } from 'src/database/database';
import {
  BaselineInputDto,
  CreateIndicatorDto,
  DenominatorInputDto,
  IndicatorDto,
  ListIndicatorsQueryDto,
  ReplaceBaselinesDto,
  ReplaceDenominatorsDto,
  ReplaceTargetsDto,
  TargetInputDto,
  toIndicatorDto,
  UpdateIndicatorDto,
} from 'src/indicators/dto/indicator.dto';
import {
  IndicatorBaselineEntity,
  IndicatorDenominatorEntity,
  IndicatorEntity,
  IndicatorTargetEntity,
} from 'src/indicators/indicator.entity';
import {
  checkIndicatorRows,
  ContractScope,
  IndicatorRows,
  loadContractScope,
  loadIndicatorViews,
  loadRows,
  requireContract,
  requireGrouping,
  requireNode,
  requirePeriod,
  requirePopulations,
} from 'src/indicators/indicator.references';
import { checkDisaggregations, defaultAggregation } from 'src/indicators/indicator.rules';
import { changeReadsUsage, requireChangeAllowed, requireDeletable } from 'src/indicators/indicator.usage';
import { IndicatorError } from 'src/indicators/indicators.errors';

type RowKind = keyof IndicatorRows;
const ROW_ENTITIES = {
  baselines: IndicatorBaselineEntity,
  targets: IndicatorTargetEntity,
  denominators: IndicatorDenominatorEntity,
} as const;

/**
 * Indicator definitions of a contract with their baselines, targets and denominators. Every write
 * validates the indicator and all its rows together (references, then the rules of indicator.rules.ts)
 * inside one transaction, and writes nothing unless all of it holds.
 */
@Injectable()
export class IndicatorsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, contractId: string, dto: CreateIndicatorDto): Promise<IndicatorDto> {
    const now = this.clock.nowIso();
    const id = this.ids.next();
    return this.writing(dto.code, () =>
      this.db.transaction(async (m) => {
        const scope = await loadContractScope(m, contractId);
        await this.access.requireManageableContract(m, principal, scope.contract, () => contractNotFound(contractId));
        await requireNode(m, scope, dto.nodeId);
        const entity: IndicatorEntity = {
          id,
          contractId,
          nodeId: dto.nodeId,
          code: dto.code,
          labelIt: dto.labelIt,
          labelEn: dto.labelEn ?? null,
          unit: dto.unit,
          direction: dto.direction,
          formulaText: dto.formula?.text ?? null,
          formulaNumerator: dto.formula?.numerator ?? null,
          formulaDenominator: dto.formula?.denominator ?? null,
          instrument: dto.instrument ?? null,
          dataOwner: dto.dataOwner ?? null,
          frequency: dto.frequency,
          minSampleSize: dto.minSampleSize ?? null,
          disaggregations: (dto.disaggregations ?? []).map((d) => ({ dimension: d.dimension, values: [...d.values] })),
          scope: dto.scope,
          aggregation: dto.aggregation ?? defaultAggregation(dto.unit),
          position: await nextPosition(m, contractId),
          createdAt: now,
          updatedAt: now,
        };
        checkDisaggregations(entity.disaggregations);
        const rows: IndicatorRows = {
          baselines: this.buildBaselines(scope, id, dto.baselines ?? []),
          targets: this.buildTargets(scope, id, dto.targets ?? []),
          denominators: await this.buildDenominators(m, scope, id, dto.denominators ?? []),
        };
        checkIndicatorRows(entity, scope, rows);
        await requireCodeFree(m, entity);
        await m.insert(IndicatorEntity, entity);
        for (const kind of Object.keys(ROW_ENTITIES) as RowKind[]) {
          await insertRows(m, kind, rows[kind]);
        }
        const after = await viewOf(m, entity);
        await this.audit.record(m, principal, { action: 'create', objectType: 'indicator', objectId: id, ...auditScope(scope.contract), after });
        return after;
      }),
    );
  }

  async list(principal: Principal, contractId: string, query: ListIndicatorsQueryDto): Promise<Page<IndicatorDto>> {
    const { take, skip } = pageWindow(query);
    const where = {
      contractId,
      ...(query.nodeId ? { nodeId: query.nodeId } : {}),
      ...(query.unit ? { unit: query.unit } : {}),
      ...(query.direction ? { direction: query.direction } : {}),
    };
    const { views, total } = await this.db.read(async (m) => {
      await requireContract(m, contractId);
      await this.access.requireReadableContract(m, principal, contractId, () => contractNotFound(contractId));
      const [rows, count] = await m.findAndCount(IndicatorEntity, { where, order: { position: 'ASC', code: 'ASC' }, take, skip });
      return { views: await loadIndicatorViews(m, rows), total: count };
    });
    return toPage(views, total, query, toIndicatorDto);
  }

  async get(principal: Principal, id: string): Promise<IndicatorDto> {
    return this.db.read(async (m) => {
      const indicator = await findIndicator(m, id);
      await this.access.requireReadableContract(m, principal, indicator.contractId, () => indicatorNotFound(id));
      return viewOf(m, indicator);
    });
  }

  /**
   * Re-validates the stored rows against the new definition: a unit, direction or scope change may break them.
   * A new code, unit or direction is refused while the indicator is in use, and so is dropping a
   * disaggregation category the payment rules name (409 INDICATOR_IN_USE, indicator.usage.ts), before the
   * rows are checked: a measured indicator's direction is refused as such, not as targets on the wrong side.
   */
  async update(principal: Principal, id: string, dto: UpdateIndicatorDto): Promise<IndicatorDto> {
    return this.writing(dto.code, () =>
      this.db.transaction(async (m) => {
        if (changeReadsUsage(dto)) {
          await this.lockContract(m, (await findIndicator(m, id)).contractId);
        }
        const { indicator: current, scope } = await this.forWrite(m, principal, id);
        const before = await viewOf(m, current);
        const next: IndicatorEntity = {
          ...current,
          code: dto.code ?? current.code,
          nodeId: dto.nodeId ?? current.nodeId,
          labelIt: dto.labelIt ?? current.labelIt,
          labelEn: dto.labelEn === undefined ? current.labelEn : dto.labelEn,
          unit: dto.unit ?? current.unit,
          direction: dto.direction ?? current.direction,
          formulaText: dto.formula === undefined ? current.formulaText : (dto.formula?.text ?? null),
          formulaNumerator: dto.formula === undefined ? current.formulaNumerator : (dto.formula?.numerator ?? null),
          formulaDenominator: dto.formula === undefined ? current.formulaDenominator : (dto.formula?.denominator ?? null),
          instrument: dto.instrument === undefined ? current.instrument : dto.instrument,
          dataOwner: dto.dataOwner === undefined ? current.dataOwner : dto.dataOwner,
          frequency: dto.frequency ?? current.frequency,
          minSampleSize: dto.minSampleSize === undefined ? current.minSampleSize : dto.minSampleSize,
          disaggregations: dto.disaggregations?.map((d) => ({ dimension: d.dimension, values: [...d.values] })) ?? current.disaggregations,
          scope: dto.scope ?? current.scope,
          aggregation: dto.aggregation ?? current.aggregation,
          updatedAt: this.clock.nowIso(),
        };
        if (next.nodeId !== current.nodeId) {
          await requireNode(m, scope, next.nodeId);
        }
        checkDisaggregations(next.disaggregations);
        await requireChangeAllowed(m, current, next, scope.contract, dto.disaggregations !== undefined);
        checkIndicatorRows(next, scope, await loadRows(m, id));
        if (next.code !== current.code) {
          await requireCodeFree(m, next);
        }
        await m.save(IndicatorEntity, next);
        const after = await viewOf(m, next);
        await this.audit.record(m, principal, { action: 'update', objectType: 'indicator', objectId: id, ...auditScope(scope.contract), before, after });
        return after;
      }),
    );
  }

  /** Refused (409 INDICATOR_IN_USE, nothing changed) while measurements or the contract's payment rules name it: indicator.usage.ts. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      // The contract row first (PostgreSQL), as a payment-rules write takes it: rules naming the indicator
      // cannot be saved between the check below and the delete.
      await this.lockContract(m, (await findIndicator(m, id)).contractId);
      const { indicator, scope } = await this.forWrite(m, principal, id);
      await requireDeletable(m, indicator, scope.contract);
      const before = await viewOf(m, indicator);
      for (const kind of Object.keys(ROW_ENTITIES) as RowKind[]) {
        await m.delete(ROW_ENTITIES[kind], { indicatorId: id });
      }
      await m.delete(IndicatorEntity, { id });
      await this.audit.record(m, principal, { action: 'delete', objectType: 'indicator', objectId: id, ...auditScope(scope.contract), before });
    });
  }

  replaceBaselines(principal: Principal, id: string, dto: ReplaceBaselinesDto): Promise<IndicatorDto> {
    return this.replaceRows(principal, id, 'baselines', (_m, scope) => this.buildBaselines(scope, id, dto.baselines));
  }

  replaceTargets(principal: Principal, id: string, dto: ReplaceTargetsDto): Promise<IndicatorDto> {
    return this.replaceRows(principal, id, 'targets', (_m, scope) => this.buildTargets(scope, id, dto.targets));
  }

  replaceDenominators(principal: Principal, id: string, dto: ReplaceDenominatorsDto): Promise<IndicatorDto> {
    return this.replaceRows(principal, id, 'denominators', (m, scope) => this.buildDenominators(m, scope, id, dto.denominators));
  }

  /** Replaces one list atomically, validated together with the other stored lists (new baselines against stored targets...). */
  private async replaceRows<K extends RowKind>(
    principal: Principal,
    id: string,
    kind: K,
    build: (m: EntityManager, scope: ContractScope) => IndicatorRows[K] | Promise<IndicatorRows[K]>,
  ): Promise<IndicatorDto> {
    return this.db.transaction(async (m) => {
      const { indicator, scope } = await this.forWrite(m, principal, id);
      const before = await viewOf(m, indicator);
      const rows: IndicatorRows = { ...(await loadRows(m, id)), [kind]: await build(m, scope) };
      checkIndicatorRows(indicator, scope, rows);
      await m.delete(ROW_ENTITIES[kind], { indicatorId: id });
      await insertRows(m, kind, rows[kind]);
      const updated: IndicatorEntity = { ...indicator, updatedAt: this.clock.nowIso() };
      await m.update(IndicatorEntity, { id }, { updatedAt: updated.updatedAt });
      const after = await viewOf(m, updated);
      await this.audit.record(m, principal, { action: 'replace', objectType: `indicator_${kind}`, objectId: id, ...auditScope(scope.contract), before, after });
      return after;
    });
  }

  private buildBaselines(scope: ContractScope, indicatorId: string, inputs: readonly BaselineInputDto[]): IndicatorBaselineEntity[] {
    return inputs.map((b, i) => {
      const groupingId = b.groupingId ?? null;
      const establishedInPeriodId = b.establishedInPeriodId ?? null;
      requireGrouping(scope, groupingId, `baselines[${i}].groupingId`);
      if (establishedInPeriodId !== null) {
        requirePeriod(scope, establishedInPeriodId, `baselines[${i}].establishedInPeriodId`);
      }
      return {
        id: this.ids.next(),
        position: i,
        indicatorId,
        groupingId,
        value: b.value,
        establishedInPeriodId,
        reference: b.reference ?? null,
        note: b.note ?? null,
      };
    });
  }

  private buildTargets(scope: ContractScope, indicatorId: string, inputs: readonly TargetInputDto[]): IndicatorTargetEntity[] {
    return inputs.map((t, i) => {
      requirePeriod(scope, t.periodId, `targets[${i}].periodId`);
      const groupingId = t.groupingId ?? null;
      requireGrouping(scope, groupingId, `targets[${i}].groupingId`);
      return { id: this.ids.next(), position: i, indicatorId, periodId: t.periodId, groupingId, value: t.value };
    });
  }

  private async buildDenominators(
    m: EntityManager,
    scope: ContractScope,
    indicatorId: string,
    inputs: readonly DenominatorInputDto[],
  ): Promise<IndicatorDenominatorEntity[]> {
    inputs.forEach((d, i) => requireGrouping(scope, d.groupingId ?? null, `denominators[${i}].groupingId`));
    await requirePopulations(m, scope, inputs);
    return inputs.map((d, i) => ({
      id: this.ids.next(),
      position: i,
      indicatorId,
      groupingId: d.groupingId ?? null,
      referencePopulationId: d.referencePopulationId,
    }));
  }

  /** The indicator (locked) and its contract's scope, for a write the caller must be allowed to make (404 / 403 otherwise). */
  private async forWrite(m: EntityManager, principal: Principal, id: string): Promise<{ indicator: IndicatorEntity; scope: ContractScope }> {
    const indicator = await this.lockIndicator(m, id);
    const scope = await loadContractScope(m, indicator.contractId);
    await this.access.requireManageableContract(m, principal, scope.contract, () => indicatorNotFound(id));
    return { indicator, scope };
  }

  private async lockContract(m: EntityManager, contractId: string): Promise<void> {
    if (this.db.dialect === 'postgres') {
      await m.findOne(ContractEntity, { where: { id: contractId }, lock: { mode: 'pessimistic_write' } });
    }
  }

  /** Loads the indicator for a write; on PostgreSQL the row lock serialises concurrent writes to one indicator's set. */
  private async lockIndicator(m: EntityManager, id: string): Promise<IndicatorEntity> {
    const entity = await m.findOne(IndicatorEntity, {
      where: { id },
      ...(this.db.dialect === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!entity) {
      throw indicatorNotFound(id);
    }
    return entity;
  }

  /** Runs a write, turning a lost race on the (contract, code) unique index into the same 409 as the check. */
  private async writing<T>(code: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (code !== undefined && isUniqueViolation(error)) {
        throw codeTaken(code);
      }
      throw error;
    }
  }
}

export async function findIndicator(m: EntityManager, id: string): Promise<IndicatorEntity> {
  const entity = await m.findOneBy(IndicatorEntity, { id });
  if (!entity) {
    throw indicatorNotFound(id);
  }
  return entity;
}

function indicatorNotFound(id: string): InstanceType<typeof IndicatorError> {
  return new IndicatorError('INDICATOR_NOT_FOUND', `Indicator ${id} not found`, { id });
}

function contractNotFound(contractId: string): InstanceType<typeof IndicatorError> {
  return new IndicatorError('INDICATOR_CONTRACT_NOT_FOUND', `Contract ${contractId} not found`, { contractId });
}

function auditScope(c: ContractEntity): { contractId: string; municipalityId: string } {
  return { contractId: c.id, municipalityId: c.municipalityId };
}

async function viewOf(m: EntityManager, entity: IndicatorEntity): Promise<IndicatorDto> {
  const [view] = await loadIndicatorViews(m, [entity]);
  return toIndicatorDto(view);
}

async function requireCodeFree(m: EntityManager, entity: IndicatorEntity): Promise<void> {
  const other = await m.findOneBy(IndicatorEntity, { contractId: entity.contractId, code: entity.code });
  if (other && other.id !== entity.id) {
    throw codeTaken(entity.code);
  }
}

function codeTaken(code: string): InstanceType<typeof IndicatorError> {
  return new IndicatorError('INDICATOR_CODE_TAKEN', `The contract already has an indicator with code ${code}`, {
    fields: [{ field: 'code', message: 'already taken in this contract' }],
  });
}

/** New indicators go after the last one of the contract (document order). */
async function nextPosition(m: EntityManager, contractId: string): Promise<number> {
  const last = await m.findOne(IndicatorEntity, { where: { contractId }, order: { position: 'DESC' } });
  return last ? last.position + 1 : 0;
}

const INSERT_CHUNK = 100;

async function insertRows<K extends RowKind>(m: EntityManager, kind: K, rows: IndicatorRows[K]): Promise<void> {
  // Typed loosely on purpose: the kind picks both the entity and its rows, which TypeScript's inference of
  // the generic pair is not stable about across compilations (ts-jest failed on it intermittently).
  const entity: EntityTarget<ObjectLiteral> = ROW_ENTITIES[kind];
  const all: readonly ObjectLiteral[] = rows;
  for (let start = 0; start < all.length; start += INSERT_CHUNK) {
    await m.insert(entity, all.slice(start, start + INSERT_CHUNK));
  }
}
