import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AUDIT_EXPORT_FORMAT, AUDIT_EXPORT_FORMATS, AuditExportFormat, AuditExportScope } from 'src/audit/audit-export.format';
import { LinkStatus } from 'src/audit/audit-export.links';
import { AuditEntryDto, CHAIN_BREAK_REASONS } from 'src/audit/dto/audit.dto';
import { IsId } from 'src/common/validation/id-param';

export const AUDIT_LINK_STATUSES = ['OK', 'HASH_MISMATCH', 'PREVIOUS_HASH_MISMATCH', 'NEXT_HASH_MISMATCH', 'SEQUENCE_GAP', 'HEAD_MISMATCH'] as const satisfies readonly LinkStatus[];

export class ExportAuditQueryDto {
  /** `csv` (RFC 4180, the verification in leading `# ` lines) or `json` (`ancora.audit-export/1`). */
  @ApiProperty({ enum: AUDIT_EXPORT_FORMATS })
  @IsIn(AUDIT_EXPORT_FORMATS)
  format!: AuditExportFormat;

  /** Every entry of this contract you may see (404 AUDIT_CONTRACT_NOT_FOUND if you may not read it). Give this or municipalityId. */
  @IsOptional()
  @IsId()
  contractId?: string;

  /**
   * Every entry of this municipality you may see: of the municipality, of its contracts, and by its own
   * users (municipal staff of it and platform administrators; 404 AUDIT_MUNICIPALITY_NOT_FOUND otherwise).
   */
  @IsOptional()
  @IsId()
  municipalityId?: string;
}

// The JSON export (`ancora.audit-export/1`, src/audit/audit-export.format.ts), for the OpenAPI document:
// it is streamed as text, so these classes describe it rather than build it.

export class AuditExportBreakDto {
  @ApiProperty({ type: 'integer' })
  seq!: number;
  /** Null when the entry is missing, or hidden from a caller who may not verify the whole log. */
  @ApiProperty({ type: String, nullable: true })
  id!: string | null;
  /** A chain break reason (wholeChain) or a link status other than OK (exportedEntries). */
  @ApiProperty({ enum: [...new Set<string>([...CHAIN_BREAK_REASONS, ...AUDIT_LINK_STATUSES.filter((s) => s !== 'OK')])] })
  reason!: string;
  message!: string;
}

export class AuditExportChainDto {
  /** The existing whole-log verification (GET /audit/verify): a chain can only be verified whole. */
  ok!: boolean;
  @ApiProperty({ type: 'integer' })
  entries!: number;
  @ApiProperty({ type: 'integer' })
  headSeq!: number;
  @ApiProperty({ type: AuditExportBreakDto, nullable: true })
  firstBreak!: AuditExportBreakDto | null;
}

export class AuditExportLinksDto {
  /** Each exported entry checked against its neighbours in the full chain. */
  ok!: boolean;
  @ApiProperty({ type: 'integer' })
  entries!: number;
  @ApiProperty({ type: 'integer' })
  broken!: number;
  @ApiProperty({ type: AuditExportBreakDto, nullable: true })
  firstBreak!: AuditExportBreakDto | null;
}

export class AuditExportVerificationDto {
  wholeChain!: AuditExportChainDto;
  exportedEntries!: AuditExportLinksDto;
}

export class AuditExportScopeDto {
  @ApiProperty({ enum: ['contract', 'municipality'] })
  kind!: AuditExportScope['kind'];
  /** kind `contract` only. */
  contractId?: string;
  /** kind `contract` only. */
  contractCode?: string;
  municipalityId!: string;
  /** kind `municipality` only. */
  municipalityCode?: string;
  /** The chain head read by the verification: later appends are not exported. */
  @ApiProperty({ type: 'integer' })
  upToSeq!: number;
}

export class ExportedAuditEntryDto extends AuditEntryDto {
  @ApiProperty({ enum: AUDIT_LINK_STATUSES })
  link!: LinkStatus;
}

export class AuditExportDocumentDto {
  @ApiProperty({ enum: [AUDIT_EXPORT_FORMAT] })
  format!: typeof AUDIT_EXPORT_FORMAT;
  scope!: AuditExportScopeDto;
  exportedAt!: string;
  verification!: AuditExportVerificationDto;
  /** In chain order. */
  entries!: ExportedAuditEntryDto[];
}
