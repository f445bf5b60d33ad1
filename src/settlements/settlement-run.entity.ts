import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

export const SETTLEMENT_RUN_STATUSES = ['RUNNING', 'DONE', 'FAILED', 'INTERRUPTED'] as const;
export type SettlementRunStatus = (typeof SETTLEMENT_RUN_STATUSES)[number];

/**
 * A portfolio settlement run (docs/settlements.md): every contract of a municipality that has the period,
 * settled one transaction per contract in the background. RUNNING -> DONE; FAILED when an unexpected error
 * stopped it; INTERRUPTED when the process running it stopped. The counts and per-contract results are
 * written after every batch and at least every second, so `updated_at` is also the run's heartbeat: a
 * RUNNING row not written for a minute belongs to a process that died.
 */
@Entity('settlement_runs')
export class SettlementRunEntity extends BaseEntity {
  @Column({ name: 'municipality_id', type: 'varchar', length: 36 })
  municipalityId!: string;

  @Column({ name: 'period_code', type: 'varchar', length: 64 })
  periodCode!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SettlementRunStatus;

  /** Contracts of the municipality that have the period. */
  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer' })
  done!: number;

  @Column({ type: 'integer' })
  settled!: number;

  @Column({ type: 'integer' })
  skipped!: number;

  @Column({ type: 'integer' })
  failed!: number;

  /** JSON array of SettlementRunContractDto, in the order the contracts were settled. */
  @Column({ type: 'text' })
  results!: string;

  /** Why a FAILED or INTERRUPTED run stopped. */
  @Column({ name: 'problem_code', type: 'varchar', length: 64, nullable: true })
  problemCode!: string | null;

  @Column({ name: 'problem_message', type: 'text', nullable: true })
  problemMessage!: string | null;

  @Column({ name: 'started_by', type: 'varchar', length: 300 })
  startedBy!: string;

  @Column({ name: 'started_by_label', type: 'varchar', length: 300 })
  startedByLabel!: string;

  @Column({ name: 'started_at', type: 'varchar', length: 32 })
  startedAt!: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt!: string | null;
}
