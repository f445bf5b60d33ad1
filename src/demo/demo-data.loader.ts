import { readFileSync } from 'node:fs';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { DomainError } from 'src/common/errors/domain-error';
import { contractsPath, DEMO_CONTRACT_FILE } from 'src/contract-definitions/contract-definition.files';
import { ContractDefinitionsService } from 'src/contract-definitions/contract-definitions.service';
import { ImportedContractDefinitionDto } from 'src/contract-definitions/dto/contract-definition.dto';
import { ContractEntity } from 'src/contracts/contract.entity';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { Database } from 'src/database/database';

/** Fills an empty database with the Padova example so a fresh install has something to show (DEMO_DATA=true). */
@Injectable()
export class DemoDataLoader {
  private readonly logger = new Logger('DemoData');

  constructor(
    private readonly db: Database,
    private readonly definitions: ContractDefinitionsService,
  ) {}

  /** Imports contracts/examples/padova-sdc-2.0.json when there is no contract at all; returns what it created, or null. */
  async loadIfEmpty(): Promise<ImportedContractDefinitionDto | null> {
    const contracts = await this.db.read((m) => m.count(ContractEntity));
    if (contracts > 0) {
      this.logger.log(`Demo data not loaded: the database already has ${contracts} contract(s)`);
      return null;
    }
    const file = contractsPath(...DEMO_CONTRACT_FILE);
    const document = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    try {
      const created = await this.definitions.importDocument(SYSTEM_PRINCIPAL, document);
      const c = created.counts;
      this.logger.log(
        `Demo data loaded from ${file}: contract ${created.code} (${created.id}), project ${created.projectCode}, ` +
          `${c.organisationsCreated + c.organisationsReused} organisations, ${c.nodes} value-chain nodes, ${c.periods} periods, ` +
          `${c.groupings} groupings, ${c.indicators} indicators`,
      );
      return created;
    } catch (error) {
      // Another instance started on the same database and loaded it first.
      if (error instanceof DomainError && error.status === HttpStatus.CONFLICT) {
        this.logger.log(`Demo data not loaded: ${error.message}`);
        return null;
      }
      throw error;
    }
  }
}
