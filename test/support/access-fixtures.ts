import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { Role } from 'src/auth/roles';
import { OrganisationEntity, OrganisationKind } from 'src/organisations/organisation.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// Two tenants built below the API for the access tests: Padova (key PD) and a second municipality
// (key VR), each with its own contract, ETS, project and value chain (test/support/fixtures.ts), plus an
// ETS that is in no contract and two universities, one of which is granted Padova's contract. Then one
// user per role the matrix exercises.

/** The callers of the matrix, by a short name used in the tables. */
export const ACTORS = [
  'platformAdmin',
  'padovaAdmin',
  'padovaManager',
  'padovaApprover',
  'padovaAuditor',
  'otherManager',
  'rtiAMember',
  'rtiALead',
  'rtiBMember',
  'outsideEts',
  'evaluator',
  'grantedEvaluator',
] as const;
export type Actor = (typeof ACTORS)[number];

export interface AccessFixture {
  padova: ContractFixture;
  other: ContractFixture;
  /** An ETS in no grouping of any contract. */
  outsideEtsId: string;
  /** An ETS without users, free to be put into new groupings by the tests. */
  spareEtsId: string;
  /** Universities (kind OTHER): only the second is granted Padova's contract. */
  universityId: string;
  grantedUniversityId: string;
  users: Record<Actor, TestUser>;
}

async function insertOrganisation(dataSource: DataSource, code: string, kind: OrganisationKind, name: string): Promise<string> {
  const id = randomUUID();
  const now = TEST_NOW.toISOString();
  await dataSource.getRepository(OrganisationEntity).insert({
    id,
    code,
    kind,
    name,
    taxCode: null,
    legalForm: kind === 'ETS' ? 'APS' : null,
    districtId: null,
    leadOrganisationId: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/** Call right after createTestApp(), before any request is in flight. */
export async function seedTenants(t: TestApp): Promise<AccessFixture> {
  const dataSource = t.app.get(DataSource);
  const now = TEST_NOW.toISOString();
  const padova = await seedContract(t.app, { key: 'PD' });
  const other = await seedContract(t.app, { key: 'VR' });
  const outsideEtsId = await insertOrganisation(dataSource, 'ETS-OUTSIDE', 'ETS', 'Associazione Fuori Contratto (fittizia)');
  const spareEtsId = await insertOrganisation(dataSource, 'ETS-SPARE', 'ETS', 'Cooperativa di riserva (fittizia)');
  const universityId = await insertOrganisation(dataSource, 'UNI-NOGRANT', 'OTHER', 'Università senza accesso (fittizia)');
  const grantedUniversityId = await insertOrganisation(dataSource, 'UNI-PD', 'OTHER', 'Università di Padova (fittizia)');
  await dataSource.getRepository(ContractGrantEntity).insert({
    id: randomUUID(),
    contractId: padova.contractId,
    organisationId: grantedUniversityId,
    createdAt: now,
    updatedAt: now,
  });

  const user = (name: string, roles: Role[], organisationId: string) => insertTestUser(dataSource, { name, roles, organisationId }, now);
  const users: Record<Actor, TestUser> = {
    platformAdmin: t.admin,
    padovaAdmin: await user('Padova user administrator', ['admin'], padova.municipalityId),
    padovaManager: await user('Padova contract manager', ['contract_manager'], padova.municipalityId),
    padovaApprover: await user('Padova dirigente', ['approver'], padova.municipalityId),
    padovaAuditor: await user('Padova auditor', ['auditor'], padova.municipalityId),
    otherManager: await user('Other municipality contract manager', ['contract_manager'], other.municipalityId),
    rtiAMember: await user('Aurora operator', ['ets_member'], padova.etsIds.AURORA),
    rtiALead: await user('Aurora mandataria', ['grouping_lead'], padova.etsIds.AURORA),
    rtiBMember: await user('Delta operator', ['ets_member'], padova.etsIds.DELTA),
    outsideEts: await user('Outside ETS operator', ['ets_member'], outsideEtsId),
    evaluator: await user('Evaluator without grant', ['evaluator'], universityId),
    grantedEvaluator: await user('Evaluator with grant', ['evaluator'], grantedUniversityId),
  };
  return { padova, other, outsideEtsId, spareEtsId, universityId, grantedUniversityId, users };
}

/**
 * Users besides the twelve actors that the workflow matrix (test/e2e/access-matrix-workflows.e2e-spec.ts)
 * needs: the lead of RTI-B (so a version can bind), a mandante of RTI-A (whose data its lead sees and its
 * fellow members do not), an approver and an ETS of the other municipality, and a Padova user without
 * keys of its own whose keys the others try to manage.
 */
export const WORKFLOW_EXTRAS = ['rtiBLead', 'rtiAMandante', 'otherApprover', 'otherEts', 'keyHolder'] as const;
export type WorkflowExtra = (typeof WORKFLOW_EXTRAS)[number];

/** Call after seedTenants(), before any request is in flight. */
export async function seedWorkflowUsers(t: TestApp, fx: AccessFixture): Promise<Record<WorkflowExtra, TestUser>> {
  const dataSource = t.app.get(DataSource);
  const now = TEST_NOW.toISOString();
  const user = (name: string, roles: Role[], organisationId: string) => insertTestUser(dataSource, { name, roles, organisationId }, now);
  return {
    rtiBLead: await user('Delta mandataria', ['grouping_lead'], fx.padova.etsIds.DELTA),
    rtiAMandante: await user('Borgo Vivo operator', ['ets_member'], fx.padova.etsIds['BORGO-VIVO']),
    otherApprover: await user('Other municipality dirigente', ['approver'], fx.other.municipalityId),
    otherEts: await user('Other municipality ETS operator', ['ets_member'], fx.other.etsIds.AURORA),
    keyHolder: await user('Padova evaluator (key holder)', ['evaluator'], fx.padova.municipalityId),
  };
}
