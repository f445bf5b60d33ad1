import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { EntityManager } from 'typeorm';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Database, isUniqueViolation } from 'src/database/database';
import { MeasurementIdempotencyKeyEntity } from 'src/measurements/measurement.entity';
import { MeasurementError } from 'src/measurements/measurements.errors';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** True when the answer is the stored one of an earlier request with the same key. */
  replayed: boolean;
}

const KEY_RE = /^[\x21-\x7e]{1,200}$/;

/** SHA-256 of what a request asks for: its route, its path ids and its canonical JSON body (or raw bytes). */
export function requestHash(route: string, params: Record<string, string>, body: unknown): string {
  const content = Buffer.isBuffer(body) ? { bytes: createHash('sha256').update(body).digest('hex') } : { json: body };
  const text = canonicalize({ route, params, ...content });
  return createHash('sha256').update(text ?? '', 'utf8').digest('hex');
}

/**
 * Idempotency-Key handling for submissions. Keys are scoped per caller organisation (per user for callers
 * without one). The key is claimed by inserting its row first, inside the same transaction as the work,
 * and the answer is stored before commit: a retry with the same key and request gets the stored answer
 * (same status, same ids), a different request under the same key is a 409. A request that fails stores
 * nothing, so its retry runs again. On PostgreSQL a concurrent duplicate waits on the key's unique index
 * and, when the first commits, reads the stored answer.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async run<T>(p: Principal, key: string | undefined, hash: string, status: number, work: (m: EntityManager) => Promise<T>): Promise<IdempotentResult<T>> {
    if (key === undefined) {
      return { status, body: await this.db.transaction(work), replayed: false };
    }
    if (!KEY_RE.test(key)) {
      throw new MeasurementError('MEASUREMENT_IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1 to 200 printable ASCII characters without spaces', {
        fields: [{ field: 'Idempotency-Key', message: 'must be 1 to 200 printable ASCII characters without spaces' }],
      });
    }
    const scope = p.organisationId ?? `user:${p.userId}`;
    try {
      return await this.db.transaction(async (m) => {
        const stored = await m.findOneBy(MeasurementIdempotencyKeyEntity, { callerScope: scope, idempotencyKey: key });
        if (stored) {
          return replay<T>(stored, hash);
        }
        const now = this.clock.nowIso();
        const row: MeasurementIdempotencyKeyEntity = {
          id: this.ids.next(),
          callerScope: scope,
          idempotencyKey: key,
          requestHash: hash,
          responseStatus: 0,
          responseBody: '',
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(MeasurementIdempotencyKeyEntity, row);
        const body = await work(m);
        await m.update(MeasurementIdempotencyKeyEntity, { id: row.id }, { responseStatus: status, responseBody: JSON.stringify(body) });
        return { status, body, replayed: false };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const stored = await this.db.read((m) => m.findOneBy(MeasurementIdempotencyKeyEntity, { callerScope: scope, idempotencyKey: key }));
        if (stored) {
          return replay<T>(stored, hash);
        }
      }
      throw error;
    }
  }
}

function replay<T>(stored: MeasurementIdempotencyKeyEntity, hash: string): IdempotentResult<T> {
  if (stored.requestHash !== hash) {
    throw new MeasurementError('MEASUREMENT_IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', {
      idempotencyKey: stored.idempotencyKey,
    });
  }
  return { status: stored.responseStatus, body: JSON.parse(stored.responseBody) as T, replayed: true };
}
