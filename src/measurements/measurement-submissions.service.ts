import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { FieldProblem } from 'src/common/errors/domain-error';
import { BindingIndicatorSet, indicatorSetInForce } from 'src/co-definition/indicator-set.resolver';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { isUniqueViolation } from 'src/database/database';
import {
  CreateMeasurementBatchDto,
  CreateMeasurementDto,
  MeasurementDto,
  MeasurementListDto,
  MeasurementRecord,
  toMeasurementDto,
  toMeasurementRecord,
} from 'src/measurements/dto/measurement.dto';
import { IdempotencyStore, IdempotentResult, requestHash } from 'src/measurements/idempotency';
import { MeasurementAccess } from 'src/measurements/measurement.access';
import { CsvRowProblem, readMeasurementCsv, toCsvRowProblem } from 'src/measurements/measurement.csv';
import { measurementCodes } from 'src/measurements/measurement-codes';
import { MeasurementEntity, MeasurementVersionEntity } from 'src/measurements/measurement.entity';
import { checkMeasurementValues, MeasurementProblem, MeasurementValues } from 'src/measurements/measurement.rules';
import { MeasurementError } from 'src/measurements/measurements.errors';
import { closedPeriods } from 'src/measurements/period-closure.lookup';
import { batchRefusal, codeList, csvRefusal, quoted, refOf, shortList } from 'src/measurements/submission-messages';

/** One measurement to create, from a JSON item or a CSV row; periods and groupings by id (JSON) or code (CSV). */
interface SubmissionInput {
  indicatorCode: string;
  period: { id: string } | { code: string };
  grouping: { id: string } | { code: string };
  values: MeasurementValues & { methodNotes?: string };
  submit: boolean;
  /** Field names used in problems: `indicatorCode`/`periodId`/`groupingId`, or the CSV columns. */
  names: { indicator: string; period: string; grouping: string };
  /** Prefix of problem paths (`items[3].`), empty for single submissions and CSV rows. */
  at: string;
  /** The CSV line the row is on. */
  line?: number;
  /** A CSV row already refused for its format: only what it refers to is checked (its values are not read). */
  referencesOnly?: boolean;
}

/** How a problem names another input of the same request: `items[1]`, `line 2`. */
function whereIs(input: SubmissionInput): string {
  return input.line !== undefined ? `line ${input.line}` : input.at.replace(/\.$/, '');
}

const JSON_NAMES = { indicator: 'indicatorCode', period: 'periodId', grouping: 'groupingId' };
const CSV_NAMES = { indicator: 'indicator', period: 'period', grouping: 'grouping' };

/** Creates measurements: one, a JSON batch, or a CSV upload, each all or nothing, with optional idempotency keys. */
@Injectable()
export class MeasurementSubmissionsService {
  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
    private readonly access: MeasurementAccess,
    private readonly idempotency: IdempotencyStore,
  ) {}

  create(p: Principal, contractId: string, dto: CreateMeasurementDto, key?: string): Promise<IdempotentResult<MeasurementDto>> {
    const hash = requestHash('POST /contracts/:contractId/measurements', { contractId }, dto);
    return this.guard(() =>
      this.idempotency.run(p, key, hash, 201, async (m) => {
        const [created] = await this.submitAll(m, p, contractId, [fromJson(dto, '')], (problems) => {
          const first = problems[0];
          throw new MeasurementError(first.code, problems.length === 1 ? `${first.field} ${first.message}` : `${problems.length} problems, first: ${first.field} ${first.message}`, {
            fields: problems.map(toField),
          });
        });
        return created;
      }),
    );
  }

  createBatch(p: Principal, contractId: string, dto: CreateMeasurementBatchDto, key?: string): Promise<IdempotentResult<MeasurementListDto>> {
    const hash = requestHash('POST /contracts/:contractId/measurements/batch', { contractId }, dto);
    return this.guard(() =>
      this.idempotency.run(p, key, hash, 201, async (m) => {
        const inputs = dto.items.map((item, i) => fromJson(item, `items[${i}].`));
        const items = await this.submitAll(m, p, contractId, inputs, (problems) => {
          const { message, invalidItems, listed, problemCount, truncated } = batchRefusal(problems, dto.items.length);
          throw new MeasurementError('MEASUREMENT_BATCH_INVALID', message, { invalidItems, fields: listed.map(toField), problemCount, truncated });
        });
        return { items };
      }),
    );
  }

  uploadCsv(p: Principal, contractId: string, bytes: Buffer, submit: boolean, key?: string): Promise<IdempotentResult<MeasurementListDto>> {
    const hash = requestHash('POST /contracts/:contractId/measurements/csv', { contractId, submit: String(submit) }, bytes);
    const csv = readMeasurementCsv(bytes);
    const reject = (rows: CsvRowProblem[]): never => {
      const { message, listed, problemCount, truncated } = csvRefusal(rows);
      throw new MeasurementError('MEASUREMENT_CSV_INVALID', message, { separator: csv.separator, rows: listed, problemCount, truncated });
    };
    return this.guard(() =>
      this.idempotency.run(p, key, hash, 201, async (m) => {
        const checked = [...csv.rows, ...csv.referencesOnly];
        const inputs: SubmissionInput[] = checked.map((row, i) => ({
          indicatorCode: row.indicatorCode,
          period: { code: row.periodCode },
          grouping: { code: row.groupingCode },
          values: row.values,
          submit,
          names: CSV_NAMES,
          at: '',
          line: row.line,
          referencesOnly: i >= csv.rows.length,
        }));
        const fromCsv = csv.problems;
        const items = await this.submitAll(m, p, contractId, inputs, (problems) =>
          reject([...fromCsv, ...problems.map((x) => toCsvRowProblem(checked[x.index], x))]),
          fromCsv.length > 0,
        );
        return { items };
      }),
    );
  }

  /** A unique index refusing a second measurement for the same subject (PostgreSQL, concurrent requests) is a 409. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new MeasurementError('MEASUREMENT_ALREADY_EXISTS', 'A measurement for this indicator, period, grouping and organisation already exists: correct it instead', {});
      }
      throw error;
    }
  }

  /**
   * Checks every input against the contract, the caller's memberships, the period's closure and binding
   * indicator set, the rules and the stored measurements; if anything is wrong calls `reject` with every
   * problem (it throws), else inserts them all with their audit entries.
   */
  private async submitAll(
    m: EntityManager,
    p: Principal,
    contractId: string,
    inputs: SubmissionInput[],
    reject: (problems: (MeasurementProblem & { index: number })[]) => never,
    /** Reject even without problems of its own (rows already refused by the CSV reader). */
    alwaysReject = false,
  ): Promise<MeasurementDto[]> {
    const { contract } = await this.access.contract(m, p, contractId);
    const organisationId = p.organisationId as string; // ETS roles only reach here, and they always have one
    const periods = await m.find(ContractPeriodEntity, { where: { contractId }, order: { position: 'ASC' } });
    const groupings = await m.find(ProviderGroupingEntity, { where: { contractId } });
    const memberOf = new Set(await this.access.memberGroupings(m, p, contractId));
    const closed = await closedPeriods(m, periods.map((x) => x.id));
    const sets = new Map<string, BindingIndicatorSet | null>();
    const problems: (MeasurementProblem & { index: number })[] = [];
    const seen = new Map<string, number>();
    const ready: { input: SubmissionInput; period: ContractPeriodEntity; grouping: ProviderGroupingEntity; set: BindingIndicatorSet; value: string; notAssessable: boolean }[] = [];

    for (const [index, input] of inputs.entries()) {
      const add = (code: MeasurementProblem['code'], field: string, message: string) => problems.push({ index, code, field: `${input.at}${field}`, message });
      const before = problems.length;
      const period = periods.find((x) => ('id' in input.period ? x.id === input.period.id : x.code === input.period.code));
      const grouping = groupings.find((x) => ('id' in input.grouping ? x.id === input.grouping.id : x.code === input.grouping.code));
      if (!period) add('MEASUREMENT_PERIOD_NOT_IN_CONTRACT', input.names.period, `${refOf(input.period)} is not a period of contract ${contract.code}${codeList(input.period, 'periods', periods)}`);
      if (!grouping) add('MEASUREMENT_GROUPING_NOT_IN_CONTRACT', input.names.grouping, `${refOf(input.grouping)} is not a provider grouping of contract ${contract.code}${codeList(input.grouping, 'groupings', groupings)}`);
      else if (!memberOf.has(grouping.id)) add('MEASUREMENT_NOT_GROUPING_MEMBER', input.names.grouping, `refers to ${grouping.code}, of which your organisation is not a member`);
      if (!period || !grouping) continue;
      if (closed.has(period.id)) {
        add('MEASUREMENT_PERIOD_CLOSED', input.names.period, `refers to period ${period.code}, which is closed: an approver reopens it first`);
        continue;
      }
      if (!sets.has(period.id)) sets.set(period.id, await indicatorSetInForce(m, contractId, period.id));
      const set = sets.get(period.id) ?? null;
      if (!set) {
        add('MEASUREMENT_NO_BINDING_INDICATOR_SET', input.names.period, `refers to period ${period.code}, which has no binding indicator set in force`);
        continue;
      }
      const indicator = set.indicators.find((x) => x.code === input.indicatorCode);
      if (!indicator) {
        const known = shortList(set.indicators.map((x) => x.code));
        add('MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION', input.names.indicator, `${quoted(input.indicatorCode)} is not in binding version ${set.version} in force for ${period.code}${known ? ` (its indicators: ${known})` : ''}`);
        continue;
      }
      if (input.referencesOnly === true) continue;
      const { problems: found, checked } = checkMeasurementValues(indicator, input.values, input.at);
      problems.push(...found.map((x) => ({ ...x, index })));
      const subject = JSON.stringify([period.id, grouping.id, indicator.code]);
      const earlier = seen.get(subject);
      if (earlier !== undefined) {
        add('MEASUREMENT_DUPLICATE_IN_REQUEST', input.names.indicator, `repeats ${whereIs(inputs[earlier])}: one measurement per indicator, period and grouping`);
      }
      seen.set(subject, index);
      if (problems.length > before || !checked) continue;
      const existing = await m.findOneBy(MeasurementEntity, { periodId: period.id, groupingId: grouping.id, organisationId, indicatorCode: indicator.code });
      if (existing) {
        const next = `correct it (POST /api/v1/measurements/${existing.id}/versions)`;
        add('MEASUREMENT_ALREADY_EXISTS', input.names.indicator, `${indicator.code} is already measured for ${period.code} and ${grouping.code} (measurement ${existing.id}): ${next}`);
        continue;
      }
      ready.push({ input, period, grouping, set, ...checked });
    }
    if (problems.length > 0 || alwaysReject) reject(problems);

    const now = this.clock.nowIso();
    // Periods and groupings are already loaded: only the caller's organisation is read.
    const codes = await measurementCodes(m, ready.map((r) => ({ periodId: r.period.id, groupingId: r.grouping.id, organisationId })), { periods, groupings });
    const created: MeasurementDto[] = [];
    for (const r of ready) {
      const measurement: MeasurementEntity = {
        id: this.ids.next(),
        contractId,
        periodId: r.period.id,
        groupingId: r.grouping.id,
        organisationId,
        indicatorCode: r.input.indicatorCode,
        status: r.input.submit ? 'SUBMITTED' : 'DRAFT',
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      const version = newVersion(this.ids.next(), measurement, r.set.versionId, r.input.values, r, p, now, r.input.submit, null);
      await m.insert(MeasurementEntity, measurement);
      await m.insert(MeasurementVersionEntity, version);
      await this.recordCreate(m, p, contract, toMeasurementRecord(measurement, version), r.input.submit);
      created.push(toMeasurementDto(measurement, version, codes(measurement)));
    }
    return created;
  }

  private recordCreate(m: EntityManager, p: Principal, contract: ContractEntity, dto: MeasurementRecord, submitted: boolean) {
    return this.audit.record(m, p, {
      action: submitted ? 'submit' : 'create',
      objectType: 'measurement',
      objectId: dto.id,
      contractId: contract.id,
      municipalityId: contract.municipalityId,
      before: null,
      after: dto,
    });
  }
}

/** A version row of a measurement's content. */
export function newVersion(
  id: string,
  measurement: MeasurementEntity,
  indicatorSetVersionId: string,
  values: MeasurementValues & { methodNotes?: string },
  checked: { value: string; notAssessable: boolean },
  p: Principal,
  now: string,
  submit: boolean,
  correctionReason: string | null,
): MeasurementVersionEntity {
  return {
    id,
    measurementId: measurement.id,
    version: measurement.version,
    indicatorSetVersionId,
    value: checked.value,
    numerator: values.numerator ?? null,
    denominator: values.denominator ?? null,
    sampleSize: values.sampleSize ?? null,
    notAssessable: checked.notAssessable,
    disaggregations: values.disaggregations ?? {},
    methodNotes: values.methodNotes ?? null,
    correctionReason,
    createdBy: p.userId,
    submittedAt: submit ? now : null,
    reviewOutcome: null,
    reviewReason: null,
    reviewedBy: null,
    reviewedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

function fromJson(dto: CreateMeasurementDto, at: string): SubmissionInput {
  const { indicatorCode, periodId, groupingId, submit, ...values } = dto;
  return { indicatorCode, period: { id: periodId }, grouping: { id: groupingId }, values: { ...values }, submit: submit ?? true, names: JSON_NAMES, at };
}

function toField(x: MeasurementProblem): FieldProblem {
  return { field: x.field, message: x.message, code: x.code };
}
