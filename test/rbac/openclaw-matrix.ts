/**
 * The OpenClaw agent's RBAC as the security report specifies it, written out independently of the code:
 * the two tables of "LLM / AI Agent Security (OpenClaw)" → "Kubernetes RBAC", and an access matrix of
 * SubjectAccessReview-shaped checks: every grant of the tables must be allowed, every row of "What the
 * ClusterRole does NOT grant" and every guarantee of AgentRbac must be denied. The unit tests evaluate
 * the matrix against the effective permissions computed from the synthesized objects; the cluster suite
 * asks a real kube-apiserver the same questions.
 */

export const OPENCLAW_NAMESPACE = 'openclaw';
export const OPENCLAW_USER = 'system:serviceaccount:openclaw:openclaw';

/** One row of a seed table. Resources in kubectl's spelling: `pods/exec`, `deployments.apps/scale`. */
export interface SeedRow {
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];

/** "Namespace Role (openclaw namespace only)": Role `openclaw-role`. */
export const SEED_ROLE: readonly SeedRow[] = [
  { resources: ['secrets'], verbs: READ },
  { resources: ['pods/exec'], verbs: ['create'] },
];

/** "ClusterRole (cluster-wide)": ClusterRole `openclaw-homelab-admin`, its ten rows. */
export const SEED_CLUSTER_ROLE: readonly SeedRow[] = [
  {
    resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'nodes', 'namespaces',
      'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers'],
    verbs: READ,
  },
  { resources: ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'replicasets.apps'], verbs: READ },
  { resources: ['deployments.apps', 'statefulsets.apps'], verbs: ['patch'] },
  { resources: ['deployments.apps/scale', 'statefulsets.apps/scale'], verbs: ['get', 'patch'] },
  { resources: ['pods'], verbs: ['delete'] },
  { resources: ['configmaps', 'services', 'persistentvolumeclaims'], verbs: ['patch'] },
  { resources: ['externalsecrets.external-secrets.io'], verbs: ['get', 'list', 'watch', 'patch'] },
  { resources: ['applications.argoproj.io', 'appprojects.argoproj.io'], verbs: READ },
  { resources: ['applications.argoproj.io'], verbs: ['patch'] },
  { resources: ['pods.metrics.k8s.io', 'nodes.metrics.k8s.io'], verbs: ['get', 'list'] },
];

/** Resources of the tables that are cluster-scoped: asked about without a namespace. */
const CLUSTER_SCOPED = new Set(['nodes', 'namespaces', 'persistentvolumes', 'nodes.metrics.k8s.io']);

/** `deployments.apps/scale` → group `apps`, resource `deployments`, subresource `scale`. */
export function parseResource(spelled: string): { group: string; resource: string; subresource?: string } {
  const [withGroup, subresource] = spelled.split('/');
  const dot = withGroup.indexOf('.');
  return {
    group: dot < 0 ? '' : withGroup.slice(dot + 1),
    resource: dot < 0 ? withGroup : withGroup.slice(0, dot),
    ...(subresource ? { subresource } : {}),
  };
}

/** One access check, shaped like a SubjectAccessReview's `spec` (user + resourceAttributes). */
export interface MatrixEntry {
  readonly user: string;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Absent: cluster-scoped, or across all namespaces (`-A`). */
  readonly namespace?: string;
  readonly expected: 'allow' | 'deny';
  readonly why: string;
}

function entry(expected: 'allow' | 'deny', verb: string, spelled: string, namespace: string | undefined, why: string): MatrixEntry {
  return { user: OPENCLAW_USER, verb, ...parseResource(spelled), ...(namespace ? { namespace } : {}), expected, why };
}

// Cluster-wide grants are asked about in a namespace that is not the agent's own, and (for list and
// watch) across all namespaces, as `kubectl get -A` does.
const OTHER = 'monitoring';

const GRANTS: MatrixEntry[] = [
  ...SEED_ROLE.flatMap((row) => row.resources.flatMap((r) => row.verbs.map((v) =>
    entry('allow', v, r, OPENCLAW_NAMESPACE, `seed Role openclaw-role: ${r} ${v}`)))),
  ...SEED_CLUSTER_ROLE.flatMap((row) => row.resources.flatMap((r) => row.verbs.flatMap((v) => {
    const why = `seed ClusterRole openclaw-homelab-admin: ${r} ${v}`;
    if (CLUSTER_SCOPED.has(r)) return [entry('allow', v, r, undefined, why)];
    const everywhere = v === 'list' || v === 'watch' ? [entry('allow', v, r, undefined, `${why} (all namespaces)`)] : [];
    return [entry('allow', v, r, OTHER, why), ...everywhere];
  }))),
];

const NOT_GRANTED = 'seed "does NOT grant"';
const deny = (verb: string, spelled: string, namespace: string | undefined, why: string) => entry('deny', verb, spelled, namespace, why);

const DENIALS: MatrixEntry[] = [
  // What the ClusterRole does NOT grant.
  ...['deployments.apps', 'services', 'configmaps'].map((r) => deny('create', r, OTHER, `${NOT_GRANTED}: create ${r}; no-create`)),
  deny('create', 'namespaces', undefined, `${NOT_GRANTED}: create namespaces; no-create`),
  ...['deployments.apps', 'services', 'statefulsets.apps'].map((r) => deny('delete', r, OTHER, `${NOT_GRANTED}: delete ${r}; no-delete`)),
  deny('delete', 'namespaces', undefined, `${NOT_GRANTED}: delete namespaces; no-delete, no-security-writes`),
  ...['argocd', 'monitoring', 'authentik', 'infisical', 'kube-system'].map((ns) =>
    deny('get', 'secrets', ns, `${NOT_GRANTED}: read secrets outside openclaw (${ns}); no-foreign-secrets`)),
  deny('list', 'secrets', undefined, `${NOT_GRANTED}: read secrets outside openclaw (all namespaces); no-foreign-secrets`),
  deny('watch', 'secrets', 'argocd', `${NOT_GRANTED}: read secrets outside openclaw; no-foreign-secrets`),
  ...['clusterroles', 'clusterrolebindings'].flatMap((r) => ['create', 'update', 'patch', 'delete'].map((v) =>
    deny(v, `${r}.rbac.authorization.k8s.io`, undefined, `${NOT_GRANTED}: modify ${r}; no-security-writes`))),
  ...[OPENCLAW_NAMESPACE, OTHER].flatMap((ns) => ['create', 'update', 'patch', 'delete'].map((v) =>
    deny(v, 'networkpolicies.networking.k8s.io', ns, `${NOT_GRANTED}: modify NetworkPolicies; no-security-writes`))),
  ...['applications.argoproj.io', 'appprojects.argoproj.io'].flatMap((r) => ['create', 'delete'].map((v) =>
    deny(v, r, 'argocd', `${NOT_GRANTED}: ${v} ArgoCD ${r}; no-security-writes`))),
  ...['monitoring', 'argocd', 'kube-system'].map((ns) =>
    deny('create', 'pods/exec', ns, `${NOT_GRANTED}: exec into pods in other namespaces; no-foreign-exec`)),

  // no-foreign-exec: every way into a pod outside openclaw, and the kubelet API.
  deny('get', 'pods/exec', OTHER, 'no-foreign-exec: websocket exec uses get'),
  deny('create', 'pods/attach', OTHER, 'no-foreign-exec'),
  deny('create', 'pods/portforward', OTHER, 'no-foreign-exec'),
  deny('get', 'pods/proxy', OTHER, 'no-foreign-exec'),
  deny('get', 'services/proxy', OTHER, 'no-foreign-exec: the API server proxy bypasses NetworkPolicies'),
  deny('get', 'nodes/proxy', undefined, 'no-foreign-exec: the kubelet API execs into any pod'),

  // no-create: only pods/exec, only in openclaw.
  ...['pods', 'configmaps', 'secrets', 'pods/attach', 'pods/portforward', 'jobs.batch', 'serviceaccounts'].map((r) =>
    deny('create', r, OPENCLAW_NAMESPACE, `no-create: create ${r} in its own namespace`)),
  deny('create', 'pods/eviction', OTHER, 'no-create: evictions'),

  // no-delete: only single pods.
  deny('deletecollection', 'pods', OTHER, 'no-delete: deletecollection'),
  ...['configmaps', 'persistentvolumeclaims', 'externalsecrets.external-secrets.io', 'replicasets.apps'].map((r) =>
    deny('delete', r, OTHER, `no-delete: delete ${r}`)),
  deny('delete', 'persistentvolumes', undefined, 'no-delete: delete persistentvolumes'),

  // no-escalation-verbs.
  ...['roles', 'clusterroles'].flatMap((r) => ['escalate', 'bind'].map((v) =>
    deny(v, `${r}.rbac.authorization.k8s.io`, r === 'roles' ? OPENCLAW_NAMESPACE : undefined, `no-escalation-verbs: ${v} ${r}`))),
  ...['users', 'groups', 'serviceaccounts'].map((r) => deny('impersonate', r, undefined, `no-escalation-verbs: impersonate ${r}`)),
  deny('impersonate', 'userextras.authentication.k8s.io/scopes', undefined, 'no-escalation-verbs: impersonate userextras'),
  ...['approve', 'sign'].map((v) => deny(v, 'signers.certificates.k8s.io', undefined, `no-escalation-verbs: ${v} signers`)),

  // no-security-writes.
  ...['roles', 'rolebindings'].flatMap((r) => ['create', 'patch', 'delete'].map((v) =>
    deny(v, `${r}.rbac.authorization.k8s.io`, OPENCLAW_NAMESPACE, `no-security-writes: ${v} ${r} in its own namespace`))),
  ...['patch', 'update'].map((v) => deny(v, 'namespaces', undefined, `no-security-writes: ${v} namespaces (strip PSS labels)`)),
  deny('update', 'namespaces/finalize', undefined, 'no-security-writes: namespace finalizers'),
  ...[OPENCLAW_NAMESPACE, OTHER].map((ns) => deny('create', 'serviceaccounts/token', ns, 'no-security-writes: mint ServiceAccount tokens')),
  ...['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'].map((r) =>
    deny('patch', `${r}.admissionregistration.k8s.io`, undefined, 'no-security-writes: admission control')),
  deny('patch', 'appprojects.argoproj.io', 'argocd', 'no-security-writes: AppProjects are read-only'),
  deny('update', 'applications.argoproj.io', 'argocd', 'no-security-writes: nothing beyond patch on Applications'),
  deny('create', 'applicationsets.argoproj.io', 'argocd', 'no-security-writes: ApplicationSets create Applications'),

  // no-wildcards, no-privileged-bindings and "nothing more": what the tables do not list stays denied.
  deny('get', 'certificatesigningrequests.certificates.k8s.io', undefined, 'no-wildcards: no group beyond the tables'),
  deny('get', 'jobs.batch', OTHER, 'no-wildcards: no resource beyond the tables'),
  deny('get', 'serviceaccounts', OTHER, 'no-wildcards: no resource beyond the tables'),
  deny('delete', 'nodes', undefined, 'no-privileged-bindings: no cluster-admin, admin or edit'),
  deny('create', 'deployments.apps', OPENCLAW_NAMESPACE, 'no-privileged-bindings: no admin or edit, even in its own namespace'),
  deny('patch', 'secrets', OPENCLAW_NAMESPACE, 'nothing more: secrets are read-only, even its own'),
  deny('update', 'deployments.apps', OTHER, 'nothing more: patch only, not update'),
  deny('patch', 'daemonsets.apps', OTHER, 'nothing more: restart covers deployments and statefulsets only'),
  deny('patch', 'replicasets.apps/scale', OTHER, 'nothing more: scale covers deployments and statefulsets only'),
  deny('update', 'deployments.apps/scale', OTHER, 'nothing more: scale is get and patch'),
  deny('patch', 'pods', OTHER, 'nothing more: pods are read and delete only'),
  deny('patch', 'nodes', undefined, 'nothing more: no cordon'),
  deny('watch', 'pods.metrics.k8s.io', OTHER, 'nothing more: metrics are get and list'),
  deny('get', 'secrets', undefined, 'no-foreign-secrets: not cluster-wide'),
];

/** The full matrix: every seed grant (allow), then every denial. */
export const OPENCLAW_MATRIX: readonly MatrixEntry[] = [...GRANTS, ...DENIALS];
