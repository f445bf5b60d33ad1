import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { CsvProfileName } from 'src/reports/settlement-csv';
import type { ReportLang } from 'src/reports/report-text';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_LANGS: readonly ReportLang[] = ['it', 'en'];
export const CSV_PROFILE_NAMES: readonly CsvProfileName[] = ['it', 'intl'];

/** `?format=pdf&lang=en`, `?format=csv&profile=intl` (docs/reports.md). */
export class SettlementReportQueryDto {
  /** The rendering: canonical JSON, CSV, XLSX workbook or printable PDF. */
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;

  /** Language of the report frame (headings, column names, reasons): Italian or English. JSON is the same in both. */
  @ApiPropertyOptional({ enum: REPORT_LANGS, default: 'it' })
  @IsOptional()
  @IsIn(REPORT_LANGS)
  lang?: ReportLang;

  /** CSV only: `it` (semicolon, decimal comma, UTF-8 BOM) or `intl` (comma, decimal point); other formats ignore it. */
  @ApiPropertyOptional({ enum: CSV_PROFILE_NAMES, default: 'it' })
  @IsOptional()
  @IsIn(CSV_PROFILE_NAMES)
  profile?: CsvProfileName;
}
