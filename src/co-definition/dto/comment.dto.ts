import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from 'src/auth/roles';
import { PageInfoDto } from 'src/common/pagination/page';
import { COMMENT_OBJECT_TYPES, CommentEntity, CommentObjectType } from 'src/co-definition/comment.entity';
import { IsId } from 'src/common/validation/id-param';

export const MAX_COMMENT_LENGTH = 5000;

export class CreateCommentDto {
  /** 1 to 5000 characters, not only blanks. A comment cannot be changed afterwards: correct it with a new one. */
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_COMMENT_LENGTH)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;

  /** The id of an earlier comment on the same object that this one answers. */
  @IsOptional()
  @IsId()
  replyTo?: string;
}

export class CommentAuthorDto {
  /** The author's name as shown in the audit log. */
  label!: string;
  /** The roles the author held when writing. */
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  organisationId!: string;
  /** The organisation's current name. */
  organisationName!: string;
}

export class CommentDto {
  id!: string;
  contractId!: string;
  @ApiProperty({ enum: COMMENT_OBJECT_TYPES })
  objectType!: CommentObjectType;
  /** The proposal or indicator-set version commented on. */
  objectId!: string;
  /** 1, 2, 3, ... in the order the object's comments were written. */
  number!: number;
  text!: string;
  @ApiProperty({ type: String, nullable: true })
  replyTo!: string | null;
  author!: CommentAuthorDto;
  createdAt!: string;
}

export class CommentPageDto {
  items!: CommentDto[];
  page!: PageInfoDto;
}

export function toCommentDto(e: CommentEntity, organisationName: string): CommentDto {
  return {
    id: e.id,
    contractId: e.contractId,
    objectType: e.proposalId !== null ? 'PROPOSAL' : 'INDICATOR_SET_VERSION',
    objectId: (e.proposalId ?? e.versionId) as string,
    number: e.seq,
    text: e.text,
    replyTo: e.replyToId,
    author: { label: e.authoredByLabel, roles: [...e.authorRoles], organisationId: e.organisationId, organisationName },
    createdAt: e.createdAt,
  };
}
