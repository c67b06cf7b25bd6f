import {
  APPLICATION,
  ESCALATION_VERBS,
  NODE_PROXY_RESOURCE,
  POD_ACCESS_RESOURCES,
  SECURITY_RESOURCES,
  WRITE_VERBS,
} from '../../rbac/guarantees';
import { Permission, expandRule, permits } from '../../rbac/permission';
import { KubeObject } from '../../synth/manifest';
import { Rule, RuleContext, RuleText, perRun } from '../rule';

/** A PolicyRule of a Role or ClusterRole as synthesized. */
interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}
interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}
interface RoleRef {
  readonly kind: string;
  readonly name: string;
}

/** A resource of one API group, e.g. `apps` `deployments` or core `pods/exec`. */
interface Target {
  readonly group: string;
  readonly resource: string;
}

// create, update, patch: the verbs that change a pod template or a spec; deleting one is not code execution.
const WRITE = WRITE_VERBS.filter((v) => !v.startsWith('delete'));

function isRole(o: KubeObject): boolean {
  return o.kind === 'Role' || o.kind === 'ClusterRole';
}

function policyRules(o: KubeObject): readonly PolicyRule[] {
  return (o.rules ?? []) as PolicyRule[];
}

/** One subject reached by a role through one binding: cluster-wide, or in one namespace. */
interface Reach {
  readonly binding: string;
  readonly subject: string;
  /** `undefined` for cluster-wide (ClusterRoleBinding), else the namespace the grant applies in. */
  readonly namespace?: string;
  /** True when the subject is a ServiceAccount of that very namespace. */
  readonly own: boolean;
}

/** What the RBAC rules compute once per rule run instead of once per rule and role. */
interface RbacIndex {
  /** Bindings by the role they reference ({@link roleKey}), in file order, ClusterRoleBindings first. */
  readonly bindings: Map<string, KubeObject[]>;
  readonly reach: WeakMap<KubeObject, Reach[]>;
  readonly permissions: WeakMap<KubeObject, Permission[]>;
}

// Once per rule run: scanning every binding for every role, in four rules, made reach quadratic.
const indexOf = perRun((context): RbacIndex => {
  const bindings = new Map<string, KubeObject[]>();
  for (const b of [...context.ofKind('ClusterRoleBinding'), ...context.ofKind('RoleBinding')]) {
    const ref = b.roleRef as RoleRef | undefined;
    if (!ref) continue;
    // A roleRef to a Role names the Role of the binding's own namespace; a ClusterRoleBinding cannot bind one.
    if (ref.kind === 'Role' && b.kind !== 'RoleBinding') continue;
    const keys = [roleKey(ref.kind, ref.name, ref.kind === 'Role' ? b.metadata.namespace : undefined)];
    // A Role without a namespace is bound by a RoleBinding to its name in any namespace.
    if (ref.kind === 'Role' && b.metadata.namespace !== undefined) keys.push(roleKey(ref.kind, ref.name));
    for (const key of keys) bindings.set(key, [...(bindings.get(key) ?? []), b]);
  }
  return { bindings, reach: new WeakMap(), permissions: new WeakMap() };
});

function roleKey(kind: string, name: string, namespace?: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** The atomic permissions of `role`'s resource rules (non-resource URLs name no resource). */
function permissionsOf(role: KubeObject, context: RuleContext): Permission[] {
  const { permissions } = indexOf(context);
  let out = permissions.get(role);
  if (!out) {
    out = policyRules(role).flatMap((r) => expandRule({ ...r, verbs: r.verbs ?? [], nonResourceURLs: undefined }, 'cluster'));
    permissions.set(role, out);
  }
  return out;
}

/** The verbs among `verbs` (or `*`) that `role` grants on `t`, whatever the binding and resourceNames. */
function grantedVerbs(role: KubeObject, context: RuleContext, t: Target, verbs?: readonly string[]): string[] {
  const [resource, subresource] = t.resource.split('/');
  const out = new Set<string>();
  for (const p of permissionsOf(role, context)) {
    if (verbs && p.verb !== '*' && !verbs.includes(p.verb)) continue;
    if (permits(p, { verb: p.verb, group: t.group, resource, subresource, name: p.resourceName })) out.add(p.verb);
  }
  return [...out].sort();
}

/** Every subject `role` is bound to in the synthesized set, and where the grant applies. */
function reachOf(role: KubeObject, context: RuleContext): Reach[] {
  const index = indexOf(context);
  const cached = index.reach.get(role);
  if (cached) return cached;
  const key = roleKey(role.kind, role.metadata.name, role.kind === 'Role' ? role.metadata.namespace : undefined);
  const reach = (index.bindings.get(key) ?? []).flatMap((b) =>
    ((b.subjects ?? []) as Subject[]).map((s) => {
      const namespace = b.kind === 'RoleBinding' ? b.metadata.namespace : undefined;
      const subjectNs = s.kind === 'ServiceAccount' ? (s.namespace ?? b.metadata.namespace) : undefined;
      return {
        binding: `${b.kind}/${b.metadata.namespace ? `${b.metadata.namespace}/` : ''}${b.metadata.name}`,
        subject: `${s.kind}/${subjectNs ? `${subjectNs}/` : ''}${s.name}`,
        namespace,
        own: namespace !== undefined && subjectNs === namespace,
      };
    }),
  );
  index.reach.set(role, reach);
  return reach;
}

/** A rule that flags `verbs` (or `*`) on any of `targets`, whoever the role is bound to. */
function grantRule(text: RuleText, targets: readonly Target[], verbs: readonly string[]): Rule {
  return {
    ...text,
    check(o, context) {
      if (!isRole(o)) return [];
      return targets.flatMap((t) =>
        grantedVerbs(o, context, t, verbs).map((v) => ({
          finding: `[resource:${t.resource}][verb:${v}]`,
          detail: `${o.kind} ${o.metadata.name} grants ${v} on ${t.group || 'core'}/${t.resource}`,
        })),
      );
    },
  };
}

/**
 * A rule that flags any verb on `targets` reaching a subject either inside its own namespace
 * (`beyond: false`) or anywhere else: cluster-wide, another namespace, a user or a group (`beyond: true`).
 */
function reachRule(text: RuleText, targets: readonly Target[], beyond: boolean): Rule {
  return {
    ...text,
    check(o, context) {
      if (!isRole(o)) return [];
      const reach = reachOf(o, context).filter((r) => r.own !== beyond);
      if (!reach.length) return [];
      return targets.flatMap((t) => {
        const verbs = grantedVerbs(o, context, t);
        if (!verbs.length) return [];
        const where = reach.map((r) => `${r.subject} ${r.namespace ? `in namespace ${r.namespace}` : 'cluster-wide'} via ${r.binding}`);
        return [{
          finding: `[resource:${t.resource}]`,
          detail: `${o.kind} ${o.metadata.name} grants ${verbs.join(',')} on ${t.resource} to ${where.join('; ')}`,
        }];
      });
    },
  };
}

const core = (resource: string): Target => ({ group: '', resource });
const SECRETS = [core('secrets')];
// One list with the agent guarantees (lib/rbac): every way into a pod, and the kubelet's proxy.
const EXEC = [...POD_ACCESS_RESOURCES, NODE_PROXY_RESOURCE].map(core);
const WORKLOADS: Target[] = [
  core('pods'),
  core('replicationcontrollers'),
  ...['deployments', 'statefulsets', 'daemonsets', 'replicasets'].map((resource) => ({ group: 'apps', resource })),
  ...['jobs', 'cronjobs'].map((resource) => ({ group: 'batch', resource })),
];
const ESO = ['externalsecrets', 'clusterexternalsecrets', 'secretstores', 'clustersecretstores', 'pushsecrets'].map(
  (resource) => ({ group: 'external-secrets.io', resource }),
);
// The GitOps-only objects of the agent guarantees (lib/rbac), split over the rules that name them; whatever
// is added there and named by no rule here lands in HB-RBAC-010, so the two never drift apart again.
const isNamespace = (t: Target): boolean => t.group === '' && t.resource.split('/')[0] === 'namespaces';
const isToken = (t: Target): boolean => t.group === '' && t.resource === 'serviceaccounts/token';
const isArgo = (t: Target): boolean => t.group === 'argoproj.io';
const NAMESPACES = SECURITY_RESOURCES.filter(isNamespace);
const TOKEN = SECURITY_RESOURCES.filter(isToken);
const ARGO = [APPLICATION, ...SECURITY_RESOURCES.filter(isArgo)];
const POLICY_OBJECTS = SECURITY_RESOURCES.filter((t) => !isNamespace(t) && !isToken(t) && !isArgo(t));

/** HB-RBAC-001: no `*` in verbs, resources, apiGroups or nonResourceURLs. */
export const noWildcards: Rule = {
  id: 'HB-RBAC-001',
  level: 'ERROR',
  title: 'No wildcards in RBAC rules',
  why: 'A wildcard grants everything that exists and everything added later (new CRDs, new subresources, new verbs).',
  fix: 'list the apiGroups, resources and verbs the subject needs',
  check(o) {
    if (!isRole(o)) return [];
    const out = new Set<string>();
    for (const rule of policyRules(o)) {
      for (const [field, key] of [['verbs', 'verb'], ['resources', 'resource'], ['apiGroups', 'apiGroup'], ['nonResourceURLs', 'nonResourceURL']] as const) {
        for (const v of rule[field] ?? []) if (v.includes('*')) out.add(`[${key}:${v}]`);
      }
    }
    return [...out].sort().map((finding) => ({ finding, detail: `${o.kind} ${o.metadata.name} uses the wildcard ${finding}` }));
  },
};

/** HB-RBAC-002: no binding to the built-in cluster-admin, admin or edit ClusterRoles. */
export const noBuiltinAdminBindings: Rule = {
  id: 'HB-RBAC-002',
  level: 'ERROR',
  upstreamAcceptable: false,
  title: 'No bindings to cluster-admin, admin or edit',
  why: 'The built-in roles grant far more than any service needs (edit and admin include secrets, exec and workload writes) and grow with the cluster.',
  fix: 'bind a Role or ClusterRole that lists exactly what the subject needs',
  check(o) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') return [];
    const ref = o.roleRef as RoleRef | undefined;
    if (ref?.kind !== 'ClusterRole' || !['cluster-admin', 'admin', 'edit'].includes(ref.name)) return [];
    return [{ finding: `[roleRef:${ref.name}]`, detail: `${o.kind} ${o.metadata.name} binds the built-in ClusterRole ${ref.name}` }];
  },
};

/** HB-RBAC-003: no escalate, bind, impersonate, approve or sign. */
export const noPrivilegeEscalationVerbs: Rule = {
  id: 'HB-RBAC-003',
  level: 'ERROR',
  title: 'No escalate, bind, impersonate, approve or sign',
  why: 'escalate and bind let a subject grant itself any permission; impersonate lets it act as any user, group or ServiceAccount; approve and sign on certificate signers mint client certificates for any identity.',
  fix: 'remove the verb: RBAC changes go through git and review',
  check(o) {
    if (!isRole(o)) return [];
    const verbs = new Set(policyRules(o).flatMap((r) => r.verbs ?? []));
    return [...ESCALATION_VERBS]
      .sort()
      .filter((v) => verbs.has(v))
      .map((v) => ({ finding: `[verb:${v}]`, detail: `${o.kind} ${o.metadata.name} grants ${v}` }));
  },
};

/** HB-RBAC-004: no access to secrets outside the subject's own namespace. */
export const noSecretsBeyondOwnNamespace = reachRule(
  {
    id: 'HB-RBAC-004',
    level: 'ERROR',
    title: 'No secrets access outside the subject\'s own namespace',
    why: 'Secrets of other namespaces hold other services\' credentials; reaching them turns one compromised subject into all of them.',
    fix: 'grant secrets only through a Role bound (RoleBinding in the same namespace) to that namespace\'s own ServiceAccounts',
  },
  SECRETS,
  true,
);

/** HB-RBAC-005: secrets access in the subject's own namespace (reported: an accepted risk needs a reason). */
export const secretsInOwnNamespace = reachRule(
  {
    id: 'HB-RBAC-005',
    level: 'WARN',
    title: 'Secrets access in the subject\'s own namespace',
    why: 'The subject can read every credential of its namespace through the API, not only the ones mounted into it.',
    fix: 'mount the secret the workload needs instead of granting API access, or narrow the rule with resourceNames',
  },
  SECRETS,
  false,
);

/** HB-RBAC-006: exec, attach, port-forward or ephemeral containers in the subject's own namespace. */
export const execInOwnNamespace = reachRule(
  {
    id: 'HB-RBAC-006',
    level: 'WARN',
    title: 'pods/exec, attach, portforward or ephemeralcontainers in the subject\'s own namespace',
    why: 'Exec is a shell in every pod of the namespace, with each pod\'s ServiceAccount token and mounted secrets.',
    fix: 'remove the grant, or keep the namespace to the one workload that needs it',
  },
  EXEC,
  false,
);

/** HB-RBAC-007: exec and friends anywhere but the subject's own namespace. */
export const noExecBeyondOwnNamespace = reachRule(
  {
    id: 'HB-RBAC-007',
    level: 'ERROR',
    title: 'No pods/exec, attach, portforward or ephemeralcontainers outside the subject\'s own namespace',
    why: 'Exec into other namespaces is code execution as every ServiceAccount there, and reads every mounted secret.',
    fix: 'grant exec only through a Role bound to ServiceAccounts of the same namespace',
  },
  EXEC,
  true,
);

/** HB-RBAC-008: create/update/patch on workloads. */
export const workloadWrites = grantRule(
  {
    id: 'HB-RBAC-008',
    level: 'WARN',
    title: 'Create, update or patch on workloads',
    why: 'Writing a pod template is code execution as any ServiceAccount in reach: change the image, command or serviceAccountName and the controller runs it.',
    fix: 'leave workload changes to GitOps; grant only the subresource needed (e.g. deployments/scale) or none',
  },
  WORKLOADS,
  WRITE,
);

/** HB-RBAC-009: no writes to namespaces (or their status and finalize subresources). */
export const noNamespaceWrites = grantRule(
  {
    id: 'HB-RBAC-009',
    level: 'ERROR',
    title: 'No create, update, patch or delete on namespaces',
    why: 'Whoever writes a Namespace can strip (or never set) its Pod Security labels, and pods there then run privileged; deleting one deletes everything in it.',
    fix: 'remove the grant: namespaces come from git (HardenedNamespace)',
  },
  NAMESPACES,
  WRITE_VERBS,
);

/** HB-RBAC-010: no writes to NetworkPolicies, RBAC or admission control objects. */
export const noPolicyWrites = grantRule(
  {
    id: 'HB-RBAC-010',
    level: 'ERROR',
    title: 'No writes to NetworkPolicies, RBAC or admission control objects',
    why: 'Whoever writes NetworkPolicies, RBAC or admission webhooks and policies can undo the isolation and least privilege this baseline builds.',
    fix: 'remove the grant: policies, RBAC and admission control change through git and review only',
  },
  POLICY_OBJECTS,
  WRITE_VERBS,
);

/** HB-RBAC-011: no serviceaccounts/token create (the only verb the API serves on it; any write verb counts). */
export const noTokenRequests = grantRule(
  {
    id: 'HB-RBAC-011',
    level: 'ERROR',
    title: 'No serviceaccounts/token create',
    why: 'Creating tokens lets the subject act as any ServiceAccount in reach, with all of its permissions.',
    fix: 'remove the grant; workloads get their own token by automount or a projected volume',
  },
  TOKEN,
  WRITE_VERBS,
);

/** HB-RBAC-012: no bindings to the groups that mean "everyone". */
export const noBroadGroupBindings: Rule = {
  id: 'HB-RBAC-012',
  level: 'ERROR',
  upstreamAcceptable: false,
  title: 'No bindings to system:authenticated, system:unauthenticated or system:serviceaccounts',
  why: 'These groups contain every user, every anonymous request or every ServiceAccount: a grant to them is a grant to all.',
  fix: 'bind the ServiceAccount (or user) that needs the permission',
  check(o) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') return [];
    return ((o.subjects ?? []) as Subject[])
      .filter((s) => isBroad(s))
      .map((s) => ({ finding: `[subject:${s.kind}/${s.name}]`, detail: `${o.kind} ${o.metadata.name} binds ${s.kind} ${s.name}` }));
  },
};

function isBroad(s: Subject): boolean {
  if (s.kind === 'User') return s.name === 'system:anonymous';
  if (s.kind !== 'Group') return false;
  return ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'].includes(s.name) || s.name.startsWith('system:serviceaccounts:');
}

/** HB-RBAC-013: writes to External Secrets objects. */
export const externalSecretWrites = grantRule(
  {
    id: 'HB-RBAC-013',
    level: 'WARN',
    title: 'Create, update or patch on External Secrets objects',
    why: 'Whoever edits an ExternalSecret chooses which keys of the secret store land in a Secret: with read access to that Secret, that is read access to the store.',
    fix: 'grant only the annotation-based force-sync through a narrower path, or none; restrict the store to the keys each namespace needs',
  },
  ESO,
  WRITE,
);

/** HB-RBAC-014: writes to ArgoCD Applications, ApplicationSets and AppProjects. */
export const argoWrites = grantRule(
  {
    id: 'HB-RBAC-014',
    level: 'WARN',
    title: 'Writes to ArgoCD Applications, ApplicationSets or AppProjects',
    why: 'Whoever edits an Application chooses what ArgoCD deploys with its controller\'s privileges, within what its AppProject allows; ApplicationSets create Applications, and AppProjects set those bounds.',
    fix: 'leave Applications to git; if a refresh is needed, keep the AppProject\'s sourceRepos and destinations narrow',
  },
  ARGO,
  WRITE_VERBS,
);

/** The RBAC rules in id order. */
export const RBAC_RULES: readonly Rule[] = [
  noWildcards,
  noBuiltinAdminBindings,
  noPrivilegeEscalationVerbs,
  noSecretsBeyondOwnNamespace,
  secretsInOwnNamespace,
  execInOwnNamespace,
  noExecBeyondOwnNamespace,
  workloadWrites,
  noNamespaceWrites,
  noPolicyWrites,
  noTokenRequests,
  noBroadGroupBindings,
  externalSecretWrites,
  argoWrites,
];
