/**
 * Run settings of every property suite. A failure prints `{ seed: N, path: "..." }` (fast-check's report);
 * replay it with `FC_SEED=N FC_PATH="..." npx jest <file>`. `FC_RUNS` scales the number of runs (e.g. a
 * nightly `FC_RUNS=2000`); the time limit still bounds each property.
 */
import * as fc from 'fast-check';

/** Bounds of one property: at most `numRuns` inputs, and no more than `timeLimitMs` of generating them. */
export interface Budget {
  readonly numRuns: number;
  readonly timeLimitMs: number;
}

/** The fast-check parameters of a property with `budget`, honouring FC_SEED, FC_PATH and FC_RUNS. */
export function propertyParams<T>(budget: Budget): fc.Parameters<T> {
  const seed = process.env.FC_SEED;
  const runs = process.env.FC_RUNS;
  return {
    numRuns: runs ? Number(runs) : budget.numRuns,
    // Bounded in time: stop generating (and pass with the runs done so far) once the limit is reached.
    plugins: [fc.interruptAfterTimeLimit(budget.timeLimitMs) as fc.Plugin<T>],
    ...(seed !== undefined ? { seed: Number(seed) } : {}),
    ...(seed !== undefined && process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
  };
}

/** Runs `property` with `budget`; a failure throws fast-check's report (seed, path, counterexample). */
export function assertProperty<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, budget: Budget): void {
  fc.assert(property, propertyParams<Ts>(budget));
}
