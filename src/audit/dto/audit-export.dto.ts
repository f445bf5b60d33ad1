import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { AUDIT_EXPORT_FORMATS, AuditExportFormat } from 'src/audit/audit-export.format';

export class ExportAuditQueryDto {
  /** `csv` (RFC 4180, the verification in leading `# ` lines) or `json` (`ancora.audit-export/1`). */
  @ApiProperty({ enum: AUDIT_EXPORT_FORMATS })
  @IsIn(AUDIT_EXPORT_FORMATS)
  format!: AuditExportFormat;

  /** Every entry of this contract you may see (404 AUDIT_CONTRACT_NOT_FOUND if you may not read it). Give this or municipalityId. */
  @IsOptional()
  @IsUUID()
  contractId?: string;

  /**
   * Every entry of this municipality you may see: of the municipality, of its contracts, and by its own
   * users (municipal staff of it and platform administrators; 404 AUDIT_MUNICIPALITY_NOT_FOUND otherwise).
   */
  @IsOptional()
  @IsUUID()
  municipalityId?: string;
}
