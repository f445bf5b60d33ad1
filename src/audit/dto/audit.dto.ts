import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ChainBreak } from 'src/audit/audit.chain';
import { ChainVerification } from 'src/audit/audit.service';
import { IsIsoInstant } from 'src/audit/instant';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { IsId } from 'src/common/validation/id-param';

export const AUDIT_ORDERS = ['desc', 'asc'] as const;
export type AuditOrder = (typeof AUDIT_ORDERS)[number];

export const CHAIN_BREAK_REASONS = ['HASH_MISMATCH', 'PREVIOUS_HASH_MISMATCH', 'SEQUENCE_GAP', 'HEAD_MISMATCH'] as const satisfies readonly ChainBreak['reason'][];

export class ListAuditQueryDto extends PageQueryDto {
  /** Entries of this contract (404 AUDIT_CONTRACT_NOT_FOUND if you may not read it). */
  @IsOptional()
  @IsId()
  contractId?: string;

  /** e.g. `contract`, `measurement`, `api_key`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  objectType?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  objectId?: string;

  /** e.g. `create`, `update`, `approve`, `submit`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  action?: string;

  /** A user id (or `system`, or `jwt:<subject>`). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  actorId?: string;

  /** Entries at or after this time (ISO-8601 with a time zone). */
  @ApiProperty({ required: false, type: String, format: 'date-time' })
  @IsOptional()
  @IsIsoInstant()
  from?: string;

  /** Entries strictly before this time (ISO-8601 with a time zone): `from`/`to` is a half-open window. */
  @ApiProperty({ required: false, type: String, format: 'date-time' })
  @IsOptional()
  @IsIsoInstant()
  to?: string;

  /** `desc` (default): newest first, by seq; `asc`: oldest first, by seq. */
  @ApiProperty({ enum: AUDIT_ORDERS, required: false, default: 'desc' })
  @IsOptional()
  @IsIn(AUDIT_ORDERS)
  order?: AuditOrder;
}

export class AuditActorDto {
  /** User id, `system`, or `jwt:<subject>`. */
  id!: string;
  /** The name the actor had when the entry was written. */
  label!: string;
  /** Null for platform administrators and the system. */
  @ApiProperty({ type: String, nullable: true })
  organisationId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  organisationCode!: string | null;
  @ApiProperty({ type: String, nullable: true })
  organisationName!: string | null;
}

export class AuditObjectDto {
  type!: string;
  id!: string;
}

export class AuditEntryDto {
  id!: string;
  /** Position in the chain: 1, 2, 3, ... without gaps. */
  @ApiProperty({ type: 'integer' })
  seq!: number;
  occurredAt!: string;
  actor!: AuditActorDto;
  action!: string;
  object!: AuditObjectDto;
  @ApiProperty({ type: String, nullable: true })
  contractId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  municipalityId!: string | null;
  /** SHA-256 of the RFC 8785 canonical JSON of the object before the change (null for a creation). */
  @ApiProperty({ type: String, nullable: true })
  beforeDigest!: string | null;
  /** SHA-256 of the RFC 8785 canonical JSON of the object after the change (null for a deletion). */
  @ApiProperty({ type: String, nullable: true })
  afterDigest!: string | null;
  /** The entryHash of entry seq - 1 (64 zeros for entry 1). */
  prevHash!: string;
  /** SHA-256 of the canonical JSON of this entry's fields and prevHash. */
  entryHash!: string;
}

export function toAuditEntryDto(entity: AuditEntryEntity, organisation: OrganisationEntity | undefined): AuditEntryDto {
  return {
    id: entity.id,
    seq: entity.seq,
    occurredAt: entity.occurredAt,
    actor: {
      id: entity.actorId,
      label: entity.actorLabel,
      organisationId: entity.organisationId,
      organisationCode: organisation?.code ?? null,
      organisationName: organisation?.name ?? null,
    },
    action: entity.action,
    object: { type: entity.objectType, id: entity.objectId },
    contractId: entity.contractId,
    municipalityId: entity.municipalityId,
    beforeDigest: entity.beforeDigest,
    afterDigest: entity.afterDigest,
    prevHash: entity.prevHash,
    entryHash: entity.entryHash,
  };
}

export class AuditPageDto {
  items!: AuditEntryDto[];
  page!: PageInfoDto;
}

export class ChainBreakDto {
  /** The first entry that does not verify (for HEAD_MISMATCH: the entry the head expects). */
  @ApiProperty({ type: 'integer' })
  seq!: number;
  /** That entry's id; null when the entry is missing (HEAD_MISMATCH at the end of the log). */
  @ApiProperty({ type: String, nullable: true })
  id!: string | null;
  @ApiProperty({ enum: CHAIN_BREAK_REASONS })
  reason!: ChainBreak['reason'];
  message!: string;
}

export class ChainVerificationDto {
  /** True when every entry and the head verify. */
  ok!: boolean;
  /** Entries verified intact (before the first break, if any). */
  @ApiProperty({ type: 'integer' })
  entries!: number;
  /** The last seq according to the chain head. */
  @ApiProperty({ type: 'integer' })
  headSeq!: number;
  @ApiProperty({ type: ChainBreakDto, nullable: true })
  firstBreak!: ChainBreakDto | null;
}

export function toChainVerificationDto(v: ChainVerification): ChainVerificationDto {
  return {
    ok: v.ok,
    entries: v.entries,
    headSeq: v.headSeq,
    firstBreak:
      v.firstBreak === null
        ? null
        : { seq: v.firstBreak.seq, id: v.firstBreak.id === '' ? null : v.firstBreak.id, reason: v.firstBreak.reason, message: v.firstBreak.message },
  };
}
