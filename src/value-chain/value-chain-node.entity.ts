import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

// The impact value chain, in the order it flows.
export const VALUE_CHAIN_LEVELS = ['INPUT', 'PROCESS', 'OUTPUT', 'OUTCOME', 'IMPACT'] as const;
export type ValueChainLevel = (typeof VALUE_CHAIN_LEVELS)[number];

export const FUNDING_SOURCES = [
  'MUNICIPAL',
  'PNRR',
  'REGIONAL',
  'NATIONAL',
  'EU',
  'FOUNDATION',
  'ETS_OWN',
  'USER_FEES',
  'IN_KIND',
  'OTHER',
] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

@Entity('value_chain_nodes')
export class ValueChainNodeEntity extends BaseEntity {
  @Column({ name: 'project_id', type: 'varchar', length: 36 })
  projectId!: string;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 16 })
  level!: ValueChainLevel;

  @Column({ name: 'label_it', type: 'varchar', length: 500 })
  labelIt!: string;

  @Column({ name: 'label_en', type: 'varchar', length: 500, nullable: true })
  labelEn!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  // Inputs only: quantity in a unit (4000 HOURS), optional monetary value (EUR) and its funding source.
  @Column({ type: 'varchar', length: 64, nullable: true })
  quantity!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  unit!: string | null;

  @Column({ name: 'monetary_value', type: 'varchar', length: 64, nullable: true })
  monetaryValue!: string | null;

  @Column({ name: 'funding_source', type: 'varchar', length: 16, nullable: true })
  fundingSource!: FundingSource | null;

  @Column({ type: 'integer' })
  position!: number;
}
