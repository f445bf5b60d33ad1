import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

export const SETTLEMENT_RUN_STATUSES = ['RUNNING', 'DONE', 'FAILED', 'INTERRUPTED'] as const;
export type SettlementRunStatus = (typeof SETTLEMENT_RUN_STATUSES)[number];

export const SETTLEMENT_RUN_CONTRACT_STATUSES = ['SETTLED', 'SKIPPED', 'FAILED'] as const;
export type SettlementRunContractStatus = (typeof SETTLEMENT_RUN_CONTRACT_STATUSES)[number];

/**
 * A portfolio settlement run (docs/settlements.md): every contract of a municipality that has the period,
 * settled one transaction per contract in the background. RUNNING -> DONE; FAILED when an unexpected error
 * stopped it; INTERRUPTED when the process running it stopped. The counts are written after every batch and
 * at least every second, with the per-contract results settled since the last write (one
 * SettlementRunContractEntity each), so `updated_at` is also the run's heartbeat: a RUNNING row not written
 * for a minute belongs to a process that died.
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

/**
 * One contract's result in a run, at its position in the order the contracts were settled (0, 1, 2...).
 * Inserted in the transaction that writes the run's counts, so the stored `done` is always how many there are.
 */
@Entity('settlement_run_contracts')
export class SettlementRunContractEntity {
  @PrimaryColumn({ name: 'run_id', type: 'varchar', length: 36 })
  runId!: string;

  @PrimaryColumn({ type: 'integer' })
  position!: number;

  /** Not a foreign key: the result stays, with the code it had, if the contract is removed later. */
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'contract_code', type: 'varchar', length: 64 })
  contractCode!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SettlementRunContractStatus;

  /** Drafts written. */
  @Column({ type: 'integer' })
  computed!: number;

  /** Why SKIPPED or FAILED: a stable code and a message. */
  @Column({ name: 'problem_code', type: 'varchar', length: 64, nullable: true })
  problemCode!: string | null;

  @Column({ name: 'problem_message', type: 'text', nullable: true })
  problemMessage!: string | null;

  /** What the run tells about a settled contract (SettlementRunWarning[] as JSON); null when nothing, as in runs stored before warnings. */
  @Column({ type: 'text', nullable: true })
  warnings!: string | null;
}
