import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';
import { Role } from 'src/auth/roles';

export const USER_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

@Entity('users')
export class UserEntity extends BaseEntity {
  /** Null only for platform administrators. */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36, nullable: true })
  organisationId!: string | null;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'varchar', length: 320, nullable: true, unique: true })
  email!: string | null;

  @Column({ type: 'simple-json' })
  roles!: Role[];

  @Column({ type: 'varchar', length: 16 })
  status!: UserStatus;
}

/** An API key: only its SHA-256 is stored; the prefix is shown so people can tell their keys apart. */
@Entity('api_keys')
export class ApiKeyEntity extends BaseEntity {
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  prefix!: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32, nullable: true })
  expiresAt!: string | null;

  @Column({ name: 'revoked_at', type: 'varchar', length: 32, nullable: true })
  revokedAt!: string | null;
}
