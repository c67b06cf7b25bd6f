import { IConstruct } from 'constructs';

/** Kinds that are cluster-scoped: they go to the cluster folder and must not carry a namespace. */
const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'ClusterExternalSecret',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'Namespace',
  'PersistentVolume',
  'PriorityClass',
  'StorageClass',
  'ValidatingWebhookConfiguration',
]);

/** True for kinds that live outside any namespace. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

const clusterScopedObjects = new WeakSet<IConstruct>();

/**
 * Marks one object as cluster-scoped although its kind is not a built-in cluster kind: a custom resource
 * whose CRD says `scope: Cluster` (e.g. a rendered chart's ClusterComplianceReport).
 */
export function markClusterScoped(object: IConstruct): void {
  clusterScopedObjects.add(object);
}

/** True for an object that lives outside any namespace: by its kind or as marked. */
export function isClusterScopedObject(object: IConstruct, kind: string): boolean {
  return isClusterScoped(kind) || clusterScopedObjects.has(object);
}
