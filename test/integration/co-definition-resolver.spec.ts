import { DataSource } from 'typeorm';
import { IndicatorSetVersionEntity, VersionState } from 'src/co-definition/indicator-set-version.entity';
import { indicatorSetInForce } from 'src/co-definition/indicator-set.resolver';
import { canonicalHash, snapshotIndicatorSet } from 'src/co-definition/indicator-set.snapshot';
import { ContractEntity } from 'src/contracts/contract.entity';
import { IndicatorEntity, IndicatorTargetEntity } from 'src/indicators/indicator.entity';
import { ContractFixture, FixturePeriodCode, seedContract } from 'test/support/fixtures';
import { createMigratedDataSource } from 'test/support/test-database';

const NOW = '2026-01-15T10:00:00.000Z';

describe('indicatorSetInForce: the binding version in force for a period', () => {
  let ds: DataSource;
  let dispose: () => Promise<void>;
  let pd: ContractFixture;
  let other: ContractFixture;
  const ids = { n: 0 };
  const uuid = () => `00000000-0000-4000-8000-${String(++ids.n).padStart(12, '0')}`;

  beforeAll(async () => {
    ({ dataSource: ds, dispose } = await createMigratedDataSource());
    pd = await seedContract(ds);
    other = await seedContract(ds, { key: 'XX' });
    await ds.transaction(async (m) => {
      await m.insert(IndicatorEntity, {
        id: uuid(),
        contractId: pd.contractId,
        nodeId: pd.nodeIds.OD2,
        code: 'IND-02',
        labelIt: 'Nuove collaborazioni formalizzate',
        labelEn: null,
        unit: 'COUNT',
        direction: 'INCREASE',
        formulaText: null,
        formulaNumerator: null,
        formulaDenominator: null,
        instrument: 'registro accordi',
        dataOwner: 'GROUPING',
        frequency: 'ANNUAL',
        minSampleSize: null,
        disaggregations: [],
        scope: 'PER_GROUPING',
        aggregation: 'SUM',
        position: 0,
        createdAt: NOW,
        updatedAt: NOW,
      });
    });
  }, 30_000); // a fresh migrated database and two seeded contracts, slow when every suite runs at once

  afterAll(async () => {
    await dispose();
  });

  async function setY3Target(value: string): Promise<void> {
    await ds.transaction(async (m) => {
      const ind = await m.findOneByOrFail(IndicatorEntity, { contractId: pd.contractId, code: 'IND-02' });
      await m.delete(IndicatorTargetEntity, { indicatorId: ind.id });
      await m.insert(IndicatorTargetEntity, [
        { id: uuid(), position: 0, indicatorId: ind.id, periodId: pd.periodIds.Y3, groupingId: pd.groupingIds['RTI-B'], value },
        { id: uuid(), position: 1, indicatorId: ind.id, periodId: pd.periodIds.Y2, groupingId: pd.groupingIds['RTI-A'], value: '10' },
      ]);
    });
  }

  async function freeze(version: number, from: FixturePeriodCode, state: VersionState): Promise<IndicatorSetVersionEntity> {
    return ds.transaction(async (m) => {
      const contract = await m.findOneByOrFail(ContractEntity, { id: pd.contractId });
      const content = await snapshotIndicatorSet(m, contract, { version, effectiveFromPeriodCode: from, reason: version > 1 ? 'amendment' : null, minute: null });
      const { json, hash } = canonicalHash(content);
      const row: IndicatorSetVersionEntity = {
        id: uuid(),
        contractId: pd.contractId,
        version,
        state,
        content: json,
        contentHash: hash,
        reason: content.reason,
        minute: null,
        effectiveFromPeriodId: pd.periodIds[from],
        createdBy: 'test',
        createdByLabel: 'test',
        boundAt: state === 'BINDING' ? NOW : null,
        createdAt: NOW,
        updatedAt: NOW,
      };
      await m.insert(IndicatorSetVersionEntity, row);
      return row;
    });
  }

  const resolve = (period: FixturePeriodCode, contract = pd) => indicatorSetInForce(ds.manager, contract.contractId, contract.periodIds[period]);

  it('is null before any version binds, and for a draft', async () => {
    expect(await resolve('Y1')).toBeNull();
    await setY3Target('12');
    await freeze(1, 'Y1', 'DRAFT');
    expect(await resolve('Y1')).toBeNull();
  });

  it('gives v1 for every period once v1 binds, by codes, with targets in period and grouping order', async () => {
    await ds.getRepository(IndicatorSetVersionEntity).update({ contractId: pd.contractId, version: 1 }, { state: 'BINDING', boundAt: NOW });
    const v1 = await ds.getRepository(IndicatorSetVersionEntity).findOneByOrFail({ contractId: pd.contractId, version: 1 });
    for (const period of ['Y1', 'Y2', 'Y3'] as const) {
      const set = await resolve(period);
      expect(set).toEqual({
        versionId: v1.id,
        version: 1,
        contentHash: v1.contentHash,
        effectiveFromPeriodCode: 'Y1',
        groupings: ['RTI-A', 'RTI-B'],
        paymentRules: null,
        indicators: [
          {
            code: 'IND-02',
            labelIt: 'Nuove collaborazioni formalizzate',
            labelEn: null,
            node: 'OD2',
            unit: 'COUNT',
            direction: 'INCREASE',
            formula: null,
            instrument: 'registro accordi',
            dataOwner: 'GROUPING',
            frequency: 'ANNUAL',
            scope: 'PER_GROUPING',
            aggregation: 'SUM',
            minSampleSize: null,
            disaggregations: [],
            baselines: [],
            targets: [
              { period: 'Y2', grouping: 'RTI-A', value: '10' },
              { period: 'Y3', grouping: 'RTI-B', value: '12' },
            ],
            denominators: [],
          },
        ],
      });
    }
    expect(v1.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps v1 for Y3 while v2 is a draft, then gives v2 from Y3 and v1 before', async () => {
    await setY3Target('15');
    const v2 = await freeze(2, 'Y3', 'DRAFT');
    expect((await resolve('Y3'))?.version).toBe(1);

    await ds.getRepository(IndicatorSetVersionEntity).update({ id: v2.id }, { state: 'BINDING', boundAt: NOW });
    expect((await resolve('Y1'))?.version).toBe(1);
    expect((await resolve('Y2'))?.version).toBe(1);
    const y3 = await resolve('Y3');
    expect(y3?.version).toBe(2);
    expect(y3?.versionId).toBe(v2.id);
    expect(y3?.effectiveFromPeriodCode).toBe('Y3');
    expect(y3?.indicators[0].targets).toEqual([
      { period: 'Y2', grouping: 'RTI-A', value: '10' },
      { period: 'Y3', grouping: 'RTI-B', value: '15' },
    ]);
    expect((await resolve('Y2'))?.indicators[0].targets[1]).toEqual({ period: 'Y3', grouping: 'RTI-B', value: '12' });
  });

  it('ignores superseded versions', async () => {
    await freeze(3, 'Y2', 'SUPERSEDED');
    expect((await resolve('Y2'))?.version).toBe(1);
    expect((await resolve('Y3'))?.version).toBe(2);
  });

  it('is null for a period of another contract, and for a contract without versions', async () => {
    expect(await indicatorSetInForce(ds.manager, pd.contractId, other.periodIds.Y1)).toBeNull();
    expect(await resolve('Y3', other)).toBeNull();
  });

  it('hashes the canonical JSON it stores', async () => {
    const v1 = await ds.getRepository(IndicatorSetVersionEntity).findOneByOrFail({ contractId: pd.contractId, version: 1 });
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(v1.content, 'utf8').digest('hex')).toBe(v1.contentHash);
    expect(v1.content.startsWith('{"contract":{"code":"CTR-PD","title":"Sviluppo di Comunità 2.0"},"effectiveFromPeriod":"Y1","format":"ancora.indicator-set/1"')).toBe(true);
  });
});
