import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { EntityManager } from 'typeorm';
import { AccessScope, isVisible } from 'src/auth/access-scope';
import { AuthError } from 'src/auth/auth.errors';
import { Principal, SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { AuditService } from 'src/audit/audit.service';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { Database, isUniqueViolation } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { SettlementRunContractsQueryDto } from 'src/settlements/dto/settlement-query.dto';
import {
  SettlementRunContractDto,
  SettlementRunDto,
  SettlementRunSummaryDto,
  toSettlementRunContract,
  toSettlementRunDto,
  toSettlementRunSummary,
} from 'src/settlements/dto/settlement.dto';
import { SettlementPortfolio, type PortfolioTarget } from 'src/settlements/settlement-portfolio';
import { SettlementRunContractEntity, SettlementRunEntity, type SettlementRunStatus } from 'src/settlements/settlement-run.entity';
import { contractsOf, countResult, failure, interrupted, interruptStale, isStale, runInProgress, type RunProblem, writeRun } from 'src/settlements/settlement-run.records';
import { SettlementError } from 'src/settlements/settlements.errors';

/** Progress is written after every batch and, within one, at least this often. */
const SAVE_EVERY_MS = 1_000;

export type RunProgress = (done: number, total: number, last: SettlementRunContractDto) => void;

interface Job {
  row: SettlementRunEntity;
  /** Results settled since the last write, inserted by the next one. */
  pending: SettlementRunContractDto[];
  /** Set on shutdown, or when another process marked the run INTERRUPTED: stop after the current contract. */
  stop: boolean;
  savedAt: number;
  /** Who started it: the run settles, and its end is audited, on their behalf. */
  by: Principal;
}

/**
 * Portfolio settlement runs as jobs (docs/settlements.md). `start` records a RUNNING run and settles in the
 * background (SettlementPortfolio: one transaction per contract), writing the counts and the results settled
 * since the last write after every batch and at least every second; the caller follows it by id, and pages its
 * results. `run` is the same, awaited (CLI, bench).
 * Runs left RUNNING by a process that died (no write for a minute) are marked INTERRUPTED at start-up, when
 * read, and before a start of the same run; on shutdown the runs in flight stop after their current contract,
 * INTERRUPTED.
 * Starting again is safe: settled contracts are redrafted in place or skipped once approved.
 */
@Injectable()
export class SettlementRunsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SettlementRuns');
  /** Runs settling in this process, by id, with what resolves when each ends. */
  private readonly jobs = new Map<string, { job: Job; ended: Promise<Error | undefined> }>();
  private closing = false;

  constructor(
    private readonly db: Database,
    private readonly scope: AccessScope,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly portfolio: SettlementPortfolio,
    private readonly audit: AuditService,
  ) {}

  /** Records the run and settles in the background; the answer is the run as it starts (RUNNING). */
  async start(p: Principal, municipalityId: string, periodCode: string): Promise<SettlementRunDto> {
    const { job, targets } = await this.open(p, municipalityId, periodCode);
    const started = toSettlementRunDto(job.row, []);
    void this.launch(job, p, targets, () => undefined);
    return started;
  }

  /** The same run, awaited, with progress after each contract; an unexpected error is recorded, then thrown. */
  async run(p: Principal, municipalityId: string, periodCode: string, onProgress: RunProgress = () => undefined): Promise<SettlementRunDto> {
    const { job, targets } = await this.open(p, municipalityId, periodCode);
    const error = await this.launch(job, p, targets, onProgress);
    if (error !== undefined) throw error;
    const contracts = await this.db.read((m) => results(m, job.row));
    return toSettlementRunDto(job.row, contracts.map(toSettlementRunContract));
  }

  /** The run with the result of every contract settled so far, in the order they were settled. */
  async get(p: Principal, id: string): Promise<SettlementRunDto> {
    const read = (): Promise<[SettlementRunEntity, SettlementRunContractEntity[]]> =>
      this.db.read(async (m) => {
        const row = await this.visibleRun(m, p, id);
        return [row, await results(m, row)];
      });
    const first = await read();
    const [row, contracts] = (await this.expire([first[0]])) ? await read() : first;
    return toSettlementRunDto(row, contracts.map(toSettlementRunContract));
  }

  /** The run's per-contract results in the order they were settled, paged, those with one status when asked. */
  async contracts(p: Principal, id: string, query: SettlementRunContractsQueryDto): Promise<Page<SettlementRunContractDto>> {
    const { take, skip } = pageWindow(query);
    const [run, rows, total] = await this.db.read(async (m) => {
      const row = await this.visibleRun(m, p, id);
      return [row, ...(await m.findAndCount(SettlementRunContractEntity, { where: contractsOf(row, query.status), order: { position: 'ASC' }, take, skip }))] as const;
    });
    // As for the run itself: a run whose process died is recorded INTERRUPTED when read (its results stay as they are).
    await this.expire([run]);
    return toPage(rows, total, query, toSettlementRunContract);
  }

  /** The municipality's runs, newest first. */
  async list(p: Principal, municipalityId: string, query: PageQueryDto): Promise<Page<SettlementRunSummaryDto>> {
    const { take, skip } = pageWindow(query);
    const read = (): Promise<[SettlementRunEntity[], number]> =>
      this.db.read(async (m) => {
        await this.requireMunicipality(m, p, municipalityId);
        return m.findAndCount(SettlementRunEntity, { where: { municipalityId }, order: { startedAt: 'DESC', id: 'DESC' }, take, skip });
      });
    const page = await read();
    const [rows, total] = (await this.expire(page[0])) ? await read() : page;
    return toPage(rows, total, query, toSettlementRunSummary);
  }

  /** Runs left RUNNING by a process that died (a restart, the CLI or another instance): INTERRUPTED. */
  async onApplicationBootstrap(): Promise<void> {
    const marked = await this.db.transaction((m) => this.interrupt(m, []));
    if (marked > 0) this.logger.warn(`${marked} settlement run(s) left RUNNING by a process that stopped marked INTERRUPTED`);
  }

  /** Before the database closes: runs in flight stop after their current contract and are recorded INTERRUPTED. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    while (this.jobs.size > 0) {
      const inFlight = [...this.jobs.values()];
      for (const { job } of inFlight) job.stop = true;
      await Promise.all(inFlight.map((j) => j.ended));
    }
  }

  /** Checks who may start it, refuses a second RUNNING run of the municipality and period, inserts the row. */
  private async open(p: Principal, municipalityId: string, periodCode: string): Promise<{ job: Job; targets: PortfolioTarget[] }> {
    try {
      return await this.db.transaction(async (m) => {
        await this.requireMunicipality(m, p, municipalityId);
        if (!(await this.scope.canManage(m, p, municipalityId, ['contract_manager']))) {
          throw new AuthError('AUTH_FORBIDDEN', 'Only contract managers of the municipality settle its portfolio', {});
        }
        const targets = await this.portfolio.targets(m, municipalityId, periodCode);
        // A period code no contract of the municipality has is a mistake (a typo), not an empty portfolio.
        if (targets.length === 0) {
          throw new SettlementError('SETTLEMENT_PERIOD_NOT_FOUND', `No contract of the municipality has a period ${periodCode}`, {
            municipalityId,
            periodCode,
            fields: [{ field: 'periodCode', message: `no contract of the municipality has a period ${periodCode}` }],
          });
        }
        await this.interrupt(m, [...this.jobs.keys()], { municipalityId, periodCode });
        const running = await m.findOneBy(SettlementRunEntity, { municipalityId, periodCode, status: 'RUNNING' });
        if (running) throw runInProgress(running.id);
        const now = this.clock.nowIso();
        const row: SettlementRunEntity = {
          id: this.ids.next(), municipalityId, periodCode, status: 'RUNNING', total: targets.length, done: 0, settled: 0, skipped: 0, failed: 0,
          problemCode: null, problemMessage: null, startedBy: p.userId, startedByLabel: p.label, startedAt: now, finishedAt: null, createdAt: now, updatedAt: now,
        };
        await m.insert(SettlementRunEntity, row);
        await this.audit.record(m, p, { action: 'start', objectType: 'settlement_run', objectId: row.id, municipalityId, after: runAudit(row) });
        return { job: { row, pending: [], stop: this.closing, savedAt: performance.now(), by: p }, targets };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another process inserted the same run between this one's check and its insert (uq_settlement_runs_running).
      const running = await this.db.read((m) => m.findOneBy(SettlementRunEntity, { municipalityId, periodCode, status: 'RUNNING' }));
      throw runInProgress(running?.id ?? null);
    }
  }

  /** The run, 404 unless the caller administers its municipality (as for the municipality itself). */
  private async visibleRun(m: EntityManager, p: Principal, id: string): Promise<SettlementRunEntity> {
    const row = await m.findOneBy(SettlementRunEntity, { id });
    if (!row || !isVisible(await this.scope.municipalities(m, p), row.municipalityId)) {
      throw new SettlementError('SETTLEMENT_NOT_FOUND', `Settlement run ${id} not found`, { id });
    }
    return row;
  }

  /** 404 unless the municipality exists and the caller administers it (municipal staff of it, the platform). */
  private async requireMunicipality(m: EntityManager, p: Principal, municipalityId: string): Promise<void> {
    const municipality = await m.findOneBy(OrganisationEntity, { id: municipalityId });
    if (!municipality || !isVisible(await this.scope.municipalities(m, p), municipalityId)) {
      throw new SettlementError('SETTLEMENT_NOT_FOUND', `Municipality ${municipalityId} not found`, { municipalityId });
    }
  }

  private launch(job: Job, p: Principal, targets: PortfolioTarget[], onProgress: RunProgress): Promise<Error | undefined> {
    const ended = this.execute(job, p, targets, onProgress).finally(() => this.jobs.delete(job.row.id));
    this.jobs.set(job.row.id, { job, ended });
    return ended;
  }

  /** Settles and records; never rejects: resolves with the unexpected error that stopped the run, if one did. */
  private async execute(job: Job, p: Principal, targets: PortfolioTarget[], onProgress: RunProgress): Promise<Error | undefined> {
    const { row } = job;
    try {
      await this.portfolio.settle(p, targets, {
        stopped: () => job.stop,
        settled: async (result, endOfBatch) => {
          job.pending.push(result);
          countResult(row, result);
          onProgress(row.done, row.total, result);
          if (endOfBatch || performance.now() - job.savedAt >= SAVE_EVERY_MS) await this.save(job, 'RUNNING', null);
        },
      });
      const cut = row.done < row.total;
      await this.save(job, cut ? 'INTERRUPTED' : 'DONE', cut ? interrupted(`The service stopped after ${row.done} of ${row.total} contracts`) : null);
      return undefined;
    } catch (error) {
      this.logger.error(`Settlement run ${row.id} stopped by an unexpected error after ${row.done} of ${row.total} contracts`, stack(error));
      await this.save(job, 'FAILED', failure(error, row)).catch((e: unknown) => this.logger.error(`Settlement run ${row.id} could not be marked FAILED`, stack(e)));
      return error instanceof Error ? error : new Error(`Settlement run ${row.id} failed: ${String(error)}`);
    }
  }

  private async save(job: Job, status: SettlementRunStatus, problem: RunProblem | null): Promise<void> {
    const written = await this.db.transaction(async (m) => {
      const before = runAudit(job.row);
      const done = await writeRun(m, job.row, job.pending, status, problem, this.clock.nowIso());
      // The end of a run goes into the audit chain with the counts, in the transaction that records it.
      if (done && status !== 'RUNNING') {
        await this.audit.record(m, job.by, { action: 'finish', objectType: 'settlement_run', objectId: job.row.id, municipalityId: job.row.municipalityId, before, after: runAudit(job.row) });
      }
      return done;
    });
    job.savedAt = performance.now();
    if (written) job.pending = [];
    else job.stop = true;
  }

  /**
   * As they are read, RUNNING runs of a process that died less than a minute before this one started (so the
   * start-up pass left them) become INTERRUPTED; true when one did. Not on a timer: a write at any moment
   * would interleave, on SQLite, with work that uses the DataSource outside Database (CLI commands, bench).
   */
  private async expire(rows: readonly SettlementRunEntity[]): Promise<boolean> {
    const now = this.clock.now();
    const ids = rows.filter((r) => isStale(r, now) && !this.jobs.has(r.id)).map((r) => r.id);
    return ids.length > 0 && (await this.db.transaction((m) => this.interrupt(m, [...this.jobs.keys()], { ids }))) > 0;
  }

  /** Marks stale runs INTERRUPTED (settlement-run.records.ts) and audits each, by the system; how many. */
  private async interrupt(m: EntityManager, alive: readonly string[], where?: Parameters<typeof interruptStale>[3]): Promise<number> {
    const marked = await interruptStale(m, this.clock.now(), alive, where);
    await this.audit.recordMany(
      m,
      SYSTEM_PRINCIPAL,
      marked.map((run) => ({ action: 'interrupt', objectType: 'settlement_run', objectId: run.id, municipalityId: run.municipalityId, before: { status: 'RUNNING' }, after: runAudit(run) })),
    );
    return marked.length;
  }
}

/** Every result of the run as read, in the order settled. */
function results(m: EntityManager, row: SettlementRunEntity): Promise<SettlementRunContractEntity[]> {
  return m.find(SettlementRunContractEntity, { where: contractsOf(row), order: { position: 'ASC' } });
}

/** What the audit log keeps of a run (its digest): period, status, counts, problem. */
function runAudit(row: SettlementRunEntity): Record<string, unknown> {
  const { periodCode, status, total, done, settled, skipped, failed, problemCode } = row;
  return { periodCode, status, total, done, settled, skipped, failed, problemCode };
}

function stack(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
