import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageInfoDto } from 'src/common/pagination/page';
import { APPROVAL_SIDES, ApprovalSide, VERSION_STATES, VersionState } from 'src/co-definition/indicator-set-version.entity';
import { RULE_SET_COMPONENT } from 'src/openapi/json-schema-components';
import { RuleSetTestRunDto } from 'src/settlements/dto/rule-set-tests.dto';
import { IsId } from 'src/common/validation/id-param';

export class CreateIndicatorSetVersionDto {
  /** Why the set changes: required from version 2 on. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason?: string;

  /** Reference of the meeting minute (verbale) recording the agreement, e.g. `Verbale tavolo Comune-RTI 12/03/2026`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  minute?: string;

  /** The first period the version applies to: defaults to the first period for version 1, required after. */
  @IsOptional()
  @IsId()
  effectiveFromPeriodId?: string;
}

export class ApproveIndicatorSetVersionDto {
  /** The SHA-256 of the exact content being approved, as returned by `GET /indicator-set-versions/:id`. */
  @Matches(/^[0-9a-f]{64}$/, { message: 'contentHash must be a SHA-256 in lowercase hex (64 characters)' })
  contentHash!: string;

  /** Only for a lead of several groupings of the contract: the grouping it approves for. */
  @IsOptional()
  @IsId()
  groupingId?: string;
}

export class ApprovalDto {
  @ApiProperty({ enum: APPROVAL_SIDES })
  side!: ApprovalSide;
  @ApiProperty({ type: String, nullable: true })
  groupingId!: string | null;
  /** `MUNICIPALITY` or the grouping's code. */
  sideKey!: string;
  organisationId!: string;
  approvedByLabel!: string;
  contentHash!: string;
  approvedAt!: string;
}

export class IndicatorSetVersionSummaryDto {
  id!: string;
  contractId!: string;
  @ApiProperty({ type: 'integer' })
  version!: number;
  @ApiProperty({ enum: VERSION_STATES })
  state!: VersionState;
  contentHash!: string;
  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;
  @ApiProperty({ type: String, nullable: true })
  minute!: string | null;
  effectiveFromPeriodId!: string;
  effectiveFromPeriodCode!: string;
  /**
   * Codes of the periods this version governs now, in period order: from its effective period up to the
   * next binding version's (what `GET /contracts/:id/periods/:periodId/indicator-set` answers for them).
   * `[]` for a DRAFT or SUPERSEDED version, and for a BINDING one that a later binding version replaced for
   * all of its periods (it stays BINDING: its approvals stand).
   */
  inForceFor!: string[];
  createdByLabel!: string;
  createdAt!: string;
  @ApiProperty({ type: String, nullable: true })
  boundAt!: string | null;
  /** `MUNICIPALITY` and the codes of the groupings whose leads must approve. */
  requiredSides!: string[];
  /** The sides that have not approved yet. */
  missingSides!: string[];
  approvals!: ApprovalDto[];
}

export class IndicatorSetVersionDto extends IndicatorSetVersionSummaryDto {
  /** The frozen snapshot (indicators, baselines, targets, denominators, payment rules by code); its RFC 8785 canonical JSON hashes to `contentHash`. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  content!: Record<string, unknown>;
}

export class IndicatorSetVersionPageDto {
  items!: IndicatorSetVersionSummaryDto[];
  page!: PageInfoDto;
}

export class BindingIndicatorSetDto {
  versionId!: string;
  @ApiProperty({ type: 'integer' })
  version!: number;
  contentHash!: string;
  effectiveFromPeriodCode!: string;
  groupings!: string[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  indicators!: Record<string, unknown>[];
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(RULE_SET_COMPONENT) }] })
  paymentRules!: unknown;
}

/** A frozen version's payment-rule test cases, run as its approval runs them. */
export class VersionRuleSetTestRunDto extends RuleSetTestRunDto {
  versionId!: string;
  version!: number;
  /** The content the cases ran against: the hash a side approves. */
  contentHash!: string;
}
