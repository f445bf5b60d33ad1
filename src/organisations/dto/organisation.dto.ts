import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { IsCode } from 'src/common/validation/code.validator';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import {
  LEGAL_FORMS,
  LegalForm,
  ORGANISATION_KINDS,
  OrganisationEntity,
  OrganisationKind,
} from 'src/organisations/organisation.entity';
import { IsId } from 'src/common/validation/id-param';

export class CreateOrganisationDto {
  /** Stable code used by contract documents, e.g. `C-PADOVA` or `ETS-AURORA`. */
  @IsCode()
  code!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind!: OrganisationKind;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;

  /** Codice fiscale / partita IVA. */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  taxCode?: string;

  /** Required for an ETS; not allowed for municipalities and districts. */
  @ApiProperty({ enum: LEGAL_FORMS, required: false })
  @IsOptional()
  @IsIn(LEGAL_FORMS)
  legalForm?: LegalForm;

  /** For a municipality: the district (Ambito) it belongs to. */
  @IsOptional()
  @IsId()
  districtId?: string;

  /** For a district: its lead municipality (capofila). */
  @IsOptional()
  @IsId()
  leadOrganisationId?: string;
}

export class UpdateOrganisationDto {
  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  /** `null` clears it. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(32)
  taxCode?: string | null;

  @ApiProperty({ enum: LEGAL_FORMS, required: false })
  @PresentIfGiven()
  @IsIn(LEGAL_FORMS)
  legalForm?: LegalForm;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsId()
  districtId?: string | null;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsId()
  leadOrganisationId?: string | null;
}

export class ListOrganisationsQueryDto extends PageQueryDto {
  @ApiProperty({ enum: ORGANISATION_KINDS, required: false })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  /** Municipalities of this district. */
  @IsOptional()
  @IsId()
  districtId?: string;
}

export class OrganisationDto {
  id!: string;
  code!: string;
  @ApiProperty({ enum: ORGANISATION_KINDS })
  kind!: OrganisationKind;
  name!: string;
  @ApiProperty({ type: String, nullable: true })
  taxCode!: string | null;
  @ApiProperty({ enum: LEGAL_FORMS, nullable: true })
  legalForm!: LegalForm | null;
  @ApiProperty({ type: String, nullable: true })
  districtId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  leadOrganisationId!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export function toOrganisationDto(entity: OrganisationEntity): OrganisationDto {
  return {
    id: entity.id,
    code: entity.code,
    kind: entity.kind,
    name: entity.name,
    taxCode: entity.taxCode,
    legalForm: entity.legalForm,
    districtId: entity.districtId,
    leadOrganisationId: entity.leadOrganisationId,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export class OrganisationPageDto {
  items!: OrganisationDto[];
  page!: PageInfoDto;
}
