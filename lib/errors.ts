import { IConstruct } from 'constructs';

/** What a {@link BaselineError} says: the four parts every message of this library carries. */
export interface Problem {
  /** What is wrong, in a few words, e.g. "invalid port". */
  readonly problem: string;
  /** The offending value, rendered with JSON.stringify (non-finite numbers as NaN, Infinity, -Infinity). */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * The one error type this library throws for bad input. Its message names the construct path, the bad
 * value, what is allowed and the fix, so a failed synth tells the operator exactly what to change.
 */
export class BaselineError extends Error {
  /** The construct path the problem belongs to. */
  public readonly path: string;
  /** The structured problem. */
  public readonly detail: Problem;

  constructor(scope: IConstruct | string, detail: Problem) {
    const path = typeof scope === 'string' ? scope : scope.node.path;
    super(`[${path}] ${describeProblem(detail)}`);
    this.name = 'BaselineError';
    this.path = path;
    this.detail = detail;
  }
}

/** Several problems found at once, e.g. by tree validation: every one is listed, none is lost. */
export class AggregateBaselineError extends Error {
  constructor(public readonly errors: readonly string[]) {
    super(`synth refused: ${errors.length} problem(s)\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'AggregateBaselineError';
  }
}

/** Throws a {@link BaselineError} for `scope`. */
export function fail(scope: IConstruct | string, detail: Problem): never {
  throw new BaselineError(scope, detail);
}

/**
 * `problem: value. Allowed: ... Fix: ...`: a message without its construct path, for tree validations (the
 * synth prefixes the path of the construct that validates, so adding one here would show two).
 */
export function describeProblem(detail: Problem): string {
  return `${detail.problem}: ${render(detail.value)}. Allowed: ${detail.allowed}. Fix: ${detail.fix}`;
}

function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  // JSON.stringify writes NaN and ±Infinity as null, which would hide the very value that is wrong.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}
