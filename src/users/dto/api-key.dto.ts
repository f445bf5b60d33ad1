import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageInfoDto } from 'src/common/pagination/page';
import { ApiKeyEntity } from 'src/auth/user.entity';

export const UTC_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export class CreateApiKeyDto {
  /** What the key is for, to tell keys apart: `laptop`, `ETS portal import`. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  /** A UTC instant in the future, e.g. `2026-12-31T23:59:59Z`; without it the key works until revoked. */
  @IsOptional()
  @Matches(UTC_INSTANT_PATTERN, { message: 'expiresAt must be a UTC instant such as 2026-12-31T23:59:59Z' })
  expiresAt?: string;
}

export class ApiKeyDto {
  id!: string;
  userId!: string;
  name!: string;
  /** The visible start of the key (`ancora_XXXXXXXX`), to recognise it. */
  prefix!: string;
  createdAt!: string;
  @ApiProperty({ type: String, nullable: true })
  expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true })
  revokedAt!: string | null;
}

/** Answered once, at creation: the only time the key itself is shown. */
export class CreatedApiKeyDto {
  id!: string;
  name!: string;
  prefix!: string;
  /** The key: store it now, it is not stored here and will not be shown again. */
  key!: string;
  createdAt!: string;
  @ApiProperty({ type: String, nullable: true })
  expiresAt!: string | null;
}

export class ApiKeyPageDto {
  items!: ApiKeyDto[];
  page!: PageInfoDto;
}

export function toApiKeyDto(entity: ApiKeyEntity): ApiKeyDto {
  return {
    id: entity.id,
    userId: entity.userId,
    name: entity.name,
    prefix: entity.prefix,
    createdAt: entity.createdAt,
    expiresAt: entity.expiresAt,
    revokedAt: entity.revokedAt,
  };
}
