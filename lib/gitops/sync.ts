import { KubeObject } from '../synth/manifest';

/** ArgoCD's sync-wave annotation: lower waves are applied (and must be healthy) before higher ones. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** ArgoCD's per-object sync options annotation (comma-separated `Key=value`). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * The ArgoCD version this library targets: its Application and AppProject types are generated from this
 * release's CRDs (scripts/import-crds.ts), and test/argocd syncs dist/ with this release.
 */
export const ARGOCD_VERSION = 'v2.14.21';

/** The in-cluster API server, as ArgoCD names it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * Waves of the objects inside one Application, by kind: namespaces and CRDs, then secret stores, then
 * ExternalSecrets, then everything else (RBAC, NetworkPolicies, workloads). ArgoCD's own kind order
 * already puts NetworkPolicies and RBAC before workloads inside one wave.
 */
export enum ResourceWave {
  NAMESPACES_AND_CRDS = -3,
  SECRET_STORES = -2,
  EXTERNAL_SECRETS = -1,
  WORKLOADS = 0,
}

/**
 * Waves of the Applications and AppProjects in the root folder. The root Application applies a wave
 * and waits for its Applications to be healthy before the next one, which needs the Application health
 * check in argocd-cm (see `argoCdValues`): ArgoCD ≥ 1.8 no longer ships it.
 */
export enum ApplicationWave {
  /** AppProjects: they exist before any Application names them. */
  PROJECTS = -3,
  /** The CRD folders of rendered charts: every CRD exists before the first folder that uses it syncs. */
  CRDS = -2,
  /**
   * Cluster-scoped objects (Namespaces, cluster RBAC, the ClusterSecretStore), the Helm operators they
   * need (CRDs, the secret backend), and the namespace folders of built-in kinds only, so that every
   * namespace gets its NetworkPolicies as early as it exists.
   */
  FOUNDATION = -1,
  /** Namespace folders holding custom resources (ExternalSecrets...): after the CRDs and the secret store. */
  CUSTOM_RESOURCES = 0,
  /** Helm workloads that consume what the namespace folders create (e.g. their ExternalSecrets). */
  HELM_WORKLOADS = 1,
}

/**
 * Sync options of every Application generated here:
 * - `ServerSideApply=true`: the field manager owns exactly the fields we render (and large CRDs fit);
 * - `FailOnSharedResource=true`: an object already tracked by another Application fails the sync
 *   instead of silently changing owner, so every object has exactly one owning Application;
 * - `PruneLast=true`: pruning waits until everything else of the sync is applied and healthy;
 * - no `CreateNamespace`: a namespace ArgoCD creates on the fly has no Pod Security labels.
 */
export const APPLICATION_SYNC_OPTIONS: readonly string[] = ['ServerSideApply=true', 'FailOnSharedResource=true', 'PruneLast=true'];

/**
 * Per-object sync option of every custom resource: its CRD comes from a Helm Application, possibly of the
 * same wave (the ClusterSecretStore and ESO), so on a fresh cluster the object skips only the dry run and
 * the rest of its Application (its Namespaces) still applies; its own apply fails and is retried until the
 * CRD exists. It must be the object's annotation: ArgoCD before 3.1 (argo-cd PR #22679) ignores it in an
 * Application's `syncOptions`, and then the whole Application's dry run fails (rule HB-ARGO-008).
 */
export const SKIP_DRY_RUN_ON_MISSING_RESOURCE = 'SkipDryRunOnMissingResource=true';

/**
 * Objects whose removal from the code must not silently weaken the cluster: ArgoCD neither prunes them
 * (a namespace's deletion or a deny policy's removal is a manual, reviewed act) nor deletes them with
 * their Application.
 */
export const PRUNE_PROTECTION: readonly string[] = ['Prune=false', 'Delete=false'];

const WAVE_BY_KIND: Readonly<Record<string, ResourceWave>> = {
  Namespace: ResourceWave.NAMESPACES_AND_CRDS,
  CustomResourceDefinition: ResourceWave.NAMESPACES_AND_CRDS,
  ClusterSecretStore: ResourceWave.SECRET_STORES,
  SecretStore: ResourceWave.SECRET_STORES,
  ExternalSecret: ResourceWave.EXTERNAL_SECRETS,
  ClusterExternalSecret: ResourceWave.EXTERNAL_SECRETS,
};

/** The API group of an object (`''` for the core group). */
export function groupOf(o: KubeObject): string {
  const slash = o.apiVersion.indexOf('/');
  return slash < 0 ? '' : o.apiVersion.slice(0, slash);
}

/**
 * True for API groups Kubernetes serves itself: the core group, the unqualified ones (`apps`, `batch`,
 * `policy`, `autoscaling`) and `*.k8s.io`. A CRD's group must contain a dot and, outside Kubernetes'
 * own API reviews, does not end in `.k8s.io`.
 */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** The sync wave of an object of `kind` inside its Application. */
export function resourceWave(kind: string): ResourceWave {
  return WAVE_BY_KIND[kind] ?? ResourceWave.WORKLOADS;
}

/**
 * True for objects {@link PRUNE_PROTECTION} applies to: Namespaces (their deletion takes everything in
 * them, their labels carry Pod Security), CRDs (their deletion takes every custom resource),
 * PersistentVolumeClaims (their deletion can take the volume's data with it), and NetworkPolicies that deny
 * a direction outright (their removal opens that direction).
 */
export function isPruneProtected(o: KubeObject): boolean {
  if (['Namespace', 'CustomResourceDefinition', 'PersistentVolumeClaim'].includes(o.kind)) return true;
  if (o.kind !== 'NetworkPolicy') return false;
  const spec = (o.spec ?? {}) as { policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
  return (spec.policyTypes ?? []).some((t) => !(t === 'Ingress' ? spec.ingress : spec.egress)?.length);
}

/**
 * The ArgoCD annotations an object gets inside its Application: its wave, its protections and, for a
 * custom resource, {@link SKIP_DRY_RUN_ON_MISSING_RESOURCE}.
 */
export function syncAnnotations(o: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const wave = resourceWave(o.kind);
  if (wave !== ResourceWave.WORKLOADS) out[SYNC_WAVE_ANNOTATION] = String(wave);
  const options = [...(isPruneProtected(o) ? PRUNE_PROTECTION : []), ...(isBuiltInGroup(groupOf(o)) ? [] : [SKIP_DRY_RUN_ON_MISSING_RESOURCE])];
  if (options.length) out[SYNC_OPTIONS_ANNOTATION] = options.join(',');
  return out;
}
