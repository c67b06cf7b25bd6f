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
  const reason = (subject === undefined ? value : exemptionEntries(value ?? '').get(subject))?.trim();
  return reason && isValidReason(reason) ? reason : undefined;
}

/** `a: reason; b: other reason` → {a → reason, b → other reason}; a "; " inside a reason stays (no `name:` after it). */
function exemptionEntries(value: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const part of value.split(/; (?=[\w.-]+: )/)) {
    const m = /^([\w.-]+): ([\s\S]*)$/.exec(part);
    if (m) entries.set(m[1], m[2]);
  }
  return entries;
}
