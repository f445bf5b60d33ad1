import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from 'src/app.module';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { SettlementRunsService } from 'src/settlements/settlement-runs.service';
import { createBenchDatabase } from 'bench/bench-database';
import { fmtRatio, fmtSeconds, now, secondsSince } from 'bench/measure';
import { readInputs, removeWrittenRows, takeWrittenRows, writeInOneTransaction, writePerContract } from 'bench/portfolio.baseline';
import { insertPortfolio } from 'bench/portfolio.data';

// Part 2 of `npm run bench` (issue 4 §4): settling a generated portfolio end to end against only reading
// its inputs and writing its outputs with the database driver. Target: end to end within 3 x the baseline.
//
//   setup      a fresh database, migrated by the application itself, and the portfolio (portfolio.data.ts);
//              not measured
//   end to end SettlementRunsService.run(system principal, municipality, 'Y2') in a Nest application
//              context booted like the CLI: every contract in its own transaction (load, compute, documents,
//              RFC 8785 hashes, settlement rows, audit entries)
//   baseline   the rows the run read and wrote, through the same DataSource's driver (portfolio.baseline.ts),
//              after removing what the run wrote, on the same database

export const PORTFOLIO_TARGET = 3;

export interface PortfolioBenchOptions {
  contracts: number;
  seed: number;
  dialect: 'sqlite' | 'postgres';
  log: (line: string) => void;
}

export interface PortfolioBenchResult {
  contracts: number;
  endToEnd: number;
  baseline: number;
  ratio: number;
  passed: boolean;
}

export async function portfolioBench(o: PortfolioBenchOptions): Promise<PortfolioBenchResult> {
  const db = await createBenchDatabase(o.dialect);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(db.config), { logger: false, abortOnError: false });
  try {
    const ds = app.get(DataSource);
    const setupStart = now();
    const portfolio = await insertPortfolio(ds, o.contracts, o.seed);
    const rows = Object.values(portfolio.rows).reduce((a, b) => a + b, 0);
    o.log(`${o.contracts} contracts on ${o.dialect}: setup ${fmtSeconds(secondsSince(setupStart))} for ${rows} rows ` +
      `(${Object.entries(portfolio.rows).map(([t, n]) => `${t} ${n}`).join(', ')}), not measured`);

    const runs = app.get(SettlementRunsService);
    const start = now();
    const run = await runs.run(SYSTEM_PRINCIPAL, portfolio.municipalityId, 'Y2');
    const endToEnd = secondsSince(start);
    const problems = new Map<string, number>();
    for (const c of run.contracts) if (c.problem) problems.set(c.problem.code, (problems.get(c.problem.code) ?? 0) + 1);
    const written = await takeWrittenRows(ds);
    o.log(`  end to end  ${fmtSeconds(endToEnd).padStart(9)}  SettlementRunsService.run: ${run.settled} settled, ${run.failed} failed ` +
      `(${[...problems].map(([code, n]) => `${code} x${n}`).join(', ') || 'none'}), ${run.skipped} skipped; ` +
      `${written.count.settlements} settlements, ${written.count.audit} audit entries; ${Math.round(o.contracts / endToEnd)} contracts/s`);
    if (run.total !== o.contracts || run.failed > o.contracts / 50) throw new Error(`the run did not settle the portfolio: ${JSON.stringify({ ...run, contracts: run.contracts.slice(0, 3) })}`);

    const q = ds.createQueryRunner();
    await q.connect();
    let baseline: number;
    let readRows: number;
    try {
      const baselineStart = now();
      readRows = await readInputs(q, portfolio.municipalityId, 'Y2');
      const readTime = secondsSince(baselineStart);
      await writePerContract(q, written);
      baseline = secondsSince(baselineStart);
      o.log(`  baseline    ${fmtSeconds(baseline).padStart(9)}  driver only: read ${readRows} rows in ${fmtSeconds(readTime)}, wrote the same ` +
        `${written.count.settlements} settlements + ${written.count.audit} audit entries in ${written.settlements.byContract.size} transactions`);
      await removeWrittenRows(ds);
      const bulkStart = now();
      await readInputs(q, portfolio.municipalityId, 'Y2');
      await writeInOneTransaction(q, written);
      const bulk = secondsSince(bulkStart);
      o.log(`  (informative) the same reads and writes in ONE transaction: ${fmtSeconds(bulk)}; end to end / that = ${fmtRatio(endToEnd / bulk)}`);
    } finally {
      await q.release();
    }
    const ratio = endToEnd / baseline;
    return { contracts: o.contracts, endToEnd, baseline, ratio, passed: ratio <= PORTFOLIO_TARGET };
  } finally {
    await app.close();
    await db.dispose();
  }
}
