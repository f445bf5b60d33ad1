import { Injectable } from '@nestjs/common';
import { Between, EntityManager } from 'typeorm';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Database } from 'src/database/database';
import { Principal } from 'src/auth/principal';
import { AuditChainHeadEntity, AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ChainBreak, digestOf, entryHash, findChainBreak, GENESIS_HASH } from 'src/audit/audit.chain';

export interface AuditEvent {
  /** Verb in past-free form: create, update, delete, approve, submit, accept, return, close, reopen, ... */
  action: string;
  objectType: string;
  objectId: string;
  contractId?: string | null;
  municipalityId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  headSeq: number;
  firstBreak: ChainBreak | null;
}

export const HEAD_ID = 'head';
const BATCH = 1000;

@Injectable()
export class AuditService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Appends an entry inside the caller's transaction, so the change and its audit entry commit together.
   * The head row is locked (PostgreSQL; SQLite already serialises transactions), so appends never fork.
   */
  async record(m: EntityManager, actor: Principal, event: AuditEvent): Promise<AuditEntryEntity> {
    return (await this.recordMany(m, actor, [event]))[0];
  }

  /**
   * Appends several entries in order with one read of the locked head, one insert and one head update:
   * what a change that touches many objects at once (a settlement run) records.
   */
  async recordMany(m: EntityManager, actor: Principal, events: readonly AuditEvent[]): Promise<AuditEntryEntity[]> {
    if (events.length === 0) return [];
    // Fast path: chain from the head this service last wrote and move the head only if it is still there
    // (one conditional UPDATE, which also takes the row lock on PostgreSQL). Another writer, a rolled-back
    // transaction or a first append make it miss; then the head is read (locked) and the entries chained
    // from it. Either way the head moves before the entries are inserted, in the caller's transaction.
    const known = this.lastHead;
    if (known !== null) {
      const entries = this.chain(actor, events, known);
      const last = entries[entries.length - 1];
      const moved = await m.update(AuditChainHeadEntity, { id: HEAD_ID, seq: known.seq, hash: known.hash }, { seq: last.seq, hash: last.entryHash });
      if (moved.affected === 1) return this.insertEntries(m, entries);
    }
    const head = await this.lockedHead(m);
    const entries = this.chain(actor, events, head);
    const last = entries[entries.length - 1];
    await m.update(AuditChainHeadEntity, { id: HEAD_ID }, { seq: last.seq, hash: last.entryHash });
    return this.insertEntries(m, entries);
  }

  /** The head as this service last moved it (a hint: the conditional update checks it). */
  private lastHead: { seq: number; hash: string } | null = null;

  private async insertEntries(m: EntityManager, entries: AuditEntryEntity[]): Promise<AuditEntryEntity[]> {
    await m.insert(AuditEntryEntity, entries);
    const last = entries[entries.length - 1];
    this.lastHead = { seq: last.seq, hash: last.entryHash };
    return entries;
  }

  private async lockedHead(m: EntityManager): Promise<{ seq: number; hash: string }> {
    const locking = m.connection.options.type === 'postgres';
    let head = await m.findOne(AuditChainHeadEntity, {
      where: { id: HEAD_ID },
      ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!head) {
      // The very first appends may race to create the head: the first inserts it, the others' insert
      // waits for that commit and then does nothing (ON CONFLICT DO NOTHING / INSERT OR IGNORE), and all
      // of them read and lock the row that is now there. A plain insert failed every racer but one.
      await m
        .createQueryBuilder()
        .insert()
        .into(AuditChainHeadEntity)
        .values({ id: HEAD_ID, seq: 0, hash: GENESIS_HASH })
        .orIgnore()
        .execute();
      head = await m.findOneOrFail(AuditChainHeadEntity, {
        where: { id: HEAD_ID },
        ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
    }
    return { seq: head.seq, hash: head.hash };
  }

  private chain(actor: Principal, events: readonly AuditEvent[], head: { seq: number; hash: string }): AuditEntryEntity[] {
    const entries: AuditEntryEntity[] = [];
    let prev = head;
    for (const event of events) {
      const fields = {
        seq: prev.seq + 1,
        occurredAt: this.clock.nowIso(),
        actorId: actor.userId,
        actorLabel: actor.label,
        organisationId: actor.organisationId,
        action: event.action,
        objectType: event.objectType,
        objectId: event.objectId,
        contractId: event.contractId ?? null,
        municipalityId: event.municipalityId ?? null,
        beforeDigest: digestOf(event.before),
        afterDigest: digestOf(event.after),
        prevHash: prev.hash,
      };
      const entry: AuditEntryEntity = { id: this.ids.next(), ...fields, entryHash: entryHash(fields) };
      entries.push(entry);
      prev = { seq: entry.seq, hash: entry.entryHash };
    }
    return entries;
  }

  /**
   * Recomputes the whole chain and reports the first broken link.
   *
   * The head is read first and only entries up to it are checked: the head and its entry commit in one
   * transaction, so every entry up to the head is visible, while appends committed during the check (on
   * PostgreSQL reads are not one snapshot) lie beyond it and are not mistaken for tampering. Entries
   * beyond the head at the end of the check that the head (read again) does not cover were written
   * behind the service's back.
   */
  async verify(): Promise<ChainVerification> {
    return this.db.read(async (m) => {
      const head = await m.findOneBy(AuditChainHeadEntity, { id: HEAD_ID });
      const headSeq = head?.seq ?? 0;
      const headHash = head?.hash ?? GENESIS_HASH;
      let prev = { seq: 0, hash: GENESIS_HASH, id: '' };
      let count = 0;
      while (prev.seq < headSeq) {
        const batch = await m.find(AuditEntryEntity, {
          where: { seq: Between(prev.seq + 1, headSeq) },
          order: { seq: 'ASC' },
          take: BATCH,
        });
        if (batch.length === 0) break;
        const broken = findChainBreak(batch, prev);
        if (broken) {
          const intact = batch.findIndex((e) => e.id === broken.id);
          return { ok: false, entries: count + intact, headSeq, firstBreak: broken };
        }
        count += batch.length;
        const last = batch[batch.length - 1];
        prev = { seq: last.seq, hash: last.entryHash, id: last.id };
      }
      const broken = (firstBreak: ChainBreak): ChainVerification => ({ ok: false, entries: count, headSeq, firstBreak });
      if (prev.seq !== headSeq) {
        return broken({
          seq: prev.seq + 1,
          id: '',
          reason: 'HEAD_MISMATCH',
          message: `the chain head says entry ${headSeq} but the log ends at ${prev.seq}: entries were removed from the end`,
        });
      }
      if (prev.hash !== headHash) {
        return broken({
          seq: prev.seq,
          id: prev.id,
          reason: 'HEAD_MISMATCH',
          message: `entry ${prev.seq} does not match the hash the chain head recorded for it`,
        });
      }
      // Highest seq first, then the head: an append commits both together, so a concurrent one is covered.
      const maxSeq = (await m.maximum(AuditEntryEntity, 'seq')) ?? 0;
      const headNow = (await m.findOneBy(AuditChainHeadEntity, { id: HEAD_ID }))?.seq ?? 0;
      if (maxSeq > headNow) {
        return broken({
          seq: Math.max(headSeq, headNow) + 1,
          id: '',
          reason: 'HEAD_MISMATCH',
          message: `the log has entries up to ${maxSeq} beyond the chain head (${headNow}): entries were added behind the service's back`,
        });
      }
      return { ok: true, entries: count, headSeq, firstBreak: null };
    });
  }
}
