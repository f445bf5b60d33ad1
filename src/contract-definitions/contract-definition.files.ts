import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root (where package.json and contracts/ live), found from this file rather than the
 * working directory, so the schema and the demo documents are found from src/ under ts-jest and from
 * dist/src/ in the built service and CLI alike.
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'contracts'))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`No project root (package.json next to contracts/) above ${__dirname}`);
    }
    dir = parent;
  }
}

export function contractsPath(...parts: string[]): string {
  return join(projectRoot(), 'contracts', ...parts);
}

export const SCHEMA_FILE = ['schema', 'contract-definition.schema.json'] as const;
/** The payment rule-set schema, which the contract definition schema refers to for `paymentRules`. */
export const RULE_SET_SCHEMA_FILE = ['schema', 'rule-set.schema.json'] as const;
export const DEMO_CONTRACT_FILE = ['examples', 'padova-sdc-2.0.json'] as const;
