import { isAbsolute, resolve } from 'node:path';

/** Where evidence files go unless EVIDENCE_DIR says otherwise: beside the default SQLite file (data/). */
export const DEFAULT_EVIDENCE_DIR = 'data/evidence';
export const EVIDENCE_DIR = Symbol('EVIDENCE_DIR');

/**
 * The evidence directory from the environment (EVIDENCE_DIR), resolved to an absolute path; unset or
 * empty means data/evidence under the working directory. Throws on a value that cannot be a path.
 * To move into the typed configuration (docs/decisions/0007) as `evidenceDir`.
 */
export function evidenceDirectory(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  const raw = env.EVIDENCE_DIR?.trim() ?? '';
  const value = raw === '' ? DEFAULT_EVIDENCE_DIR : raw;
  if (value.includes('\0') || value.length > 1024) {
    throw new Error('EVIDENCE_DIR must be a directory path');
  }
  return isAbsolute(value) ? value : resolve(cwd, value);
}
