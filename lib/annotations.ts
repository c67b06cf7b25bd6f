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
