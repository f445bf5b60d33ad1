import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

// OTHER: bodies that are neither (a university evaluating the project, an external audit office).
export const ORGANISATION_KINDS = ['MUNICIPALITY', 'DISTRICT', 'ETS', 'OTHER'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

// Legal forms of Third Sector bodies (D.Lgs. 117/2017); OTHER for what the list does not name.
export const LEGAL_FORMS = [
  'COOPERATIVA_SOCIALE',
  'CONSORZIO_COOPERATIVE',
  'ODV',
  'APS',
  'FONDAZIONE',
  'ASSOCIAZIONE',
  'IMPRESA_SOCIALE',
  'ENTE_FILANTROPICO',
  'OTHER',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

/** A municipality (Comune), a district of municipalities (Ambito) with its lead body, or an ETS. */
@Entity('organisations')
export class OrganisationEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 64, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: OrganisationKind;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ name: 'tax_code', type: 'varchar', length: 32, nullable: true })
  taxCode!: string | null;

  @Column({ name: 'legal_form', type: 'varchar', length: 32, nullable: true })
  legalForm!: LegalForm | null;

  /** For a municipality: the district it belongs to. */
  @Column({ name: 'district_id', type: 'varchar', length: 36, nullable: true })
  districtId!: string | null;

  /** For a district: the municipality that leads it (capofila). */
  @Column({ name: 'lead_organisation_id', type: 'varchar', length: 36, nullable: true })
  leadOrganisationId!: string | null;
}
