import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { PROPOSAL_STATES, ProposalEntity, ProposalItem, ProposalState } from 'src/co-definition/proposal.entity';
import { GUIDING_QUESTIONS } from 'src/co-definition/proposal.rules';
import { IsId } from 'src/common/validation/id-param';

const MAX_ITEMS = 100;
const MAX_ANSWER = 10000;

export class ProposalItemDto {
  /** e.g. `nuove collaborazioni`, `n. accordi firmati con associazioni`, `registro accordi`. */
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/\S/, { message: 'label must not be blank' })
  label!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;
}

/** Answers to the four guiding questions (`GET` returns the questions too); `null` clears an answer. */
export class ProposalAnswersDto {
  /** Che cosa vi fa dire che avete lavorato bene per i destinatari di questo servizio? */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(MAX_ANSWER)
  q1?: string | null;

  /** Che cosa mancherebbe nel Comune se non ci fosse questo servizio? */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(MAX_ANSWER)
  q2?: string | null;

  /** Quali sono le dimensioni che dovrebbero essere considerate per monitorare e valutare l'outcome? */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(MAX_ANSWER)
  q3?: string | null;

  /** Con quali metriche misurereste le dimensioni di cui sopra (strumenti di rilevazione, indicatori)? */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(MAX_ANSWER)
  q4?: string | null;
}

export class CreateProposalDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => ProposalAnswersDto)
  answers?: ProposalAnswersDto;

  /** Proposed outcome dimensions. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => ProposalItemDto)
  dimensions?: ProposalItemDto[];

  /** Proposed metrics (candidate indicators). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => ProposalItemDto)
  metrics?: ProposalItemDto[];

  /** Proposed collection instruments (strumenti di rilevazione). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => ProposalItemDto)
  instruments?: ProposalItemDto[];
}

/** Only the fields sent change; answers merge per question; a list sent replaces the stored one. */
export class UpdateProposalDto extends CreateProposalDto {}

export class ListProposalsQueryDto extends PageQueryDto {
  @ApiProperty({ enum: PROPOSAL_STATES, required: false })
  @IsOptional()
  @IsIn(PROPOSAL_STATES)
  state?: ProposalState;
}

export class ProposalItemOutDto {
  label!: string;
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
}

export class ProposalAnswerOutDto {
  /** q1..q4 */
  key!: string;
  question!: string;
  @ApiProperty({ type: String, nullable: true })
  answer!: string | null;
}

export class ProposalDto {
  id!: string;
  contractId!: string;
  /** The proposing organisation. */
  organisationId!: string;
  authoredByLabel!: string;
  @ApiProperty({ enum: PROPOSAL_STATES })
  state!: ProposalState;
  /** The four guiding questions with this proposal's answers, in order. */
  answers!: ProposalAnswerOutDto[];
  dimensions!: ProposalItemOutDto[];
  metrics!: ProposalItemOutDto[];
  instruments!: ProposalItemOutDto[];
  @ApiProperty({ type: String, nullable: true })
  submittedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class ProposalPageDto {
  items!: ProposalDto[];
  page!: PageInfoDto;
}

export function toProposalDto(e: ProposalEntity): ProposalDto {
  const item = (i: ProposalItem): ProposalItemOutDto => ({ label: i.label, description: i.description });
  return {
    id: e.id,
    contractId: e.contractId,
    organisationId: e.organisationId,
    authoredByLabel: e.authoredByLabel,
    state: e.state,
    answers: GUIDING_QUESTIONS.map((q) => ({ key: q.key, question: q.text, answer: e.answers[q.key] })),
    dimensions: e.dimensions.map(item),
    metrics: e.metrics.map(item),
    instruments: e.instruments.map(item),
    submittedAt: e.submittedAt,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export class ReplaceIndicatorSourcesDto {
  /** The proposals (submitted, of the indicator's contract) the indicator was consolidated from; `[]` clears them. */
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS)
  @ArrayUnique()
  @IsId({ each: true })
  proposalIds!: string[];
}

export class IndicatorSourceDto {
  proposalId!: string;
  organisationId!: string;
  @ApiProperty({ enum: PROPOSAL_STATES })
  state!: ProposalState;
  @ApiProperty({ type: String, nullable: true })
  submittedAt!: string | null;
}

export class IndicatorSourcesDto {
  indicatorId!: string;
  indicatorCode!: string;
  contractId!: string;
  /** In the order given; only the proposals the caller may see. */
  sources!: IndicatorSourceDto[];
}
