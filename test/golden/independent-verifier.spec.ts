import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dec } from 'src/common/decimal/decimal';
import { canonicalJson, hashOf } from 'src/settlements/engine/settlement-manifest';
import { acceptMeasurements, EXAMPLES_DIR, ExampleContract, exampleDocument, importExample, makeBinding } from 'test/support/settlement-fixtures';
import { Scenario, scenarioFile, settleScenario } from 'test/support/settlement-scenarios';
import { createTestApp, TestApp } from 'test/support/test-app';

// The docs and the engine cannot drift apart silently: tools/verify-settlement.py recomputes a settlement
// document from docs/settlements.md and docs/rule-sets.md alone (Python standard library, no Ancora code), and
// must agree with every document the engine writes: the frozen documents of formats 1 and 2, and every
// document the golden scenarios of contracts/examples produce (pooled groupings, shadow milestones, evaluation
// payments), and a reopened version checked against its previous one under a pool cap that bites. A document
// with one cent moved and every hash sealed again is caught by the recomputation alone.

const ROOT = join(__dirname, '..', '..');
const VERIFIER = join(ROOT, 'tools', 'verify-settlement.py');
const FROZEN_DIR = join(ROOT, 'src', 'settlements', 'testing');
const FROZEN = readdirSync(FROZEN_DIR).filter((f) => f.endsWith('.settlement.json')).sort();
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
const NEEDS_PYTHON = 'the independent verifier test needs Python 3.9+ on PATH as `python3` (it runs tools/verify-settlement.py)';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(NEEDS_PYTHON));
      if (error && error.killed) return reject(new Error(`${file} ${args.join(' ')} timed out:\n${stdout}${stderr}`));
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

let pythonChecked: Promise<void> | undefined;
function requirePython(): Promise<void> {
  pythonChecked ??= run('python3', ['-c', 'import sys; print(sys.version_info >= (3, 9))']).then((r) => {
    if (r.code !== 0 || r.stdout.trim() !== 'True') throw new Error(`${NEEDS_PYTHON}; python3 answered: ${r.stdout}${r.stderr}`);
  });
  return pythonChecked;
}

async function verify(files: string[]): Promise<Run> {
  await requirePython();
  return run('python3', [VERIFIER, ...files]);
}

/** The verifier's verdict line per document, in the order given: `OK  <file>  (...)` or `MISMATCH  <file>  (...)`. */
function verdicts(out: string): string[] {
  return out.split('\n').filter((l) => /^(OK|MISMATCH|UNREADABLE) /.test(l)).map((l) => l.split('  ').slice(0, 2).join('  '));
}

/** Exit 0 and one `OK` per file, in order; on failure the whole report is in the diff. */
function expectAllOk(r: Run, files: string[]): void {
  expect({ exit: r.code, verdicts: verdicts(r.stdout), stderr: r.stderr, report: r.stdout }).toEqual({
    exit: 0,
    verdicts: files.map((f) => `OK  ${f}`),
    stderr: '',
    report: r.stdout,
  });
}

interface Settled {
  id: string;
  label: string;
}

/** Settles the golden scenario (test/support/settlement-scenarios.ts) and names each version as `<period>-<grouping>-v1`. */
async function settleAll(t: TestApp, fx: ExampleContract, scenario: Scenario): Promise<Settled[]> {
  const settled: Settled[] = [];
  await settleScenario(t, fx, scenario, (period, s) => void settled.push({ id: s.id, label: `${period}-${s.groupingCode}-v1` }));
  return settled;
}

function subdir(parent: string, name: string): string {
  const path = join(parent, name);
  mkdirSync(path);
  return path;
}

/** Writes each settlement's document as an auditor downloads it (the stored canonical text) into dir. */
async function download(t: TestApp, as: string, settled: Settled[], dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const s of settled) {
    const res = await t.request('GET', `/api/v1/settlements/${s.id}/report?format=json`, undefined, { as });
    expect([s.label, res.status]).toEqual([s.label, 200]);
    const file = join(dir, `${s.label}.json`);
    writeFileSync(file, res.text);
    files.push(file);
  }
  return files;
}

describe('the independent verifier, tools/verify-settlement.py (golden)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ancora-verifier-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('agrees with the frozen documents of formats 1 and 2 (their files end with a newline)', async () => {
    const files = FROZEN.map((f) => join(FROZEN_DIR, f));
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => readFileSync(f, 'utf8').endsWith('}\n'))).toEqual(files.map(() => true));
    const r = await verify(files);
    expectAllOk(r, files);
  });

  describe.each(EXAMPLES)('every document the golden scenario of %s produces', (example) => {
    let t: TestApp;
    let fx: ExampleContract;
    const scenario = JSON.parse(readFileSync(scenarioFile(example), 'utf8')) as Scenario;

    beforeAll(async () => {
      t = await createTestApp();
      fx = await importExample(t, scenario.contract);
    });

    afterAll(async () => {
      await t.close();
    });

    it('recomputes to the cent, and to every status, as the engine settled it', async () => {
      const settled = await settleAll(t, fx, scenario);
      expect(settled.length).toBeGreaterThan(0);
      const files = await download(t, fx.auditor.apiKey, settled, subdir(dir, example));
      const r = await verify(files);
      expectAllOk(r, files);
    });
  });

  describe('a reopened version, with its previous one (Padova with a pool cap that bites)', () => {
    let t: TestApp;
    let fx: ExampleContract;
    const scenario = JSON.parse(readFileSync(scenarioFile('padova-sdc-2.0.json'), 'utf8')) as Scenario;

    beforeAll(async () => {
      t = await createTestApp();
      fx = await importExample(t, scenario.contract);
      // rule-sets.md "Caps and floors": with a pool cap of 35,000.00 instead of 60,000.00 the pool splits.
      const rules = (exampleDocument(scenario.contract).contract as { paymentRules: Record<string, unknown> }).paymentRules;
      const saved = await t.request('PUT', `/api/v1/contracts/${fx.contractId}/payment-rules`, { paymentRules: { ...rules, poolCap: '35000.00' } }, { as: fx.manager.apiKey });
      expect([saved.status, saved.text]).toEqual([200, saved.text]);
      fx.bindingVersionId = await makeBinding(t, fx, { reason: 'tetto complessivo 35.000,00', effectiveFromPeriodId: fx.periodIds.Y1 });
    });

    afterAll(async () => {
      await t.close();
    });

    it("checks the delta's both sides: RTI-B's Y1 reopened once its late baseline data reach the milestone", async () => {
      const settled = await settleAll(t, fx, scenario);
      const y1b = settled.find((s) => s.label === 'Y1-RTI-B-v1') as Settled;
      // RTI-B's Y1 missed three of the five indicators, so no milestone; they arrive late.
      await acceptMeasurements(t, fx, 'Y1', 'RTI-B', { 'IND-02': { value: '3' }, 'IND-04': { value: '70.0', sampleSize: 210 }, 'IND-05': { value: '5.2' } });
      const reopened = await t.request('POST', `/api/v1/settlements/${y1b.id}/reopen`, { reason: 'dati di base di RTI-B arrivati in ritardo' }, { as: fx.approver.apiKey });
      expect([reopened.status, reopened.text]).toEqual([201, reopened.text]);
      const v2 = reopened.body.document;
      // The milestone is now reached; the pool asks 32,000.00 + 28,000.00 of 35,000.00.
      // RTI-A's approved 32,000.00 stays in force, so RTI-B gets what the cap leaves beside it.
      expect(v2.result.adjustments.map((a: { kind: string; after: string }) => `${a.kind} ${a.after}`)).toEqual([
        'SHADOW 0.00',
        'MILESTONE 28000.00',
        'POOL_CAP 16333.33',
        'POOL_COMMITTED 3000.00',
      ]);
      expect(v2.delta).toMatchObject({ previousId: y1b.id, previousVersion: 1, payable: { before: '0.00', after: '3000.00' } });

      // Every document of this run (POOL_CAP in Y2 and Y3 too), the reopened one with its previous version.
      const files = await download(t, fx.auditor.apiKey, [...settled, { id: reopened.body.id, label: 'Y1-RTI-B-v2' }], subdir(dir, 'padova-pool-35000'));
      const [previous, current] = [files[settled.indexOf(y1b)], files[files.length - 1]];
      const all = await verify(files);
      expectAllOk(all, files);
      expect(all.stdout).not.toContain('delta before not checked');
      // Alone, the reopened version is still checked, but says that the `before` side was not.
      const alone = await verify([current]);
      expectAllOk(alone, [current]);
      expect(alone.stdout).toContain(`delta before not checked: previous version ${y1b.id} not among the files`);

      // A wrong `before` is caught with the previous version at hand, even with every hash sealed again.
      const doc = JSON.parse(readFileSync(current, 'utf8'));
      doc.delta.payable.before = '1.00';
      doc.delta.payable.change = '2999.00';
      const tampered = join(dir, 'Y1-RTI-B-v2.before-tampered.json');
      writeFileSync(tampered, canonicalJson(reseal(doc)));
      const caught = await verify([previous, tampered]);
      expect([caught.code, caught.stdout]).toEqual([1, expect.stringContaining('delta.payable.before: stored "1.00", recomputed "0.00"')]);
    });
  });

  it('catches one cent moved between two members even with every hash sealed again, and names the field', async () => {
    const original = join(FROZEN_DIR, 'format-1-padova.settlement.json');
    const doc = JSON.parse(readFileSync(original, 'utf8'));
    const [first, second] = doc.result.allocation as { memberId: string; amount: string }[];
    const moved = { first: new Dec(first.amount).plus('0.01').toFixed(2), second: new Dec(second.amount).minus('0.01').toFixed(2) };
    const stored = { first: first.amount, second: second.amount };
    first.amount = moved.first;
    second.amount = moved.second;
    const file = join(dir, 'format-1-padova.one-cent-moved.json');
    writeFileSync(file, canonicalJson(reseal(doc)));

    const r = await verify([original, file]);
    expect([r.code, verdicts(r.stdout)]).toEqual([1, [`OK  ${original}`, `MISMATCH  ${file}`]]);
    const reported = r.stdout.split('\n').filter((l) => l.startsWith('    '));
    expect(reported).toEqual([
      `    result.allocation[0].amount: stored "${moved.first}", recomputed "${stored.first}"`,
      `    result.allocation[1].amount: stored "${moved.second}", recomputed "${stored.second}"`,
    ]);
  });

  it('answers 2 for input that is not a settlement document', async () => {
    const file = join(dir, 'not-a-settlement.json');
    writeFileSync(file, '{"format": "ancora.rule-set/1"}');
    const r = await verify([file]);
    expect([r.code, verdicts(r.stdout)]).toEqual([2, [`UNREADABLE  ${file}: not a settlement document (no inputs, result and manifest objects)`]]);
  });
});

/** Recomputes the four hashes of a document as Ancora seals it (docs/settlements.md, "The hashes"). */
function reseal(doc: { inputs: { ruleSet: unknown }; result: unknown; manifest: Record<string, string> }): unknown {
  const rest = Object.fromEntries(Object.entries(doc.manifest).filter(([key]) => key !== 'documentHash'));
  const manifest = { ...rest, inputsHash: hashOf(doc.inputs), ruleSetHash: hashOf(doc.inputs.ruleSet), resultHash: hashOf(doc.result) };
  return { ...doc, manifest: { ...manifest, documentHash: hashOf({ ...doc, manifest }) } };
}
