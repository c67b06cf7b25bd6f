import { KubeObject } from '../synth/manifest';
import { RbacScope } from './grant';

/**
 * One atomic permission: a verb on a resource of a group, where. The unit in which the effective
 * permissions of an identity are compared with a specification, and in which guarantees are checked.
 */
export interface Permission {
  /** `cluster`: every namespace and every cluster-scoped object; `namespace`: only in {@link namespace}. */
  readonly scope: RbacScope;
  /** @default - none (cluster scope) */
  readonly namespace?: string;
  readonly apiGroup: string;
  /** The resource as a rule names it (`pods/exec`), or a non-resource URL path (starting with `/`). */
  readonly resource: string;
  readonly verb: string;
  /** @default - every object of the resource */
  readonly resourceName?: string;
  /**
   * Whether {@link resource} is a non-resource URL: tells `nonResourceURLs: ['*']` apart from `resources: ['*']`.
   * @default false
   */
  readonly nonResourceURL?: boolean;
}

/** An access check, shaped like a SubjectAccessReview's `resourceAttributes`. */
export interface AccessRequest {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  /** @default - none */
  readonly subresource?: string;
  /** @default - a cluster-wide or cluster-scoped request */
  readonly namespace?: string;
  /** @default - no particular object (as for list, watch and create) */
  readonly name?: string;
}

/** The parts of an RBAC PolicyRule this module reads. */
export interface RuleLike {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

/** A ServiceAccount, the identity whose permissions are computed. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** Expands one rule, as it applies at `scope` (and in `namespace`), into atomic permissions. */
export function expandRule(rule: RuleLike, scope: RbacScope, namespace?: string): Permission[] {
  const where = scope === 'namespace' ? { scope, namespace } : { scope };
  const out: Permission[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) out.push({ scope: 'cluster', apiGroup: '', resource: url, verb, nonResourceURL: true });
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names: (string | undefined)[] = rule.resourceNames?.length ? [...rule.resourceNames] : [undefined];
        for (const resourceName of names) {
          out.push({ ...where, apiGroup, resource, verb, ...(resourceName === undefined ? {} : { resourceName }) });
        }
      }
    }
  }
  return out;
}

/**
 * Whether `p` allows `request`, with the RBAC authorizer's matching: `*` verbs, groups and resources,
 * `*\/subresource`, resourceNames, and a namespace permission only inside its namespace.
 */
export function permits(p: Permission, request: AccessRequest): boolean {
  if (p.verb !== '*' && p.verb !== request.verb) return false;
  if (p.apiGroup !== '*' && p.apiGroup !== request.group) return false;
  if (!resourceMatches(p.resource, request.resource, request.subresource)) return false;
  if (p.scope === 'namespace' && request.namespace !== p.namespace) return false;
  return p.resourceName === undefined || p.resourceName === request.name;
}

/**
 * Whether `outer` allows everything `inner` allows (both may hold wildcards): `outer` {@link permits} the
 * request that stands for all of `inner` (`*` verbs, groups and resources; `*\/exec`; no resourceName; its
 * namespace). A non-resource URL is covered by the same URL, `*`, or a `prefix*` (the authorizer's matching).
 */
export function permissionCovers(outer: Permission, inner: Permission): boolean {
  if (!!outer.nonResourceURL !== !!inner.nonResourceURL) return false;
  if (inner.nonResourceURL) {
    return (outer.verb === '*' || outer.verb === inner.verb)
      && (outer.resource === inner.resource || (outer.resource.endsWith('*') && inner.resource.startsWith(outer.resource.slice(0, -1))));
  }
  const slash = inner.resource.indexOf('/');
  return permits(outer, {
    verb: inner.verb,
    group: inner.apiGroup,
    resource: slash < 0 ? inner.resource : inner.resource.slice(0, slash),
    subresource: slash < 0 ? undefined : inner.resource.slice(slash + 1),
    namespace: inner.scope === 'namespace' ? inner.namespace : undefined,
    name: inner.resourceName,
  });
}

/** Whether any of `permissions` allows `request`. */
export function isAllowed(permissions: readonly Permission[], request: AccessRequest): boolean {
  return permissions.some((p) => permits(p, request));
}

/** `pods/exec (cluster)`-style one-line rendering, for messages and sorted comparisons. */
export function permissionKey(p: Permission): string {
  const where = p.scope === 'namespace' ? `namespace ${p.namespace}` : 'cluster';
  const group = p.apiGroup === '' ? 'core' : p.apiGroup;
  return `${where}: ${p.verb} ${group}/${p.resource}${p.resourceName === undefined ? '' : ` "${p.resourceName}"`}`;
}

/**
 * The permissions `serviceAccount` gets from the RBAC objects among `objects` (e.g. everything in
 * `dist/`): every RoleBinding and ClusterRoleBinding whose subjects reach it (the ServiceAccount itself,
 * its `system:serviceaccount:` user name or one of its groups), followed to the Role or ClusterRole it
 * references. A binding to a role that is not among `objects` grants nothing here; aggregated ClusterRoles
 * count only the rules they list. Sorted by {@link permissionKey}, without duplicates.
 */
export function effectivePermissions(objects: readonly KubeObject[], serviceAccount: ServiceAccountRef): Permission[] {
  const roles = new Map<string, readonly RuleLike[]>();
  for (const o of objects) {
    if (o.kind === 'Role' || o.kind === 'ClusterRole') {
      roles.set(roleKey(o.kind, o.metadata.name, o.metadata.namespace), (o.rules as RuleLike[] | undefined) ?? []);
    }
  }
  const found = new Map<string, Permission>();
  for (const b of objects) {
    if (b.kind !== 'RoleBinding' && b.kind !== 'ClusterRoleBinding') continue;
    const binding = b as unknown as Binding;
    if (!bindingReaches(binding, serviceAccount)) continue;
    const scope: RbacScope = b.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace';
    const ref = binding.roleRef;
    const rules = roles.get(roleKey(ref.kind, ref.name, ref.kind === 'Role' ? b.metadata.namespace : undefined)) ?? [];
    for (const rule of rules) {
      for (const p of expandRule(rule, scope, b.metadata.namespace)) found.set(permissionKey(p), p);
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
}

/** A RoleBinding or ClusterRoleBinding as synthesized. */
export interface Binding extends KubeObject {
  readonly roleRef: { readonly kind: string; readonly name: string; readonly apiGroup?: string };
  /**
   * Who the binding grants the role to.
   * @default - nobody (Kubernetes allows a binding without subjects)
   */
  readonly subjects?: readonly { readonly kind: string; readonly name: string; readonly namespace?: string }[];
}

/** The groups the API server puts every token of `sa` in. */
export function serviceAccountGroups(sa: ServiceAccountRef): string[] {
  return ['system:authenticated', 'system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`];
}

/** Whether one of the binding's subjects is `sa`, its user name, or a group `sa` belongs to. */
export function bindingReaches(binding: Binding, sa: ServiceAccountRef): boolean {
  const groups = serviceAccountGroups(sa);
  return (binding.subjects ?? []).some((s) => {
    switch (s.kind) {
      // The authorizer defaults a ServiceAccount subject's namespace to the binding's.
      case 'ServiceAccount':
        return s.name === sa.name && (s.namespace ?? binding.metadata.namespace) === sa.namespace;
      case 'User':
        return s.name === `system:serviceaccount:${sa.namespace}:${sa.name}`;
      case 'Group':
        return groups.includes(s.name);
      default:
        return false;
    }
  });
}

function roleKey(kind: string, name: string, namespace?: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

// The authorizer's rule: `*` matches everything, `*/sub` any resource's `sub`; `pods/*` is only a literal.
/**
 * Whether a rule's `resources` entry covers `resource` (and `subresource`), as the RBAC authorizer decides:
 * `*` covers everything, `*\/sub` the subresource of every resource, anything else only itself.
 */
export function resourceMatches(ruleResource: string, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return ruleResource === '*' || ruleResource === combined || (!!subresource && ruleResource === `*/${subresource}`);
}
