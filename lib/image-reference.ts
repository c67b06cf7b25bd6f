/** Image references as Kubernetes pod specs write them: shared by the workload constructs, the rule pack and the report. */

/** The digest suffix of an image reference (`@sha256:<64 hex>`). */
export const DIGEST = /@sha256:[a-f0-9]{64}$/;

/** True when `reference` names a fixed image: a digest, or a tag that is not `latest`. */
export function isPinned(reference: string): boolean {
  if (DIGEST.test(reference)) return true;
  const tag = tagOf(reference);
  return tag !== undefined && tag !== 'latest';
}

/** The tag of an image reference (digest ignored), or undefined when it has none. */
export function tagOf(reference: string): string | undefined {
  const name = reference.replace(DIGEST, '');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon < 0 ? undefined : name.slice(colon + 1);
}
