import { Column, Entity } from 'typeorm';
import { BaseEntity, OrderedChildEntity } from 'src/database/base.entity';

export const GROUPING_TYPES = ['RTI', 'CONSORTIUM', 'SINGLE'] as const;
export type GroupingType = (typeof GROUPING_TYPES)[number];

export const MEMBER_ROLES = ['MANDATARIA', 'MANDANTE'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** A provider grouping (RTI, consortium or a single ETS) as awarded within one contract. */
@Entity('provider_groupings')
export class ProviderGroupingEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: GroupingType;

  /** Territories the grouping serves (e.g. neighbourhoods). */
  @Column({ type: 'simple-json' })
  areas!: string[];

  @Column({ type: 'integer' })
  position!: number;
}

@Entity('grouping_members')
export class GroupingMemberEntity extends OrderedChildEntity {
  @Column({ name: 'grouping_id', type: 'varchar', length: 36 })
  groupingId!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: MemberRole;

  /** Quota di esecuzione: an exact decimal fraction; a grouping's shares sum to exactly 1. */
  @Column({ name: 'execution_share', type: 'varchar', length: 64 })
  executionShare!: string;
}

/** The yearly fee (compenso) of a grouping for one period, in euros with two decimals. */
@Entity('grouping_fees')
export class GroupingFeeEntity extends OrderedChildEntity {
  @Column({ name: 'grouping_id', type: 'varchar', length: 36 })
  groupingId!: string;

  @Column({ name: 'period_id', type: 'varchar', length: 36 })
  periodId!: string;

  @Column({ type: 'varchar', length: 64 })
  amount!: string;
}
