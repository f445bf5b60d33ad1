import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

/**
 * DRAFT: frozen, collecting approvals. BINDING: approved by the municipality and every grouping; stays
 * BINDING forever, and governs the periods from its effective one until a later binding version's (none
 * when a later one applies from the same period: see `versionInForceAt`). SUPERSEDED: a draft replaced by a
 * later version before it bound.
 */
export const VERSION_STATES = ['DRAFT', 'BINDING', 'SUPERSEDED'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

/** An immutable snapshot of a contract's indicator set (and payment rules), identified by its content hash. */
@Entity('indicator_set_versions')
export class IndicatorSetVersionEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  /** 1, 2, 3, ... per contract. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: VersionState;

  /** RFC 8785 canonical JSON of the snapshot, stored byte for byte as hashed. */
  @Column({ type: 'text' })
  content!: string;

  /** SHA-256 (hex) of `content`. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Reference of the meeting minute (verbale) that records the agreement. */
  @Column({ type: 'text', nullable: true })
  minute!: string | null;

  @Column({ name: 'effective_from_period_id', type: 'varchar', length: 36 })
  effectiveFromPeriodId!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 300 })
  createdBy!: string;

  @Column({ name: 'created_by_label', type: 'varchar', length: 300 })
  createdByLabel!: string;

  @Column({ name: 'bound_at', type: 'varchar', length: 32, nullable: true })
  boundAt!: string | null;
}

export const APPROVAL_SIDES = ['MUNICIPALITY', 'GROUPING'] as const;
export type ApprovalSide = (typeof APPROVAL_SIDES)[number];

/** One side's approval of one exact version content. */
@Entity('indicator_set_approvals')
export class IndicatorSetApprovalEntity extends BaseEntity {
  @Column({ name: 'version_id', type: 'varchar', length: 36 })
  versionId!: string;

  @Column({ type: 'varchar', length: 16 })
  side!: ApprovalSide;

  /** The grouping approving (side GROUPING), null for the municipality. */
  @Column({ name: 'grouping_id', type: 'varchar', length: 36, nullable: true })
  groupingId!: string | null;

  /** `MUNICIPALITY` or the grouping's code: unique per version, so a side cannot approve twice even when racing. */
  @Column({ name: 'side_key', type: 'varchar', length: 80 })
  sideKey!: string;

  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  @Column({ name: 'approved_by', type: 'varchar', length: 300 })
  approvedBy!: string;

  @Column({ name: 'approved_by_label', type: 'varchar', length: 300 })
  approvedByLabel!: string;
}
