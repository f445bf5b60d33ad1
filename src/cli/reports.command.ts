import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { INestApplicationContext } from '@nestjs/common';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { CliIo, counted, errorMessage, EXIT_OK, EXIT_REFUSED, lookedIn, RegisterCommand } from 'src/cli/cli';
import { DomainError } from 'src/common/errors/domain-error';
import { num, text, writeCsv } from 'src/reports/csv-writer';
import { ReportsService } from 'src/reports/reports.service';
import type { ReportLang } from 'src/reports/report-text';
import { CSV_PROFILES } from 'src/reports/settlement-csv';

// The period report across contracts, run by the operator as the system (docs/reports.md):
//   reports:write --municipality C-PADOVA --period Y2 --out reports/ [--lang en] [--no-progress]
// writes, for every contract of the municipality that has the period, every grouping's latest settlement
// in every format into <out>/<contract code>/, and <out>/index.csv with one row per settlement:
//   contract,grouping,version,state,premium,payable,document hash,files
//   PD-SDC-2.0,RTI-A,1,DRAFT,18960.00,18960.00,6c9d…,PD-SDC-2.0/settlement-PD-SDC-2.0-RTI-A-Y2-v1.json | …
// Files are rewritten in place, so running it twice gives the same folder.

const INDEX_HEADER = ['contract', 'grouping', 'version', 'state', 'premium', 'payable', 'document hash', 'files'];

/** A contract code as a folder name (codes are short identifiers; anything else becomes `_`). */
function folderName(code: string): string {
  return code.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function write(app: INestApplicationContext, opts: { municipality: string; period: string; out: string; lang: ReportLang }, io: CliIo, showBar: boolean): Promise<number> {
  const reports = app.get(ReportsService);
  const plan = await reports.periodPlan(SYSTEM_PRINCIPAL, opts.municipality, opts.period);
  const total = plan.contracts.reduce((n, c) => n + c.settlements.length, 0);
  const bar = showBar ? new SingleBar({ format: 'reports {bar} {value}/{total} settlements | {last}', stream: process.stderr, hideCursor: true }) : null;
  bar?.start(total, 0, { last: '' });
  mkdirSync(opts.out, { recursive: true });
  const index = [INDEX_HEADER.map(text)];
  let done = 0;
  try {
    for (const contract of plan.contracts) {
      const folder = folderName(contract.contractCode);
      if (contract.settlements.length > 0) mkdirSync(join(opts.out, folder), { recursive: true });
      for (const s of contract.settlements) {
        const files = await reports.allReports(SYSTEM_PRINCIPAL, s.settlementId, opts.lang);
        for (const f of files) writeFileSync(join(opts.out, folder, f.fileName), f.bytes);
        const paths = files.map((f) => `${folder}/${f.fileName}`);
        index.push([text(s.contractCode), text(s.groupingCode), num(String(s.version)), text(s.state), num(s.premium), num(s.payable), text(s.documentHash), text(paths.join(' | '))]);
        done += 1;
        bar?.update(done, { last: `${s.contractCode} ${s.groupingCode}` });
      }
      io.out(`${contract.contractCode}\t${contract.settlements.length === 0 ? `no settlements for ${plan.periodCode}` : counted(contract.settlements.length, 'settlement')}\n`);
    }
  } finally {
    bar?.stop();
  }
  writeFileSync(join(opts.out, 'index.csv'), writeCsv(index, CSV_PROFILES.intl));
  io.out(`${counted(done, 'settlement')} of ${counted(plan.contracts.length, 'contract')} written to ${opts.out} (index.csv)\n`);
  return EXIT_OK;
}

function refused(io: CliIo, error: unknown, app: INestApplicationContext): number {
  if (error instanceof DomainError) {
    io.err(`${error.code}: ${errorMessage(error, lookedIn(app))}\n`);
    return EXIT_REFUSED;
  }
  throw error;
}

export const registerReportCommands: RegisterCommand = (program: Command, withApp, io) => {
  program
    .command('reports:write')
    .description("Write every grouping's latest settlement of a period, in every format, for every contract of a municipality, with an index.csv")
    .requiredOption('--municipality <code>', 'municipality code, e.g. C-PADOVA')
    .requiredOption('--period <code>', 'period code, e.g. Y2')
    .requiredOption('--out <dir>', 'folder to write into (created if missing): <dir>/<contract code>/… and <dir>/index.csv')
    .addOption(new Option('--lang <lang>', 'language of CSV, XLSX and PDF').choices(['it', 'en']).default('it'))
    .option('--no-progress', 'do not draw the progress bar')
    .action((opts: { municipality: string; period: string; out: string; lang: ReportLang; progress: boolean }) =>
      withApp((app) => write(app, opts, io, opts.progress && process.stderr.isTTY === true).catch((e: unknown) => refused(io, e, app))),
    );
};
