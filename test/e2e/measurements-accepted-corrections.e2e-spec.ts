import { acceptMeasurements, ExampleContract, importExample, PADOVA_CASE_A } from 'test/support/settlement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { TestUser } from 'test/support/test-users';

// Issue 3 ("corrections create a new version; the previous one stays readable") and issue 4 ("late or
// corrected data never change an approved settlement: reopening produces a new version that shows the
// delta") for a value found wrong after it was accepted. RTI-A's IND-01 (Padova Case A) was accepted as
// 11.0; the real figure is 12.0 (target met: the IND-01 line goes from 4,800.00 to 6,400.00). The last
// accepted version stays in force until a correction is accepted: a pending or returned correction changes
// nothing that settlements count.

type Item = { id: string; version: number; acceptedVersion: number | null; status: string; value: string };
type Source = { measurementId: string; version: number; value: string };

describe('measurements: correcting an accepted value (e2e)', () => {
  let t: TestApp;
  let fx: ExampleContract;
  let aurora: TestUser;
  let ind01: string;
  let fileV1: string;
  let fileV2: string;
  let approvedV1: { id: string; documentHash: string };
  const post = (url: string, body: unknown, as: TestUser) => t.request('POST', `/api/v1${url}`, body, { as: as.apiKey });
  const get = (url: string, as: TestUser) => t.request('GET', `/api/v1${url}`, undefined, { as: as.apiKey });
  const upload = async (name: string): Promise<{ status: number; body: { id: string; measurementVersion: number } }> => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/measurements/${ind01}/evidence`,
      headers: { 'x-api-key': aurora.apiKey, 'content-type': 'application/pdf', 'x-filename': name },
      payload: Buffer.from(`%PDF-1.4\n% ${name}\n%%EOF\n`),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as { id: string; measurementVersion: number } };
  };
  const counted = async (): Promise<Item> => {
    const items = (await get(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/accepted-measurements`, fx.manager)).body.items as Item[];
    return items.find((x) => x.id === ind01) as Item;
  };
  const ind01Source = (doc: { inputs: { indicators: { code: string; sources: Source[] }[] } }): Source[] =>
    doc.inputs.indicators.find((i) => i.code === 'IND-01')?.sources ?? [];
  /** RTI-A's Y2 IND-01 as the OCDS export publishes it (the open data read the accepted version as settlements do). */
  const published = async (): Promise<string | undefined> => {
    type Release = { releases: { contracts: { id: string; implementation: { metrics?: { id: string; observations: { id: string; measure: string }[] }[] } }[] }[] };
    const body = (await get(`/contracts/${fx.contractId}/ocds`, fx.manager)).body as Release;
    const contract = body.releases[0].contracts.find((c) => c.id.endsWith('-RTI-A'));
    return contract?.implementation.metrics?.find((x) => x.id === 'IND-01')?.observations.find((o) => o.id === 'IND-01-Y2')?.measure;
  };
  const correct = (body: Record<string, unknown>, as: TestUser = aurora) => post(`/measurements/${ind01}/versions`, body, as);

  beforeAll(async () => {
    t = await createTestApp();
    fx = await importExample(t, 'padova-sdc-2.0.json');
    aurora = fx.leads['RTI-A'];
    // IND-01 with a file, then accepted; the rest of Case A as the fixture accepts it.
    const created = await post(`/contracts/${fx.contractId}/measurements`, { indicatorCode: 'IND-01', periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-A'], value: '11.0' }, aurora);
    expect(created.status).toBe(201);
    ind01 = created.body.id as string;
    fileV1 = (await upload('registro-v1.pdf')).body.id;
    expect((await post(`/measurements/${ind01}/accept`, { expectedVersion: 1 }, fx.manager)).body).toMatchObject({ status: 'ACCEPTED', version: 1, acceptedVersion: 1 });
    const rest = Object.fromEntries(Object.entries(PADOVA_CASE_A).filter(([code]) => code !== 'IND-01'));
    await acceptMeasurements(t, fx, 'Y2', 'RTI-A', rest);
  });

  afterAll(async () => {
    await t.close();
  });

  it('the ETS corrects an accepted value into version 2, SUBMITTED; version 1 stays accepted, readable and in force', async () => {
    // Only the submitting organisation's staff, as for any correction; the values are checked as always.
    expect((await correct({ value: '12.0', reason: 'x' }, fx.leads['RTI-B'])).status).toBe(404);
    expect((await correct({ value: '12.0', reason: 'x' }, fx.manager)).body.code).toBe('AUTH_FORBIDDEN');
    expect((await correct({ value: '101', reason: 'x' }, aurora)).body.code).toBe('MEASUREMENT_VALUE_OUT_OF_RANGE');
    expect((await correct({ value: '12.0', reason: 'x', expectedVersion: 2 })).body).toMatchObject({
      code: 'MEASUREMENT_STATE_CONFLICT',
      details: { id: ind01, status: 'ACCEPTED', version: 1 },
    });
    // Sending it again names the way to correct it.
    const again = await post(`/contracts/${fx.contractId}/measurements`, { indicatorCode: 'IND-01', periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-A'], value: '12.0' }, aurora);
    expect([again.status, again.body.code, again.body.details.fields[0].message]).toEqual([
      409,
      'MEASUREMENT_ALREADY_EXISTS',
      `IND-01 is already measured for Y2 and RTI-A (measurement ${ind01}): correct it (POST /api/v1/measurements/${ind01}/versions)`,
    ]);
    expect((await get(`/measurements/${ind01}`, aurora)).body).toMatchObject({ status: 'ACCEPTED', version: 1, acceptedVersion: 1, value: '11.0' });

    const corrected = await correct({ value: '12.0', reason: 'Il registro di dicembre era incompleto', expectedVersion: 1 });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ status: 'SUBMITTED', version: 2, acceptedVersion: 1, value: '12.0', reviewOutcome: null });
    const versions = (await get(`/measurements/${ind01}/versions`, fx.auditor)).body.items as Record<string, unknown>[];
    expect(versions.map((v) => [v.version, v.value, v.reviewOutcome, v.correctionReason])).toEqual([
      [1, '11.0', 'ACCEPTED', null],
      [2, '12.0', null, 'Il registro di dicembre era incompleto'],
    ]);
  });

  it('while the correction is pending, what settlement counts is version 1: accepted-measurements and a computed draft', async () => {
    expect(await counted()).toMatchObject({ id: ind01, status: 'ACCEPTED', version: 1, acceptedVersion: 1, value: '11.0' });
    expect(await published()).toBe('11');
    const computed = await post(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, fx.manager);
    expect(computed.status).toBe(201);
    const draft = (computed.body.computed as { id: string; groupingCode: string; documentHash: string }[]).find((s) => s.groupingCode === 'RTI-A')!;
    const doc = (await get(`/settlements/${draft.id}`, fx.auditor)).body;
    expect(ind01Source(doc.document)).toEqual([expect.objectContaining({ measurementId: ind01, version: 1, value: '11.0' })]);
    expect(doc.premium).toBe('18960.00');
    // A pending correction does not make the draft stale: it is approved as computed.
    const approved = await post(`/settlements/${draft.id}/approve`, { documentHash: draft.documentHash }, fx.approver);
    expect([approved.status, approved.body.state]).toEqual([200, 'APPROVED']);
    approvedV1 = draft;
  });

  it('a SUBMITTED correction takes evidence; once returned, its own file may be removed, not the accepted version\'s', async () => {
    const added = await upload('registro-v2.pdf');
    expect([added.status, added.body.measurementVersion]).toEqual([201, 2]);
    fileV2 = added.body.id;
    const returned = await post(`/measurements/${ind01}/return`, { reason: 'Manca la firma sul registro', expectedVersion: 2 }, fx.manager);
    expect(returned.body).toMatchObject({ status: 'RETURNED', version: 2, acceptedVersion: 1, reviewReason: 'Manca la firma sul registro' });
    const kept = await t.request('DELETE', `/api/v1/evidence/${fileV1}`, undefined, { as: aurora.apiKey });
    expect([kept.status, kept.body]).toEqual([
      409,
      {
        code: 'MEASUREMENT_STATE_CONFLICT',
        message: 'This file was added at version 1; the files up to accepted version 1, which still counts, are final',
        details: { id: ind01, status: 'RETURNED', version: 2, evidenceId: fileV1 },
      },
    ]);
    expect((await t.request('DELETE', `/api/v1/evidence/${fileV2}`, undefined, { as: aurora.apiKey })).status).toBe(204);
  });

  it('a returned correction leaves version 1 counting; the ETS corrects again, as a draft first', async () => {
    expect(await counted()).toMatchObject({ version: 1, acceptedVersion: 1, value: '11.0' });
    const draft = await correct({ value: '12.0', reason: 'Registro firmato', submit: false, expectedVersion: 2 });
    expect(draft.body).toMatchObject({ status: 'DRAFT', version: 3, acceptedVersion: 1, submittedAt: null });
    expect(await counted()).toMatchObject({ version: 1, value: '11.0' });
    const submitted = await post(`/measurements/${ind01}/submit`, { expectedVersion: 3 }, aurora);
    expect(submitted.body).toMatchObject({ status: 'SUBMITTED', version: 3, acceptedVersion: 1 });
  });

  it('accepting and correcting at the same time: the review of version 3 and the correction are serialised, never both on version 3 unseen', async () => {
    const [accepted, corrected] = await Promise.all([
      post(`/measurements/${ind01}/accept`, { expectedVersion: 3 }, fx.manager),
      correct({ value: '12.0', reason: 'Stesso valore, nota aggiornata', methodNotes: 'registro firmato', expectedVersion: 3 }),
    ]);
    expect(corrected.status).toBe(201);
    const after = (await get(`/measurements/${ind01}`, fx.manager)).body;
    if (accepted.status === 200) {
      // The review came first: version 3 is in force, the correction waits on top of it.
      expect(accepted.body).toMatchObject({ status: 'ACCEPTED', version: 3, acceptedVersion: 3 });
      expect(corrected.body).toMatchObject({ status: 'SUBMITTED', version: 4, acceptedVersion: 3 });
    } else {
      // The correction came first: the manager reviewed a version that was no longer the current one.
      expect([accepted.status, accepted.body.code, accepted.body.details]).toEqual([409, 'MEASUREMENT_STATE_CONFLICT', { id: ind01, status: 'SUBMITTED', version: 4 }]);
      expect(corrected.body).toMatchObject({ status: 'SUBMITTED', version: 4, acceptedVersion: 1 });
    }
    expect(after).toMatchObject({ status: 'SUBMITTED', version: 4, acceptedVersion: corrected.body.acceptedVersion });
  });

  it('accepting the correction puts it in force: accepted-measurements shows it; the approved settlement is unchanged until reopened', async () => {
    const accepted = await post(`/measurements/${ind01}/accept`, { expectedVersion: 4 }, fx.manager);
    expect(accepted.body).toMatchObject({ status: 'ACCEPTED', version: 4, acceptedVersion: 4, value: '12.0' });
    expect(await counted()).toMatchObject({ status: 'ACCEPTED', version: 4, acceptedVersion: 4, value: '12.0' });
    expect(await published()).toBe('12');

    // Computing the period again drafts only RTI-B (no data): RTI-A's approved version stays as it was and still verifies.
    const again = await post(`/contracts/${fx.contractId}/periods/${fx.periodIds.Y2}/settlements`, {}, fx.manager);
    expect([again.status, (again.body.computed as { groupingCode: string }[]).map((s) => s.groupingCode)]).toEqual([201, ['RTI-B']]);
    const before = (await get(`/settlements/${approvedV1.id}`, fx.auditor)).body;
    expect([before.state, before.premium, before.documentHash]).toEqual(['APPROVED', '18960.00', approvedV1.documentHash]);
    expect(ind01Source(before.document)).toEqual([expect.objectContaining({ version: 1, value: '11.0' })]);
    expect((await get(`/settlements/${approvedV1.id}/verify`, fx.auditor)).body).toMatchObject({ matches: true });

    const reopened = await post(`/settlements/${approvedV1.id}/reopen`, { reason: 'IND-01 di RTI-A corretto dopo l\'accettazione' }, fx.approver);
    expect(reopened.status).toBe(201);
    expect(ind01Source(reopened.body.document)).toEqual([expect.objectContaining({ measurementId: ind01, version: 4, value: '12.0' })]);
    const delta = reopened.body.document.delta;
    expect(delta).toMatchObject({ previousId: approvedV1.id, previousVersion: 1, premium: { before: '18960.00', after: '20560.00', change: '1600.00' } });
    expect(delta.lines.find((l: { termId: string }) => l.termId === 'IND-01')).toEqual({ termId: 'IND-01', before: '4800.00', after: '6400.00', change: '1600.00' });
    const approved = await post(`/settlements/${reopened.body.id}/approve`, { documentHash: reopened.body.documentHash }, fx.secondApprover);
    expect(approved.body).toMatchObject({ state: 'APPROVED', version: 2, premium: '20560.00' });
    expect((await get(`/settlements/${approvedV1.id}`, fx.auditor)).body.state).toBe('SUPERSEDED');
  });

  it('a closed period refuses the correction of an accepted value, and nothing changes', async () => {
    expect((await post(`/contract-periods/${fx.periodIds.Y2}/close`, {}, fx.manager)).status).toBe(200);
    const refused = await correct({ value: '11.5', reason: 'ancora', expectedVersion: 4 });
    expect([refused.status, refused.body.code]).toEqual([422, 'MEASUREMENT_PERIOD_CLOSED']);
    expect((await get(`/measurements/${ind01}`, aurora)).body).toMatchObject({ status: 'ACCEPTED', version: 4, acceptedVersion: 4 });
  });
});
