import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope, isVisible } from 'src/auth/access-scope';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { checkContractDates, checkPaymentRules, checkPaymentRulesAgainst, checkPeriods } from 'src/contracts/contract.rules';
import { ContractError } from 'src/contracts/contracts.errors';
import { auditScope, manageableContract, periodsOf, readableContract } from 'src/contracts/contracts.lookup';
import {
  ContractDto,
  CreateContractDto,
  ListContractsQueryDto,
  PaymentRulesDto,
  PutPaymentRulesDto,
  toContractDto,
  toPaymentRulesDto,
  UpdateContractDto,
} from 'src/contracts/dto/contract.dto';
import { Database, isForeignKeyViolation, isUniqueViolation } from 'src/database/database';
import { requireKind } from 'src/organisations/organisations.service';
import { loadRuleSetContext, payerCodesOf } from 'src/rule-sets/rule-set.context.loader';
import { ProjectEntity } from 'src/value-chain/project.entity';

@Injectable()
export class ContractsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, dto: CreateContractDto): Promise<ContractDto> {
    const now = this.clock.nowIso();
    const contract: ContractEntity = {
      id: this.ids.next(),
      code: dto.code,
      title: dto.title,
      projectId: dto.projectId,
      municipalityId: dto.municipalityId,
      currency: dto.currency ?? 'EUR',
      startDate: dto.startDate,
      endDate: dto.endDate,
      paymentRules: null,
      createdAt: now,
      updatedAt: now,
    };
    const periods: ContractPeriodEntity[] = (dto.periods ?? []).map((p, position) => ({
      id: this.ids.next(),
      contractId: contract.id,
      code: p.code,
      startDate: p.startDate,
      endDate: p.endDate,
      phase: p.phase ?? null,
      position,
      createdAt: now,
      updatedAt: now,
    }));
    checkContractDates(contract);
    checkPeriods(contract, periods);
    try {
      await this.db.transaction(async (m) => {
        await this.access.requireManage(m, principal, contract.municipalityId);
        await checkProjectAndMunicipality(m, this.access, principal, contract);
        if (await m.existsBy(ContractEntity, { code: contract.code })) {
          throw codeTaken(contract.code);
        }
        await m.insert(ContractEntity, contract);
        if (periods.length > 0) {
          await m.insert(ContractPeriodEntity, periods);
        }
        await this.audit.record(m, principal, {
          action: 'create',
          objectType: 'contract',
          objectId: contract.id,
          ...auditScope(contract),
          after: toContractDto(contract, periods),
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw codeTaken(contract.code);
      }
      throw error;
    }
    return toContractDto(contract, periods);
  }

  /** Only the contracts the caller may read. */
  async list(principal: Principal, query: ListContractsQueryDto): Promise<Page<ContractDto>> {
    const { take, skip } = pageWindow(query);
    const { rows, total, periods } = await this.db.read(async (m) => {
      const visible = await this.access.readableContracts(m, principal);
      const where = {
        ...(query.projectId ? { projectId: query.projectId } : {}),
        ...(query.municipalityId ? { municipalityId: query.municipalityId } : {}),
        ...(visible === 'ALL' ? {} : { id: In([...visible]) }),
      };
      const [rows, total] = await m.findAndCount(ContractEntity, { where, order: { code: 'ASC' }, take, skip });
      return { rows, total, periods: await periodsOf(m, rows.map((r) => r.id)) };
    });
    return toPage(rows, total, query, (c) => toContractDto(c, periods.get(c.id) ?? []));
  }

  async get(principal: Principal, id: string): Promise<ContractDto> {
    return this.db.read(async (m) => {
      const contract = await readableContract(m, this.access, principal, id);
      const periods = await periodsOf(m, [id]);
      return toContractDto(contract, periods.get(id) ?? []);
    });
  }

  /** Title and dates; new dates must still contain every period. */
  async update(principal: Principal, id: string, dto: UpdateContractDto): Promise<ContractDto> {
    return this.db.transaction(async (m) => {
      const current = await manageableContract(m, this.access, principal, id);
      const periods = (await periodsOf(m, [id])).get(id) ?? [];
      const next: ContractEntity = {
        ...current,
        title: dto.title ?? current.title,
        startDate: dto.startDate ?? current.startDate,
        endDate: dto.endDate ?? current.endDate,
        updatedAt: this.clock.nowIso(),
      };
      checkContractDates(next);
      checkPeriods(next, periods);
      await m.update(ContractEntity, { id }, { title: next.title, startDate: next.startDate, endDate: next.endDate, updatedAt: next.updatedAt });
      await this.audit.record(m, principal, {
        action: 'update',
        objectType: 'contract',
        objectId: id,
        ...auditScope(current),
        before: toContractDto(current, periods),
        after: toContractDto(next, periods),
      });
      return toContractDto(next, periods);
    });
  }

  /** Removes the contract with its periods, groupings, members and fees. */
  async remove(principal: Principal, id: string): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        const current = await manageableContract(m, this.access, principal, id);
        const periods = (await periodsOf(m, [id])).get(id) ?? [];
        await m.delete(ContractEntity, { id });
        await this.audit.record(m, principal, {
          action: 'delete',
          objectType: 'contract',
          objectId: id,
          ...auditScope(current),
          before: toContractDto(current, periods),
        });
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ContractError('CONTRACT_IN_USE', `Contract ${id} is still referenced and cannot be removed`, { id });
      }
      throw error;
    }
  }

  async getPaymentRules(principal: Principal, id: string): Promise<PaymentRulesDto> {
    return toPaymentRulesDto(await this.db.read((m) => readableContract(m, this.access, principal, id)));
  }

  /**
   * Replaces the contract's payment rules after checking them as a rule set against what the contract holds
   * now (indicators with baselines and targets, groupings with fees, periods, payer organisations), in the
   * same transaction as the write; stored as JSON text, exactly as sent.
   */
  async putPaymentRules(principal: Principal, id: string, dto: PutPaymentRulesDto): Promise<PaymentRulesDto> {
    const rules = dto.paymentRules;
    checkPaymentRules(rules);
    const text = JSON.stringify(rules);
    return this.db.transaction(async (m) => {
      const current = await manageableContract(m, this.access, principal, id);
      checkPaymentRulesAgainst(rules, await loadRuleSetContext(m, id, payerCodesOf(rules)));
      const next: ContractEntity = { ...current, paymentRules: text, updatedAt: this.clock.nowIso() };
      await m.update(ContractEntity, { id }, { paymentRules: next.paymentRules, updatedAt: next.updatedAt });
      await this.audit.record(m, principal, {
        action: 'replace',
        objectType: 'payment_rules',
        objectId: id,
        ...auditScope(current),
        before: toPaymentRulesDto(current),
        after: toPaymentRulesDto(next),
      });
      return toPaymentRulesDto(next);
    });
  }
}

/** The project must be one the caller may read (else it is reported as missing) and of the contract's municipality. */
async function checkProjectAndMunicipality(m: EntityManager, access: AccessScope, principal: Principal, contract: ContractEntity): Promise<void> {
  const found = await m.findOneBy(ProjectEntity, { id: contract.projectId });
  const project = found !== null && isVisible(await access.readableProjects(m, principal), found.id) ? found : null;
  if (!project) {
    throw new ContractError('CONTRACT_PROJECT_NOT_FOUND', `Project ${contract.projectId} not found`, {
      id: contract.projectId,
      fields: [{ field: 'projectId', message: 'no such project' }],
    });
  }
  await requireKind(m, contract.municipalityId, 'MUNICIPALITY', 'municipalityId');
  if (project.municipalityId !== contract.municipalityId) {
    throw new ContractError(
      'CONTRACT_MUNICIPALITY_MISMATCH',
      `The contract's municipality must be the municipality of project ${project.code}`,
      {
        projectMunicipalityId: project.municipalityId,
        fields: [{ field: 'municipalityId', message: `must be the project's municipality ${project.municipalityId}` }],
      },
    );
  }
}

function codeTaken(code: string): InstanceType<typeof ContractError> {
  return new ContractError('CONTRACT_CODE_TAKEN', `A contract with code ${code} already exists`, {
    fields: [{ field: 'code', message: 'already taken' }],
  });
}
