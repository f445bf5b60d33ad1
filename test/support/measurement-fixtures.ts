import { DataSource } from 'typeorm';
import { ContractFixture, padovaIndicatorBodies } from 'test/support/fixtures';
import { TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

export interface MeasuringUsers {
  /** Padova's contract manager. */
  manager: TestUser;
  approver: TestUser;
  /** A member of Aurora (RTI-A's mandataria), who submits. */
  aurora: TestUser;
}

/**
 * Ready to measure: the five Padova indicators on the seeded contract, frozen as version 1 and made binding
 * by the municipality's approver and both grouping leads (Aurora's and Delta's), as the API does it.
 */
export async function bindPadovaIndicators(t: TestApp, fx: ContractFixture): Promise<MeasuringUsers> {
  const ds = t.app.get(DataSource);
  const now = t.clock.nowIso();
  const manager = await insertTestUser(ds, { name: 'Laura Bianchi', roles: ['contract_manager'], organisationId: fx.municipalityId }, now);
  const approver = await insertTestUser(ds, { name: 'Dirigente Rossi', roles: ['approver'], organisationId: fx.municipalityId }, now);
  const aurora = await insertTestUser(ds, { name: 'Operatrice Aurora', roles: ['ets_member'], organisationId: fx.etsIds.AURORA }, now);
  const leads = [
    await insertTestUser(ds, { name: 'Capofila Aurora', roles: ['grouping_lead'], organisationId: fx.etsIds.AURORA }, now),
    await insertTestUser(ds, { name: 'Capofila Delta', roles: ['grouping_lead'], organisationId: fx.etsIds.DELTA }, now),
  ];
  for (const body of Object.values(padovaIndicatorBodies(fx))) {
    expect((await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicators`, body, { as: manager.apiKey })).status).toBe(201);
  }
  const version = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicator-set-versions`, {}, { as: manager.apiKey });
  for (const user of [approver, ...leads]) {
    const res = await t.request('POST', `/api/v1/indicator-set-versions/${version.body.id}/approvals`, { contentHash: version.body.contentHash }, { as: user.apiKey });
    expect(res.status).toBe(201);
  }
  return { manager, approver, aurora };
}
