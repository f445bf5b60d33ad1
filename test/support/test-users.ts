import { DataSource } from 'typeorm';
import { generateApiKey } from 'src/auth/api-key';
import { Role } from 'src/auth/roles';
import { ApiKeyEntity, UserEntity } from 'src/auth/user.entity';
import { RandomIdGenerator } from 'src/common/clock/id-generator';

export interface TestUser {
  userId: string;
  apiKey: string;
}

const ids = new RandomIdGenerator();

/**
 * Inserts a user with an API key below the API (the users endpoints are tested on their own). With no
 * organisation and role admin it is a platform administrator. Call it before requests are in flight:
 * on SQLite it writes beside the app's write queue.
 */
export async function insertTestUser(
  dataSource: DataSource,
  user: { name: string; roles: Role[]; organisationId?: string | null },
  now: string,
): Promise<TestUser> {
  const userId = ids.next();
  const key = generateApiKey();
  await dataSource.transaction(async (m) => {
    await m.insert(UserEntity, {
      id: userId,
      organisationId: user.organisationId ?? null,
      name: user.name,
      email: null,
      roles: user.roles,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    });
    await m.insert(ApiKeyEntity, {
      id: ids.next(),
      userId,
      name: `${user.name} test key`,
      prefix: key.prefix,
      keyHash: key.hash,
      expiresAt: null,
      revokedAt: null,
      createdAt: now,
      updatedAt: now,
    });
  });
  return { userId, apiKey: key.key };
}
