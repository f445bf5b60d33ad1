import { Injectable } from '@nestjs/common';
import { EntityManager, MoreThan } from 'typeorm';
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

const HEAD_ID = 'head';
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
    const locking = m.connection.options.type === 'postgres';
    let head = await m.findOne(AuditChainHeadEntity, {
      where: { id: HEAD_ID },
      ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!head) {
      head = { id: HEAD_ID, seq: 0, hash: GENESIS_HASH };
      await m.insert(AuditChainHeadEntity, head);
      if (locking) {
        await m.findOne(AuditChainHeadEntity, { where: { id: HEAD_ID }, lock: { mode: 'pessimistic_write' } });
      }
    }
    const fields = {
      seq: head.seq + 1,
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
      prevHash: head.hash,
    };
    const entry: AuditEntryEntity = { id: this.ids.next(), ...fields, entryHash: entryHash(fields) };
    await m.insert(AuditEntryEntity, entry);
    await m.update(AuditChainHeadEntity, { id: HEAD_ID }, { seq: entry.seq, hash: entry.entryHash });
    return entry;
  }

  /** Recomputes the whole chain and reports the first broken link. */
  async verify(): Promise<ChainVerification> {
    return this.db.read(async (m) => {
      let prev = { seq: 0, hash: GENESIS_HASH };
      let count = 0;
      for (;;) {
        const batch = await m.find(AuditEntryEntity, { where: { seq: MoreThan(prev.seq) }, order: { seq: 'ASC' }, take: BATCH });
        if (batch.length === 0) break;
        const broken = findChainBreak(batch, prev);
        if (broken) {
          return { ok: false, entries: count, headSeq: prev.seq, firstBreak: broken };
        }
        count += batch.length;
        const last = batch[batch.length - 1];
        prev = { seq: last.seq, hash: last.entryHash };
      }
      const head = await m.findOneBy(AuditChainHeadEntity, { id: HEAD_ID });
      const headSeq = head?.seq ?? 0;
      if ((head?.hash ?? GENESIS_HASH) !== prev.hash || headSeq !== prev.seq) {
        return {
          ok: false,
          entries: count,
          headSeq,
          firstBreak: {
            seq: prev.seq + 1,
            id: '',
            reason: 'HEAD_MISMATCH',
            message: `the chain head says entry ${headSeq} but the log ends at ${prev.seq}: entries were removed from the end`,
          },
        };
      }
      return { ok: true, entries: count, headSeq, firstBreak: null };
    });
  }
}
