import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from 'src/app.module';
import { configureApp } from 'src/app/create-app';
import { Clock, FixedClock } from 'src/common/clock/clock';
import { AppConfig } from 'src/config/app-config';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createTestDatabase, TestDatabase } from 'test/support/test-database';

export const TEST_NOW = new Date('2026-01-15T10:00:00.000Z');

export interface TestApp {
  app: NestFastifyApplication;
  clock: FixedClock;
  config: AppConfig;
  close(): Promise<void>;
  /** Sends a request through Fastify without a socket; bodies are JSON unless a string is given. */
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<TestResponse>;
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
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    database: db.config,
    demoData: false,
    logLevel: 'error',
    logFormat: 'json',
    ...overrides,
  };
  const clock = new FixedClock(TEST_NOW);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .setLogger(false as never)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter({ bodyLimit: 10 * 1024 * 1024 }), { logger: false, bodyParser: false });
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    clock,
    config,
    close: async () => {
      await app.close();
      await db.dispose();
    },
    request: async (method, url, body) => {
      const res = await app.inject({
        method,
        url,
        ...(body === undefined
          ? {}
          : typeof body === 'string'
            ? { payload: body, headers: { 'content-type': 'application/json' } }
            : { payload: body as object }),
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
