import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

@Entity('projects')
export class ProjectEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 64, unique: true })
  code!: string;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ name: 'municipality_id', type: 'varchar', length: 36 })
  municipalityId!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  department!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Ambiti di lavoro, e.g. ANZIANI, COMMUNITY_BUILDING. */
  @Column({ name: 'work_areas', type: 'simple-json' })
  workAreas!: string[];

  @Column({ name: 'target_groups', type: 'simple-json' })
  targetGroups!: string[];
}
