import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument, createApp } from 'src/app/create-app';
import { AppConfig } from 'src/config/app-config';

// The committed document lives with the other machine-readable contracts; CI fails when it is stale
// (test/e2e/openapi.e2e-spec.ts). Regenerate with `npm run openapi`.
export const OPENAPI_DOCUMENT_PATH = join('contracts', 'api', 'openapi.json');

/**
 * Builds the application without listening, on a throwaway SQLite database, and returns its OpenAPI
 * document. The document depends only on the code, never on data, so any empty database will do.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const dir = mkdtempSync(join(tmpdir(), 'ancora-openapi-'));
  const config: AppConfig = {
    port: 0,
    host: '127.0.0.1',
    database: { kind: 'sqlite', path: join(dir, 'openapi.sqlite') },
    demoData: false,
    logLevel: 'error',
    logFormat: 'json',
    evidenceDir: join(dir, 'evidence'),
    jwt: null,
  };
  try {
    const app = await createApp(config, false);
    try {
      return buildOpenApiDocument(app);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The committed form: two-space indentation, keys in the order Nest produces them, a trailing newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function writeOpenApiDocument(path = resolve(OPENAPI_DOCUMENT_PATH)): Promise<string> {
  const text = serializeOpenApiDocument(await generateOpenApiDocument());
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

if (require.main === module) {
  writeOpenApiDocument(process.argv[2]).then(
    (path) => process.stdout.write(`Wrote ${path}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
