import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageInfoDto, PageQueryDto } from 'src/common/pagination/page';
import { PresentIfGiven } from 'src/common/validation/patch-body';
import { Role, ROLES } from 'src/auth/roles';
import { USER_STATUSES, UserEntity, UserStatus } from 'src/auth/user.entity';
import { OrganisationDto } from 'src/organisations/dto/organisation.dto';
import { IsId } from 'src/common/validation/id-param';

const trimLower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateUserDto {
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;

  /** Unique across users; stored in lower case. */
  @IsOptional()
  @Transform(trimLower)
  @IsEmail()
  @MaxLength(320)
  email?: string;

  /** The organisation the user works for. Leave it out only for a platform administrator (roles `["admin"]`). */
  @IsOptional()
  @IsId()
  organisationId?: string;

  /** Each role must fit the organisation's kind: `contract_manager` in a municipality, `ets_member` in an ETS, ... */
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

export class UpdateUserDto {
  @PresentIfGiven()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name?: string;

  /** `null` clears it. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(trimLower)
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  /** Replaces the user's roles. */
  @ApiProperty({ enum: ROLES, isArray: true, required: false })
  @PresentIfGiven()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  /** A DISABLED user's keys stop working at once; ACTIVE again makes them work again (unless revoked). */
  @ApiProperty({ enum: USER_STATUSES, required: false })
  @PresentIfGiven()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}

export class ListUsersQueryDto extends PageQueryDto {
  @IsOptional()
  @IsId()
  organisationId?: string;

  @ApiProperty({ enum: ROLES, required: false })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class UserDto {
  id!: string;
  name!: string;
  @ApiProperty({ type: String, nullable: true })
  email!: string | null;
  /** Null for a platform administrator. */
  @ApiProperty({ type: String, nullable: true })
  organisationId!: string | null;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  @ApiProperty({ enum: USER_STATUSES })
  status!: UserStatus;
  createdAt!: string;
  updatedAt!: string;
}

export function toUserDto(entity: UserEntity): UserDto {
  return {
    id: entity.id,
    name: entity.name,
    email: entity.email,
    organisationId: entity.organisationId,
    roles: [...entity.roles],
    status: entity.status,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export class UserPageDto {
  items!: UserDto[];
  page!: PageInfoDto;
}

/** The caller as the service sees it. */
export class MeDto {
  /** The user's id, or `jwt:<sub>` for a bearer token from an identity provider. */
  subject!: string;
  name!: string;
  /** The API key prefix used, or `jwt`. */
  via!: string;
  /** The stored user; null for a bearer token (its identity lives in the identity provider). */
  @ApiProperty({ type: UserDto, nullable: true })
  user!: UserDto | null;
  /** Null for a platform administrator. */
  @ApiProperty({ type: OrganisationDto, nullable: true })
  organisation!: OrganisationDto | null;
  @ApiProperty({ enum: ROLES, isArray: true })
  roles!: Role[];
  /** True for an administrator without organisation: sees and manages everything. */
  platformAdmin!: boolean;
}
