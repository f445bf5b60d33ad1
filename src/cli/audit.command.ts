import { Command } from 'commander';
import { AuditService } from 'src/audit/audit.service';
import { CliIo, EXIT_OK, EXIT_REFUSED, RegisterCommand, WithApp } from 'src/cli/cli';

// `ancora audit:verify`: recomputes the audit chain on the configured database. Exit 0 when intact,
// 1 with the first broken link on standard error otherwise. Run by the operator on the machine, so it
// needs no key (like the other commands).
export const registerAuditCommands: RegisterCommand = (program: Command, withApp: WithApp, io: CliIo) => {
  program
    .command('audit:verify')
    .description('Recompute the audit chain and report the first broken link (exit 1 if there is one)')
    .action(() =>
      withApp(async (app) => {
        const result = await app.get(AuditService).verify();
        if (result.ok) {
          io.out(`audit chain intact: ${result.entries} entries, head at seq ${result.headSeq}\n`);
          return EXIT_OK;
        }
        const b = result.firstBreak!;
        io.err(
          [
            `audit chain BROKEN at seq ${b.seq}${b.id === '' ? '' : ` (entry ${b.id})`}: ${b.reason}: ${b.message}`,
            `  ${result.entries} entries verified before the break; the chain head is at seq ${result.headSeq}`,
          ].join('\n') + '\n',
        );
        return EXIT_REFUSED;
      }),
    );
};
