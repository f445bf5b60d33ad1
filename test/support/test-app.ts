import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from 'src/app.module';
import { configureApp, createFastifyAdapter } from 'src/app/create-app';
import { Clock, FixedClock } from 'src/common/clock/clock';
import { AppConfig } from 'src/config/app-config';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { testAppConfig } from 'test/support/test-config';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';
import { checkResponsesAgainstOpenApi } from 'test/support/openapi-response-check';
import { insertTestUser, TestUser } from 'test/support/test-users';

export const TEST_NOW = new Date('2026-01-15T10:00:00.000Z');

export interface TestApp {
  app: NestFastifyApplication;
  clock: FixedClock;
  config: AppConfig;
  /** A platform administrator: `request` sends its key unless told otherwise. */
  admin: TestUser;
  close(): Promise<void>;
  /**
   * Sends a request through Fastify without a socket; bodies are JSON unless a string is given.
   * Authenticated as the platform administrator, or as `options.as` (an API key), or anonymously (`as: null`).
   */
  request(method: HttpMethod, url: string, body?: unknown, options?: RequestOptions): Promise<TestResponse>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  as?: string | null;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  headers: Record<string, unknown>;
  text: string;
}

/** The real application on a fresh migrated database, with a fixed clock. */
export async function createTestApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const db: TestDatabase = await createTestDatabase();
  const config = testAppConfig(db.config, overrides);
  const clock = new FixedClock(TEST_NOW);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .setLogger(false as never)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger: false, bodyParser: false });
  configureApp(app);
  checkResponsesAgainstOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const admin = await insertTestUser(app.get(DataSource), { name: 'Test platform admin', roles: ['admin'] }, TEST_NOW.toISOString());
  return {
    app,
    clock,
    config,
    admin,
    close: async () => {
      await app.close();
      await db.dispose();
      rmSync(config.evidenceDir, { recursive: true, force: true });
    },
    request: async (method, url, body, options = {}) => {
      const key = options.as === undefined ? admin.apiKey : options.as;
      const headers: Record<string, string> = {
        ...(key === null ? {} : { 'x-api-key': key }),
        ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      };
      const res = await app.inject({
        method,
        url,
        headers,
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
      });
      let parsed: unknown = undefined;
      try {
        parsed = res.body.length > 0 ? JSON.parse(res.body) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers, text: res.body };
    },
  };
}
