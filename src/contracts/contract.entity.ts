import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

@Entity('contracts')
export class ContractEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 64, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 500 })
  title!: string;

  @Column({ name: 'project_id', type: 'varchar', length: 36 })
  projectId!: string;

  @Column({ name: 'municipality_id', type: 'varchar', length: 36 })
  municipalityId!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ name: 'start_date', type: 'varchar', length: 10 })
  startDate!: string;

  @Column({ name: 'end_date', type: 'varchar', length: 10 })
  endDate!: string;

  /** The `paymentRules` section of the contract document, kept verbatim as JSON text until the rules engine reads it. */
  @Column({ name: 'payment_rules', type: 'text', nullable: true })
  paymentRules!: string | null;
}
