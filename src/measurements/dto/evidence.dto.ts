import { MeasurementEvidenceEntity } from 'src/measurements/measurement.entity';

export class EvidenceDto {
  id!: string;
  measurementId!: string;
  /** The measurement's version when the file was added. */
  measurementVersion!: number;
  originalName!: string;
  contentType!: string;
  sizeBytes!: number;
  /** SHA-256 of the bytes, hex. */
  sha256!: string;
  uploadedBy!: string;
  createdAt!: string;
}

export function toEvidenceDto(e: MeasurementEvidenceEntity): EvidenceDto {
  return {
    id: e.id,
    measurementId: e.measurementId,
    measurementVersion: e.measurementVersion,
    originalName: e.originalName,
    contentType: e.contentType,
    sizeBytes: e.sizeBytes,
    sha256: e.sha256,
    uploadedBy: e.uploadedBy,
    createdAt: e.createdAt,
  };
}

export class EvidenceListDto {
  items!: EvidenceDto[];
}
