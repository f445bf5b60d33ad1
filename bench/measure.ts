// Timing helpers: wall-clock time with process.hrtime, operations per second over a time budget.

export function now(): bigint {
  return process.hrtime.bigint();
}

export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export interface Rate {
  ops: number;
  seconds: number;
  perSecond: number;
}

function rate(ops: number, seconds: number): Rate {
  return { ops, seconds, perSecond: ops / seconds };
}

/** Runs `op(i)` for i = 0, 1, ... until `budgetSeconds` have passed (checked every `batch` calls). */
export function rateSync(budgetSeconds: number, op: (i: number) => void, batch = 64): Rate {
  const start = now();
  let i = 0;
  for (;;) {
    for (let b = 0; b < batch; b += 1) op(i++);
    const elapsed = secondsSince(start);
    if (elapsed >= budgetSeconds) return rate(i, elapsed);
  }
}

/** As `rateSync`, awaiting each call in turn. */
export async function rateAsync(budgetSeconds: number, op: (i: number) => Promise<void>, batch = 8): Promise<Rate> {
  const start = now();
  let i = 0;
  for (;;) {
    for (let b = 0; b < batch; b += 1) await op(i++);
    const elapsed = secondsSince(start);
    if (elapsed >= budgetSeconds) return rate(i, elapsed);
  }
}

export function fmtRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function fmtSeconds(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}

export function fmtRatio(ratio: number): string {
  return `${ratio.toFixed(ratio >= 100 ? 0 : 1)}x`;
}
