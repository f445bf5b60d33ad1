import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from 'test/support/test-app';

describe('health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 200 at /health with the database up', async () => {
    const res = await t.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' } },
    });
  });

  it('lives outside the versioned API, for load balancers and orchestrators', async () => {
    const res = await t.request('GET', '/api/v1/health');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'Cannot GET /api/v1/health', details: {} });
  });

  it('answers 503 SERVICE_UNAVAILABLE naming the failing check, and no driver message, when the database does not answer', async () => {
    const down = await createTestApp();
    try {
      await down.app.get(DataSource).destroy();
      const res = await down.request('GET', '/health');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service cannot serve requests: database does not answer',
        details: { failing: ['database'] },
      });
    } finally {
      await down.close();
    }
  });
});
