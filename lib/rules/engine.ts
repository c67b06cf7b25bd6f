import { ANNOTATION_PREFIX, encodeEntries, exemptionAnnotation, exemptionReason, exemptionSeverity } from '../annotations';
import { RiskLevel } from '../risk-level';
import { KubeObject, Manifest, objectId } from '../synth/manifest';
import { podTemplateOf } from '../pod-template';
import { Rule, RuleContext, RuleFinding, RuleLevel, isSuppressible } from './rule';
import { Suppression, covers } from './suppressions';

/** One finding as reported: the rule, the object, where it came from, and the fix. */
export interface Finding {
  readonly ruleId: string;
  readonly level: RuleLevel;
  readonly title: string;
  /** The granular finding, e.g. `[verb:*]` (`[exception]` when the rule threw). */
  readonly finding: string;
  readonly detail: string;
  readonly fix: string;
  /** `kind/namespace/name`. */
  readonly object: string;
  readonly constructPath: string;
  /** The file under dist/, `folder/file`. */
  readonly file: string;
}

/** A finding silenced by a reasoned suppression or by a construct's exemption annotation. */
export interface SuppressedFinding extends Finding {
  readonly reason: string;
  /** `suppression` (Suppressions.add, scope = construct path) or `exemption` (annotation on the object). */
  readonly by: 'suppression' | 'exemption';
  /** The suppression's construct path, or the exemption annotation key. */
  readonly source: string;
  /** The suppression's severity, or the exemption's (its `severity.<what>` annotation). @default - unrated */
  readonly severity?: RiskLevel;
}

/** A suppression the rule pack refuses, and why. */
export interface RejectedSuppression extends Suppression {
  readonly problem: string;
}

/** The outcome of a rule run. Everything is sorted, so the JSON report is the same bytes every time. */
export interface Report {
  /** The rules that ran: the inventory the security report prints. */
  readonly rules: readonly { id: string; level: RuleLevel; title: string; why: string; fix: string; suppressible: boolean }[];
  /** Findings that no suppression or exemption covers (ERROR and WARN). */
  readonly findings: readonly Finding[];
  /** Findings covered by a suppression or an exemption, with the reason. */
  readonly suppressed: readonly SuppressedFinding[];
  /** The unsuppressed ERROR findings: any of them fails synth. */
  readonly unsuppressedErrors: readonly Finding[];
  /** Suppressions that match no finding: they fail synth (a stale suppression hides the next regression). */
  readonly unmatchedSuppressions: readonly RejectedSuppression[];
  /** Suppressions of rules that cannot be suppressed: they fail synth. */
  readonly refusedSuppressions: readonly RejectedSuppression[];
  /** The accepted risks: every suppressed or exempted finding, with its reason. */
  readonly acceptedRisks: readonly SuppressedFinding[];
  /** The hardening roadmap: the WARN findings left open. */
  readonly roadmap: readonly Finding[];
}

/** True when the report lets synth go on: no unsuppressed ERROR, no unmatched or refused suppression. */
export function isClean(report: Report): boolean {
  return !report.unsuppressedErrors.length && !report.unmatchedSuppressions.length && !report.refusedSuppressions.length;
}

/**
 * Runs `rules` over every object of `manifests`, then applies construct exemptions and `suppressions`.
 * Exemptions come first: a suppression that only repeats an exemption matches nothing and is refused.
 */
export function runRules(
  manifests: readonly Manifest[],
  rules: readonly Rule[],
  suppressions: readonly Suppression[],
): Report {
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw new Error(`rule pack has two rules with id ${r.id}: rule ids must be unique`);
    if (r.exemption && !isSuppressible(r)) throw new Error(`rule ${r.id} honours an exemption but cannot be suppressed: an exemption is a suppression`);
    ids.add(r.id);
  }
  const context = contextOf(manifests);
  const byId = new Map(rules.map((r) => [r.id, r]));
  // An upstream chart default may be accepted for an ERROR rule too, unless the rule says never.
  const unsuppressible = (s: Suppression): boolean => byId.has(s.id) && !isSuppressible(byId.get(s.id)!)
    && !(s.upstreamDefault && byId.get(s.id)!.upstreamAcceptable !== false);
  const usable = suppressions.filter((s) => byId.has(s.id) && !unsuppressible(s));
  const used = new Set<Suppression>();

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const m of manifests) {
    for (const rule of rules) {
      for (const f of evaluate(rule, m, context)) {
        const { exemption: what, ...finding } = f;
        const threw = f.finding === EXCEPTION;
        const exemption = threw || !what || !isSuppressible(rule) ? undefined : exemptionOf(what.what, what.subject, m.object);
        if (exemption) {
          suppressed.push({ ...finding, reason: exemption.reason, by: 'exemption', source: exemption.key, ...(exemption.severity ? { severity: exemption.severity } : {}) });
          continue;
        }
        const s = threw ? undefined : usable.find((x) => matches(x, f));
        if (s) {
          used.add(s);
          suppressed.push({ ...finding, reason: s.reason, by: 'suppression', source: s.scope, severity: s.severity });
        } else {
          findings.push(finding);
        }
      }
    }
  }
  const refused: RejectedSuppression[] = suppressions
    .filter(unsuppressible)
    .map((s) => ({ ...s, problem: `rule ${s.id} is ${byId.get(s.id)!.level} and cannot be suppressed` }));
  const unmatched: RejectedSuppression[] = suppressions
    .filter((s) => !used.has(s) && !unsuppressible(s))
    .map((s) => ({ ...s, problem: unmatchedProblem(s, byId, suppressed) }));

  const sortedFindings = sortFindings(findings);
  const sortedSuppressed = sortFindings(suppressed);
  return {
    rules: [...rules]
      .sort((a, b) => compare(a.id, b.id))
      .map((r) => ({ id: r.id, level: r.level, title: r.title, why: r.why, fix: r.fix, suppressible: isSuppressible(r) })),
    findings: sortedFindings,
    suppressed: sortedSuppressed,
    unsuppressedErrors: sortedFindings.filter((f) => f.level === 'ERROR'),
    unmatchedSuppressions: unmatched,
    refusedSuppressions: refused,
    acceptedRisks: sortedSuppressed,
    roadmap: sortedFindings.filter((f) => f.level === 'WARN'),
  };
}

/** The annotation that carries the reasons for the suppressed findings of one rule on an object. */
export function suppressionAnnotation(ruleId: string): string {
  return `${ANNOTATION_PREFIX}/suppress.${ruleId}`;
}

/**
 * Returns `manifests` with one annotation per suppressed rule on each object
 * (`baseline.homelab.dev/suppress.<RULE-ID>`), so ArgoCD and kubectl show why a finding was accepted.
 * Its value maps each finding to its reason ({@link encodeEntries}: a JSON object no reason can split).
 * Exemptions are not repeated: their construct already annotated the object.
 */
export function annotateSuppressions(manifests: readonly Manifest[], report: Report): Manifest[] {
  const byObject = new Map<string, Map<string, Map<string, string>>>();
  for (const s of report.suppressed) {
    if (s.by !== 'suppression') continue;
    const rulesOf = byObject.get(s.object) ?? new Map<string, Map<string, string>>();
    const reasons = rulesOf.get(s.ruleId) ?? new Map<string, string>();
    reasons.set(s.finding, s.reason);
    rulesOf.set(s.ruleId, reasons);
    byObject.set(s.object, rulesOf);
  }
  return manifests.map((m) => {
    const rulesOf = byObject.get(objectId(m.object));
    if (!rulesOf) return m;
    const added: Record<string, string> = {};
    for (const ruleId of [...rulesOf.keys()].sort(compare)) added[suppressionAnnotation(ruleId)] = encodeEntries(rulesOf.get(ruleId)!);
    const metadata = { ...m.object.metadata, annotations: { ...m.object.metadata.annotations, ...added } };
    return { ...m, object: { ...m.object, metadata } };
  });
}

const EXCEPTION = '[exception]';

/** A finding with the exemption that would cover it, before exemptions and suppressions apply. */
type RawFinding = Finding & { readonly exemption?: RuleFinding['exemption'] };

function evaluate(rule: Rule, m: Manifest, context: RuleContext): RawFinding[] {
  const base = {
    ruleId: rule.id,
    title: rule.title,
    fix: rule.fix,
    object: objectId(m.object),
    constructPath: m.constructPath,
    file: `${m.folder}/${m.file}`,
  };
  try {
    return rule.check(m.object, context).map((f) => ({
      ...base,
      level: rule.level,
      finding: f.finding,
      detail: f.detail,
      exemption: f.exemption ?? (rule.exemption ? { what: rule.exemption } : undefined),
    }));
  } catch (e) {
    // A rule that cannot decide must not pass the object: it fails as an ERROR that no suppression covers.
    return [{
      ...base,
      level: 'ERROR',
      finding: EXCEPTION,
      detail: `rule ${rule.id} threw on this object: ${(e as Error)?.message ?? String(e)}`,
      fix: `fix the object or the rule ${rule.id}; a rule that cannot check an object never passes it`,
    }];
  }
}

/**
 * The exemption annotation `what` on the object or its pod template (for `subject`: that subject's entry),
 * if it carries a real reason.
 */
function exemptionOf(what: string, subject: string | undefined, o: KubeObject): { key: string; reason: string; severity?: RiskLevel } | undefined {
  const key = exemptionAnnotation(what);
  const annotations = o.metadata.annotations?.[key] !== undefined ? o.metadata.annotations : podTemplateOf(o)?.metadata?.annotations;
  // The constructs validate the reason; a hand-written one that is too short or a placeholder does not count.
  const reason = exemptionReason(annotations, what, subject);
  const severity = exemptionSeverity(annotations, what, subject);
  return reason ? { key, reason: subject ? `${subject}: ${reason}` : reason, ...(severity ? { severity } : {}) } : undefined;
}

function matches(s: Suppression, f: Finding): boolean {
  return s.id === f.ruleId && (s.finding === undefined || s.finding === f.finding) && covers(s, f.constructPath);
}

function unmatchedProblem(s: Suppression, byId: Map<string, Rule>, suppressed: readonly SuppressedFinding[]): string {
  if (!byId.has(s.id)) return `no rule has the id ${s.id}`;
  const exempted = suppressed.find((f) => f.by === 'exemption' && matches(s, f));
  if (exempted) return `it only repeats the exemption ${exempted.source} on ${exempted.object}`;
  return `no finding of ${s.id}${s.finding ?? ''} on any object under "${s.scope || '(root)'}"`;
}

function contextOf(manifests: readonly Manifest[]): RuleContext {
  const objects = manifests.map((m) => m.object);
  // Indexed by kind and by kind + namespace: rules ask per namespace, and filtering every object of the
  // kind on each call made the rule pack quadratic (30 s at 1000 namespaces).
  const index = new Map<string, KubeObject[]>();
  const add = (key: string, o: KubeObject): void => {
    const list = index.get(key) ?? [];
    list.push(o);
    index.set(key, list);
  };
  for (const o of objects) {
    add(o.kind, o);
    if (o.metadata.namespace !== undefined) add(`${o.kind}\u0000${o.metadata.namespace}`, o);
  }
  return {
    objects,
    ofKind: (kind, namespace) => index.get(namespace === undefined ? kind : `${kind}\u0000${namespace}`) ?? [],
  };
}

function sortFindings<T extends Finding>(list: T[]): T[] {
  const key = (f: Finding): string => `${f.file}\u0000${f.ruleId}\u0000${f.finding}`;
  return list.sort((a, b) => compare(key(a), key(b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
