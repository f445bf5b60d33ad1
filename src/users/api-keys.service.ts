import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { generateApiKey } from 'src/auth/api-key';
import { AuthError } from 'src/auth/auth.errors';
import { Principal } from 'src/auth/principal';
import { ApiKeyEntity, UserEntity } from 'src/auth/user.entity';
import { Clock } from 'src/common/clock/clock';
import { IdGenerator } from 'src/common/clock/id-generator';
import { Page, PageQueryDto, pageWindow, toPage } from 'src/common/pagination/page';
import { Database } from 'src/database/database';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto, toApiKeyDto } from 'src/users/dto/api-key.dto';
import { managesKeysOf } from 'src/users/users.access';
import { userNotFound } from 'src/users/users.service';

/** API keys: shown once at creation, stored as SHA-256 with a visible prefix, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, userId: string, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const now = this.clock.nowIso();
    // Normalised to milliseconds so it compares as text with the clock's instants.
    const expiresAt = dto.expiresAt === undefined ? null : new Date(dto.expiresAt).toISOString();
    if (expiresAt !== null && expiresAt <= now) {
      throw new AuthError('API_KEY_EXPIRY_NOT_FUTURE', `expiresAt ${dto.expiresAt} is not in the future`, {
        fields: [{ field: 'expiresAt', message: `must be after ${now}` }],
      });
    }
    const generated = generateApiKey();
    const entity: ApiKeyEntity = {
      id: this.ids.next(),
      userId,
      name: dto.name,
      prefix: generated.prefix,
      keyHash: generated.hash,
      expiresAt,
      revokedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.db.transaction(async (m) => {
      const user = await findKeyOwner(m, principal, userId);
      if (user.status !== 'ACTIVE') {
        throw new AuthError('USER_DISABLED', `User ${userId} is disabled: enable it before giving it a key`, { id: userId });
      }
      await m.insert(ApiKeyEntity, entity);
      // The audit log records the prefix, never the key or its hash.
      await this.audit.record(m, principal, { action: 'create', objectType: 'api_key', objectId: entity.id, after: toApiKeyDto(entity) });
    });
    return { id: entity.id, name: entity.name, prefix: entity.prefix, key: generated.key, createdAt: entity.createdAt, expiresAt: entity.expiresAt };
  }

  async list(principal: Principal, userId: string, query: PageQueryDto): Promise<Page<ApiKeyDto>> {
    const { take, skip } = pageWindow(query);
    const [rows, total] = await this.db.read(async (m) => {
      await findKeyOwner(m, principal, userId);
      return m.findAndCount(ApiKeyEntity, { where: { userId }, order: { createdAt: 'ASC', name: 'ASC', id: 'ASC' }, take, skip });
    });
    return toPage(rows, total, query, toApiKeyDto);
  }

  /** Sets revokedAt: the key stops working with the next request. */
  async revoke(principal: Principal, id: string): Promise<ApiKeyDto> {
    return this.db.transaction(async (m) => {
      const key = await m.findOneBy(ApiKeyEntity, { id });
      const owner = key ? await m.findOneBy(UserEntity, { id: key.userId }) : null;
      if (!key || !owner || !managesKeysOf(principal, owner)) {
        throw new AuthError('API_KEY_NOT_FOUND', `API key ${id} not found`, { id });
      }
      if (key.revokedAt !== null) {
        throw new AuthError('API_KEY_ALREADY_REVOKED', `API key ${key.prefix} was already revoked at ${key.revokedAt}`, { id, revokedAt: key.revokedAt });
      }
      const now = this.clock.nowIso();
      const next: ApiKeyEntity = { ...key, revokedAt: now, updatedAt: now };
      // Conditional, so two concurrent revocations cannot both succeed (PostgreSQL runs them in parallel).
      const result = await m.update(ApiKeyEntity, { id, revokedAt: IsNull() }, { revokedAt: now, updatedAt: now });
      if (result.affected === 0) {
        throw new AuthError('API_KEY_ALREADY_REVOKED', `API key ${key.prefix} was already revoked`, { id });
      }
      await this.audit.record(m, principal, { action: 'revoke', objectType: 'api_key', objectId: id, before: toApiKeyDto(key), after: toApiKeyDto(next) });
      return toApiKeyDto(next);
    });
  }
}

async function findKeyOwner(m: EntityManager, principal: Principal, userId: string): Promise<UserEntity> {
  const user = await m.findOneBy(UserEntity, { id: userId });
  if (!user || !managesKeysOf(principal, user)) {
    throw userNotFound(userId);
  }
  return user;
}
