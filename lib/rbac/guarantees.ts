import { Problem } from '../errors';
import { RbacGuarantee, RuleGuarantee } from './grant';
import { Binding, Permission, ServiceAccountRef, bindingReaches, permissionKey, permits, serviceAccountGroups } from './permission';

/** One broken guarantee: which, by what, and the message parts. */
export interface GuaranteeViolation extends Problem {
  readonly guarantee: RbacGuarantee;
}

/** A (group, resource) the guarantees single out, with why. `resource` may name a subresource. */
interface Target {
  readonly group: string;
  readonly resource: string;
  readonly why: string;
}

interface RuleGuaranteeSpec {
  readonly id: RuleGuarantee;
  readonly title: string;
  readonly allowed: string;
  readonly fix: string;
  /** Undefined when `p` keeps the guarantee, else what it reaches (for the message). */
  readonly breach: (p: Permission, ownNamespace: string) => string | undefined;
}

/** Every verb that changes an object. The rule pack flags the same verbs on the same resources. */
export const WRITE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Verbs that turn RBAC into more RBAC: raising a role, binding a role, acting as someone else, minting certificates. */
const ESCALATIONS: readonly (Target & { readonly verb: string })[] = [
  ...['roles', 'clusterroles'].flatMap((resource) => [
    { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource, why: 'raise a role above its own permissions' },
    { verb: 'bind', group: 'rbac.authorization.k8s.io', resource, why: 'bind roles it does not hold' },
  ]),
  ...['users', 'groups', 'serviceaccounts'].map((resource) => ({
    verb: 'impersonate', group: '', resource, why: 'act as another identity',
  })),
  ...['userextras', 'uids'].map((resource) => ({
    verb: 'impersonate', group: 'authentication.k8s.io', resource, why: 'act as another identity',
  })),
  ...['approve', 'sign'].map((verb) => ({
    verb, group: 'certificates.k8s.io', resource: 'signers', why: 'mint client certificates for any identity',
  })),
];
/** escalate, bind, impersonate, approve, sign: never granted, on anything (the rule pack flags them too). */
export const ESCALATION_VERBS: readonly string[] = [...new Set(ESCALATIONS.map((e) => e.verb))];

/** The GitOps-only objects: no write verb on them, ever (the rule pack builds its write rules from this list). */
export const SECURITY_RESOURCES: readonly Target[] = [
  ...['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].map((resource) => ({
    group: 'rbac.authorization.k8s.io', resource, why: 'RBAC is GitOps-only',
  })),
  { group: 'networking.k8s.io', resource: 'networkpolicies', why: 'network isolation is GitOps-only' },
  ...['namespaces', 'namespaces/status', 'namespaces/finalize'].map((resource) => ({
    group: '', resource, why: 'patching a namespace could strip its Pod Security labels',
  })),
  { group: '', resource: 'serviceaccounts/token', why: 'minting tokens lets it act as any ServiceAccount' },
  ...['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings']
    .map((resource) => ({ group: 'admissionregistration.k8s.io', resource, why: 'admission control is GitOps-only' })),
  { group: 'argoproj.io', resource: 'appprojects', why: 'AppProjects bound what Argo CD may deploy where' },
  { group: 'argoproj.io', resource: 'applicationsets', why: 'ApplicationSets create Applications' },
];
// Applications may be patched (hard refresh annotation); every other write is their lifecycle, which is git's.
export const APPLICATION: Target = { group: 'argoproj.io', resource: 'applications', why: 'the Application lifecycle is managed through git' };

/**
 * Core subresources that reach into running pods (a shell, a debug container, a port, a proxy past the
 * NetworkPolicies): allowed to an agent only in its own namespace. The rule pack flags the same list.
 */
export const POD_ACCESS_RESOURCES: readonly string[] = [
  'pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'pods/ephemeralcontainers', 'services/proxy',
];
/** The kubelet API through the API server: it execs into every pod of the node, so it is never granted. */
export const NODE_PROXY_RESOURCE = 'nodes/proxy';

const POD_ACCESS: readonly Target[] = POD_ACCESS_RESOURCES.map((resource) => ({
  group: '',
  resource,
  why: resource === 'services/proxy' ? 'reaches services past their NetworkPolicies' : 'shell or network access into pods',
}));
const NODE_PROXY: Target = { group: '', resource: NODE_PROXY_RESOURCE, why: 'the kubelet API execs into every pod on the node' };

function covers(p: Permission, verb: string, t: Target): boolean {
  const [resource, subresource] = t.resource.split('/');
  return permits(p, { verb, group: t.group, resource, subresource, namespace: p.namespace, name: p.resourceName });
}

function coversAnyVerb(p: Permission, verbs: readonly string[], targets: readonly Target[]): Target | undefined {
  return targets.find((t) => verbs.some((v) => covers(p, v, t)));
}

function inOwnNamespace(p: Permission, ownNamespace: string): boolean {
  return p.scope === 'namespace' && p.namespace === ownNamespace;
}

function describe(t: Target | undefined): string | undefined {
  return t && `${t.group || 'core'}/${t.resource} (${t.why})`;
}

const OVERRIDE = 'if the agent truly needs it, exempt it with a written reason';

/**
 * The rule guarantees, most specific first (the first broken one is reported). They hold for every
 * agent by default; the seed's "What the ClusterRole does NOT grant" table is the minimum they cover.
 */
const RULE_GUARANTEES: readonly RuleGuaranteeSpec[] = [
  {
    id: 'no-wildcards',
    title: 'no wildcard verb, resource or apiGroup',
    allowed: 'explicit verbs, API groups and resources',
    fix: 'name each verb, group and resource the agent needs, e.g. grantRead("cluster", [Resource.core("pods")])',
    breach: (p) => (p.verb === '*' || p.apiGroup === '*' || p.resource.includes('*') ? 'every verb, group or resource' : undefined),
  },
  {
    id: 'no-escalation-verbs',
    title: 'never escalate, bind, impersonate, approve or sign',
    allowed: 'no escalate, bind, impersonate, approve or sign, on anything',
    fix: 'remove the verb: an agent never widens its own or anyone\'s permissions',
    breach: (p) => {
      if (ESCALATION_VERBS.includes(p.verb)) return `${p.verb} (${ESCALATIONS.find((e) => e.verb === p.verb)!.why})`;
      const hit = ESCALATIONS.find((e) => covers(p, e.verb, e));
      return hit && `${hit.verb} on ${describe(hit)}`;
    },
  },
  {
    id: 'no-security-writes',
    title: 'no write to RBAC, NetworkPolicies, Namespaces, serviceaccounts/token, admission control, AppProjects, ApplicationSets, and nothing beyond patch on Applications',
    allowed: 'read-only access to these; patch (e.g. a refresh annotation) on Applications',
    fix: 'change them through GitOps (commit to git, Argo CD applies)',
    breach: (p) =>
      describe(
        coversAnyVerb(p, WRITE_VERBS, SECURITY_RESOURCES) ??
          coversAnyVerb(p, WRITE_VERBS.filter((v) => v !== 'patch'), [APPLICATION]),
      ),
  },
  {
    id: 'no-foreign-secrets',
    title: "no secrets outside the agent's own namespace",
    allowed: 'secrets only in scope "namespace" (the agent\'s own namespace)',
    fix: 'grant secrets in scope "namespace", or let the workload that needs a secret mount it',
    breach: (p, own) =>
      inOwnNamespace(p, own) ? undefined : describe(coversAnyVerb(p, [p.verb], [{ group: '', resource: 'secrets', why: 'reads other services\' credentials' }])),
  },
  {
    id: 'no-foreign-exec',
    title: "no pods/exec, attach, portforward or proxy outside the agent's own namespace, never nodes/proxy",
    allowed: 'pods/exec, pods/attach, pods/portforward, pods/proxy and services/proxy only in scope "namespace"; nodes/proxy never',
    fix: 'grant it with grantExec("namespace"), or operate the other namespace\'s workloads through restart/scale/annotate',
    breach: (p, own) =>
      describe(coversAnyVerb(p, [p.verb], [NODE_PROXY]) ?? (inOwnNamespace(p, own) ? undefined : coversAnyVerb(p, [p.verb], POD_ACCESS))),
  },
  {
    id: 'no-create',
    title: "no create, except pods/exec in the agent's own namespace",
    allowed: 'create only on pods/exec, in scope "namespace"',
    fix: 'create resources through GitOps (commit them to git, Argo CD applies them)',
    breach: (p) => (['create', '*'].includes(p.verb) && !(p.apiGroup === '' && p.resource === 'pods/exec') ? 'create' : undefined),
  },
  {
    id: 'no-delete',
    title: 'no delete, except single pods',
    allowed: 'delete only on pods (removing a stuck pod); never deletecollection',
    fix: 'delete through GitOps (git revert, Argo CD prunes)',
    breach: (p) =>
      ['delete', 'deletecollection', '*'].includes(p.verb) && !(p.verb === 'delete' && p.apiGroup === '' && p.resource === 'pods')
        ? p.verb
        : undefined,
  },
];

/** Every guarantee id with its one-line title, in the order they are checked (for docs and the report). */
export const RBAC_GUARANTEES: Readonly<Record<RbacGuarantee, string>> = {
  ...(Object.fromEntries(RULE_GUARANTEES.map((g) => [g.id, g.title])) as Record<RuleGuarantee, string>),
  'no-privileged-bindings': 'the agent is bound only to its own roles: never cluster-admin, admin or edit, never through a group such as system:authenticated',
};

/**
 * Checks `permissions` of an agent whose own namespace is `ownNamespace` against every rule guarantee.
 * Pure, so the rule pack can run it over the effective permissions read back from `dist/`.
 */
export function checkRbacGuarantees(permissions: readonly Permission[], ownNamespace: string): GuaranteeViolation[] {
  const out: GuaranteeViolation[] = [];
  for (const p of permissions) {
    for (const g of RULE_GUARANTEES) {
      const reach = g.breach(p, ownNamespace);
      if (reach === undefined) continue;
      out.push({
        guarantee: g.id,
        problem: `grant breaks RBAC guarantee "${g.id}" (${g.title}): it allows ${reach}`,
        value: permissionKey(p),
        allowed: g.allowed,
        fix: `${g.fix}; ${OVERRIDE} in the grant's options: { exemptions: { '${g.id}': '<why>' } }`,
      });
    }
  }
  return out;
}

/** The built-in ClusterRoles no agent may be bound to. */
export const PRIVILEGED_CLUSTER_ROLES: readonly string[] = ['cluster-admin', 'admin', 'edit'];

/**
 * Checks that none of `bindings` (every binding outside the agent's own two) reaches `sa`: its
 * permissions must come from its own Role and ClusterRole only, where the rule guarantees are enforced.
 */
export function checkAgentBindings(bindings: readonly Binding[], sa: ServiceAccountRef): GuaranteeViolation[] {
  const groups = serviceAccountGroups(sa);
  return bindings.filter((b) => bindingReaches(b, sa)).map((b) => {
    const group = (b.subjects ?? []).find((s) => s.kind === 'Group' && groups.includes(s.name));
    const builtin = b.roleRef.kind === 'ClusterRole' && PRIVILEGED_CLUSTER_ROLES.includes(b.roleRef.name);
    const how = group ? `group "${group.name}", which every ServiceAccount token carries` : `ServiceAccount ${sa.namespace}/${sa.name}`;
    return {
      guarantee: 'no-privileged-bindings',
      problem: `binding outside the agent's AgentRbac grants ${builtin ? `the built-in "${b.roleRef.name}" ClusterRole` : 'permissions'} to ${how}`,
      value: `${b.kind} ${b.metadata.namespace ? `${b.metadata.namespace}/` : ''}${b.metadata.name} -> ${b.roleRef.kind} ${b.roleRef.name}`,
      allowed: `only the agent's own RoleBinding and ClusterRoleBinding; never ${PRIVILEGED_CLUSTER_ROLES.join(', ')}; never a group such as ${groups.join(', ')}`,
      fix: `remove the binding and grant what the agent needs with AgentRbac.allow() or a grant* helper; ${OVERRIDE} in AgentRbacProps.exemptions['no-privileged-bindings']`,
    };
  });
}
