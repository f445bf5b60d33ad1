import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OpenDataFixture, seedOpenDataContract } from 'test/support/open-data-fixtures';
import { seedContract } from 'test/support/fixtures';
import { validateIatiActivities } from 'test/support/official-schemas';
import { createTestApp, TEST_NOW, TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// A project of the Padova contract published as an IATI 2.03 activity: the binding indicators with
// baselines, targets and the accepted Y2 actuals per grouping (member rows aggregated), validated against
// the official XSD; small counts suppressed on request; each reader sees only the results it may see.

describe('open data: IATI activity of a project', () => {
  let t: TestApp;
  let od: OpenDataFixture;
  let otherManager: TestUser;
  let otherEts: TestUser;

  const iati = (query = '', as?: TestUser, projectId = od.fx.projectId) =>
    t.request('GET', `/api/v1/projects/${projectId}/iati${query}`, undefined, as === undefined ? {} : { as: as.apiKey });

  beforeAll(async () => {
    t = await createTestApp();
    od = await seedOpenDataContract(t);
    const other = await seedContract(t.app, { key: 'VE' });
    otherManager = await insertTestUser(t.app.get(DataSource), { name: 'Manager Venezia', roles: ['contract_manager'], organisationId: other.municipalityId }, TEST_NOW.toISOString());
    otherEts = await insertTestUser(t.app.get(DataSource), { name: 'ETS Venezia', roles: ['ets_member'], organisationId: other.etsIds.AURORA }, TEST_NOW.toISOString());
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers an attachment that is valid against the official IATI 2.03 schema', async () => {
    const res = await iati('', od.users.manager);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="iati-PRJ-PD.xml"; filename*=UTF-8''iati-PRJ-PD.xml`);
    expect(await validateIatiActivities(res.text)).toEqual({ valid: true, errors: [] });
  });

  it('identifies the activity by the default reporting-org ref and the project code, with the Comune funding and the ETS implementing', async () => {
    const xml = (await iati('', od.users.auditor)).text;
    expect(xml).toContain('<iati-identifier>XI-ANCORA-C-PADOVA-PD-PRJ-PD</iati-identifier>');
    expect(xml).toMatch(/<reporting-org ref="XI-ANCORA-C-PADOVA-PD" type="11">\s*<narrative xml:lang="it">Comune di Padova<\/narrative>/);
    expect(xml).toMatch(/<title>\s*<narrative xml:lang="it">Sviluppo di Comunità 2.0<\/narrative>/);
    expect(xml.match(/<participating-org [^>]*role="1"/g)).toHaveLength(1);
    expect(xml.match(/<participating-org [^>]*role="4"/g)).toHaveLength(5);
    expect(xml).toContain('<activity-status code="2"/>');
    expect(xml).toContain('<activity-date type="3" iso-date="2027-06-30"/>');
  });

  it('publishes one outcome result per outcome node, with baselines, Y2 and Y3 targets and the accepted Y2 actuals per grouping', async () => {
    const xml = (await iati('', od.users.manager)).text;
    expect(xml.match(/<result type="2">/g)).toHaveLength(5);
    expect(xml).toMatch(/<result type="2">\s*<title>\s*<narrative xml:lang="it">Aumento platea dei destinatari, per target e diverse tipologie di bisogno<\/narrative>/);
    expect(xml).toContain('<reference vocabulary="99" code="CTR-PD/IND-03"/>');
    expect(xml).toMatch(/<baseline year="2022" value="1100">\s*<dimension name="grouping" value="RTI-A"\/>/);
    expect(xml).toMatch(/<period-start iso-date="2025-07-01"\/>\s*<period-end iso-date="2026-06-30"\/>\s*<target value="1320">/);
    // IND-03 for RTI-A: Aurora 900 + Borgo Vivo 450, parts summed; RTI-B's one row as it is.
    expect(xml).toMatch(/<actual value="1350">\s*<dimension name="grouping" value="RTI-A"\/>\s*<comment>/);
    expect(xml).toMatch(/<actual value="1346">\s*<dimension name="grouping" value="RTI-A"\/>\s*<dimension name="TARGET_GROUP" value="OVER60"\/>/);
    expect(xml).toMatch(/<actual value="4">\s*<dimension name="grouping" value="RTI-A"\/>\s*<dimension name="TARGET_GROUP" value="UNDER60"\/>/);
    expect(xml).toMatch(/<actual value="1100">\s*<dimension name="grouping" value="RTI-B"\/>\s*<\/actual>/);
    // IND-04 (LEVEL, no ascending): the survey mean weighted by sample (78.0 x 240 + 73.5 x 210) / 450; IND-05 from 2100 / 30000 x 100.
    expect(xml).toMatch(/<indicator measure="2">\s*<title>\s*<narrative xml:lang="it">Partecipanti soddisfatti/);
    expect(xml).toMatch(/<actual value="75.9">\s*<dimension name="grouping" value="RTI-A"\/>\s*<comment>/);
    expect(xml).toMatch(/<actual value="7">\s*<dimension name="grouping" value="RTI-A"\/>/);
    expect(xml).toMatch(/<target value="80.0"\/>/);
  });

  it('with suppressBelow=5 leaves out UNDER60 (3 + 1) and its complement OVER60, saying so, and stays valid', async () => {
    const res = await iati('?suppressBelow=5', od.users.manager);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<actual value="1346">/);
    expect(res.text).not.toMatch(/<dimension name="grouping" value="RTI-A"\/>\s*<dimension name="TARGET_GROUP"/);
    expect(res.text).toMatch(/<actual value="1350">/);
    expect(res.text).toContain('Small-number suppression: values below 5 and their complements not published (TARGET_GROUP: OVER60, UNDER60)');
    expect(res.text).toMatch(/<actual value="300">\s*<dimension name="grouping" value="RTI-B"\/>\s*<dimension name="TARGET_GROUP" value="UNDER60"\/>/);
    expect(await validateIatiActivities(res.text)).toEqual({ valid: true, errors: [] });
    // Below the smallest part nothing is suppressed.
    expect((await iati('?suppressBelow=1', od.users.manager)).text).toMatch(/<actual value="4">/);
  });

  it("gives ETS staff their own grouping's results only, with every agreed target", async () => {
    const xml = (await iati('', od.users.edera)).text;
    expect(xml).toMatch(/<actual value="1100">/);
    expect(xml).not.toMatch(/<actual value="1350">/);
    expect(xml).not.toMatch(/<actual value="75.9">/);
    expect(xml).toMatch(/<target value="1320">/);
    expect(await validateIatiActivities(xml)).toEqual({ valid: true, errors: [] });
    const borgo = (await iati('', od.users.borgo)).text;
    expect(borgo).toMatch(/<actual value="1350">/);
    expect(borgo).not.toMatch(/<actual value="1100">/);
  });

  it('answers 404 OPEN_DATA_PROJECT_NOT_FOUND to who may not read the project or for no project, 400 for bad input, 401 without a key', async () => {
    for (const [who, projectId] of [
      [otherManager, od.fx.projectId],
      [otherEts, od.fx.projectId],
      [od.users.manager, randomUUID()],
    ] as const) {
      const res = await iati('', who, projectId);
      expect({ status: res.status, code: res.body?.code }).toEqual({ status: 404, code: 'OPEN_DATA_PROJECT_NOT_FOUND' });
    }
    for (const query of ['?suppressBelow=-1', '?suppressBelow=2.5', '?suppressBelow=1001', '?suppressBelow=x', '?other=1']) {
      const res = await iati(query, od.users.manager);
      expect({ query, status: res.status, code: res.body?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await t.request('GET', '/api/v1/projects/not-a-uuid/iati')).status).toBe(400);
    expect((await t.request('GET', `/api/v1/projects/${od.fx.projectId}/iati`, undefined, { as: null })).status).toBe(401);
  });
});
