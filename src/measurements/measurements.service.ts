import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, pageWindow, toPage } from 'src/common/pagination/page';
import { indicatorSetInForce } from 'src/co-definition/indicator-set.resolver';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ContractError } from 'src/contracts/contracts.errors';
import { Database } from 'src/database/database';
import {
  CorrectMeasurementDto,
  ExpectedVersionDto,
  ListMeasurementsQueryDto,
  MeasurementDto,
  MeasurementListDto,
  MeasurementRecord,
  MeasurementVersionListDto,
  ReturnMeasurementDto,
  toMeasurementDto,
  toMeasurementRecord,
  toMeasurementVersionDto,
} from 'src/measurements/dto/measurement.dto';
import { MeasurementAccess, sees } from 'src/measurements/measurement.access';
import { MeasurementCodes, measurementCodes } from 'src/measurements/measurement-codes';
import { MEASUREMENT_STATUSES, MeasurementEntity, MeasurementStatus, MeasurementVersionEntity } from 'src/measurements/measurement.entity';
import { checkMeasurementValues, commonWeight } from 'src/measurements/measurement.rules';
import { newVersion } from 'src/measurements/measurement-submissions.service';
import { MeasurementError } from 'src/measurements/measurements.errors';
import { requirePeriodOpen } from 'src/measurements/period-closure.lookup';

/**
 * Reading, correcting, submitting and reviewing measurements. State machine (`status` is the current version's):
 *   DRAFT --submit--> SUBMITTED --accept--> ACCEPTED
 *                     SUBMITTED --return(reason)--> RETURNED
 *   any state --correct(reason)--> a new version, DRAFT or SUBMITTED
 * What counts is `acceptedVersion`, the last version accepted: accepting moves it to the current version;
 * correcting an ACCEPTED measurement, submitting or returning the correction leave it where it was, so the
 * accepted value counts until a correction of it is accepted (issue 4: corrected data reach an approved
 * settlement only by reopening it).
 * Every change locks the measurement row (PostgreSQL; SQLite serialises), checks the state (and the
 * client's expectedVersion when given) and the period's closure inside the transaction, so of two
 * concurrent reviewers one wins and the other gets 409 MEASUREMENT_STATE_CONFLICT with the current state.
 */
@Injectable()
export class MeasurementsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
    private readonly access: MeasurementAccess,
  ) {}

  async get(p: Principal, id: string): Promise<MeasurementDto> {
    return this.db.read(async (m) => {
      const { measurement } = await this.access.measurement(m, p, id);
      const codes = await measurementCodes(m, [measurement]);
      return toMeasurementDto(measurement, await currentVersion(m, measurement), codes(measurement));
    });
  }

  async versions(p: Principal, id: string): Promise<MeasurementVersionListDto> {
    return this.db.read(async (m) => {
      const { measurement } = await this.access.measurement(m, p, id);
      const rows = await m.find(MeasurementVersionEntity, { where: { measurementId: measurement.id }, order: { version: 'ASC' } });
      return { items: rows.map(toMeasurementVersionDto) };
    });
  }

  /** The measurements of a contract the caller may see, by period, grouping, indicator code and creation. */
  async list(p: Principal, contractId: string, query: ListMeasurementsQueryDto): Promise<Page<MeasurementDto>> {
    const { take, skip } = pageWindow(query);
    const { items, total } = await this.db.read(async (m) => {
      const { view } = await this.access.contract(m, p, contractId);
      const base = {
        contractId,
        ...(query.periodId ? { periodId: query.periodId } : {}),
        ...(query.groupingId ? { groupingId: query.groupingId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.indicatorCode ? { indicatorCode: query.indicatorCode } : {}),
      };
      const led = view.kind === 'OWN' ? view.ledGroupingIds.filter((g) => !query.groupingId || g === query.groupingId) : [];
      const where = view.kind === 'ALL' ? base : [{ ...base, organisationId: view.organisationId }, ...(led.length > 0 ? [{ ...base, groupingId: In(led) }] : [])];
      const [found, count] = await m.findAndCount(MeasurementEntity, { where, order: { periodId: 'ASC', groupingId: 'ASC', indicatorCode: 'ASC', organisationId: 'ASC', id: 'ASC' }, take, skip });
      return { items: await toDtos(m, found), total: count };
    });
    return toPage(items, total, query, (x) => x);
  }

  /**
   * The measurements of a period with an accepted version, each shown at it (status ACCEPTED, `version` =
   * `acceptedVersion`): what settlement counts, also while a correction of it is pending.
   */
  async accepted(p: Principal, contractId: string, periodId: string): Promise<MeasurementListDto> {
    return this.db.read(async (m) => {
      const { view } = await this.access.contract(m, p, contractId);
      if (!(await m.findOneBy(ContractPeriodEntity, { id: periodId, contractId }))) {
        throw new ContractError('PERIOD_NOT_FOUND', `Contract period ${periodId} not found`, { id: periodId });
      }
      const rows = await m.find(MeasurementEntity, {
        where: { contractId, periodId, acceptedVersion: Not(IsNull()) },
        order: { groupingId: 'ASC', indicatorCode: 'ASC', organisationId: 'ASC' },
      });
      const visible = rows.filter((x) => sees(view, x)).map((x): MeasurementEntity => ({ ...x, status: 'ACCEPTED', version: x.acceptedVersion as number }));
      return { items: await toDtos(m, visible) };
    });
  }

  /**
   * A new version of the content, by the submitting organisation, in any state: of a DRAFT, a SUBMITTED one not
   * yet reviewed, a RETURNED one, or an ACCEPTED one, whose accepted version keeps counting until the correction
   * is accepted (acceptedVersion is left as it is).
   */
  async correct(p: Principal, id: string, dto: CorrectMeasurementDto): Promise<MeasurementDto> {
    return this.db.transaction(async (m) => {
      const { measurement, contract, period, before, codes } = await this.load(m, p, id);
      this.access.requireSubmitter(p, measurement);
      requireState(measurement, [...MEASUREMENT_STATUSES], dto.expectedVersion, 'corrected');
      const set = await indicatorSetInForce(m, contract.id, period.id);
      if (!set) {
        throw new MeasurementError('MEASUREMENT_NO_BINDING_INDICATOR_SET', `No binding indicator set is in force for period ${period.code}`, { periodId: period.id });
      }
      const indicator = set.indicators.find((x) => x.code === measurement.indicatorCode);
      if (!indicator) {
        throw new MeasurementError('MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION', `${measurement.indicatorCode} is not in binding version ${set.version}`, {
          fields: [{ field: 'indicatorCode', message: `not in binding version ${set.version}` }],
        });
      }
      const { reason, submit, ...rest } = dto;
      const values = { ...rest, expectedVersion: undefined };
      const { problems, checked } = checkMeasurementValues(indicator, values);
      if (problems.length > 0 || !checked) {
        const first = problems[0];
        throw new MeasurementError(first.code, `${first.field} ${first.message}`, { fields: problems.map((x) => ({ field: x.field, message: x.message, code: x.code })) });
      }
      const now = this.clock.nowIso();
      const submitted = submit ?? true;
      const next: MeasurementEntity = { ...measurement, version: measurement.version + 1, status: submitted ? 'SUBMITTED' : 'DRAFT', updatedAt: now };
      const version = newVersion(this.ids.next(), next, set.versionId, values, checked, p, now, submitted, reason);
      await m.insert(MeasurementVersionEntity, version);
      await m.update(MeasurementEntity, { id }, { version: next.version, status: next.status, updatedAt: now });
      return this.record(m, p, contract, 'correct', before, next, version, codes);
    });
  }

  /** Submits a DRAFT for review. */
  async submit(p: Principal, id: string, dto: ExpectedVersionDto): Promise<MeasurementDto> {
    return this.transition(p, id, dto.expectedVersion, 'DRAFT', 'SUBMITTED', 'submit', (v, now) => ({ submittedAt: now }), (measurement) =>
      this.access.requireSubmitter(p, measurement),
    );
  }

  async accept(p: Principal, id: string, dto: ExpectedVersionDto): Promise<MeasurementDto> {
    return this.transition(
      p,
      id,
      dto.expectedVersion,
      'SUBMITTED',
      'ACCEPTED',
      'accept',
      (v, now) => ({
        reviewOutcome: 'ACCEPTED',
        reviewReason: null,
        reviewedBy: p.userId,
        reviewedAt: now,
      }),
      undefined,
      requireCombinable,
    );
  }

  async returnMeasurement(p: Principal, id: string, dto: ReturnMeasurementDto): Promise<MeasurementDto> {
    return this.transition(p, id, dto.expectedVersion, 'SUBMITTED', 'RETURNED', 'return', (v, now) => ({
      reviewOutcome: 'RETURNED',
      reviewReason: dto.reason,
      reviewedBy: p.userId,
      reviewedAt: now,
    }));
  }

  private async transition(
    p: Principal,
    id: string,
    expectedVersion: number | undefined,
    from: MeasurementStatus,
    to: MeasurementStatus,
    action: string,
    change: (v: MeasurementVersionEntity, now: string) => Partial<MeasurementVersionEntity>,
    authorise?: (measurement: MeasurementEntity) => void,
    check?: (m: EntityManager, measurement: MeasurementEntity, version: MeasurementVersionEntity, codes: MeasurementCodes) => Promise<void>,
  ): Promise<MeasurementDto> {
    return this.db.transaction(async (m) => {
      const { measurement, contract, before, version, codes } = await this.load(m, p, id);
      if (authorise) authorise(measurement);
      else await this.access.requireReviewer(m, p, contract);
      requireState(measurement, [from], expectedVersion, action === 'submit' ? 'submitted' : 'reviewed');
      if (check) await check(m, measurement, version, codes);
      const now = this.clock.nowIso();
      const nextVersion: MeasurementVersionEntity = { ...version, ...change(version, now), updatedAt: now };
      // Accepting puts this version in force; submitting and returning leave the one in force as it was.
      const rowChanges = { status: to, updatedAt: now, ...(to === 'ACCEPTED' ? { acceptedVersion: measurement.version } : {}) };
      const next: MeasurementEntity = { ...measurement, ...rowChanges };
      const { id: versionId, ...versionChanges } = nextVersion;
      await m.update(MeasurementVersionEntity, { id: versionId }, versionChanges);
      await m.update(MeasurementEntity, { id }, rowChanges);
      return this.record(m, p, contract, action, before, next, nextVersion, codes);
    });
  }

  /** The measurement (locked), its contract and period (which must be open), its current state as audited, and its codes. */
  private async load(m: EntityManager, p: Principal, id: string) {
    const { measurement, contract } = await this.access.measurement(m, p, id, true);
    const period = await m.findOneByOrFail(ContractPeriodEntity, { id: measurement.periodId });
    const version = await currentVersion(m, measurement);
    await requirePeriodOpen(m, period);
    const codes = (await measurementCodes(m, [measurement], { periods: [period] }))(measurement);
    return { measurement, contract, period, version, before: toMeasurementRecord(measurement, version), codes };
  }

  /** Audits the change (ids only, as the audit log always had them) and answers the new state with its codes. */
  private async record(
    m: EntityManager,
    p: Principal,
    contract: ContractEntity,
    action: string,
    before: MeasurementRecord,
    next: MeasurementEntity,
    version: MeasurementVersionEntity,
    codes: MeasurementCodes,
  ): Promise<MeasurementDto> {
    const after = toMeasurementRecord(next, version);
    await this.audit.record(m, p, { action, objectType: 'measurement', objectId: next.id, contractId: contract.id, municipalityId: contract.municipalityId, before, after });
    return toMeasurementDto(next, version, codes);
  }
}

/**
 * An accepted value counts until the ETS corrects it and a correction is accepted, so a measurement is not
 * accepted when it would leave its grouping's values of a rate or score impossible to combine (several
 * members, no common weight: commonWeight), which would stop the whole period from being settled. The
 * other members' values are their accepted versions (a pending correction of theirs does not count yet);
 * this measurement's own accepted version is the one being replaced. The reviewer returns it (or the other)
 * for a sample size or a numerator and denominator instead.
 */
async function requireCombinable(m: EntityManager, measurement: MeasurementEntity, version: MeasurementVersionEntity, codes: MeasurementCodes): Promise<void> {
  const set = await indicatorSetInForce(m, measurement.contractId, measurement.periodId);
  const indicator = set?.indicators.find((i) => i.code === measurement.indicatorCode);
  if (indicator === undefined || indicator.aggregation !== 'NONE') return;
  const others = await m.find(MeasurementEntity, {
    where: {
      id: Not(measurement.id),
      contractId: measurement.contractId,
      periodId: measurement.periodId,
      groupingId: measurement.groupingId,
      indicatorCode: measurement.indicatorCode,
      acceptedVersion: Not(IsNull()),
    },
  });
  if (others.length === 0) return;
  const versions = await m.find(MeasurementVersionEntity, { where: { measurementId: In(others.map((o) => o.id)) } });
  const accepted = others.map((o) => versions.find((v) => v.measurementId === o.id && v.version === o.acceptedVersion) as MeasurementVersionEntity);
  if (commonWeight([...accepted, version]) !== null) return;
  throw new MeasurementError(
    'MEASUREMENT_AGGREGATION_AMBIGUOUS',
    `Accepting it would leave ${measurement.indicatorCode} of ${codes.groupingCode} with ${others.length + 1} member values and no common weight ` +
      '(a rate needs a sample size with every member value, or a numerator and denominator with every one), and the period could not be settled. ' +
      'Return it for correction; while it is not accepted, settlement counts the accepted values only',
    {
      id: measurement.id,
      indicatorCode: measurement.indicatorCode,
      groupingCode: codes.groupingCode,
      accepted: others.map((o) => o.id),
      fields: [{ field: 'sampleSize', message: 'needed with every member value, or numerator and denominator with every one' }],
    },
  );
}

function requireState(measurement: MeasurementEntity, allowed: MeasurementStatus[], expectedVersion: number | undefined, what: string): void {
  if (!allowed.includes(measurement.status) || (expectedVersion !== undefined && expectedVersion !== measurement.version)) {
    const message = !allowed.includes(measurement.status)
      ? `Measurement ${measurement.id} is ${measurement.status} and cannot be ${what}: only ${orList(allowed)} measurements can`
      : `Measurement ${measurement.id}: version ${expectedVersion} was expected, the current one is ${measurement.version}`;
    throw new MeasurementError('MEASUREMENT_STATE_CONFLICT', message, {
      id: measurement.id,
      status: measurement.status,
      version: measurement.version,
    });
  }
}

export async function currentVersion(m: EntityManager, measurement: MeasurementEntity): Promise<MeasurementVersionEntity> {
  return m.findOneByOrFail(MeasurementVersionEntity, { measurementId: measurement.id, version: measurement.version });
}

/** Answers for these measurements at their current versions: one query for the versions, one per kind of code. */
async function toDtos(m: EntityManager, rows: MeasurementEntity[]): Promise<MeasurementDto[]> {
  if (rows.length === 0) return [];
  const versions = await m.find(MeasurementVersionEntity, { where: { measurementId: In(rows.map((x) => x.id)) } });
  const byKey = new Map(versions.map((v) => [`${v.measurementId}/${v.version}`, v]));
  const codes = await measurementCodes(m, rows);
  return rows.map((x) => toMeasurementDto(x, byKey.get(`${x.id}/${x.version}`) as MeasurementVersionEntity, codes(x)));
}

/** `DRAFT, SUBMITTED or RETURNED`. */
function orList(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
