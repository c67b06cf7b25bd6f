import { isValidReason } from './validate';

/**
 * Annotation and label keys this library writes. Every exemption and suppression is emitted under this
 * prefix so that ArgoCD, kubectl and the generated report all show why a control was relaxed.
 */
export const ANNOTATION_PREFIX = 'baseline.homelab.dev';

/** The reason a namespace runs below Pod Security `restricted`. */
export const PSS_EXEMPTION_REASON = `${ANNOTATION_PREFIX}/pod-security-reason`;

/** Builds the annotation key that carries the reason for one named exemption, e.g. `exemption.hostpath`. */
export function exemptionAnnotation(what: string): string {
  return `${ANNOTATION_PREFIX}/exemption.${what}`;
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
