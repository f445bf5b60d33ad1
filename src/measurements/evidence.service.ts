import { createHash } from 'node:crypto';
import { createReadStream, ReadStream } from 'node:fs';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { EvidenceDto, EvidenceListDto, toEvidenceDto } from 'src/measurements/dto/evidence.dto';
import { EVIDENCE_DIR } from 'src/measurements/evidence-directory';
import { MeasurementAccess } from 'src/measurements/measurement.access';
import { MeasurementEntity, MeasurementEvidenceEntity } from 'src/measurements/measurement.entity';
import { evidenceContentProblem } from 'src/measurements/evidence-content';
import { checkFilename } from 'src/measurements/evidence-filename';
import { MeasurementError } from 'src/measurements/measurements.errors';
import { requirePeriodOpen } from 'src/measurements/period-closure.lookup';
import { mediaTypeOf } from 'src/measurements/raw-body';

export const EVIDENCE_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/**
 * The evidence type a Content-Type header names, or 415 MEASUREMENT_EVIDENCE_TYPE_NOT_ALLOWED with the allowed
 * types (`contentType` null when there is no header). The evidence route also runs it before the body is parsed.
 */
export function requireEvidenceType(contentTypeHeader: string | undefined): EvidenceType {
  const contentType = mediaTypeOf(contentTypeHeader);
  const allowed = EVIDENCE_TYPES.find((type) => type === contentType);
  if (allowed === undefined) throw evidenceTypeNotAllowed(contentType);
  return allowed;
}

function evidenceTypeNotAllowed(contentType: string | null): InstanceType<typeof MeasurementError> {
  return new MeasurementError('MEASUREMENT_EVIDENCE_TYPE_NOT_ALLOWED', `Evidence must be one of ${EVIDENCE_TYPES.join(', ')}`, { contentType, allowed: [...EVIDENCE_TYPES] });
}

/** Evidence files: stored under a random name in the evidence directory, streamed back only to readers of the measurement. */
@Injectable()
export class EvidenceService {
  private readonly logger = new Logger('Evidence');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
    private readonly access: MeasurementAccess,
    @Inject(EVIDENCE_DIR) private readonly directory: string,
  ) {}

  async add(p: Principal, measurementId: string, body: unknown, contentTypeHeader: string | undefined, filenameHeader: string | undefined): Promise<EvidenceDto> {
    const contentType = requireEvidenceType(contentTypeHeader);
    if (!Buffer.isBuffer(body)) {
      throw evidenceTypeNotAllowed(contentType);
    }
    const originalName = checkFilename(filenameHeader);
    if (body.length === 0) {
      throw new MeasurementError('MEASUREMENT_EVIDENCE_EMPTY', 'The evidence file is empty', {});
    }
    if (body.length > MAX_EVIDENCE_BYTES) {
      throw new MeasurementError('MEASUREMENT_EVIDENCE_TOO_LARGE', `Evidence files are at most ${MAX_EVIDENCE_BYTES} bytes`, { maxBytes: MAX_EVIDENCE_BYTES, sizeBytes: body.length });
    }
    const problem = evidenceContentProblem(contentType, body);
    if (problem !== null) {
      throw new MeasurementError('MEASUREMENT_EVIDENCE_CONTENT_MISMATCH', `The file is not ${contentType}: ${problem}`, { contentType });
    }
    // Check before writing the file, and again in the transaction that records it.
    await this.db.read(async (m) => this.checkWritable(m, p, await this.access.measurement(m, p, measurementId), addRefusal));
    const storageName = this.ids.next();
    const path = join(this.directory, storageName);
    await mkdir(this.directory, { recursive: true });
    await writeFile(path, body, { flag: 'wx' });
    try {
      return await this.db.transaction(async (m) => {
        const { measurement, contract } = await this.checkWritable(m, p, await this.access.measurement(m, p, measurementId), addRefusal);
        const now = this.clock.nowIso();
        const evidence: MeasurementEvidenceEntity = {
          id: this.ids.next(),
          measurementId,
          measurementVersion: measurement.version,
          storageName,
          originalName,
          contentType,
          sizeBytes: body.length,
          sha256: createHash('sha256').update(body).digest('hex'),
          uploadedBy: p.userId,
          createdAt: now,
          updatedAt: now,
        };
        await m.insert(MeasurementEvidenceEntity, evidence);
        const dto = toEvidenceDto(evidence);
        await this.audit.record(m, p, { action: 'add_evidence', objectType: 'measurement_evidence', objectId: evidence.id, contractId: contract.id, municipalityId: contract.municipalityId, before: null, after: dto });
        return dto;
      });
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
  }

  async list(p: Principal, measurementId: string): Promise<EvidenceListDto> {
    return this.db.read(async (m) => {
      await this.access.measurement(m, p, measurementId);
      const rows = await m.find(MeasurementEvidenceEntity, { where: { measurementId }, order: { createdAt: 'ASC', originalName: 'ASC', id: 'ASC' } });
      return { items: rows.map(toEvidenceDto) };
    });
  }

  /** The file and its metadata, for callers who may read its measurement (404 otherwise). */
  async open(p: Principal, id: string): Promise<{ evidence: EvidenceDto; stream: ReadStream }> {
    const evidence = await this.db.read(async (m) => {
      const row = await m.findOneBy(MeasurementEvidenceEntity, { id });
      try {
        if (row) await this.access.measurement(m, p, row.measurementId);
      } catch {
        return null;
      }
      return row;
    });
    if (!evidence) throw evidenceNotFound(id);
    return { evidence: toEvidenceDto(evidence), stream: createReadStream(join(this.directory, evidence.storageName)) };
  }

  /**
   * Removes a file added by mistake (docs/measurements.md#evidence): the same callers as adding one, while the
   * measurement is DRAFT or RETURNED and its period open. The row and its audit entry commit together; the
   * file goes after the commit, and a file that cannot be unlinked is logged, never an error: the evidence
   * is already gone from the API, and an orphan file is an operator's clean-up, not the caller's.
   */
  async remove(p: Principal, id: string): Promise<void> {
    const removed = await this.db.transaction(async (m) => {
      const row = await m.findOneBy(MeasurementEvidenceEntity, { id });
      if (!row) throw evidenceNotFound(id);
      // Locked (PostgreSQL), so a submission or review of the measurement waits for the removal, and so does a second removal.
      const found = await this.access.measurement(m, p, row.measurementId, true).catch((error: unknown) => {
        throw error instanceof MeasurementError && error.code === 'MEASUREMENT_NOT_FOUND' ? evidenceNotFound(id) : error;
      });
      const { contract } = await this.checkWritable(m, p, found, (measurement) => removeRefusal(measurement, row), { evidenceId: id });
      // Gone meanwhile (a removal that committed while this one waited for the lock): as if it never existed.
      if ((await m.delete(MeasurementEvidenceEntity, { id })).affected === 0) throw evidenceNotFound(id);
      await this.audit.record(m, p, { action: 'remove_evidence', objectType: 'measurement_evidence', objectId: id, contractId: contract.id, municipalityId: contract.municipalityId, before: toEvidenceDto(row), after: null });
      return row;
    });
    await unlink(join(this.directory, removed.storageName)).catch((error: unknown) => {
      this.logger.warn(`Evidence ${removed.id} was removed but its file ${removed.storageName} could not be deleted: ${String(error)}`);
    });
  }

  /**
   * Adding or removing evidence: a measurement the caller reads (found), changed only by its submitting
   * organisation's staff (403 for other readers), in a state `refusal` allows (409), in an open period (422).
   */
  private async checkWritable(m: EntityManager, p: Principal, found: { measurement: MeasurementEntity; contract: ContractEntity }, refusal: (measurement: MeasurementEntity) => string | null, details: Record<string, string> = {}) {
    const { measurement } = found;
    this.access.requireSubmitter(p, measurement);
    const refused = refusal(measurement);
    if (refused !== null) {
      throw new MeasurementError('MEASUREMENT_STATE_CONFLICT', refused, { id: measurement.id, status: measurement.status, version: measurement.version, ...details });
    }
    await requirePeriodOpen(m, await m.findOneByOrFail(ContractPeriodEntity, { id: measurement.periodId }));
    return found;
  }
}

function evidenceNotFound(id: string): InstanceType<typeof MeasurementError> {
  return new MeasurementError('MEASUREMENT_EVIDENCE_NOT_FOUND', `Evidence ${id} not found`, { id });
}

/** Files go to the current version: none once it is accepted; a correction of an accepted value takes them as any other version. */
function addRefusal(measurement: MeasurementEntity): string | null {
  return measurement.status === 'ACCEPTED' ? 'An ACCEPTED measurement takes no more evidence' : null;
}

/**
 * A submitted measurement keeps its files while a reviewer may be reading them; an accepted one keeps them for
 * good, and so do the files added up to the accepted version while a correction of it is pending: they back
 * the value that counts.
 */
function removeRefusal(measurement: MeasurementEntity, evidence: MeasurementEvidenceEntity): string | null {
  const accepted = measurement.acceptedVersion ?? null;
  if (measurement.status !== 'ACCEPTED' && accepted !== null && evidence.measurementVersion <= accepted) {
    return `This file was added at version ${evidence.measurementVersion}; the files up to accepted version ${accepted}, which still counts, are final`;
  }
  switch (measurement.status) {
    case 'DRAFT':
    case 'RETURNED':
      return null;
    case 'SUBMITTED':
      return 'A SUBMITTED measurement is awaiting review and keeps its evidence: wait for the review, or ask the contract manager to return it';
    case 'ACCEPTED':
      return "An ACCEPTED measurement's evidence is final and cannot be removed";
  }
}
