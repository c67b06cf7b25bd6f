import { AggregateBaselineError, BaselineError } from '../errors';
import { RiskLevel, riskLevelLabel } from '../risk-level';
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
  /** How bad the risk is, from the suppression or the exemption's severity annotation. @default - unrated */
  readonly severity?: RiskLevel;
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

/** The accepted risks in register order (by object, rule and finding): row `i` is "Risk #(i+1)". */
export function registerOrder(risks: RiskSource): AcceptedRisk[] {
  return sortBy(risks.acceptedRisks, (r) => [r.object, r.ruleId, r.finding]);
}

/** The anchor of register row `n` (1-based): cross-references link to it. */
export function riskAnchor(n: number): string {
  return `risk-${n}`;
}

/** The risk summary: every accepted risk with its severity and reason, each row an anchor for cross-references. */
export function renderRiskSummary(risks: RiskSource | undefined): string {
  if (!risks) return NO_RULE_REPORT;
  return table(
    ['#', 'Rule', 'Object', 'Finding', 'Severity', 'Accepted because', 'Via'],
    registerOrder(risks).map((r, i) => [
      `<a id="${riskAnchor(i + 1)}"></a>${i + 1}`,
      rule(r),
      code(r.object),
      code(r.finding),
      r.severity ? riskLevelLabel(r.severity) : 'unrated',
      r.reason,
      r.by ?? '',
    ]),
    '_No accepted risks: nothing is suppressed or exempted._',
  );
}

/** `{{risk HB-RBAC-008 ClusterRole//openclaw-homelab-admin}}`, optionally with a finding: `... [verb:patch]}}`. */
const RISK_REFERENCE = /\{\{risk ([A-Z][A-Z0-9-]*) (\S+?)(?: ((?:\[[^\]]+\])+))?\}\}/g;
const ANY_REFERENCE = /\{\{\s*risk\b[^}]*\}\}/g;
/** A hand-numbered reference, which would go stale the day a risk is added before it. */
const HAND_NUMBERED = /\bRisks? #\d+/g;

/**
 * Replaces every `{{risk <rule> <kind/namespace/name> [finding]}}` in `text` with links to the register rows
 * it names (`[Risk #3](#risk-3)`; several rows when no finding narrows it), so numbers are computed and follow
 * the register. Refuses, listing every problem: a reference that matches no row, a malformed one, and a
 * hand-written "Risk #N".
 */
export function resolveRiskReferences(text: string, risks: RiskSource | undefined, source: string): string {
  const errors: string[] = [];
  const rows = risks ? registerOrder(risks) : [];
  const known = rows.map((r) => `${r.ruleId} ${r.object} ${r.finding}`);
  for (const m of text.matchAll(HAND_NUMBERED)) {
    errors.push(new BaselineError(source, {
      problem: 'hand-numbered risk reference',
      value: m[0],
      allowed: 'a reference the generator numbers: {{risk <rule id> <kind/namespace/name> [finding]}}',
      fix: 'replace it with the reference to the register row it means',
    }).message);
  }
  for (const m of text.matchAll(ANY_REFERENCE)) {
    if (new RegExp(`^${RISK_REFERENCE.source}$`).test(m[0])) continue;
    errors.push(new BaselineError(source, {
      problem: 'malformed risk reference',
      value: m[0],
      allowed: '{{risk <rule id> <kind/namespace/name>}} or {{risk <rule id> <kind/namespace/name> <finding>}}',
      fix: 'write it in that form, e.g. {{risk HB-RBAC-005 Role/openclaw/openclaw-role}}',
    }).message);
  }
  const out = text.replace(RISK_REFERENCE, (whole, ruleId: string, object: string, finding?: string) => {
    const numbers = rows.flatMap((r, i) => (r.ruleId === ruleId && r.object === object && (!finding || r.finding === finding) ? [i + 1] : []));
    if (!numbers.length) {
      errors.push(new BaselineError(source, {
        problem: 'risk reference names no row of the risk register',
        value: whole,
        allowed: known.length ? `one of the accepted risks: ${known.join('; ')}` : 'none: the register is empty (or no rule report was given)',
        fix: 'correct the rule id, object or finding, or remove the reference if the risk is gone',
      }).message);
      return whole;
    }
    return numbers.map((n) => `[Risk #${n}](#${riskAnchor(n)})`).join(' and ');
  });
  if (errors.length) throw new AggregateBaselineError(errors);
  return out;
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
