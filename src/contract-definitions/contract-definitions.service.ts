import { Injectable } from '@nestjs/common';
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
  ) {}

  /**
   * Schema (400), then references and domain rules (422), then one transaction: all rows or none.
   * Existing codes give 409. A unique index that still fires (another import committed the same code
   * between our check and our write, on PostgreSQL) is answered by running the import once more, which
   * then reuses the organisation or reports the precise conflict.
   */
  async importDocument(document: unknown): Promise<ImportedContractDefinitionDto> {
    assertContractDefinitionSchema(document);
    checkContractDefinition(document);
    try {
      return await this.write(document);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return this.write(document);
      }
      throw error;
    }
  }

  /** The contract's definition rebuilt from the tables. */
  exportById(contractId: string): Promise<ContractDefinition> {
    return this.db.read((m) => readContractDefinition(m, contractId));
  }

  exportByCode(contractCode: string): Promise<ContractDefinition> {
    return this.db.read(async (m) => readContractDefinition(m, await findContractIdByCode(m, contractCode)));
  }

  private async write(doc: ContractDefinition): Promise<ImportedContractDefinitionDto> {
    const now = this.clock.nowIso();
    const written = await this.db.transaction((m) => writeContractDefinition(m, doc, now, () => this.ids.next()));
    return toImportedContractDefinitionDto(doc, written);
  }
}
