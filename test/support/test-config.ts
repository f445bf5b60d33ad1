import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, DatabaseConfig } from 'src/config/app-config';

/** The configuration tests run with: quiet, demo off, evidence files in a fresh temporary directory. */
export function testAppConfig(database: DatabaseConfig, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    database,
    demoData: false,
    logLevel: 'error',
    logFormat: 'json',
    evidenceDir: mkdtempSync(join(tmpdir(), 'ancora-evidence-')),
    jwt: null,
    ...overrides,
  };
}
