import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { HttpStatus, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError } from 'commander';
import { AppModule } from 'src/app.module';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { registerAuditCommands } from 'src/cli/audit.command';
import { registerAuditExportCommands } from 'src/cli/audit-export.command';
import { databaseProblem } from 'src/cli/database-check';
import { registerReportCommands } from 'src/cli/reports.command';
import { registerSettlementCommands } from 'src/cli/settlements.command';
import { registerUsersCommands } from 'src/cli/users.command';
import { DomainError } from 'src/common/errors/domain-error';
import { APP_CONFIG, AppConfig, ConfigurationError, loadConfig } from 'src/config/app-config';
import { describeDatabase } from 'src/config/database-description';
import { ContractDefinitionsService } from 'src/contract-definitions/contract-definitions.service';
import { ImportedContractDefinitionDto } from 'src/contract-definitions/dto/contract-definition.dto';

// `ancora` command line: the same Nest application (service, database options, migrations) as the HTTP
// server, booted as a context without HTTP, on the database of SQLITE_PATH / DATABASE_URL, which must be the
// service's. Exit codes: 0 done, 1 a document or contract was refused, 2 wrong usage, 78 bad configuration
// (also: no database there, for the commands that need one; see database-check.ts).

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliOptions {
  io?: CliIo;
  /** Defaults to the environment (loadConfig), as for the server. */
  config?: AppConfig;
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;
export const EXIT_CONFIG = 78;

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

class ConfigFailure extends Error {}

/**
 * Boots the application context (no HTTP), runs `work`, closes it; `work` returns the exit code. Only with
 * `mayCreateDatabase` does it create (and migrate) a database that is not there yet.
 */
export type WithApp = (work: (app: INestApplicationContext) => Promise<number>, options?: { mayCreateDatabase?: boolean }) => Promise<void>;

/** Other modules' commands, each in its own `src/cli/<name>.command.ts` exporting a registrar. */
export type RegisterCommand = (program: Command, withApp: WithApp, io: CliIo) => void;
const COMMANDS: RegisterCommand[] = [registerAuditCommands, registerAuditExportCommands, registerUsersCommands, registerSettlementCommands, registerReportCommands];

export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  let exitCode = EXIT_OK;

  const withApp: WithApp = async (work, { mayCreateDatabase = false } = {}) => {
    let config: AppConfig;
    try {
      config = options.config ?? loadConfig(process.env);
    } catch (error) {
      if (error instanceof ConfigurationError) {
        io.err(`${error.message}\n`);
        throw new ConfigFailure();
      }
      throw error;
    }
    const problem = await databaseProblem(config.database, mayCreateDatabase);
    if (problem !== null) {
      io.err(`${problem}\n`);
      throw new ConfigFailure();
    }
    const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    try {
      exitCode = await work(app);
    } finally {
      await app.close();
    }
  };

  const program = new Command('ancora')
    .description(
      'Ancora command line, run on the machine as the system (no API key): import and export contract documents, ' +
        'create an administrator with its first API key, compute and verify settlements (of a contract, or of every contract of a municipality), ' +
        'write period reports, verify and export the audit log',
    )
    .addHelpText(
      'after',
      "\nIt works on the database of SQLITE_PATH (default data/ancora.sqlite) or DATABASE_URL: give it the service's.\n",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  program
    .command('contracts:import')
    .description('Import contract definition documents (each file in one transaction: all of it or nothing)')
    .argument('<file...>', 'JSON documents, see contracts/schema/contract-definition.schema.json')
    .action((files: string[]) => withApp((app) => importFiles(app.get(ContractDefinitionsService), files, io), { mayCreateDatabase: true }));

  program
    .command('contracts:export')
    .description("Print a contract's definition document, rebuilt from the database")
    .argument('<contractCode>', 'code of the contract, e.g. PD-SDC-2.0')
    .option('-o, --out <file>', 'write the document to this file instead of standard output')
    .action((code: string, opts: { out?: string }) => withApp((app) => exportContract(app, code, opts.out, io)));

  for (const register of COMMANDS) {
    register(program, withApp, io);
  }

  const unknown = unknownLongOption(program, argv);
  if (unknown !== null) {
    io.err(`${unknown}\n`);
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof ConfigFailure) {
      return EXIT_CONFIG;
    }
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_REFUSED;
  }
  return exitCode;
}

/**
 * A misspelt long option of a command (`--contrat`), named with the options the command takes. Commander
 * checks required options before unknown ones, so `--contrat X` was answered "required option '--contract'
 * not specified", which hides the typo. Values of options that take one are skipped; after `--` nothing is
 * an option.
 */
export function unknownLongOption(program: Command, argv: readonly string[]): string | null {
  const command = program.commands.find((c) => c.name() === argv[0]);
  if (command === undefined) return null;
  const known = new Map(command.options.filter((o) => o.long !== undefined).map((o) => [o.long as string, o]));
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const name = arg.split('=')[0];
    if (name === '--help') continue;
    const option = known.get(name);
    if (option === undefined) {
      const takes = [...known.keys()].join(', ');
      return `error: unknown option '${name}' for ${command.name()}${takes === '' ? '' : ` (it takes ${takes})`}`;
    }
    if ((option.required || option.optional) && !arg.includes('=')) i += 1;
  }
  return null;
}

/** "1 contract", "2 contracts". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

async function importFiles(service: ContractDefinitionsService, files: readonly string[], io: CliIo): Promise<number> {
  let failed = 0;
  for (const file of files) {
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      io.err(`${file}: not imported: cannot read a JSON document (${(error as Error).message})\n`);
      failed++;
      continue;
    }
    try {
      io.out(`${file}: ${describeImport(await service.importDocument(SYSTEM_PRINCIPAL, document))}\n`);
    } catch (error) {
      if (!(error instanceof DomainError)) {
        throw error;
      }
      io.err(`${file}: not imported: ${describeError(error)}`);
      failed++;
    }
  }
  if (files.length > 1) {
    io.out(`${files.length - failed} of ${files.length} documents imported\n`);
  }
  return failed === 0 ? EXIT_OK : EXIT_REFUSED;
}

async function exportContract(app: INestApplicationContext, code: string, out: string | undefined, io: CliIo): Promise<number> {
  try {
    const text = `${JSON.stringify(await app.get(ContractDefinitionsService).exportByCode(SYSTEM_PRINCIPAL, code), null, 2)}\n`;
    if (out === undefined) {
      io.out(text);
    } else {
      writeFileSync(out, text);
      io.out(`Exported contract ${code} to ${out}\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof DomainError)) {
      throw error;
    }
    io.err(`contract ${code} not exported: ${describeError(error, lookedIn(app))}`);
    return EXIT_REFUSED;
  }
}

export function describeImport(r: ImportedContractDefinitionDto): string {
  const c = r.counts;
  const list = (codes: string[]) => (codes.length === 0 ? 'none' : codes.join(', '));
  return [
    `imported contract ${r.code} (id ${r.id}) of project ${r.projectCode} (id ${r.projectId})`,
    `  organisations created: ${list(r.organisationsCreated)}; reused: ${list(r.organisationsReused)}`,
    `  value chain: ${c.nodes} nodes, ${c.links} links; ${c.referencePopulations} reference populations`,
    `  ${c.periods} periods; ${c.groupings} groupings with ${c.members} members and ${c.fees} fees`,
    `  ${c.indicators} indicators with ${c.baselines} baselines, ${c.targets} targets and ${c.denominators} denominators`,
  ].join('\n');
}

/** Where a command looked, for its answers that something is not there: `in SQLite database data/ancora.sqlite`. */
export function lookedIn(app: INestApplicationContext): string {
  return `in ${describeDatabase(app.get<AppConfig>(APP_CONFIG).database)}`;
}

/** The error's message; a not-found one ends saying where the command looked (`lookedIn`), when given. */
export function errorMessage(error: DomainError, where?: string): string {
  return where !== undefined && error.status === HttpStatus.NOT_FOUND ? `${error.message.replace(/\.$/, '')} ${where}` : error.message;
}

/** `CODE: message` then one line per field problem. */
export function describeError(error: DomainError, where?: string): string {
  const lines = [`${error.code}: ${errorMessage(error, where)}`];
  for (const f of error.details.fields ?? []) {
    lines.push(`  ${f.field}: ${f.message}`);
  }
  return `${lines.join('\n')}\n`;
}
