import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, InvalidArgumentError } from 'commander';
import { INestApplicationContext } from '@nestjs/common';
import { AUDIT_EXPORT_FORMATS, AuditExportFormat, describeScope } from 'src/audit/audit-export.format';
import { AuditExportService } from 'src/audit/audit-export.service';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { CliIo, describeError, EXIT_OK, EXIT_REFUSED, lookedIn, RegisterCommand, WithApp } from 'src/cli/cli';
import { DomainError } from 'src/common/errors/domain-error';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';

interface ExportOptions {
  contract?: string;
  municipality?: string;
  format: AuditExportFormat;
  out: string;
}

// `ancora audit:export --contract PD-SDC-2.0 --format csv --out audit.csv`: the same document as
// GET /api/v1/audit/export, written to a file by the operator on the machine (as the system, so every
// entry of the contract). Exit 0 when the whole chain and the exported entries verify; 1 when they do
// not (the file is written all the same: it carries the verification) or the contract is unknown.
export const registerAuditExportCommands: RegisterCommand = (program: Command, withApp: WithApp, io: CliIo) => {
  program
    .command('audit:export')
    .description("Write a contract's (or a municipality's) audit log with its chain hashes and verification to a CSV or JSON file")
    .option('--contract <code>', 'contract code, e.g. PD-SDC-2.0')
    .option('--municipality <code>', 'municipality code, e.g. C-PADOVA (instead of --contract)')
    .requiredOption('--format <format>', 'csv or json', parseFormat)
    .requiredOption('-o, --out <file>', 'file to write')
    .action((opts: ExportOptions) => withApp((app) => exportAudit(app, opts, io)));
};

function parseFormat(value: string): AuditExportFormat {
  if (!(AUDIT_EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${AUDIT_EXPORT_FORMATS.join(', ')}`);
  }
  return value as AuditExportFormat;
}

async function exportAudit(app: INestApplicationContext, opts: ExportOptions, io: CliIo): Promise<number> {
  if ((opts.contract === undefined) === (opts.municipality === undefined)) {
    io.err('audit log not exported: give --contract <code> or --municipality <code>\n');
    return EXIT_REFUSED;
  }
  const found = await app.get(Database).read(async (m) =>
    opts.contract !== undefined
      ? ((await m.findOneBy(ContractEntity, { code: opts.contract }))?.id ?? null)
      : ((await m.findOneBy(OrganisationEntity, { code: opts.municipality, kind: 'MUNICIPALITY' }))?.id ?? null),
  );
  if (found === null) {
    io.err(`audit log not exported: no ${opts.contract !== undefined ? `contract with code ${opts.contract}` : `municipality with code ${opts.municipality}`} ${lookedIn(app)}\n`);
    return EXIT_REFUSED;
  }
  try {
    const file = await app
      .get(AuditExportService)
      .open(SYSTEM_PRINCIPAL, { format: opts.format, ...(opts.contract !== undefined ? { contractId: found } : { municipalityId: found }) });
    await pipeline(Readable.from(file.body), createWriteStream(opts.out));
    const v = file.header.verification;
    io.out(`Exported ${v.exportedEntries.entries} audit entries of ${describeScope(file.header.scope)} to ${opts.out}\n`);
    if (v.wholeChain.ok && v.exportedEntries.ok) {
      io.out(`audit chain intact: ${v.wholeChain.entries} entries, head at seq ${v.wholeChain.headSeq}; every exported entry links\n`);
      return EXIT_OK;
    }
    const lines: string[] = [];
    const b = v.wholeChain.firstBreak;
    if (b !== null) lines.push(`audit chain BROKEN at seq ${b.seq}${b.id === null ? '' : ` (entry ${b.id})`}: ${b.reason}: ${b.message}`);
    const x = v.exportedEntries.firstBreak;
    if (x !== null) lines.push(`${v.exportedEntries.broken} exported entries do not link; the first at seq ${x.seq} (entry ${x.id}): ${x.reason}: ${x.message}`);
    io.err(`${lines.join('\n')}\n`);
    return EXIT_REFUSED;
  } catch (error) {
    if (!(error instanceof DomainError)) {
      throw error;
    }
    io.err(`audit log not exported: ${describeError(error, lookedIn(app))}`);
    return EXIT_REFUSED;
  }
}
