import { PageInfoDto } from 'src/common/pagination/page';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { IsId } from 'src/common/validation/id-param';

export class CreateContractGrantDto {
  /** An organisation of kind OTHER (a university, an external audit office). */
  @IsId()
  organisationId!: string;
}

export class ContractGrantDto {
  id!: string;
  contractId!: string;
  organisationId!: string;
  organisationCode!: string;
  organisationName!: string;
  createdAt!: string;
}

export class ContractGrantPageDto {
  items!: ContractGrantDto[];
  page!: PageInfoDto;
}

export function toContractGrantDto(grant: ContractGrantEntity, organisation: OrganisationEntity): ContractGrantDto {
  return {
    id: grant.id,
    contractId: grant.contractId,
    organisationId: grant.organisationId,
    organisationCode: organisation.code,
    organisationName: organisation.name,
    createdAt: grant.createdAt,
  };
}
