import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import canonicalize from 'canonicalize';
import { DataSource } from 'typeorm';
import { ENTITIES } from 'src/database/entities';
import { createTestApp, TestApp } from 'test/support/test-app';

// Every document in contracts/examples imports, exports exactly as written, and survives a second round
// trip through a fresh database; every document in contracts/invalid is refused with the code its file
// name starts with (`<CODE>[.<slug>].json`) and leaves every table as it was. The invalid documents are
// copies of the Padova example with one thing broken; they are sent to a database that already holds the
// Bergamo example, so the 409 cases (existing project, contract, organisation) have something to hit.

const CONTRACTS = join(__dirname, '..', '..', 'contracts');
const EXAMPLES = readdirSync(join(CONTRACTS, 'examples')).filter((f) => f.endsWith('.json')).sort();
const INVALID = readdirSync(join(CONTRACTS, 'invalid')).filter((f) => f.endsWith('.json')).sort();
const CONFLICT_BASE = 'bergamo-elderly-platform.json';

function load(dir: 'examples' | 'invalid', file: string): unknown {
  return JSON.parse(readFileSync(join(CONTRACTS, dir, file), 'utf8'));
}

async function countRows(t: TestApp): Promise<Record<string, number>> {
  const dataSource = t.app.get(DataSource);
  const counts: Record<string, number> = {};
  for (const entity of ENTITIES) {
    counts[dataSource.getMetadata(entity).tableName] = await dataSource.getRepository(entity).count();
  }
  return counts;
}

describe('contract definition documents (golden)', () => {
  it('has examples and invalid documents to check', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['padova-sdc-2.0.json', CONFLICT_BASE]));
    expect(INVALID.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(EXAMPLES)('example %s', (file) => {
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      first = await createTestApp();
      second = await createTestApp();
    });

    afterAll(async () => {
      await first.close();
      await second.close();
    });

    it('imports, exports itself, and exports the same again after importing the export into a fresh database', async () => {
      const document = load('examples', file);
      const imported = await first.request('POST', '/api/v1/contract-definitions', document);
      expect(imported.status).toBe(201);

      const exported = await first.request('GET', `/api/v1/contracts/${imported.body.id}/definition`);
      expect(exported.status).toBe(200);
      expect(exported.body).toEqual(document);
      expect(canonicalize(exported.body)).toBe(canonicalize(document));

      const reimported = await second.request('POST', '/api/v1/contract-definitions', exported.body);
      expect(reimported.status).toBe(201);
      expect(reimported.body.id).not.toBe(imported.body.id);
      expect(reimported.body.counts).toEqual(imported.body.counts);
      const reexported = await second.request('GET', `/api/v1/contracts/${reimported.body.id}/definition`);
      expect(canonicalize(reexported.body)).toBe(canonicalize(exported.body));
      // Key order too: the exporter writes the schema's order, as the examples are written.
      expect(JSON.stringify(reexported.body, null, 2)).toBe(JSON.stringify(document, null, 2));
    });
  });

  describe('invalid documents', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
      const base = await t.request('POST', '/api/v1/contract-definitions', load('examples', CONFLICT_BASE));
      expect(base.status).toBe(201);
    });

    afterAll(async () => {
      await t.close();
    });

    it.each(INVALID)('%s is refused with its code and changes nothing', async (file) => {
      const expectedCode = basename(file, '.json').split('.')[0];
      const before = await countRows(t);
      const res = await t.request('POST', '/api/v1/contract-definitions', load('invalid', file));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: expect.any(Number), code: expectedCode });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.details.fields.length).toBeGreaterThan(0);
      expect(await countRows(t)).toEqual(before);
    });
  });
});
