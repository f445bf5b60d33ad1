import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';
import type { SettlementState } from 'src/settlements/settlement-document';

/**
 * One version of the settlement of one provider grouping for one contract period. The document (canonical
 * JSON, docs/settlements.md) never changes once written; the row carries its state and approval.
 * DRAFT -> APPROVED (by an approver who did not compute it) -> SUPERSEDED when a reopened version is approved.
 */
@Entity('settlements')
export class SettlementEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'period_id', type: 'varchar', length: 36 })
  periodId!: string;

  @Column({ name: 'grouping_id', type: 'varchar', length: 36 })
  groupingId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: SettlementState;

  /** The RFC 8785 canonical JSON of the SettlementDocument. */
  @Column({ type: 'text' })
  document!: string;

  @Column({ name: 'document_hash', type: 'varchar', length: 64 })
  documentHash!: string;

  @Column({ name: 'indicator_set_version_id', type: 'varchar', length: 36 })
  indicatorSetVersionId!: string;

  /** Decimal strings copied from the document for lists and totals. */
  @Column({ type: 'varchar', length: 64 })
  premium!: string;

  @Column({ type: 'varchar', length: 64 })
  payable!: string;

  @Column({ name: 'computed_by', type: 'varchar', length: 300 })
  computedBy!: string;

  @Column({ name: 'computed_by_label', type: 'varchar', length: 300 })
  computedByLabel!: string;

  @Column({ name: 'computed_at', type: 'varchar', length: 32 })
  computedAt!: string;

  @Column({ name: 'approved_by', type: 'varchar', length: 300, nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_by_label', type: 'varchar', length: 300, nullable: true })
  approvedByLabel!: string | null;

  @Column({ name: 'approved_at', type: 'varchar', length: 32, nullable: true })
  approvedAt!: string | null;

  /** The approved version this one reopens, with the approver's reason. */
  @Column({ name: 'previous_id', type: 'varchar', length: 36, nullable: true })
  previousId!: string | null;

  @Column({ name: 'reopened_by', type: 'varchar', length: 300, nullable: true })
  reopenedBy!: string | null;

  @Column({ name: 'reopen_reason', type: 'text', nullable: true })
  reopenReason!: string | null;
}

/**
 * An evaluator's finding for an evaluation-triggered payer of the rule set: whether the impact was
 * significant for the grouping in the period, and the savings certified. The latest record counts.
 */
@Entity('evaluation_records')
export class EvaluationRecordEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'period_id', type: 'varchar', length: 36 })
  periodId!: string;

  @Column({ name: 'grouping_id', type: 'varchar', length: 36 })
  groupingId!: string;

  /** The `evaluationPayers[].id` of the rule set. */
  @Column({ name: 'payer_key', type: 'varchar', length: 64 })
  payerKey!: string;

  @Column({ type: 'varchar', length: 5, transformer: { to: (v: boolean): string => (v ? 'true' : 'false'), from: (v: string): boolean => v === 'true' } })
  significant!: boolean;

  @Column({ name: 'certified_savings', type: 'varchar', length: 64 })
  certifiedSavings!: string;

  /** Method and evidence in the evaluator's words (e.g. "difference in differences, p = 0.01"). */
  @Column({ type: 'text' })
  method!: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 300 })
  recordedBy!: string;

  @Column({ name: 'recorded_by_label', type: 'varchar', length: 300 })
  recordedByLabel!: string;
}
