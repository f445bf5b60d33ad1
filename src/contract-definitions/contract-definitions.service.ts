import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AccessScope } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { isPlatformAdmin, Principal } from 'src/auth/principal';
import { contractNotFound } from 'src/contracts/contracts.lookup';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { checkContractDefinition } from 'src/contract-definitions/contract-definition.checks';
import { findContractIdByCode, readContractDefinition } from 'src/contract-definitions/contract-definition.reader';
import { assertContractDefinitionSchema } from 'src/contract-definitions/contract-definition.schema';
import { ContractDefinition } from 'src/contract-definitions/contract-definition.types';
import { writeContractDefinition } from 'src/contract-definitions/contract-definition.writer';
import {
  ImportedContractDefinitionDto,
  toImportedContractDefinitionDto,
} from 'src/contract-definitions/dto/contract-definition.dto';
import { Database, isUniqueViolation } from 'src/database/database';

/** Imports and exports whole contract definition documents; used by the API, the CLI and the demo loader. */
@Injectable()
export class ContractDefinitionsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly access: AccessScope,
    private readonly audit: AuditService,
  ) {}

  /**
   * Schema (400), then references and domain rules (422), then one transaction: all rows or none.
   * Existing codes give 409. A unique index that still fires (another import committed the same code
   * between our check and our write, on PostgreSQL) is answered by running the import once more, which
   * then reuses the organisation or reports the precise conflict.
   */
  async importDocument(principal: Principal, document: unknown): Promise<ImportedContractDefinitionDto> {
    assertContractDefinitionSchema(document);
    checkContractDefinition(document);
    try {
      return await this.write(principal, document);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return this.write(principal, document);
      }
      throw error;
    }
  }

  /** The contract's definition rebuilt from the tables, if the caller may read the contract. */
  exportById(principal: Principal, contractId: string): Promise<ContractDefinition> {
    return this.db.read(async (m) => {
      await this.access.requireReadableContract(m, principal, contractId, () => contractNotFound(contractId));
      return readContractDefinition(m, contractId);
    });
  }

  exportByCode(principal: Principal, contractCode: string): Promise<ContractDefinition> {
    return this.db.read(async (m) => {
      const contractId = await findContractIdByCode(m, contractCode);
      await this.access.requireReadableContract(m, principal, contractId, () => contractNotFound(contractId));
      return readContractDefinition(m, contractId);
    });
  }

  /** One transaction: the access check, every row, and one audit entry for the whole import. */
  private async write(principal: Principal, doc: ContractDefinition): Promise<ImportedContractDefinitionDto> {
    const now = this.clock.nowIso();
    return this.db.transaction(async (m) => {
      await this.requireImporter(m, principal, doc);
      const written = await writeContractDefinition(m, doc, now, () => this.ids.next());
      const imported = toImportedContractDefinitionDto(doc, written);
      const municipality = await m.findOneByOrFail(OrganisationEntity, { code: doc.contract.municipality });
      await this.audit.record(m, principal, {
        action: 'import',
        objectType: 'contract',
        objectId: written.contractId,
        contractId: written.contractId,
        municipalityId: municipality.id,
        after: imported,
      });
      return imported;
    });
  }

  /**
   * The document's municipality (of the contract and of the project) must exist and be one the caller
   * manages. A document that would create its own municipality can only be imported by a platform
   * administrator.
   */
  private async requireImporter(m: EntityManager, principal: Principal, doc: ContractDefinition): Promise<void> {
    if (isPlatformAdmin(principal)) return;
    for (const code of new Set([doc.contract.municipality, doc.project.municipality])) {
      const municipality = await m.findOneBy(OrganisationEntity, { code });
      if (!municipality || !(await this.access.canManage(m, principal, municipality.id))) {
        throw new AuthError('AUTH_FORBIDDEN', `You do not manage municipality ${code}, so you cannot import contracts for it`, {
          municipality: code,
        });
      }
    }
  }
}
