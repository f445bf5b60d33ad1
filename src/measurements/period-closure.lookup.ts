import { EntityManager, In, IsNull } from 'typeorm';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { PeriodClosureEntity } from 'src/measurements/measurement.entity';
import { MeasurementError } from 'src/measurements/measurements.errors';

/**
 * The periods among `periodIds` that are closed now. On PostgreSQL the periods are first locked FOR SHARE
 * (or FOR UPDATE with `exclusive`), so a closing waits for submissions in flight and they wait for it.
 */
export async function closedPeriods(m: EntityManager, periodIds: readonly string[], exclusive = false): Promise<Set<string>> {
  if (periodIds.length === 0) return new Set();
  // Locks only inside a transaction (a read outside one only looks).
  if (m.connection.options.type === 'postgres' && m.queryRunner?.isTransactionActive) {
    await m.find(ContractPeriodEntity, {
      where: { id: In([...periodIds]) },
      order: { id: 'ASC' },
      lock: { mode: exclusive ? 'pessimistic_write' : 'pessimistic_read' },
    });
  }
  const open = await m.find(PeriodClosureEntity, { where: { periodId: In([...periodIds]), reopenedAt: IsNull() }, select: { periodId: true } });
  return new Set(open.map((c) => c.periodId));
}

export async function requirePeriodOpen(m: EntityManager, period: Pick<ContractPeriodEntity, 'id' | 'code'>): Promise<void> {
  if ((await closedPeriods(m, [period.id])).size > 0) {
    throw periodClosed(period);
  }
}

export function periodClosed(period: Pick<ContractPeriodEntity, 'id' | 'code'>): InstanceType<typeof MeasurementError> {
  return new MeasurementError('MEASUREMENT_PERIOD_CLOSED', `Period ${period.code} is closed: an approver reopens it (POST /api/v1/contract-periods/${period.id}/reopen with a reason) before anything is submitted, corrected or reviewed in it`, {
    periodId: period.id,
    period: period.code,
  });
}
