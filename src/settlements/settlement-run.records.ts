import { EntityManager, FindOptionsWhere, In, LessThan, Not } from 'typeorm';
import { DomainError } from 'src/common/errors/domain-error';
import { SettlementRunContractDto } from 'src/settlements/dto/settlement.dto';
import { SettlementRunContractEntity, SettlementRunEntity, type SettlementRunContractStatus, type SettlementRunStatus } from 'src/settlements/settlement-run.entity';
import { SettlementError } from 'src/settlements/settlements.errors';

// How a settlement run's row and its per-contract results are written while it runs and when it ends
// (SettlementRunsService decides when), and which results go with a row as read.

/** A RUNNING run whose row has not been written for this long belongs to a process that died. */
export const RUN_STALE_AFTER_MS = 60_000;

/** Results per insert: nine columns each, 900 bound parameters, under SQLite's 999. */
const INSERT_CHUNK = 100;

export type RunProblem = { code: string; message: string };

const COUNT = { SETTLED: 'settled', SKIPPED: 'skipped', FAILED: 'failed' } as const;

/** Adds one contract's result to the run's counts (in memory, until the next write). */
export function countResult(row: SettlementRunEntity, result: SettlementRunContractDto): void {
  row.done += 1;
  row[COUNT[result.status]] += 1;
}

/**
 * Writes the counts and status and inserts the results settled since the last write (`pending`: the last
 * `pending.length` of the `row.done` counted, so at positions up to `row.done - 1`), in the caller's
 * transaction, only while the row is RUNNING: another process that took this one for dead may have marked it
 * INTERRUPTED. False when that happened: nothing is written and the caller stops settling. Either way `row`
 * is left as stored.
 */
export async function writeRun(
  m: EntityManager,
  row: SettlementRunEntity,
  pending: readonly SettlementRunContractDto[],
  status: SettlementRunStatus,
  problem: RunProblem | null,
  now: string,
): Promise<boolean> {
  const changes = {
    status, done: row.done, settled: row.settled, skipped: row.skipped, failed: row.failed,
    problemCode: problem?.code ?? null, problemMessage: problem?.message ?? null, finishedAt: status === 'RUNNING' ? null : now, updatedAt: now,
  };
  // The conditional update decides, before anything is inserted; on PostgreSQL its row lock also orders this
  // write against another process's interruptStale (which then finds the row fresh).
  const updated = await m.update(SettlementRunEntity, { id: row.id, status: 'RUNNING' }, changes);
  if (updated.affected === 0) {
    Object.assign(row, await m.findOneByOrFail(SettlementRunEntity, { id: row.id }));
    return false;
  }
  const first = row.done - pending.length;
  const rows = pending.map((r, i) => toContractRow(row.id, first + i, r));
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await m.insert(SettlementRunContractEntity, rows.slice(start, start + INSERT_CHUNK));
  }
  Object.assign(row, changes);
  return true;
}

/**
 * The results that go with the run as read: those at positions below its stored `done`. Rows and counts are
 * written together, but a read outside a transaction (PostgreSQL) may see a later write's rows after this row.
 */
export function contractsOf(row: SettlementRunEntity, status?: SettlementRunContractStatus): FindOptionsWhere<SettlementRunContractEntity> {
  return { runId: row.id, position: LessThan(row.done), ...(status === undefined ? {} : { status }) };
}

function toContractRow(runId: string, position: number, r: SettlementRunContractDto): SettlementRunContractEntity {
  return {
    runId, position, contractId: r.contractId, contractCode: r.contractCode, status: r.status, computed: r.computed,
    problemCode: r.problem?.code ?? null, problemMessage: r.problem?.message ?? null, warnings: r.warnings.length === 0 ? null : JSON.stringify(r.warnings),
  };
}

/** Whether a RUNNING run's row has gone unwritten for RUN_STALE_AFTER_MS (its process died, unless it is this one's). */
export function isStale(row: SettlementRunEntity, now: Date): boolean {
  return row.status === 'RUNNING' && row.updatedAt < cutoff(now);
}

/**
 * RUNNING runs not written for RUN_STALE_AFTER_MS become INTERRUPTED, except those settling in this process
 * (`alive`); all of them, those of a municipality and period, or those with the given ids. Returns the runs
 * it marked, as stored (one conditional update each: a run written meanwhile is left alone).
 */
export async function interruptStale(
  m: EntityManager,
  now: Date,
  alive: readonly string[],
  where: { municipalityId?: string; periodCode?: string; ids?: readonly string[] } = {},
): Promise<SettlementRunEntity[]> {
  const { ids, ...scope } = where;
  const candidates = ids?.filter((id) => !alive.includes(id));
  if (candidates?.length === 0) return [];
  const byId = candidates ? { id: In(candidates) } : alive.length > 0 ? { id: Not(In([...alive])) } : {};
  const stale = { ...scope, ...byId, status: 'RUNNING' as const, updatedAt: LessThan(cutoff(now)) };
  const found = await m.find(SettlementRunEntity, { where: stale, order: { startedAt: 'ASC', id: 'ASC' } });
  const problem = interrupted('The process running it stopped (no progress written for over a minute)');
  const at = now.toISOString();
  const changes = { status: 'INTERRUPTED' as const, problemCode: problem.code, problemMessage: problem.message, finishedAt: at, updatedAt: at };
  const marked: SettlementRunEntity[] = [];
  for (const run of found) {
    const updated = await m.update(SettlementRunEntity, { ...stale, id: run.id }, changes);
    if ((updated.affected ?? 0) > 0) marked.push({ ...run, ...changes });
  }
  return marked;
}

function cutoff(now: Date): string {
  return new Date(now.getTime() - RUN_STALE_AFTER_MS).toISOString();
}

export function interrupted(why: string): RunProblem {
  return { code: 'SETTLEMENT_RUN_INTERRUPTED', message: `${why}: start the run again to settle the rest (settled contracts are redrafted or skipped)` };
}

/** What a FAILED run shows: a domain error as it is; anything else without its text, which may hold internals (logged instead). */
export function failure(error: unknown, row: SettlementRunEntity): RunProblem {
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL_ERROR', message: `An unexpected error stopped the run after ${row.done} of ${row.total} contracts (see the service log): start it again to settle the rest` };
}

export function runInProgress(runId: string | null): Error {
  return new SettlementError('SETTLEMENT_RUN_IN_PROGRESS', 'A settlement run of this municipality and period is in progress: follow it, or wait until it ends', { runId });
}
