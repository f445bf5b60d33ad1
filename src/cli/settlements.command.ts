import { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { CliIo, counted, errorMessage, EXIT_OK, EXIT_REFUSED, lookedIn, RegisterCommand } from 'src/cli/cli';
import { DomainError } from 'src/common/errors/domain-error';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { SettlementRunsService } from 'src/settlements/settlement-runs.service';
import { SettlementDraftsService } from 'src/settlements/settlement-drafts.service';
import { verification } from 'src/settlements/settlement-rows';

// Settlement commands, run by the operator on the machine as the system (docs/settlements.md):
//   settlements:compute   --contract PD-SDC-2.0 --period Y2      drafts for every grouping of the period
//   settlements:verify    [id...] [--contract PD-SDC-2.0]        recompute stored settlements to their hashes (exit 1 on a mismatch)
//   settlements:portfolio --municipality C-PADOVA --period Y2    every contract of the municipality, with a progress bar;
//                                                                 a WARNING line under a contract settled from a period not ready
// Approval is a person's act: it is done through the API by an approver, never by the CLI.
// "Not found" answers name the database searched: run without the service's SQLITE_PATH / DATABASE_URL,
// the CLI looks elsewhere.

function findOrFail<T>(what: string, found: T | null, app: INestApplicationContext, io: CliIo): T | null {
  if (found === null) io.err(`${what} not found ${lookedIn(app)}\n`);
  return found;
}

async function compute(app: INestApplicationContext, contractCode: string, periodCode: string, io: CliIo): Promise<number> {
  const ds = app.get(DataSource);
  const contract = findOrFail(`contract ${contractCode}`, await ds.getRepository(ContractEntity).findOneBy({ code: contractCode }), app, io);
  if (contract === null) return EXIT_REFUSED;
  const periods = await ds.getRepository(ContractPeriodEntity).find({ where: { contractId: contract.id }, order: { position: 'ASC' } });
  const period = periods.find((p) => p.code === periodCode) ?? null;
  if (period === null) {
    io.err(`period ${periodCode} of ${contractCode} not found ${lookedIn(app)}; its periods: ${periods.map((p) => p.code).join(', ') || 'none'}\n`);
    return EXIT_REFUSED;
  }
  const result = await app.get(SettlementDraftsService).compute(SYSTEM_PRINCIPAL, contract.id, period.id);
  for (const s of result.computed) io.out(`${s.groupingCode}\tv${s.version}\tDRAFT\tpremium ${s.premium}\tpayable ${s.payable}\t${s.id}\n`);
  for (const s of result.unchanged) io.out(`${s.groupingCode}\tv${s.version}\t${s.state} (unchanged)\tpremium ${s.premium}\tpayable ${s.payable}\t${s.id}\n`);
  return EXIT_OK;
}

async function verify(app: INestApplicationContext, ids: string[], contractCode: string | undefined, io: CliIo): Promise<number> {
  const ds = app.get(DataSource);
  const repo = ds.getRepository(SettlementEntity);
  let rows: SettlementEntity[];
  if (ids.length > 0) {
    rows = await repo.find({ where: ids.map((id) => ({ id })) });
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) {
      io.err(`settlement ${missing.join(', ')} not found ${lookedIn(app)}\n`);
      return EXIT_REFUSED;
    }
  } else if (contractCode !== undefined) {
    const contract = await ds.getRepository(ContractEntity).findOneBy({ code: contractCode });
    if (contract === null) {
      io.err(`contract ${contractCode} not found ${lookedIn(app)}\n`);
      return EXIT_REFUSED;
    }
    rows = await repo.find({ where: { contractId: contract.id } });
  } else {
    rows = await repo.find();
  }
  // Listed as a reader looks for them: by contract, period (in the contract's order), grouping and version.
  const contracts = new Map((await ds.getRepository(ContractEntity).findBy({ id: In(unique(rows.map((r) => r.contractId))) })).map((c) => [c.id, c.code]));
  const periods = new Map((await ds.getRepository(ContractPeriodEntity).findBy({ id: In(unique(rows.map((r) => r.periodId))) })).map((p) => [p.id, p]));
  const groupings = new Map((await ds.getRepository(ProviderGroupingEntity).findBy({ id: In(unique(rows.map((r) => r.groupingId))) })).map((g) => [g.id, g.code]));
  const label = (r: SettlementEntity) => ({ contract: contracts.get(r.contractId) ?? r.contractId, period: periods.get(r.periodId), grouping: groupings.get(r.groupingId) ?? r.groupingId });
  rows.sort((a, b) => {
    const x = label(a);
    const y = label(b);
    return x.contract.localeCompare(y.contract) || (x.period?.position ?? 0) - (y.period?.position ?? 0) || x.grouping.localeCompare(y.grouping) || a.version - b.version;
  });
  let bad = 0;
  for (const row of rows) {
    const v = verification(row);
    const l = label(row);
    const what = `${l.contract}\t${l.period?.code ?? row.periodId}\t${l.grouping}\tv${row.version}\t${row.state}\t${row.id}`;
    if (v.matches) io.out(`OK\t${what}\t${row.documentHash}\n`);
    else {
      bad += 1;
      io.out(`MISMATCH\t${what}\t${v.differences.join(',')}${v.error ? `\t${v.error.code}` : ''}\n`);
    }
  }
  io.out(`${rows.length - bad} of ${counted(rows.length, 'settlement')} ${rows.length === 1 ? 'recomputes to its stored hash' : 'recompute to their stored hashes'}\n`);
  return bad === 0 ? EXIT_OK : EXIT_REFUSED;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

async function portfolio(app: INestApplicationContext, municipalityCode: string, periodCode: string, io: CliIo, showBar: boolean): Promise<number> {
  const municipality = await app.get(DataSource).getRepository(OrganisationEntity).findOneBy({ code: municipalityCode });
  if (municipality === null) {
    io.err(`municipality ${municipalityCode} not found ${lookedIn(app)}\n`);
    return EXIT_REFUSED;
  }
  const bar = showBar ? new SingleBar({ format: 'settling {bar} {value}/{total} contracts | {last}', stream: process.stderr, hideCursor: true }) : null;
  let started = false;
  const report = await app.get(SettlementRunsService).run(SYSTEM_PRINCIPAL, municipality.id, periodCode, (done, total, last) => {
    if (bar && !started) {
      bar.start(total, 0, { last: '' });
      started = true;
    }
    bar?.update(done, { last: `${last.contractCode} ${last.status}` });
  });
  bar?.stop();
  for (const c of report.contracts) {
    io.out(`${c.status}\t${c.contractCode}\t${counted(c.computed, 'draft')}${c.problem ? `\t${c.problem.code}: ${c.problem.message}` : ''}\n`);
    // Under the contract they concern; they do not change the exit code (the contract is settled).
    for (const w of c.warnings) io.out(`WARNING\t${c.contractCode}\t${w.code}: ${w.message}\n`);
  }
  const warned = report.contracts.filter((c) => c.warnings.length > 0).length;
  io.out(`${counted(report.total, 'contract')}: ${report.settled} settled, ${report.skipped} skipped, ${report.failed} failed${warned > 0 ? `, ${warned} with warnings` : ''}\n`);
  // Recorded as a run like those started through the API (GET /api/v1/settlement-runs/{id}).
  if (report.problem) io.err(`run ${report.id} ${report.status}: ${report.problem.code}: ${report.problem.message}\n`);
  return report.failed === 0 && report.status === 'DONE' ? EXIT_OK : EXIT_REFUSED;
}

function refused(io: CliIo, error: unknown, app: INestApplicationContext): number {
  if (error instanceof DomainError) {
    io.err(`${error.code}: ${errorMessage(error, lookedIn(app))}\n`);
    return EXIT_REFUSED;
  }
  throw error;
}

export const registerSettlementCommands: RegisterCommand = (program: Command, withApp, io) => {
  program
    .command('settlements:compute')
    .description('Compute draft settlements of every grouping of a contract period (approved ones stay)')
    .requiredOption('--contract <code>', 'contract code, e.g. PD-SDC-2.0')
    .requiredOption('--period <code>', 'period code, e.g. Y2')
    .action((opts: { contract: string; period: string }) => withApp((app) => compute(app, opts.contract, opts.period, io).catch((e: unknown) => refused(io, e, app))));
  program
    .command('settlements:verify')
    .description('Recompute stored settlements from their inputs and compare every hash (exit 1 on a mismatch)')
    .argument('[id...]', 'settlement ids (default: all, or those of --contract)')
    .option('--contract <code>', 'only the settlements of this contract')
    .action((ids: string[], opts: { contract?: string }) => withApp((app) => verify(app, ids, opts.contract, io)));
  program
    .command('settlements:portfolio')
    .description("Settle a period in every contract of a municipality, one transaction per contract, with progress")
    .requiredOption('--municipality <code>', 'municipality code, e.g. C-PADOVA')
    .requiredOption('--period <code>', 'period code, e.g. Y2')
    .option('--no-progress', 'do not draw the progress bar')
    .action((opts: { municipality: string; period: string; progress: boolean }) =>
      withApp((app) => portfolio(app, opts.municipality, opts.period, io, opts.progress && process.stderr.isTTY === true).catch((e: unknown) => refused(io, e, app))),
    );
};
