import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { validateXML } from 'xmllint-wasm';

// The official IATI and OCDS schemas the open-data exports are validated against. They are reference
// data from their publishers, not part of the project (../shared/schemas/README.md): read from the
// folder named by ANCORA_SCHEMAS_DIR, else ../shared/schemas seen from the project root. A test that
// needs them fails with this message when they are missing; it never passes without validating.

export const SCHEMAS_ENV = 'ANCORA_SCHEMAS_DIR';

export function officialSchemasDir(): string {
  const dir = process.env[SCHEMAS_ENV] ? resolve(process.env[SCHEMAS_ENV]) : resolve(__dirname, '..', '..', '..', 'shared', 'schemas');
  return dir;
}

export function readOfficialSchema(relativePath: string): string {
  const file = join(officialSchemasDir(), relativePath);
  if (!existsSync(file)) {
    throw new Error(
      `Official schema ${relativePath} not found at ${file}. The open-data tests validate against the published IATI and OCDS schemas ` +
        `and cannot run without them: put them in ../shared/schemas (see its README.md) or set ${SCHEMAS_ENV} to a folder holding ` +
        'iati-2.03/, ocds-1.1.5/ and ocds-metrics-extension/.',
    );
  }
  return readFileSync(file, 'utf8');
}

export interface SchemaValidation {
  valid: boolean;
  errors: string[];
}

/** Validates an IATI activity file against iati-activities-schema.xsd 2.03 (with iati-common.xsd and xml.xsd) with libxml2's xmllint. */
export async function validateIatiActivities(xml: string): Promise<SchemaValidation> {
  const result = await validateXML({
    xml: [{ fileName: 'activity.xml', contents: xml }],
    schema: [{ fileName: 'iati-activities-schema.xsd', contents: readOfficialSchema('iati-2.03/iati-activities-schema.xsd') }],
    preload: [
      { fileName: 'iati-common.xsd', contents: readOfficialSchema('iati-2.03/iati-common.xsd') },
      { fileName: 'xml.xsd', contents: readOfficialSchema('iati-2.03/xml.xsd') },
    ],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

// json-merge-patch ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mergePatch = require('json-merge-patch') as { apply(target: unknown, patch: unknown): unknown };

let ocdsValidator: ValidateFunction | null = null;

/**
 * The OCDS 1.1.5 release package schema, its releases checked against release-schema.json with the
 * metrics extension's release-schema.json applied as a JSON merge patch (RFC 7396), draft-04.
 */
export function validateOcdsReleasePackage(document: unknown): SchemaValidation {
  if (ocdsValidator === null) {
    const release = JSON.parse(readOfficialSchema('ocds-1.1.5/release-schema.json')) as Record<string, unknown>;
    const metrics = JSON.parse(readOfficialSchema('ocds-metrics-extension/release-schema.json')) as unknown;
    const patched = mergePatch.apply(structuredClone(release), metrics);
    const pkg = JSON.parse(readOfficialSchema('ocds-1.1.5/release-package-schema.json')) as unknown;
    // The schemas carry their own annotations (codelist, openCodelist, omitWhenMerged, ...): not strict.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(patched as object);
    ocdsValidator = ajv.compile(pkg as object);
  }
  const valid = ocdsValidator(document) === true;
  return { valid, errors: (ocdsValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`) };
}
