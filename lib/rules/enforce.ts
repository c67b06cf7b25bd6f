import { IConstruct } from 'constructs';
import { AggregateBaselineError } from '../errors';
import { replaceFile } from '../synth/atomic-dir';
import { Manifest } from '../synth/manifest';
import { Finding, RejectedSuppression, Report, annotateSuppressions, isClean, runRules } from './engine';
import { Rule } from './rule';
import { Suppressions } from './suppressions';

/** Options of {@link checkRules} and {@link enforceRules}. */
export interface EnforceRulesOptions {
  /** The rule pack, e.g. `baselineRules()`. */
  readonly rules: readonly Rule[];
  /**
   * Where to write the JSON report of every finding and suppression (outside dist/: it is not deployed).
   * Written before a failure too, so the operator can read the whole picture.
   * @default - no report file
   */
  readonly reportFile?: string;
  /**
   * Receives the one-line summary of a passing run (see {@link summarizeReport}).
   * @default - silent
   */
  readonly log?: (line: string) => void;
}

/** What {@link checkRules} returns: the manifests to write and the verdicts behind them. */
export interface CheckedManifests {
  /** The manifests with the suppression annotations added. */
  readonly manifests: Manifest[];
  /** Every finding and suppression: the report's risk summary and roadmap come from here. */
  readonly report: Report;
}

/**
 * The rule-pack step of synth, between `collectManifests` and `writeManifests`: runs the rules with the
 * suppressions added under `root`, writes the report, and throws one error listing every unsuppressed
 * ERROR (object, construct path, rule, finding, fix) and every unmatched or refused suppression. On
 * success logs a one-line summary and returns the annotated manifests with the report.
 */
export function checkRules(root: IConstruct, manifests: readonly Manifest[], options: EnforceRulesOptions): CheckedManifests {
  const report = runRules(manifests, options.rules, Suppressions.collect(root));
  if (options.reportFile) writeRuleReport(options.reportFile, report);
  if (!isClean(report)) throw new AggregateBaselineError(describeFailures(report));
  options.log?.(`${summarizeReport(report)}${options.reportFile ? ` (${options.reportFile})` : ''}`);
  return { manifests: annotateSuppressions(manifests, report), report };
}

/** {@link checkRules} for callers that only need the manifests. */
export function enforceRules(root: IConstruct, manifests: readonly Manifest[], options: EnforceRulesOptions): Manifest[] {
  return checkRules(root, manifests, options).manifests;
}

/** One line for the synth log: how many rules ran, what is accepted and what is left open. */
export function summarizeReport(report: Report): string {
  return (
    `rule pack: ${report.rules.length} rules, ${report.unsuppressedErrors.length} unsuppressed ERROR, ` +
    `${report.acceptedRisks.length} accepted risk(s), ${report.roadmap.length} WARN on the roadmap`
  );
}

/** Writes `report` as JSON (stable bytes), replacing the file in one rename. */
export function writeRuleReport(file: string, report: Report): void {
  replaceFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** One line per problem, in the library's `[path] problem: value. Allowed: ... Fix: ...` shape. */
export function describeFailures(report: Report): string[] {
  return [
    ...report.unsuppressedErrors.map(describeFinding),
    ...report.refusedSuppressions.map((s) => describeSuppression(s, 'remove the suppression and fix the finding: this rule does not accept reasons')),
    ...report.unmatchedSuppressions.map((s) => describeSuppression(s, 'remove the suppression (or correct its id, finding or scope)')),
  ];
}

function describeFinding(f: Finding): string {
  return `[${f.constructPath}] ${f.ruleId} ${f.title}: ${f.object} ${f.finding} (dist/${f.file}): ${f.detail}. Fix: ${f.fix}`;
}

function describeSuppression(s: RejectedSuppression, fix: string): string {
  return `[${s.scope || '(root)'}] suppression of ${s.id}${s.finding ?? ''} refused: ${s.problem}. Fix: ${fix}`;
}
