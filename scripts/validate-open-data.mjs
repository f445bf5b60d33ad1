#!/usr/bin/env node
// Validates Ancora's open-data exports against the official schemas, with nothing installed beyond
// `npm ci` (no system xmllint): the same validators the tests use (docs/open-data.md).
//
//   node scripts/validate-open-data.mjs iati padova-iati.xml
//   node scripts/validate-open-data.mjs ocds padova-ocds.json
//
// Schemas: the folder in ANCORA_SCHEMAS_DIR, else ../shared/schemas next to the project (see its README).
// Exit 0 when valid, 1 with the errors when not, 2 on bad usage or missing schemas.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemas = process.env.ANCORA_SCHEMAS_DIR ? resolve(process.env.ANCORA_SCHEMAS_DIR) : resolve(root, '..', 'shared', 'schemas');
const [kind, file] = process.argv.slice(2);

function schema(path) {
  const full = join(schemas, path);
  if (!existsSync(full)) {
    process.stderr.write(`Official schema ${path} not found in ${schemas}: set ANCORA_SCHEMAS_DIR to the folder holding iati-2.03/, ocds-1.1.5/ and ocds-metrics-extension/.\n`);
    process.exit(2);
  }
  return readFileSync(full, 'utf8');
}

if (!['iati', 'ocds'].includes(kind) || !file || !existsSync(file)) {
  process.stderr.write('usage: node scripts/validate-open-data.mjs iati|ocds <file>\n');
  process.exit(2);
}

let errors = [];
if (kind === 'iati') {
  const { validateXML } = require('xmllint-wasm');
  const result = await validateXML({
    xml: [{ fileName: file, contents: readFileSync(file, 'utf8') }],
    schema: [{ fileName: 'iati-activities-schema.xsd', contents: schema('iati-2.03/iati-activities-schema.xsd') }],
    preload: [
      { fileName: 'iati-common.xsd', contents: schema('iati-2.03/iati-common.xsd') },
      { fileName: 'xml.xsd', contents: schema('iati-2.03/xml.xsd') },
    ],
  });
  errors = result.valid ? [] : result.errors.map((e) => e.rawMessage);
} else {
  const Ajv = require('ajv-draft-04');
  const addFormats = require('ajv-formats');
  const mergePatch = require('json-merge-patch');
  const release = mergePatch.apply(JSON.parse(schema('ocds-1.1.5/release-schema.json')), JSON.parse(schema('ocds-metrics-extension/release-schema.json')));
  const ajv = new (Ajv.default ?? Ajv)({ strict: false, allErrors: true });
  (addFormats.default ?? addFormats)(ajv);
  ajv.addSchema(release);
  const validate = ajv.compile(JSON.parse(schema('ocds-1.1.5/release-package-schema.json')));
  if (!validate(JSON.parse(readFileSync(file, 'utf8')))) errors = validate.errors.map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

if (errors.length === 0) {
  process.stdout.write(`${file}: valid ${kind === 'iati' ? 'IATI 2.03 activities' : 'OCDS 1.1.5 release package (with the metrics extension)'}\n`);
} else {
  process.stdout.write(`${file}: NOT valid\n${errors.join('\n')}\n`);
  process.exit(1);
}
