import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Role } from 'src/auth/roles';
import { SettlementState } from 'src/settlements/settlement-document';
import { SettlementEntity } from 'src/settlements/settlement.entity';
import { ContractFixture, padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// The Padova contract with what the open-data exports publish, made through the real APIs as its users
// would: IND-01..IND-05 defined by the contract manager, version 1 made binding by the Comune and both
// RTI leads (co-definition), Y2 measurements submitted by each member ETS and accepted by the manager.
// Settlements are inserted below the API (their own module's tests exercise computing and approving).

export type OpenDataUser = 'manager' | 'approver' | 'auditor' | 'auroraLead' | 'borgo' | 'deltaLead' | 'edera';

export interface OpenDataFixture {
  fx: ContractFixture;
  users: Record<OpenDataUser, TestUser>;
  setVersionId: string;
}

/** Y2 values per member: IND-03 parts are small on purpose (UNDER60 3 and 1) to exercise suppression. */
export const Y2_MEASUREMENTS: { user: OpenDataUser; grouping: 'RTI-A' | 'RTI-B'; body: Record<string, unknown> }[] = [
  { user: 'auroraLead', grouping: 'RTI-A', body: { indicatorCode: 'IND-01', value: '12.5' } },
  { user: 'deltaLead', grouping: 'RTI-B', body: { indicatorCode: 'IND-02', value: '11' } },
  { user: 'auroraLead', grouping: 'RTI-A', body: { indicatorCode: 'IND-03', value: '900', disaggregations: { TARGET_GROUP: { OVER60: '897', UNDER60: '3' } } } },
  { user: 'borgo', grouping: 'RTI-A', body: { indicatorCode: 'IND-03', value: '450', disaggregations: { TARGET_GROUP: { OVER60: '449', UNDER60: '1' } } } },
  { user: 'deltaLead', grouping: 'RTI-B', body: { indicatorCode: 'IND-03', value: '1100', disaggregations: { TARGET_GROUP: { OVER60: '800', UNDER60: '300' } } } },
  { user: 'auroraLead', grouping: 'RTI-A', body: { indicatorCode: 'IND-04', value: '78.0', sampleSize: 240 } },
  { user: 'borgo', grouping: 'RTI-A', body: { indicatorCode: 'IND-04', value: '73.5', sampleSize: 210 } },
  { user: 'auroraLead', grouping: 'RTI-A', body: { indicatorCode: 'IND-05', numerator: '2100', denominator: '30000' } },
];

async function ok(res: Promise<{ status: number; body: { id?: string; contentHash?: string; code?: string } }>, status: number, what: string) {
  const r = await res;
  if (r.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body;
}

export async function seedOpenDataContract(t: TestApp, key = 'PD'): Promise<OpenDataFixture> {
  const ds = t.app.get(DataSource);
  const fx = await seedContract(t.app, { key });
  const now = TEST_NOW.toISOString();
  const user = (name: string, roles: Role[], organisationId: string) => insertTestUser(ds, { name, roles, organisationId }, now);
  const users: Record<OpenDataUser, TestUser> = {
    manager: await user('Laura Bianchi', ['contract_manager'], fx.municipalityId),
    approver: await user('Dirigente Rossi', ['approver'], fx.municipalityId),
    auditor: await user('Revisore', ['auditor'], fx.municipalityId),
    auroraLead: await user('Capofila Aurora', ['grouping_lead'], fx.etsIds.AURORA),
    borgo: await user('Operatore Borgo Vivo', ['ets_member'], fx.etsIds['BORGO-VIVO']),
    deltaLead: await user('Capofila Delta', ['grouping_lead'], fx.etsIds.DELTA),
    edera: await user('Operatrice Edera', ['ets_member'], fx.etsIds.EDERA),
  };
  const post = (url: string, body: unknown, as: TestUser) => t.request('POST', `/api/v1${url}`, body, { as: as.apiKey });

  for (const body of Object.values(padovaIndicatorBodies(fx))) {
    await ok(post(`/contracts/${fx.contractId}/indicators`, body, users.manager), 201, `indicator ${String(body.code)}`);
  }
  const version = await ok(post(`/contracts/${fx.contractId}/indicator-set-versions`, {}, users.manager), 201, 'indicator set version');
  for (const approver of [users.approver, users.auroraLead, users.deltaLead]) {
    await ok(post(`/indicator-set-versions/${version.id}/approvals`, { contentHash: version.contentHash }, approver), 201, 'approval');
  }
  for (const m of Y2_MEASUREMENTS) {
    const created = await ok(
      post(`/contracts/${fx.contractId}/measurements`, { ...m.body, periodId: fx.periodIds.Y2, groupingId: fx.groupingIds[m.grouping] }, users[m.user]),
      201,
      `measurement ${String(m.body.indicatorCode)} by ${m.user}`,
    );
    await ok(post(`/measurements/${created.id}/accept`, {}, users.manager), 200, 'accept');
  }
  return { fx, users, setVersionId: version.id as string };
}

/** A settlement row with a minimal document: the OCDS export reads its state, payable, approval and allocation. */
export async function insertSettlement(
  t: TestApp,
  fx: ContractFixture,
  s: { grouping: 'RTI-A' | 'RTI-B'; period: 'Y1' | 'Y2' | 'Y3'; version: number; state: SettlementState; payable: string; approvedAt: string | null; allocation: { memberId: string; amount: string }[]; setVersionId: string },
): Promise<string> {
  const id = randomUUID();
  const document = JSON.stringify({ format: 'ancora.settlement/1', id, version: s.version, result: { payable: s.payable, allocation: s.allocation } });
  await t.app.get(DataSource).getRepository(SettlementEntity).insert({
    id,
    contractId: fx.contractId,
    periodId: fx.periodIds[s.period],
    groupingId: fx.groupingIds[s.grouping],
    version: s.version,
    state: s.state,
    document,
    documentHash: 'd'.repeat(64),
    indicatorSetVersionId: s.setVersionId,
    premium: s.payable,
    payable: s.payable,
    computedBy: 'u-manager',
    computedByLabel: 'Laura Bianchi',
    computedAt: TEST_NOW.toISOString(),
    approvedBy: s.approvedAt === null ? null : 'u-approver',
    approvedByLabel: s.approvedAt === null ? null : 'Dirigente Rossi',
    approvedAt: s.approvedAt,
    previousId: null,
    reopenedBy: null,
    reopenReason: null,
    createdAt: TEST_NOW.toISOString(),
    updatedAt: TEST_NOW.toISOString(),
  });
  return id;
}
