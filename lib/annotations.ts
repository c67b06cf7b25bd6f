import { Risk, RiskLevel, formatRisk, parseRisk } from './risk-level';
import { isValidReason } from './validate';

/**
 * Annotation and label keys this library writes. Every exemption and suppression is emitted under this
 * prefix so that ArgoCD, kubectl and the generated report all show why a control was relaxed.
 */
export const ANNOTATION_PREFIX = 'baseline.homelab.dev';

/** The reason a namespace runs below Pod Security `restricted`. */
export const PSS_EXEMPTION_REASON = `${ANNOTATION_PREFIX}/pod-security-reason`;

/**
 * The annotation key that carries the risk level of one named exemption (`severity.hostpath`), in the same
 * list format as the reason (`<subject>: low; ...`), so the risk register can rate each accepted risk.
 */
export function severityAnnotation(what: string): string {
  return `${ANNOTATION_PREFIX}/severity.${what}`;
}

/** The risk level exemption `what` (for `subject`: that subject's entry) carries, if any. */
export function exemptionSeverity(
  annotations: Readonly<Record<string, string>> | undefined,
  what: string,
  subject?: string,
): RiskLevel | undefined {
  const value = annotations?.[severityAnnotation(what)];
  const text = subject === undefined ? value : exemptionEntries(value ?? '', exemptionSeparator(what)).get(subject);
  return parseRisk(text)?.level;
}

/** Builds the annotation key that carries the reason for one named exemption, e.g. `exemption.hostpath`. */
export function exemptionAnnotation(what: string): string {
  return `${ANNOTATION_PREFIX}/exemption.${what}`;
}

/**
 * The key of the annotation on an ExternalSecret that says what secret key `key` is for (`purpose.GITHUB_TOKEN`):
 * the spec has no field for it, and the report's secret-keys table reads it from here.
 */
export function keyPurposeAnnotation(key: string): string {
  return `${ANNOTATION_PREFIX}/purpose.${key}`;
}

/**
 * The key of the annotation that documents rule `index` (0-based, in `rules` order) of a Role or ClusterRole:
 * `rule-3.purpose` (what the permission is for) and `rule-3.risk` (`medium: what an abuse could do`).
 * PolicyRule has no field for either, so they travel next to the rules, where kubectl and the report see them.
 */
export function ruleDocAnnotation(index: number, part: 'purpose' | 'risk'): string {
  return `${ANNOTATION_PREFIX}/rule-${index}.${part}`;
}

/** The purpose and risk of a role's rule `index`, as {@link ruleDocAnnotation} recorded them; undefined when absent or malformed. */
export function ruleDoc(
  annotations: Readonly<Record<string, string>> | undefined,
  index: number,
): { readonly purpose: string; readonly risk: Risk } | undefined {
  const purpose = annotations?.[ruleDocAnnotation(index, 'purpose')]?.trim();
  const risk = parseRisk(annotations?.[ruleDocAnnotation(index, 'risk')]);
  return purpose && risk ? { purpose, risk } : undefined;
}

/** The annotations documenting rules `first`.. of a role with one `purpose` and `risk`. */
export function ruleDocAnnotations(first: number, count: number, purpose: string, risk: Risk): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = first; i < first + count; i++) {
    out[ruleDocAnnotation(i, 'purpose')] = purpose;
    out[ruleDocAnnotation(i, 'risk')] = formatRisk(risk);
  }
  return out;
}

/**
 * The reason exemption `what` carries in `annotations`, if it is a real one (long enough, no placeholder).
 * With `subject`, the annotation lists one entry per subject (`<subject>: <reason>; ...`, e.g. the volumes
 * of `exemption.hostpath` or the containers of `exemption.unpinned-image`) and only that subject's entry counts.
 */
export function exemptionReason(
  annotations: Readonly<Record<string, string>> | undefined,
  what: string,
  subject?: string,
): string | undefined {
  const value = annotations?.[exemptionAnnotation(what)];
  const reason = (subject === undefined ? value : exemptionEntries(value ?? '', exemptionSeparator(what)).get(subject))?.trim();
  return reason && isValidReason(reason) ? reason : undefined;
}

/** A list entry's subject: a name (`workspace-src`) or a GroupKind (`apiextensions.k8s.io/CustomResourceDefinition`, `/Namespace`). */
const SUBJECT = /(?:[\w.-]*\/)?[\w.-]+/.source;
/** One finding as rules write it (`[verb:patch]`, `[container:app][limits.cpu]`). */
const FINDING = /(?:\[[^\]]+\])+/.source;
const FINDINGS = `${FINDING}(?:, ${FINDING})*`;

/** `separator` between entries, where what follows it starts an entry (`subject: `). */
const splitter = (separator: string, subject: string) => new RegExp(`${separator}(?=${subject}: )`);
const entry = (subject: string) => new RegExp(`^(${subject}): ([\\s\\S]*)$`);

/**
 * How the entries of the list in exemption `what` are joined. The app-of-apps writes `cluster-resources` one
 * GroupKind per line (`rbac.authorization.k8s.io/ClusterRole: reason`); every other list (e.g. the volumes of
 * `hostpath` from HardenedDeployment) joins its entries with "; ".
 */
export function exemptionSeparator(what: string): '; ' | '\n' {
  return what === 'cluster-resources' ? '\n' : '; ';
}

/**
 * `a: reason; b: other reason` → {a → reason, b → other reason}; a separator inside a reason stays (no `name:`
 * after it). `separator` is {@link exemptionSeparator} of the exemption; a plain reason gives no entry.
 */
export function exemptionEntries(value: string, separator: '; ' | '\n' = '; '): Map<string, string> {
  const entries = new Map<string, string>();
  for (const part of value.split(splitter(separator, SUBJECT))) {
    const m = entry(SUBJECT).exec(part);
    if (m) entries.set(m[1], m[2]);
  }
  return entries;
}

/**
 * The findings a `suppress.<RULE-ID>` annotation lists, each with its reason, in the format
 * `annotateSuppressions` (lib/rules/engine.ts) writes: `[a], [b][c]: reason; [d]: other reason`.
 */
export function suppressionEntries(value: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const part of value.split(splitter('; ', FINDINGS))) {
    const m = entry(FINDINGS).exec(part);
    for (const finding of m?.[1].match(new RegExp(FINDING, 'g')) ?? []) entries.set(finding, m![2]);
  }
  return entries;
}
