import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { Database, isUniqueViolation } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { requireKind } from 'src/organisations/organisations.service';
import { ContractGrantDto, CreateContractGrantDto, toContractGrantDto } from 'src/users/dto/contract-grant.dto';

/**
 * Read access to one contract for an organisation of kind OTHER: a university whose evaluators assess
 * the project, an external audit office. Given and taken back by the contract's contract managers (and
 * platform administrators); readable by whoever may read the contract.
 */
@Injectable()
export class ContractGrantsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
    private readonly scope: AccessScope,
  ) {}

  async create(principal: Principal, contractId: string, dto: CreateContractGrantDto): Promise<ContractGrantDto> {
    const now = this.clock.nowIso();
    const grant: ContractGrantEntity = { id: this.ids.next(), contractId, organisationId: dto.organisationId, createdAt: now, updatedAt: now };
    try {
      return await this.db.transaction(async (m) => {
        const contract = await this.manageableContract(m, principal, contractId, () => contractNotFound(contractId));
        const organisation = await requireKind(m, dto.organisationId, 'OTHER', 'organisationId');
        if (await m.existsBy(ContractGrantEntity, { contractId, organisationId: dto.organisationId })) {
          throw grantExists(organisation);
        }
        await m.insert(ContractGrantEntity, grant);
        const after = toContractGrantDto(grant, organisation);
        await this.audit.record(m, principal, {
          action: 'create',
          objectType: 'contract_grant',
          objectId: grant.id,
          contractId,
          municipalityId: contract.municipalityId,
          after,
        });
        return after;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw grantExists(null);
      }
      throw error;
    }
  }

  /** In organisation code order; a contract has a handful of grants, so they are paged in memory. */
  async list(principal: Principal, contractId: string, query: PageQueryDto): Promise<Page<ContractGrantDto>> {
    const { take, skip } = pageWindow(query);
    const all = await this.db.read(async (m) => {
      const contract = await m.findOneBy(ContractEntity, { id: contractId });
      if (!contract || !(await this.scope.canReadContract(m, principal, contractId))) {
        throw contractNotFound(contractId);
      }
      const rows = await m.findBy(ContractGrantEntity, { contractId });
      const ids = [...new Set(rows.map((r) => r.organisationId))];
      const organisations = new Map((ids.length === 0 ? [] : await m.findBy(OrganisationEntity, { id: In(ids) })).map((o) => [o.id, o]));
      return rows.map((g) => toContractGrantDto(g, organisations.get(g.organisationId) as OrganisationEntity));
    });
    all.sort((a, b) => (a.organisationCode < b.organisationCode ? -1 : a.organisationCode > b.organisationCode ? 1 : 0));
    return toPage(all.slice(skip, skip + take), all.length, query, (g) => g);
  }

  /** Takes the access back: the organisation's evaluators and auditors stop seeing the contract at once. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const grant = await m.findOneBy(ContractGrantEntity, { id });
      if (!grant) {
        throw grantNotFound(id);
      }
      const contract = await this.manageableContract(m, principal, grant.contractId, () => grantNotFound(id));
      const organisation = await m.findOneByOrFail(OrganisationEntity, { id: grant.organisationId });
      await m.delete(ContractGrantEntity, { id });
      await this.audit.record(m, principal, {
        action: 'delete',
        objectType: 'contract_grant',
        objectId: id,
        contractId: contract.id,
        municipalityId: contract.municipalityId,
        before: toContractGrantDto(grant, organisation),
      });
    });
  }

  /** 404 when the caller cannot read the contract, 403 when it can read but not manage it. */
  private async manageableContract(m: EntityManager, principal: Principal, contractId: string, notFound: () => Error): Promise<ContractEntity> {
    const contract = await m.findOneBy(ContractEntity, { id: contractId });
    if (!contract || !(await this.scope.canReadContract(m, principal, contractId))) {
      throw notFound();
    }
    if (!(await this.scope.canManage(m, principal, contract.municipalityId))) {
      throw new AuthError('AUTH_FORBIDDEN', "Only the contract's contract managers give and take back access to it");
    }
    return contract;
  }
}

function contractNotFound(id: string): Error {
  return new ContractError('CONTRACT_NOT_FOUND', `Contract ${id} not found`, { id });
}

function grantNotFound(id: string): Error {
  return new AuthError('CONTRACT_GRANT_NOT_FOUND', `Contract grant ${id} not found`, { id });
}

function grantExists(organisation: OrganisationEntity | null): Error {
  return new AuthError('CONTRACT_GRANT_EXISTS', `${organisation ? organisation.code : 'The organisation'} already has access to this contract`, {
    fields: [{ field: 'organisationId', message: 'already granted' }],
  });
}
