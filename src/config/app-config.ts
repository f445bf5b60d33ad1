import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

const PORT_MESSAGE = 'PORT must be a whole number from 0 to 65535';

/** Environment variables the service reads. Validated once at boot; a bad value stops the start. */
export class EnvironmentVariables {
  // Digits only: Number() would also take "1e3", "0x50" or " 80 " and start on a port nobody asked for.
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value))
  @IsInt({ message: PORT_MESSAGE })
  @Min(0, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  SQLITE_PATH?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA?: boolean;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /** Where uploaded evidence files are stored (relative to the working directory, or absolute). */
  @IsOptional()
  @IsString()
  @Matches(/^[^\0]{1,1024}$/, { message: 'EVIDENCE_DIR must be a directory path' })
  EVIDENCE_DIR?: string;

  /** Shared secret for HS256 bearer tokens from the municipality's identity provider. */
  @IsOptional()
  @IsString()
  @Matches(/^.{32,}$/s, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** PEM public key for RS256/ES256 bearer tokens (instead of JWT_SECRET). */
  @IsOptional()
  @IsString()
  @Matches(/-----BEGIN PUBLIC KEY-----/, { message: 'JWT_PUBLIC_KEY must be a PEM public key' })
  JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  JWT_AUDIENCE?: string;

  /** IATI organisation identifier of the publisher of the IATI exports (default XI-ANCORA-<municipality code>). */
  @IsOptional()
  @Matches(/^[^\s/&|?]{1,200}$/, { message: 'IATI_REPORTING_ORG_REF must be an IATI organisation identifier, without spaces, /, &, | or ?' })
  IATI_REPORTING_ORG_REF?: string;

  /** OCDS ocid prefix of the OCDS exports, followed by the contract code (default ocds-ancora-). */
  @IsOptional()
  @Matches(/^ocds-[A-Za-z0-9-]{1,60}$/, { message: 'OCDS_OCID_PREFIX must start with ocds- followed by letters, digits or -, e.g. ocds-a1b2c3-' })
  OCDS_OCID_PREFIX?: string;
}

export interface JwtConfig {
  /** HS256 with a shared secret, or RS256/ES256 with a public key. */
  key: { kind: 'secret'; secret: string } | { kind: 'public-key'; pem: string };
  issuer: string | null;
  audience: string | null;
}

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string };

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  demoData: boolean;
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty';
  /** Absolute directory of evidence files; never served as a static root. */
  evidenceDir: string;
  /** Null when bearer tokens are off (API keys only). */
  jwt: JwtConfig | null;
  /** IATI_REPORTING_ORG_REF when set; absent: XI-ANCORA-<municipality code> (src/open-data). */
  iatiReportingOrgRef?: string;
  /** OCDS_OCID_PREFIX when set; absent: ocds-ancora- (src/open-data). */
  ocdsOcidPrefix?: string;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

export const DEFAULT_SQLITE_PATH = 'data/ancora.sqlite';
export const DEFAULT_EVIDENCE_DIR = 'data/evidence';

/** Builds the typed configuration from the environment; shared by the app, the CLI and ormconfig.ts. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.fromEntries(
    Object.keys(new EnvironmentVariables())
      .concat(['PORT', 'HOST', 'DATABASE_URL', 'SQLITE_PATH', 'DEMO_DATA', 'LOG_LEVEL', 'LOG_FORMAT'])
      .concat(['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_ISSUER', 'JWT_AUDIENCE', 'EVIDENCE_DIR'])
      .concat(['IATI_REPORTING_ORG_REF', 'OCDS_OCID_PREFIX'])
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const vars = plainToInstance(EnvironmentVariables, known);
  const errors = validateSync(vars, { whitelist: true, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigurationError(errors.flatMap((e) => Object.values(e.constraints ?? {})));
  }
  if (vars.JWT_SECRET && vars.JWT_PUBLIC_KEY) {
    throw new ConfigurationError(['Set JWT_SECRET or JWT_PUBLIC_KEY, not both']);
  }
  return {
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '127.0.0.1',
    database: vars.DATABASE_URL
      ? { kind: 'postgres', url: vars.DATABASE_URL }
      : { kind: 'sqlite', path: vars.SQLITE_PATH ?? DEFAULT_SQLITE_PATH },
    demoData: vars.DEMO_DATA ?? true,
    logLevel: vars.LOG_LEVEL ?? 'info',
    logFormat: vars.LOG_FORMAT ?? 'json',
    evidenceDir: resolve(vars.EVIDENCE_DIR ?? DEFAULT_EVIDENCE_DIR),
    jwt: jwtConfig(vars),
    ...(vars.IATI_REPORTING_ORG_REF === undefined ? {} : { iatiReportingOrgRef: vars.IATI_REPORTING_ORG_REF }),
    ...(vars.OCDS_OCID_PREFIX === undefined ? {} : { ocdsOcidPrefix: vars.OCDS_OCID_PREFIX }),
  };
}

function jwtConfig(vars: EnvironmentVariables): JwtConfig | null {
  const key = vars.JWT_SECRET
    ? ({ kind: 'secret', secret: vars.JWT_SECRET } as const)
    : vars.JWT_PUBLIC_KEY
      ? ({ kind: 'public-key', pem: vars.JWT_PUBLIC_KEY } as const)
      : null;
  return key ? { key, issuer: vars.JWT_ISSUER ?? null, audience: vars.JWT_AUDIENCE ?? null } : null;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
