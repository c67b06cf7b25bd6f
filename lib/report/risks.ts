import { code, sortBy, table } from './markdown';

/** A finding the project accepts: suppressed or exempted, with the written reason. */
export interface AcceptedRisk {
  readonly ruleId: string;
  /** What the rule checks. @default - the rule id only */
  readonly title?: string;
  /** `kind/namespace/name`. */
  readonly object: string;
  /** The granular finding, e.g. `[resource:secrets]`. */
  readonly finding: string;
  readonly reason: string;
  /** `suppression` or `exemption`. @default - not shown */
  readonly by?: string;
}

/** A finding left open: the hardening roadmap. */
export interface RoadmapItem {
  readonly ruleId: string;
  /** @default - the rule id only */
  readonly title?: string;
  readonly object: string;
  readonly finding: string;
  readonly fix: string;
  /** @default - not shown */
  readonly detail?: string;
}

/**
 * What the report needs from the rule pack: its accepted risks and its roadmap. The rule pack's
 * `Report` (lib/rules/engine.ts) satisfies it; so does any other source of the same two lists.
 */
export interface RiskSource {
  readonly acceptedRisks: readonly AcceptedRisk[];
  readonly roadmap: readonly RoadmapItem[];
}

const NO_RULE_REPORT = '_No rule-pack report was given to the generator._';

function rule(r: { ruleId: string; title?: string }): string {
  return r.title ? `${code(r.ruleId)} ${r.title}` : code(r.ruleId);
}

/** The risk summary: every accepted risk with its reason, sorted by object, rule and finding. */
export function renderRiskSummary(risks: RiskSource | undefined): string {
  if (!risks) return NO_RULE_REPORT;
  const rows = sortBy(risks.acceptedRisks, (r) => [r.object, r.ruleId, r.finding]);
  return table(
    ['#', 'Rule', 'Object', 'Finding', 'Accepted because', 'Via'],
    rows.map((r, i) => [String(i + 1), rule(r), code(r.object), code(r.finding), r.reason, r.by ?? '']),
    '_No accepted risks: nothing is suppressed or exempted._',
  );
}

/** The hardening roadmap: every open WARN finding with its fix. */
export function renderRoadmap(risks: RiskSource | undefined): string {
  if (!risks) return NO_RULE_REPORT;
  const rows = sortBy(risks.roadmap, (r) => [r.object, r.ruleId, r.finding]);
  return table(
    ['#', 'Rule', 'Object', 'Finding', 'Detail', 'Fix'],
    rows.map((r, i) => [String(i + 1), rule(r), code(r.object), code(r.finding), r.detail ?? '', r.fix]),
    '_Nothing open: no unsuppressed WARN finding._',
  );
}
