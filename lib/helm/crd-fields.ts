import { KubeObject } from '../synth/manifest';

/** On a CRD the render changed: which fields of `spec.versions[]` were dropped and why (for the reviewer). */
export const DROPPED_FIELDS_ANNOTATION = 'baseline.homelab.dev/dropped-fields';

/**
 * CustomResourceDefinition fields newer than some Kubernetes versions: `selectableFields` (field selectors
 * on custom resources) arrived in 1.30 behind a feature gate and is on by default from 1.31. An older API
 * server refuses it under strict server-side apply ("field not declared in schema"), so a chart CRD with it
 * cannot be applied there; the CRD works without it, only those field selectors are not served.
 */
const VERSION_FIELDS: readonly { readonly field: string; readonly sinceMinor: number; readonly what: string }[] = [
  { field: 'selectableFields', sinceMinor: 30, what: 'field selectors on custom resources (Kubernetes 1.30 alpha, on by default from 1.31)' },
];

/**
 * Drops from a CRD's `spec.versions[]` the fields the target cluster version does not know, and records each
 * drop with its reason in {@link DROPPED_FIELDS_ANNOTATION}. Other objects and CRDs without such fields are
 * returned unchanged.
 * @param kubeVersion the cluster's version, e.g. `1.28.15` or `v1.28`
 */
export function dropUnknownCrdFields(o: KubeObject, kubeVersion: string): KubeObject {
  if (o.kind !== 'CustomResourceDefinition') return o;
  const minor = Number(/^v?1\.(\d+)/.exec(kubeVersion)?.[1]);
  const versions = ((o.spec as { versions?: Record<string, unknown>[] } | undefined)?.versions ?? []);
  const dropped: string[] = [];
  const kept = versions.map((v) => {
    const out = { ...v };
    for (const f of VERSION_FIELDS) {
      if (minor < f.sinceMinor && f.field in out) {
        delete out[f.field];
        dropped.push(`spec.versions[${String(v.name)}].${f.field}: ${f.what}; Kubernetes ${kubeVersion} refuses it`);
      }
    }
    return out;
  });
  if (!dropped.length) return o;
  return {
    ...o,
    metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [DROPPED_FIELDS_ANNOTATION]: dropped.join('; ') } },
    spec: { ...(o.spec as object), versions: kept },
  } as KubeObject;
}
