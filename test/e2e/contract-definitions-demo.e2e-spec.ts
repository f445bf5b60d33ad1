import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { DemoDataLoader } from 'src/demo/demo-data.loader';
import { createTestApp, TestApp } from 'test/support/test-app';

const EXAMPLES = join(__dirname, '..', '..', 'contracts', 'examples');
const example = (file: string): unknown => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));

describe('demo data loader', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('loads the Padova example once into an empty database, and not again', async () => {
    const loader = t.app.get(DemoDataLoader);
    const first = await loader.loadIfEmpty();
    expect(first).toMatchObject({ code: 'PD-SDC-2.0', projectCode: 'PD-SDC-2.0', counts: { groupings: 2, indicators: 6 } });

    const exported = await t.request('GET', `/api/v1/contracts/${first!.id}/definition`);
    expect(canonicalize(exported.body)).toBe(canonicalize(example('padova-sdc-2.0.json')));

    expect(await loader.loadIfEmpty()).toBeNull();
    const orgs = await t.request('GET', '/api/v1/organisations');
    expect(orgs.body.page.total).toBe(6);
  });

  it('leaves a database that already has a contract alone', async () => {
    const bergamo = await t.request('POST', '/api/v1/contract-definitions', example('bergamo-elderly-platform.json'));
    expect(bergamo.status).toBe(201);
    expect(await t.app.get(DemoDataLoader).loadIfEmpty()).toBeNull();
    const orgs = await t.request('GET', '/api/v1/organisations');
    expect(orgs.body.items.map((o: { code: string }) => o.code)).not.toContain('C-PADOVA');
  });
});
