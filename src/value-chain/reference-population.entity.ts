import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

/** A population in need (e.g. residents over 65 of Quartiere 1 at 1 January, ISTAT), usable as a denominator. */
@Entity('reference_populations')
export class ReferencePopulationEntity extends BaseEntity {
  @Column({ name: 'project_id', type: 'varchar', length: 36 })
  projectId!: string;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ name: 'label_it', type: 'varchar', length: 500 })
  labelIt!: string;

  @Column({ name: 'label_en', type: 'varchar', length: 500, nullable: true })
  labelEn!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  area!: string | null;

  @Column({ name: 'target_group', type: 'varchar', length: 64, nullable: true })
  targetGroup!: string | null;

  @Column({ name: 'reference_date', type: 'varchar', length: 10 })
  referenceDate!: string;

  @Column({ type: 'varchar', length: 500 })
  source!: string;

  /** Number of people, a whole number kept as a decimal string. */
  @Column({ type: 'varchar', length: 64 })
  value!: string;

  @Column({ type: 'integer' })
  position!: number;
}
