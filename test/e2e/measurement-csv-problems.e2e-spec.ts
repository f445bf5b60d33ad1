import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { MeasurementEntity, MeasurementEvidenceEntity, MeasurementVersionEntity } from 'src/measurements/measurement.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { bindPadovaIndicators } from 'test/support/measurement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { TestUser } from 'test/support/test-users';

// What a PostgreSQL walkthrough found in the CSV upload: a NUL character in a cell reached the database
// (`invalid byte sequence for encoding "UTF8": 0x00`, a 500), and a part column whose name is not a value of
// its dimension was told by quoting the cell ("2") instead of the column. Run on SQLite and PostgreSQL
// (ANCORA_TEST_DB=postgres): each refusal is a 4xx naming line and column, and stores nothing.

describe('measurement CSV problems: NUL characters and part columns (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ContractFixture;
  let aurora: TestUser;

  const csv = async (text: string, query = '') => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contracts/${fx.contractId}/measurements/csv${query}`,
      headers: { 'x-api-key': aurora.apiKey, 'content-type': 'text/csv' },
      payload: Buffer.from(text, 'utf8'),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  const counts = async () => ({
    measurements: await ds.getRepository(MeasurementEntity).count(),
    versions: await ds.getRepository(MeasurementVersionEntity).count(),
    evidence: await ds.getRepository(MeasurementEvidenceEntity).count(),
    audit: await ds.getRepository(AuditEntryEntity).count(),
  });

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    fx = await seedContract(t.app);
    ({ aurora } = await bindPadovaIndicators(t, fx));
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses a NUL character in a cell with 422 MEASUREMENT_CSV_INVALID on its line and column, with the other rows\' problems, storing nothing', async () => {
    const before = await counts();
    const file = [
      'indicator,period,grouping,value,sampleSize,methodNotes',
      'IND-02,Y2,RTI-A,10,10,a\u0000b',
      'IND-02,Y3,RTI-\u0000A,1.5.0,,',
      'IND-02,Y9,RTI-A,4,,',
      '',
    ].join('\n');
    const res = await csv(file, '?submit=false');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      code: 'MEASUREMENT_CSV_INVALID',
      message: '3 rows are invalid (lines 2, 3, 4): nothing was stored',
      details: {
        separator: ',',
        rows: [
          { line: 2, column: 'methodNotes', code: 'noNulCharacter', message: '"a\\u0000b" must not contain a NUL character (\\u0000)' },
          { line: 3, column: 'grouping', code: 'noNulCharacter', message: '"RTI-\\u0000A" must not contain a NUL character (\\u0000)' },
          {
            line: 3,
            column: 'value',
            code: 'MEASUREMENT_VALUE_NOT_A_NUMBER',
            message: '"1.5.0": must be a number written like 12.5 (digits, an optional minus, at most one decimal point; no thousands separators, units or spaces)',
          },
          { line: 4, column: 'period', code: 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT', message: `"Y9" is not a period of contract ${fx.contractCode} (periods: Y1, Y2, Y3)` },
        ],
        problemCount: 4,
        truncated: false,
      },
    });
    expect(await counts()).toEqual(before);
  });

  it('tells, in one answer, a row\'s badly written number and the period it names that the contract lacks', async () => {
    const before = await counts();
    const file = [
      'indicator;period;grouping;value;sampleSize;methodNotes',
      'IND-02;Y9;RTI-A;12.5;;', // a point in a semicolon file, and no period Y9: both at once
      'IND-02;;RTI-A;12.5;;', // no period at all: "is required", not also "is not a period"
      'IND-09;Y2;RTI-A;1.5;;', // an indicator not in force, beside its number
      '',
    ].join('\n');
    const res = await csv(file, '?submit=false');
    expect(res.status).toBe(422);
    const comma = '"12.5": use a decimal comma in a semicolon-separated file (e.g. 12,5), without thousands separators';
    expect(res.body.details.rows.map((r: { line: number; column: string; code: string; message: string }) => [r.line, r.column, r.code])).toEqual([
      [2, 'value', 'MEASUREMENT_CSV_INVALID'],
      [2, 'period', 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT'],
      [3, 'value', 'MEASUREMENT_CSV_INVALID'],
      [3, 'period', 'MEASUREMENT_CSV_INVALID'],
      [4, 'value', 'MEASUREMENT_CSV_INVALID'],
      [4, 'indicator', 'MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION'],
    ]);
    expect(res.body.details.rows[0].message).toBe(comma);
    expect(res.body.details.rows[3].message).toBe('is required');
    expect(await counts()).toEqual(before);
  });

  it('refuses a NUL character in a header name with the other header problems (400 MEASUREMENT_CSV_COLUMNS_INVALID)', async () => {
    const before = await counts();
    const res = await csv('indicator;period;grouping;value;method\u0000Notes;valore\nIND-02;Y2;RTI-A;1;x;y\n');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MEASUREMENT_CSV_COLUMNS_INVALID');
    expect(res.body.message).toBe('2 problems in the header: column 5 contains a NUL character; unknown column "valore"');
    expect(res.body.details.fields.map((f: { field: string; code: string }) => [f.field, f.code])).toEqual([
      ['column 5', 'noNulCharacter'],
      ['valore', 'MEASUREMENT_CSV_COLUMN_UNKNOWN'],
    ]);
    expect(await counts()).toEqual(before);
  });

  it('names the column, not the cell, when a part column is not a value of its dimension', async () => {
    const before = await counts();
    const res = await csv('indicator;period;grouping;value;TARGET_GROUP:OVER60;TARGET_GROUP:X\nIND-03;Y2;RTI-A;5;3;2\n');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('MEASUREMENT_CSV_INVALID');
    expect(res.body.details.rows).toContainEqual({
      line: 2,
      column: 'TARGET_GROUP:X',
      code: 'MEASUREMENT_DISAGGREGATION_INVALID',
      message: 'column TARGET_GROUP:X: X is not a value of dimension TARGET_GROUP (OVER60, UNDER60)',
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses an evidence name that is NUL once percent-decoded (X-Filename: a%00b.pdf) with 400, storing nothing', async () => {
    const draft = await t.request(
      'POST',
      `/api/v1/contracts/${fx.contractId}/measurements`,
      { indicatorCode: 'IND-02', periodId: fx.periodIds.Y2, groupingId: fx.groupingIds['RTI-A'], value: '3', submit: false },
      { as: aurora.apiKey },
    );
    expect(draft.status).toBe(201);
    const before = await counts();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/measurements/${draft.body.id}/evidence`,
      headers: { 'x-api-key': aurora.apiKey, 'content-type': 'application/pdf', 'x-filename': 'a%00b.pdf' },
      payload: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    expect([res.statusCode, JSON.parse(res.body).code]).toEqual([400, 'MEASUREMENT_EVIDENCE_FILENAME_INVALID']);
    expect(await counts()).toEqual(before);
  });
});
