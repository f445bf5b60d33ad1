import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Command } from 'commander';
import { INestApplicationContext } from '@nestjs/common';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { CliIo, describeError, EXIT_OK, EXIT_REFUSED, lookedIn, RegisterCommand, WithApp } from 'src/cli/cli';
import { DomainError } from 'src/common/errors/domain-error';
import { flattenValidationErrors } from 'src/common/errors/validation-errors';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { ApiKeysService } from 'src/users/api-keys.service';
import { CreateUserDto } from 'src/users/dto/user.dto';
import { UsersService } from 'src/users/users.service';

interface CreateAdminOptions {
  name: string;
  email?: string;
  organisation?: string;
}

// `ancora users:create-admin`: the first key of a fresh installation (nobody can call the API before it).
// Run by the operator on the machine, acting as the system. The key alone goes to standard output, so
// `KEY=$(npm run --silent cli -- users:create-admin --name ...)` captures it; the rest goes to standard error.
export const registerUsersCommands: RegisterCommand = (program: Command, withApp: WithApp, io: CliIo) => {
  program
    .command('users:create-admin')
    .description("Create a platform administrator (or, with --organisation, that organisation's admin) and print its API key once")
    .requiredOption('--name <name>', 'full name of the administrator')
    .option('--email <email>', 'email address (unique)')
    .option('--organisation <code>', "organisation code (e.g. C-PADOVA): an admin of that organisation's users instead of a platform administrator")
    // The first administrator may be created before the service ever started; an organisation's needs its data.
    .action((opts: CreateAdminOptions) => withApp((app) => createAdmin(app, opts, io), { mayCreateDatabase: opts.organisation === undefined }));
};

async function createAdmin(app: INestApplicationContext, opts: CreateAdminOptions, io: CliIo): Promise<number> {
  let organisation: OrganisationEntity | null = null;
  if (opts.organisation !== undefined) {
    const code = opts.organisation;
    organisation = await app.get(Database).read((m) => m.findOneBy(OrganisationEntity, { code }));
    if (!organisation) {
      io.err(`administrator not created: no organisation with code ${code} ${lookedIn(app)}\n`);
      return EXIT_REFUSED;
    }
  }
  const dto = plainToInstance(CreateUserDto, {
    name: opts.name,
    roles: ['admin'],
    ...(opts.email === undefined ? {} : { email: opts.email }),
    ...(organisation ? { organisationId: organisation.id } : {}),
  });
  const problems = flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length > 0) {
    io.err(`administrator not created:\n${problems.map((p) => `  --${p.field}: ${p.message}\n`).join('')}`);
    return EXIT_REFUSED;
  }
  try {
    const user = await app.get(UsersService).create(SYSTEM_PRINCIPAL, dto);
    const key = await app.get(ApiKeysService).create(SYSTEM_PRINCIPAL, user.id, { name: 'created by users:create-admin' });
    const what = organisation ? `administrator of ${organisation.code} (${organisation.name})` : 'platform administrator';
    io.err(`Created ${what} ${user.name} (user id ${user.id}) with API key ${key.prefix}:\n`);
    io.out(`${key.key}\n`);
    io.err(
      'This key is shown only now and will not be shown again (only its hash is stored): keep it safe.\n' +
        'Send it as `X-API-Key: <key>`; revoke it with DELETE /api/v1/api-keys/' +
        `${key.id}.\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof DomainError)) {
      throw error;
    }
    io.err(`administrator not created: ${describeError(error)}`);
    return EXIT_REFUSED;
  }
}
