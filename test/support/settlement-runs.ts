import { TestApp } from 'test/support/test-app';

/** The run resource as the tests read it (SettlementRunDto). */
export interface RunBody {
  id: string;
  status: 'RUNNING' | 'DONE' | 'FAILED' | 'INTERRUPTED';
  total: number;
  done: number;
  settled: number;
  skipped: number;
  failed: number;
  problem: { code: string; message: string } | null;
  contracts: { contractCode: string; status: string; computed: number; problem: { code: string } | null; warnings: { code: string; groupings: unknown[] }[] }[];
  [field: string]: unknown;
}

/**
 * Follows a portfolio run as a client does: GET /api/v1/settlement-runs/:id with short waits until it is no
 * longer RUNNING, a bounded number of times (a run of the test fixtures ends within milliseconds).
 */
export async function waitForRun(t: TestApp, id: string, as: string, tries = 200, waitMs = 10): Promise<RunBody> {
  for (let i = 0; i < tries; i++) {
    const res = await t.request('GET', `/api/v1/settlement-runs/${id}`, undefined, { as });
    if (res.status !== 200) throw new Error(`GET run ${id} answered ${res.status}: ${res.text}`);
    const run = res.body as RunBody;
    if (run.status !== 'RUNNING') return run;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  throw new Error(`run ${id} still RUNNING after ${tries} polls`);
}
