import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Every read and write goes through here.
 *
 * TypeORM keeps a single connection to SQLite, so two transactions started concurrently would
 * interleave on it (one's ROLLBACK undoing the other's rows, or "cannot start a transaction within a
 * transaction"). On SQLite all work therefore queues on one mutex; PostgreSQL has a pool and real
 * isolation, so it runs in parallel and relies on constraints and row locks.
 */
@Injectable()
export class Database {
  private readonly lock: Mutex | null;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.lock = dataSource.options.type === 'sqlite' ? new Mutex() : null;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.dataSource.options.type === 'sqlite' ? 'sqlite' : 'postgres';
  }

  /** Runs `work` in one transaction: all of it commits, or none of it. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = (): Promise<T> => this.dataSource.transaction(work);
    return this.lock ? this.lock.runExclusive(run) : run();
  }

  /** Runs read-only `work`; on SQLite it waits for writers so it never sees half a transaction. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = (): Promise<T> => work(this.dataSource.manager);
    return this.lock ? this.lock.runExclusive(run) : run();
  }
}

/** True when a write failed on a unique index, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const e = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = e.driverError?.code ?? e.code;
  return code === '23505' || (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed'));
}

/** True when a write or delete broke a foreign key (the row is still referenced, or the parent is gone). */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const e = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = e.driverError?.code ?? e.code;
  return code === '23503' || (typeof e.message === 'string' && e.message.includes('FOREIGN KEY constraint failed'));
}
