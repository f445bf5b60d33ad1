import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { SYSTEM_PRINCIPAL } from 'src/auth/principal';
import { Role } from 'src/auth/roles';
import { APP_CONFIG, AppConfig, DatabaseConfig } from 'src/config/app-config';
import { postgresLocation } from 'src/config/database-description';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { OrganisationsService } from 'src/organisations/organisations.service';
import { ApiKeysService } from 'src/users/api-keys.service';
import { ContractGrantsService } from 'src/users/contract-grants.service';
import { UsersService } from 'src/users/users.service';

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';
const DEMO_CONTRACT = 'PD-SDC-2.0';
const UNIVERSITY = { code: 'UNI-PADOVA', name: 'Università degli Studi di Padova (demo)' };

/**
 * One demo user per role (two approvers, so that a reopened settlement can be approved by someone else), by
 * the handle used in the credentials file (`.users.contract_manager.key`).
 */
const DEMO_USERS: readonly { handle: string; name: string; role: Role; organisation: string | null; what: string }[] = [
  { handle: 'admin', name: 'Demo platform administrator', role: 'admin', organisation: null, what: 'sees and manages everything, including users' },
  { handle: 'contract_manager', name: 'Giulia Bianchi (Settore Servizi Sociali)', role: 'contract_manager', organisation: 'C-PADOVA', what: "manages Padova's projects, contracts and indicators" },
  { handle: 'approver', name: 'Dott. Luca Neri (dirigente)', role: 'approver', organisation: 'C-PADOVA', what: 'approves indicator sets and settlements for Padova' },
  {
    handle: 'approver_2',
    name: 'Dott.ssa Chiara Romano (vicedirigente)',
    role: 'approver',
    organisation: 'C-PADOVA',
    what: 'a second approver for Padova: approves what the first one reopened (nobody approves their own work)',
  },
  { handle: 'auditor', name: 'Sara Galli (controllo di gestione)', role: 'auditor', organisation: 'C-PADOVA', what: "reads everything of Padova's contracts, changes nothing" },
  { handle: 'grouping_lead', name: 'Anna Conti (Aurora, mandataria RTI-A)', role: 'grouping_lead', organisation: 'ETS-AURORA', what: 'signs for RTI-A; sees its contract' },
  { handle: 'ets_member', name: 'Paolo Russo (Aurora, RTI-A)', role: 'ets_member', organisation: 'ETS-AURORA', what: "submits Aurora's measurements in RTI-A" },
  { handle: 'grouping_lead_rti_b', name: 'Davide Marino (Delta, mandataria RTI-B)', role: 'grouping_lead', organisation: 'ETS-DELTA', what: 'signs for RTI-B; sees its contract' },
  { handle: 'ets_member_rti_b', name: 'Marta Greco (Delta, RTI-B)', role: 'ets_member', organisation: 'ETS-DELTA', what: "submits Delta's measurements in RTI-B" },
  { handle: 'evaluator', name: 'Prof.ssa Elena Ferri (università)', role: 'evaluator', organisation: UNIVERSITY.code, what: `evaluates ${DEMO_CONTRACT}, granted to ${UNIVERSITY.code}; approves nothing` },
];

export interface DemoCredential {
  name: string;
  role: Role;
  organisation: string | null;
  may: string;
  userId: string;
  key: string;
}

/**
 * After the demo contract was loaded into a fresh database: creates one user per role with an API key
 * (and a university with read access to the contract, for the evaluator), and writes the keys to
 * `demoCredentialsFile` (next to the SQLite file, or in `data/` under the PostgreSQL database's name), readable
 * by its owner only. Returns the file's path. Acts as the system, so every user and key is in the audit log.
 */
export async function createDemoUsers(app: INestApplicationContext, options: { directory?: string } = {}): Promise<string> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const db = app.get(Database);
  const users = app.get(UsersService);
  const keys = app.get(ApiKeysService);

  const contract = await db.read((m) => m.findOneBy(ContractEntity, { code: DEMO_CONTRACT }));
  if (!contract) {
    throw new Error(`Demo users need the demo contract ${DEMO_CONTRACT}, which is not in the database`);
  }
  const university =
    (await db.read((m) => m.findOneBy(OrganisationEntity, { code: UNIVERSITY.code }))) ??
    (await app.get(OrganisationsService).create(SYSTEM_PRINCIPAL, { code: UNIVERSITY.code, kind: 'OTHER', name: UNIVERSITY.name }));
  await app.get(ContractGrantsService).create(SYSTEM_PRINCIPAL, contract.id, { organisationId: university.id });

  const credentials: Record<string, DemoCredential> = {};
  for (const demo of DEMO_USERS) {
    const organisation = demo.organisation === null ? null : await organisationByCode(db, demo.organisation);
    const user = await users.create(SYSTEM_PRINCIPAL, { name: demo.name, roles: [demo.role], ...(organisation ? { organisationId: organisation.id } : {}) });
    const key = await keys.create(SYSTEM_PRINCIPAL, user.id, { name: 'demo' });
    credentials[demo.handle] = { name: user.name, role: demo.role, organisation: demo.organisation, may: demo.what, userId: user.id, key: key.key };
  }

  const file = demoCredentialsFile(config.database, options.directory);
  mkdirSync(dirname(file), { recursive: true });
  const document = {
    note: 'Demo API keys, one per role, for the demo contract only. Send one as `X-API-Key`. Revoke them (DELETE /api/v1/api-keys/:id) before this installation holds real data.',
    contract: DEMO_CONTRACT,
    users: credentials,
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // the mode above applies only when the file is new
  return file;
}

async function organisationByCode(db: Database, code: string): Promise<OrganisationEntity> {
  const organisation = await db.read((m) => m.findOneBy(OrganisationEntity, { code }));
  if (!organisation) {
    throw new Error(`Demo users need the organisation ${code} of the demo contract, which is not in the database`);
  }
  return organisation;
}

/**
 * Where the demo keys of a database are written: `demo-credentials.json` next to the SQLite file; for
 * PostgreSQL, in `data/` (or `directory`) under a name of its own, `demo-credentials.postgres-<host>-<port>-<database>.json`,
 * so that starting the demo on PostgreSQL never overwrites the keys of the SQLite demo (or of another
 * PostgreSQL database): only their hashes are stored, the file is the one copy of the keys.
 */
export function demoCredentialsFile(database: DatabaseConfig, directory?: string): string {
  if (database.kind === 'sqlite') return join(directory ?? dirname(database.path), DEMO_CREDENTIALS_FILE);
  const at = postgresLocation(database.url);
  const parts = at === null ? ['unnamed'] : [at.host, at.port, at.name === '' ? 'default' : at.name];
  const tag = parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_')).join('-');
  return join(directory ?? 'data', `demo-credentials.postgres-${tag}.json`);
}

/** The demo users written by `createDemoUsers`, by handle. */
export function readDemoCredentials(file: string): Record<string, DemoCredential> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { users: Record<string, DemoCredential> }).users;
}

export { DEMO_CONTRACT };
