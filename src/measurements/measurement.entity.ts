import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

export const MEASUREMENT_STATUSES = ['DRAFT', 'SUBMITTED', 'ACCEPTED', 'RETURNED'] as const;
export type MeasurementStatus = (typeof MEASUREMENT_STATUSES)[number];

export const REVIEW_OUTCOMES = ['ACCEPTED', 'RETURNED'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** Parts of a disaggregated value: { dimension: { value: decimal string } }. */
export type DisaggregationValues = Record<string, Record<string, string>>;

/** Booleans are short varchars (docs/decisions/0003-migrations.md). */
const booleanText = { to: (v: boolean): string => (v ? 'true' : 'false'), from: (v: string): boolean => v === 'true' };

/**
 * One measured indicator, for one period, grouping and submitting organisation (per-member data: each
 * member ETS reports its own). Its content lives in versions; this row carries the current state (`status` is
 * the current version's) and which version counts (`acceptedVersion`).
 */
@Entity('measurements')
export class MeasurementEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'period_id', type: 'varchar', length: 36 })
  periodId!: string;

  @Column({ name: 'grouping_id', type: 'varchar', length: 36 })
  groupingId!: string;

  /** The member organisation that submitted it. */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  @Column({ name: 'indicator_code', type: 'varchar', length: 64 })
  indicatorCode!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: MeasurementStatus;

  /** The current version number (1, 2, ...). */
  @Column({ type: 'integer' })
  version!: number;

  /**
   * The version that counts: the last one accepted, null while none was. It stays in force while a
   * correction of it (a later version) is drafted, submitted or returned, and moves when one is accepted.
   * Optional only because a new measurement is inserted without it (null).
   */
  @Column({ name: 'accepted_version', type: 'integer', nullable: true })
  acceptedVersion?: number | null;
}

/** One version of a measurement's content, with the review it received. Versions are never changed, except for their review. */
@Entity('measurement_versions')
export class MeasurementVersionEntity extends BaseEntity {
  @Column({ name: 'measurement_id', type: 'varchar', length: 36 })
  measurementId!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** The binding indicator set version the values were validated against. */
  @Column({ name: 'indicator_set_version_id', type: 'varchar', length: 36 })
  indicatorSetVersionId!: string;

  @Column({ type: 'varchar', length: 64 })
  value!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  numerator!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  denominator!: string | null;

  @Column({ name: 'sample_size', type: 'integer', nullable: true })
  sampleSize!: number | null;

  @Column({ name: 'not_assessable', type: 'varchar', length: 5, transformer: booleanText })
  notAssessable!: boolean;

  @Column({ type: 'simple-json' })
  disaggregations!: DisaggregationValues;

  @Column({ name: 'method_notes', type: 'text', nullable: true })
  methodNotes!: string | null;

  /** Why this version replaces the previous one (corrections). */
  @Column({ name: 'correction_reason', type: 'text', nullable: true })
  correctionReason!: string | null;

  /** Who wrote the version (user id), and their name as shown in the audit log. */
  @Column({ name: 'created_by', type: 'varchar', length: 300 })
  createdBy!: string;

  @Column({ name: 'submitted_at', type: 'varchar', length: 32, nullable: true })
  submittedAt!: string | null;

  @Column({ name: 'review_outcome', type: 'varchar', length: 16, nullable: true })
  reviewOutcome!: ReviewOutcome | null;

  @Column({ name: 'review_reason', type: 'text', nullable: true })
  reviewReason!: string | null;

  @Column({ name: 'reviewed_by', type: 'varchar', length: 300, nullable: true })
  reviewedBy!: string | null;

  @Column({ name: 'reviewed_at', type: 'varchar', length: 32, nullable: true })
  reviewedAt!: string | null;
}

/** A stored answer to a submission sent with an Idempotency-Key, per caller organisation. */
@Entity('measurement_idempotency_keys')
export class MeasurementIdempotencyKeyEntity extends BaseEntity {
  /** The caller's organisation id, or `user:<id>` for callers without one. */
  @Column({ name: 'caller_scope', type: 'varchar', length: 320 })
  callerScope!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200 })
  idempotencyKey!: string;

  /** SHA-256 of the route, the path ids and the canonical body (or the raw bytes of an upload). */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ name: 'response_status', type: 'integer' })
  responseStatus!: number;

  @Column({ name: 'response_body', type: 'text' })
  responseBody!: string;
}

/** One closing of a period, and its reopening if any. A period is closed while it has an entry not reopened. */
@Entity('period_closures')
export class PeriodClosureEntity extends BaseEntity {
  @Column({ name: 'period_id', type: 'varchar', length: 36 })
  periodId!: string;

  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'closed_at', type: 'varchar', length: 32 })
  closedAt!: string;

  @Column({ name: 'closed_by', type: 'varchar', length: 300 })
  closedBy!: string;

  @Column({ name: 'reopened_at', type: 'varchar', length: 32, nullable: true })
  reopenedAt!: string | null;

  @Column({ name: 'reopened_by', type: 'varchar', length: 300, nullable: true })
  reopenedBy!: string | null;

  @Column({ name: 'reopen_reason', type: 'text', nullable: true })
  reopenReason!: string | null;
}

/** A file backing a measurement: stored under a random name in the evidence directory, never served statically. */
@Entity('measurement_evidence')
export class MeasurementEvidenceEntity extends BaseEntity {
  @Column({ name: 'measurement_id', type: 'varchar', length: 36 })
  measurementId!: string;

  /** The measurement's version when the file was added. */
  @Column({ name: 'measurement_version', type: 'integer' })
  measurementVersion!: number;

  @Column({ name: 'storage_name', type: 'varchar', length: 64 })
  storageName!: string;

  @Column({ name: 'original_name', type: 'varchar', length: 255 })
  originalName!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 300 })
  uploadedBy!: string;
}
