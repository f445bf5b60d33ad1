import { WrittenContract } from 'src/contract-definitions/contract-definition.writer';
import { ContractDefinition } from 'src/contract-definitions/contract-definition.types';

export class ImportCountsDto {
  organisationsCreated!: number;
  organisationsReused!: number;
  referencePopulations!: number;
  nodes!: number;
  links!: number;
  periods!: number;
  groupings!: number;
  members!: number;
  fees!: number;
  indicators!: number;
  baselines!: number;
  targets!: number;
  denominators!: number;
}

/** What an import created: the contract, its project, and how many rows of each kind. */
export class ImportedContractDefinitionDto {
  /** Id of the created contract. */
  id!: string;
  code!: string;
  projectId!: string;
  projectCode!: string;
  /** Codes of the organisations created by this import, in document order. */
  organisationsCreated!: string[];
  /** Codes of the organisations that already existed (same kind, name, legal form and tax code) and were reused. */
  organisationsReused!: string[];
  counts!: ImportCountsDto;
}

export function toImportedContractDefinitionDto(doc: ContractDefinition, written: WrittenContract): ImportedContractDefinitionDto {
  return {
    id: written.contractId,
    code: doc.contract.code,
    projectId: written.projectId,
    projectCode: doc.project.code,
    organisationsCreated: written.organisationsCreated,
    organisationsReused: written.organisationsReused,
    counts: { ...written.counts },
  };
}

/** OpenAPI description of the document bodies; the authoritative definition is the JSON Schema file. */
export const CONTRACT_DEFINITION_API_SCHEMA = {
  type: 'object',
  description:
    'A contract definition document: see contracts/schema/contract-definition.schema.json (JSON Schema 2020-12) and contracts/README.md. ' +
    'Top level: schemaVersion "1", organisations[], project{}, contract{}; decimals are strings; optional fields are omitted.',
  required: ['schemaVersion', 'organisations', 'project', 'contract'],
  properties: {
    schemaVersion: { type: 'string', enum: ['1'] },
    organisations: { type: 'array', items: { type: 'object' } },
    project: { type: 'object' },
    contract: { type: 'object' },
  },
};
