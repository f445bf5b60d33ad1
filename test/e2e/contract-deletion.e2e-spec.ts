import { DataSource } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { IndicatorBaselineEntity, IndicatorEntity } from 'src/indicators/indicator.entity';
import { padovaIndicatorBodies, seedContract } from 'test/support/fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';

// A baseline "established in Y1" references a period of the same contract: deleting the contract must
// cascade through periods and indicators whatever order the database visits them in.
describe('deleting a whole contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('removes a contract whose indicator baselines were established in its own periods, and only that contract', async () => {
    const pd = await seedContract(t.app);
    const other = await seedContract(t.app, { key: 'XX' });
    const bodies = padovaIndicatorBodies(pd);
    for (const body of Object.values(bodies)) {
      expect((await t.request('POST', `/api/v1/contracts/${pd.contractId}/indicators`, body)).status).toBe(201);
    }
    const ds = t.app.get(DataSource);
    const established = await ds.getRepository(IndicatorBaselineEntity).countBy({ establishedInPeriodId: pd.periodIds.Y1 });
    expect(established).toBeGreaterThan(0);

    const res = await t.request('DELETE', `/api/v1/contracts/${pd.contractId}`);
    expect(res.status).toBe(204);

    expect(await ds.getRepository(IndicatorEntity).countBy({ contractId: pd.contractId })).toBe(0);
    expect(await ds.getRepository(ContractPeriodEntity).countBy({ contractId: pd.contractId })).toBe(0);
    expect(await ds.getRepository(IndicatorBaselineEntity).countBy({ establishedInPeriodId: pd.periodIds.Y1 })).toBe(0);
    expect((await t.request('GET', `/api/v1/contracts/${other.contractId}`)).status).toBe(200);
    expect(await ds.getRepository(ContractPeriodEntity).countBy({ contractId: other.contractId })).toBe(3);
  });
});
