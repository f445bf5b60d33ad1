import 'reflect-metadata';
import { cpus } from 'node:os';
import { evaluatorBench, type EvaluatorBenchResult } from 'bench/evaluator.bench';
import { fmtRatio, fmtSeconds } from 'bench/measure';
import { PORTFOLIO_TARGET, portfolioBench, type PortfolioBenchResult } from 'bench/portfolio.bench';

// `npm run bench` (docs/benchmarks.md): the two targets of issue 4 §4, as ratios measured in the same run.
// Exit code 0 when every target is met, 1 when one is missed, 2 when the bench itself failed.
//
//   BENCH_PART=evaluator|portfolio   run one part only (default: both)
//   BENCH_DB=postgres                portfolio on a fresh PostgreSQL database next to DATABASE_URL (default SQLite)
//   BENCH_CONTRACTS=1000,10000       portfolio sizes; the target line is for the largest (default 1000,10000)
//   BENCH_RULE_SETS=240              rule sets of the evaluator part (Padova + generated)
//   BENCH_SECONDS=2.5                measuring time per evaluator side (after a third of it to warm up)
//   BENCH_ROUNDS=5                   turns the evaluator sides take; the verdict is the median A / C of the rounds
//   BENCH_SEED=20261122              seed of every generator

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function wholeNumber(name: string, text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new Error(`${name} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

function seconds(text: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) throw new Error(`BENCH_SECONDS must be a number of seconds, not ${JSON.stringify(text)}`);
  return Number(text);
}

async function main(): Promise<number> {
  const part = env('BENCH_PART', 'all');
  if (!['all', 'evaluator', 'portfolio'].includes(part)) throw new Error(`BENCH_PART must be evaluator or portfolio, not ${part}`);
  const dialect = env('BENCH_DB', 'sqlite');
  if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`BENCH_DB must be sqlite or postgres, not ${dialect}`);
  const seed = wholeNumber('BENCH_SEED', env('BENCH_SEED', '20261122'));
  const sizes = env('BENCH_CONTRACTS', '1000,10000')
    .split(',')
    .map((s) => wholeNumber('BENCH_CONTRACTS', s.trim()))
    .sort((a, b) => a - b);
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const started = Date.now();
  log(`Ancora bench, ${new Date().toISOString()}, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);

  let evaluator: EvaluatorBenchResult | null = null;
  if (part !== 'portfolio') {
    log('\n== 1. Rule conditions: compiled evaluator vs json-rules-engine ==');
    evaluator = await evaluatorBench({
      ruleSets: wholeNumber('BENCH_RULE_SETS', env('BENCH_RULE_SETS', '240')),
      seed,
      seconds: seconds(env('BENCH_SECONDS', '2.5')),
      rounds: wholeNumber('BENCH_ROUNDS', env('BENCH_ROUNDS', '5')),
      log,
    });
  }
  const portfolios: PortfolioBenchResult[] = [];
  if (part !== 'evaluator') {
    log(`\n== 2. Portfolio settlement: end to end vs driver-only reads and writes (${dialect}) ==`);
    for (const contracts of sizes) {
      const r = await portfolioBench({ contracts, seed, dialect, log });
      log(`  ${contracts} contracts: end to end / baseline = ${fmtRatio(r.ratio)}`);
      portfolios.push(r);
    }
  }

  log('\n== Targets ==');
  let missed = 0;
  if (evaluator) {
    log(`evaluator: compiled ${Math.round(evaluator.compiled.perSecond)} vs json-rules-engine ${Math.round(evaluator.reference.perSecond)} contract-periods/s = ` +
      `${fmtRatio(evaluator.ratio)} (target >= 100x): ${evaluator.passed ? 'PASS' : 'MISS'}`);
    if (!evaluator.passed) missed += 1;
  }
  const largest = portfolios[portfolios.length - 1];
  if (largest) {
    log(`portfolio of ${largest.contracts} contracts (${dialect}): end to end ${fmtSeconds(largest.endToEnd)} vs baseline ${fmtSeconds(largest.baseline)} = ` +
      `${fmtRatio(largest.ratio)} (target <= ${PORTFOLIO_TARGET}x): ${largest.passed ? 'PASS' : 'MISS'}`);
    if (!largest.passed) missed += 1;
  }
  log(`total ${fmtSeconds((Date.now() - started) / 1000)}; ${missed === 0 ? 'every target met' : `${missed} target(s) missed`}`);
  return missed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
