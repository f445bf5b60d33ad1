import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { CODE_PATTERN, IsCode } from 'src/common/validation/code.validator';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { IsId } from 'src/common/validation/id-param';

const CODE_RE = new RegExp(CODE_PATTERN);
const CODE_LIST_MESSAGE = 'each value in $property must be a code of letters, digits, ".", "_" or "-" (at most 64 characters)';

export class CreateProjectDto {
  /** Stable code used by contract documents, e.g. `PD-SDC-2.0`. */
  @IsCode()
  code!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;

  /** The municipality (an organisation of kind MUNICIPALITY) that runs the project. */
  @IsId()
  municipalityId!: string;

  /** e.g. `Settore Servizi Sociali`. */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  department?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  /** Ambiti di lavoro, e.g. `ANZIANI`, `COMMUNITY_BUILDING`. Empty when omitted. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(CODE_RE, { each: true, message: CODE_LIST_MESSAGE })
  workAreas?: string[];

  /** Target groups, e.g. `OVER60`, `UNDER60`. Empty when omitted. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(CODE_RE, { each: true, message: CODE_LIST_MESSAGE })
  targetGroups?: string[];
}

/** The code and the municipality are fixed once a project exists: documents and contracts refer to them. */
export class UpdateProjectDto {
  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  department?: string | null;

  /** `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(CODE_RE, { each: true, message: CODE_LIST_MESSAGE })
  workAreas?: string[];

  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(CODE_RE, { each: true, message: CODE_LIST_MESSAGE })
  targetGroups?: string[];
}

export class ListProjectsQueryDto extends PageQueryDto {
  /** Projects of this municipality. */
  @IsOptional()
  @IsId()
  municipalityId?: string;
}

export class ProjectDto {
  id!: string;
  code!: string;
  name!: string;
  municipalityId!: string;
  @ApiProperty({ type: String, nullable: true })
  department!: string | null;
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
  workAreas!: string[];
  targetGroups!: string[];
  createdAt!: string;
  updatedAt!: string;
}

export function toProjectDto(entity: ProjectEntity): ProjectDto {
  return {
    id: entity.id,
    code: entity.code,
    name: entity.name,
    municipalityId: entity.municipalityId,
    department: entity.department,
    description: entity.description,
    workAreas: entity.workAreas,
    targetGroups: entity.targetGroups,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export class ProjectPageDto {
  items!: ProjectDto[];
  page!: PageInfoDto;
}
