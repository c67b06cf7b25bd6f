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
 * list format as the reason ({@link encodeEntries}: subject → level), so the risk register can rate each
 * accepted risk.
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
  const text = subject === undefined ? value : decodeEntries(value ?? '').get(subject);
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
 * The reason exemption `what` carries in `annotations`, if it is a real one (see `reasonProblem`). With
 * `subject`, the annotation lists one entry per subject (e.g. the volumes of `exemption.hostpath` or the
 * containers of `exemption.unpinned-image`, see {@link encodeEntries}) and only that subject's entry counts.
 */
export function exemptionReason(
  annotations: Readonly<Record<string, string>> | undefined,
  what: string,
  subject?: string,
): string | undefined {
  const value = annotations?.[exemptionAnnotation(what)];
  const reason = (subject === undefined ? value : decodeEntries(value ?? '').get(subject))?.trim();
  return reason && isValidReason(reason) ? reason : undefined;
}

/**
 * One annotation value for a list of entries (a subject or a finding → its reason): a JSON object with sorted
 * keys. Structured, so that no reason text can split into a second entry (as `; other: ...` inside a
 * `a: reason; b: reason` list could) and the same entries are the same bytes every time.
 */
export function encodeEntries(entries: Iterable<readonly [string, string]>): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(sorted));
}

/**
 * The entries of a list annotation written by {@link encodeEntries}. A value that is not a JSON object of
 * strings (a plain reason, a hand edit) has no entries: it can never exempt a subject.
 */
export function decodeEntries(value: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return new Map();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return new Map();
  return new Map(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** A list annotation for people (`a: reason; b: reason`), or the value itself when it is a plain reason. */
export function entriesText(value: string): string {
  const entries = decodeEntries(value);
  return entries.size ? [...entries].map(([k, v]) => `${k}: ${v}`).join('; ') : value;
}
