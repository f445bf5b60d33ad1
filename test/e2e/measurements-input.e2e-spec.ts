import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { MeasurementEntity, MeasurementEvidenceEntity, MeasurementVersionEntity } from 'src/measurements/measurement.entity';
import { ContractFixture, seedContract } from 'test/support/fixtures';
import { bindPadovaIndicators } from 'test/support/measurement-fixtures';
import { createTestApp, TestApp } from 'test/support/test-app';
import { TestUser } from 'test/support/test-users';

// What an ETS walkthrough sent that the measurement input got wrong: an Italian Excel header ending in empty
// cells, spaces around cells, numbers such as "15%", every header problem at once, a sample size beyond the
// database's integer (a 500 on PostgreSQL), and an evidence name sent as raw UTF-8. Refusals change nothing.

describe('measurement input as spreadsheets and people write it (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fx: ContractFixture;
  let aurora: TestUser;

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) => t.request('POST', `/api/v1${url}`, body, { as: aurora.apiKey, headers });
  const csv = async (text: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contracts/${fx.contractId}/measurements/csv`,
      headers: { 'x-api-key': aurora.apiKey, 'content-type': 'text/csv; charset=utf-8' },
      payload: text,
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  const counts = async () => ({
    measurements: await ds.getRepository(MeasurementEntity).count(),
    versions: await ds.getRepository(MeasurementVersionEntity).count(),
    audit: await ds.getRepository(AuditEntryEntity).count(),
  });
  const item = (indicatorCode: string, period: 'Y1' | 'Y2' | 'Y3', extra: Record<string, unknown>) => ({
    indicatorCode,
    periodId: fx.periodIds[period],
    groupingId: fx.groupingIds['RTI-A'],
    ...extra,
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

  describe('CSV upload', () => {
    it('reads an Italian Excel file whose header ends in empty cells, with spaces around codes, numbers and notes', async () => {
      const file = [
        'indicator;period;grouping;value;sampleSize;methodNotes;;',
        'IND-02 ; Y2 ;RTI-A; 12 ;; registro accordi ;;',
        ' IND-04;Y2;RTI-A;83,4; 212;;',
        '',
      ].join('\r\n');
      const res = await csv(file);
      expect(res.status).toBe(201);
      expect(res.body.items.map((x: Record<string, unknown>) => [x.indicatorCode, x.periodCode, x.groupingCode, x.value, x.sampleSize, x.methodNotes])).toEqual([
        ['IND-02', 'Y2', 'RTI-A', '12', null, 'registro accordi'],
        ['IND-04', 'Y2', 'RTI-A', '83.4', 212, null],
      ]);
    });

    it('quotes the offending cell of every refused row, lists the codes it could have been, and stores nothing', async () => {
      const before = await counts();
      const file = [
        'indicator;period;grouping;value;sampleSize;;',
        'IND-01;Y01;RTI-A;5;;',
        'IND-99;Y3;RTI-A;5;;',
        'IND-01;Y3;RTI-Z;5;;',
        'IND-01;Y3;RTI-A;15%;;',
        'IND-02;Y3;RTI-A;abc;;',
        'IND-03;Y3;RTI-A;1,2,3;;',
        'IND-04;Y3;RTI-A;80;3000000000;',
        'IND-05;Y3;RTI-A;7;;9',
        'IND-01;Y1;RTI-A;100,5;;',
      ].join('\n');
      const res = await csv(file);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MEASUREMENT_CSV_INVALID');
      const plain = 'must be a number written like 12,5 (digits, an optional minus, at most one decimal comma; no thousands separators, units or spaces)';
      expect(res.body.details.rows).toEqual([
        { line: 2, column: 'period', code: 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT', message: `"Y01" is not a period of contract ${fx.contractCode} (periods: Y1, Y2, Y3)` },
        {
          line: 3,
          column: 'indicator',
          code: 'MEASUREMENT_INDICATOR_NOT_IN_BINDING_VERSION',
          message: '"IND-99" is not in binding version 1 in force for Y3 (its indicators: IND-01, IND-02, IND-03, IND-04, IND-05)',
        },
        { line: 4, column: 'grouping', code: 'MEASUREMENT_GROUPING_NOT_IN_CONTRACT', message: `"RTI-Z" is not a provider grouping of contract ${fx.contractCode} (groupings: RTI-A, RTI-B)` },
        { line: 5, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"15%": must be a number without "%": write 15 or 0,15, as the indicator's unit says` },
        { line: 6, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"abc": ${plain}` },
        { line: 7, column: 'value', code: 'MEASUREMENT_VALUE_NOT_A_NUMBER', message: `"1,2,3": ${plain}` },
        { line: 8, column: 'sampleSize', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: '"3000000000": must be a whole number of respondents from 0 to 1000000000, without decimals or thousands separators' },
        { line: 9, column: null, code: 'MEASUREMENT_CSV_INVALID', message: '"9" is in column 6, which has no name in the header: name the column or empty the cell' },
        { line: 10, column: 'value', code: 'MEASUREMENT_VALUE_OUT_OF_RANGE', message: '"100,5": must be at most 100 (PERCENT)' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('reports every header problem as a field with its code, keeping details.column', async () => {
      const before = await counts();
      const res = await csv('Indicator;period;valore;value\nIND-01;Y3;1;2\n');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: 'MEASUREMENT_CSV_COLUMNS_INVALID',
        message: '4 problems in the header: unknown column "Indicator"; unknown column "valore"; column "indicator" is missing; column "grouping" is missing',
        details: {
          column: 'Indicator',
          allowed: ['indicator', 'period', 'grouping', 'value', 'numerator', 'denominator', 'sampleSize', 'methodNotes', '<dimension>:<value>'],
          fields: [
            { field: 'Indicator', code: 'MEASUREMENT_CSV_COLUMN_UNKNOWN', message: 'is not a column of the format: names are matched exactly: write "indicator"' },
            { field: 'valore', code: 'MEASUREMENT_CSV_COLUMN_UNKNOWN', message: expect.stringMatching(/^is not a column of the format: the columns are indicator, /) },
            { field: 'indicator', code: 'MEASUREMENT_CSV_COLUMN_MISSING', message: 'is a required column' },
            { field: 'grouping', code: 'MEASUREMENT_CSV_COLUMN_MISSING', message: 'is a required column' },
          ],
          problemCount: 4,
          truncated: false,
        },
      });
      expect(await counts()).toEqual(before);
    });
  });

  describe('a refusal with many problems', () => {
    // A 2 MB file of 100,000 bad rows used to answer 34.6 MB with every line in the message: a refusal now
    // lists the first 100 problems in file order and counts them all.
    it('lists the first 100 problems of a CSV of 150 bad rows in file order, counts them, and stores nothing', async () => {
      const before = await counts();
      // Even lines fail their format (found by the reader), odd ones their period (found later): listed by line.
      const rows = Array.from({ length: 150 }, (_, i) => (i % 2 === 0 ? 'IND-01;Y3;RTI-A;abc' : 'IND-02;Y9;RTI-A;1'));
      const res = await csv(['indicator;period;grouping;value', ...rows].join('\n'));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MEASUREMENT_CSV_INVALID');
      expect(res.body.message).toBe(
        '150 rows are invalid: nothing was stored (details.rows lists the first 100 of 150 problems). The first is line 2, column value: ' +
          '"abc": must be a number written like 12,5 (digits, an optional minus, at most one decimal comma; no thousands separators, units or spaces)',
      );
      expect(res.body.details).toMatchObject({ separator: ';', problemCount: 150, truncated: true });
      const listed = res.body.details.rows as { line: number; column: string; code: string }[];
      expect(listed.map((r) => r.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
      expect(listed.slice(0, 2).map((r) => [r.line, r.column, r.code])).toEqual([
        [2, 'value', 'MEASUREMENT_VALUE_NOT_A_NUMBER'],
        [3, 'period', 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT'],
      ]);
      expect(await counts()).toEqual(before);
    });

    it('answers a CSV with a few bad rows as before: every problem, the lines in the message', async () => {
      const before = await counts();
      const res = await csv('indicator;period;grouping;value\nIND-01;Y9;RTI-A;1\nIND-02;Y3;RTI-A;5\nIND-01;Y3;RTI-A;abc\n');
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        code: 'MEASUREMENT_CSV_INVALID',
        message: '2 rows are invalid (lines 2, 4): nothing was stored',
        details: {
          separator: ';',
          rows: [
            { line: 2, column: 'period', code: 'MEASUREMENT_PERIOD_NOT_IN_CONTRACT', message: `"Y9" is not a period of contract ${fx.contractCode} (periods: Y1, Y2, Y3)` },
            {
              line: 4,
              column: 'value',
              code: 'MEASUREMENT_VALUE_NOT_A_NUMBER',
              message: '"abc": must be a number written like 12,5 (digits, an optional minus, at most one decimal comma; no thousands separators, units or spaces)',
            },
          ],
          problemCount: 2,
          truncated: false,
        },
      });
      expect(await counts()).toEqual(before);
    });

    it('lists the first 100 problems of a batch of 150 invalid items, with every invalid index, and stores nothing', async () => {
      const before = await counts();
      const items = Array.from({ length: 150 }, () => item('IND-99', 'Y3', { value: '1' }));
      const res = await post(`/contracts/${fx.contractId}/measurements/batch`, { items });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('MEASUREMENT_BATCH_INVALID');
      expect(res.body.message).toBe('150 of 150 items are invalid: nothing was stored (details.fields lists the first 100 of 150 problems)');
      expect(res.body.details).toMatchObject({ problemCount: 150, truncated: true });
      expect(res.body.details.invalidItems).toEqual(Array.from({ length: 150 }, (_, i) => i));
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(Array.from({ length: 100 }, (_, i) => `items[${i}].indicatorCode`));
      expect(await counts()).toEqual(before);
    });
  });

  describe('sampleSize bounds', () => {
    it('refuses a sample size beyond 1000000000 with 400 on single, batch and correction, storing nothing', async () => {
      const before = await counts();
      const single = await post(`/contracts/${fx.contractId}/measurements`, item('IND-04', 'Y3', { value: '80', sampleSize: 3000000000 }));
      const huge = await post(`/contracts/${fx.contractId}/measurements`, `{"indicatorCode":"IND-04","periodId":"${fx.periodIds.Y3}","groupingId":"${fx.groupingIds['RTI-A']}","value":"80","sampleSize":99999999999999999999}`);
      const batch = await post(`/contracts/${fx.contractId}/measurements/batch`, { items: [item('IND-04', 'Y3', { value: '80', sampleSize: 3000000000 })] });
      const field = (res: { body: { details: { fields: { field: string; message: string }[] } } }) => res.body.details.fields;
      expect([single.status, single.body.code, field(single)]).toEqual([400, 'VALIDATION_FAILED', [{ field: 'sampleSize', code: 'max', message: 'sampleSize must not be greater than 1000000000' }]]);
      expect([huge.status, huge.body.code, field(huge).map((f) => f.field)]).toEqual([400, 'VALIDATION_FAILED', ['sampleSize']]);
      expect([batch.status, batch.body.code, field(batch).map((f) => f.field)]).toEqual([400, 'VALIDATION_FAILED', ['items[0].sampleSize']]);
      expect(await counts()).toEqual(before);
    });

    it('stores the largest sample size (the column holds it on every database) and refuses a correction beyond it', async () => {
      const largest = await post(`/contracts/${fx.contractId}/measurements`, item('IND-04', 'Y3', { value: '80', sampleSize: 1000000000 }));
      expect([largest.status, largest.body.sampleSize]).toEqual([201, 1000000000]);
      const before = await counts();
      const correction = await post(`/measurements/${largest.body.id}/versions`, { value: '80', sampleSize: 2147483648, reason: 'rilevazione completa' });
      expect([correction.status, correction.body.code, correction.body.details.fields[0].field]).toEqual([400, 'VALIDATION_FAILED', 'sampleSize']);
      expect(await counts()).toEqual(before);
      const read = await t.request('GET', `/api/v1/measurements/${largest.body.id}`, undefined, { as: aurora.apiKey });
      expect([read.body.version, read.body.sampleSize]).toEqual([1, 1000000000]);
    });
  });

  describe('evidence file names', () => {
    const pdf = Buffer.from('%PDF-1.4\n% verbale\n%%EOF\n');
    let measurementId: string;

    beforeAll(async () => {
      const res = await post(`/contracts/${fx.contractId}/measurements`, item('IND-02', 'Y1', { value: '4', submit: false }));
      expect(res.status).toBe(201);
      measurementId = res.body.id;
    });

    it('stores a name sent as raw UTF-8 bytes over HTTP as written (attività.pdf, not attivitÃ .pdf)', async () => {
      // Through a socket, so the header bytes are decoded by Node as they are in production. Node's client
      // writes header text as Latin-1: the UTF-8 bytes of the name, each as one Latin-1 character.
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const sent = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: `/api/v1/measurements/${measurementId}/evidence`,
            headers: { 'x-api-key': aurora.apiKey, 'content-type': 'application/pdf', 'x-filename': Buffer.from('attività.pdf', 'utf8').toString('latin1') },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          },
        );
        req.on('error', reject);
        req.end(pdf);
      });
      expect(sent.status).toBe(201);
      expect(JSON.parse(sent.body).originalName).toBe('attività.pdf');
      expect((await ds.getRepository(MeasurementEvidenceEntity).findOneByOrFail({ id: JSON.parse(sent.body).id })).originalName).toBe('attività.pdf');
    });

    it('keeps percent-encoded names working', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/measurements/${measurementId}/evidence`,
        headers: { 'x-api-key': aurora.apiKey, 'content-type': 'application/pdf', 'x-filename': 'attivit%C3%A0%202.pdf' },
        payload: pdf,
      });
      expect([res.statusCode, JSON.parse(res.body).originalName]).toEqual([201, 'attività 2.pdf']);
    });
  });
});
