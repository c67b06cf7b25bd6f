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
