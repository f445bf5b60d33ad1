import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One state change, chained to the previous one by hash. Rows are only ever inserted. */
@Entity('audit_entries')
export class AuditEntryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** 1, 2, 3, ... without gaps: a missing number is a deleted entry. */
  @Column({ type: 'integer', unique: true })
  seq!: number;

  @Column({ name: 'occurred_at', type: 'varchar', length: 32 })
  occurredAt!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 300 })
  actorId!: string;

  @Column({ name: 'actor_label', type: 'varchar', length: 300 })
  actorLabel!: string;

  /** The actor's organisation (null for platform administrators and the system). */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36, nullable: true })
  organisationId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'object_type', type: 'varchar', length: 64 })
  objectType!: string;

  @Column({ name: 'object_id', type: 'varchar', length: 64 })
  objectId!: string;

  /** The contract and municipality the change belongs to, so the log can be scoped like everything else. */
  @Column({ name: 'contract_id', type: 'varchar', length: 36, nullable: true })
  contractId!: string | null;

  @Column({ name: 'municipality_id', type: 'varchar', length: 36, nullable: true })
  municipalityId!: string | null;

  /** SHA-256 of the canonical JSON (RFC 8785) of the object before and after the change. */
  @Column({ name: 'before_digest', type: 'varchar', length: 64, nullable: true })
  beforeDigest!: string | null;

  @Column({ name: 'after_digest', type: 'varchar', length: 64, nullable: true })
  afterDigest!: string | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ name: 'entry_hash', type: 'varchar', length: 64 })
  entryHash!: string;
}

/** One row, id 'head': the last seq and hash. Appenders lock it, so the chain never forks. */
@Entity('audit_chain_head')
export class AuditChainHeadEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
