import { Permission, RuleLike, expandRule, permissionCovers } from '../rbac/permission';
import { KubeObject } from '../synth/manifest';
import { Check, DiffFinding, Note, change, describeObject, widening } from './finding';

const ROLE_KINDS = ['Role', 'ClusterRole'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

/** New or widened grants of a Role or ClusterRole, and new subjects or a new roleRef of a binding. */
export const rbacCheck: Check = (before, after) => {
  const kind = (after ?? before)!.kind;
  if (ROLE_KINDS.includes(kind)) return roleNotes(before, after);
  if (BINDING_KINDS.includes(kind)) return bindingNotes(before, after);
  return [];
};

/**
 * A Role replaced by a ClusterRole of the same name (or a RoleBinding by a ClusterRoleBinding): the object
 * identities differ, so only the pair shows that the grant went from one namespace to the whole cluster.
 */
export function rbacScopeFindings(removed: readonly KubeObject[], added: readonly KubeObject[]): DiffFinding[] {
  const out: DiffFinding[] = [];
  for (const [narrow, wide] of [['Role', 'ClusterRole'], ['RoleBinding', 'ClusterRoleBinding']]) {
    for (const r of removed.filter((o) => o.kind === narrow)) {
      const a = added.find((o) => o.kind === wide && o.metadata.name === r.metadata.name);
      if (!a) continue;
      out.push({
        object: describeObject(a),
        ...widening('rbac', `scope widened from ${describeObject(r)} (one namespace) to ${wide} ${a.metadata.name} (cluster-wide)`),
      });
    }
  }
  return out;
}

function roleNotes(before: KubeObject | undefined, after: KubeObject | undefined): Note[] {
  const old = grants(before);
  const now = grants(after);
  const notes: Note[] = [];
  for (const [what, group] of groupGrants(now.filter((g) => !old.some((o) => permissionCovers(o, g))))) {
    notes.push(widening('rbac', `grants ${verbsOf(group)} on ${what} (${whyNew(group[0], old, before)})`));
  }
  for (const [what, group] of groupGrants(old.filter((g) => !now.some((n) => permissionCovers(n, g))))) {
    notes.push(change('rbac', `no longer grants ${verbsOf(group)} on ${what}`));
  }
  const selectors = (o?: KubeObject): string[] =>
    ((o?.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors ?? []).map((s) => JSON.stringify(s));
  const newSelectors = selectors(after).filter((s) => !selectors(before).includes(s));
  if (newSelectors.length) notes.push(widening('rbac', `aggregates more ClusterRoles: ${newSelectors.join(', ')}`));
  return notes;
}

function bindingNotes(before: KubeObject | undefined, after: KubeObject | undefined): Note[] {
  if (!after) return [];
  const where = after.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${after.metadata.namespace}`;
  const ref = roleRef(after);
  const now = subjects(after);
  if (!before) return [widening('rbac', `new binding: ${ref} bound to ${now.join(', ') || 'no subject'} ${where}`)];
  const notes: Note[] = [];
  if (roleRef(before) !== ref) notes.push(widening('rbac', `roleRef changed from ${roleRef(before)} to ${ref} ${where}`));
  const old = subjects(before);
  const added = now.filter((s) => !old.includes(s));
  const removed = old.filter((s) => !now.includes(s));
  if (added.length) notes.push(widening('rbac', `subject added: ${added.join(', ')} now bound to ${ref} ${where}`));
  if (removed.length) notes.push(change('rbac', `subject removed: ${removed.join(', ')} no longer bound to ${ref}`));
  return notes;
}

function roleRef(o: KubeObject): string {
  const r = (o.roleRef ?? {}) as { kind?: string; name?: string };
  return `${r.kind} ${r.name}`;
}

/** `Kind namespace/name`; a ServiceAccount subject without a namespace is in the binding's (as the authorizer reads it). */
function subjects(o: KubeObject): string[] {
  return ((o.subjects ?? []) as { kind: string; name: string; namespace?: string }[]).map((s) => {
    const namespace = s.namespace ?? (s.kind === 'ServiceAccount' ? o.metadata.namespace : undefined);
    return `${s.kind} ${namespace ? `${namespace}/` : ''}${s.name}`;
  });
}

/** What a role's rules allow, atomically; the role's namespace does not matter to a diff of the role itself. */
function grants(o: KubeObject | undefined): Permission[] {
  return ((o?.rules ?? []) as Partial<RuleLike>[]).flatMap((r) => expandRule({ ...r, verbs: r.verbs ?? [] }, 'cluster'));
}

const matches = (pattern: string, value: string): boolean => pattern === '*' || pattern === value;

/** `apps/deployments (all names)` → the grants on it. */
function groupGrants(list: readonly Permission[]): Map<string, Permission[]> {
  const out = new Map<string, Permission[]>();
  for (const g of list) {
    const key = g.nonResourceURL ? `URL ${g.resource}` : `${resourceOf(g)} (${g.resourceName === undefined ? 'all names' : `name ${g.resourceName}`})`;
    out.set(key, [...(out.get(key) ?? []), g]);
  }
  return out;
}

function resourceOf(g: Permission): string {
  return g.apiGroup ? `${g.apiGroup}/${g.resource}` : g.resource;
}

function verbsOf(group: readonly Permission[]): string {
  return [...new Set(group.map((g) => g.verb))].join(', ');
}

/** Why a grant is new, in the reviewer's words. */
function whyNew(g: Permission, old: readonly Permission[], before: KubeObject | undefined): string {
  if (!before) return 'new role';
  if (g.nonResourceURL) return old.some((o) => o.nonResourceURL && o.resource === g.resource) ? 'verb added' : 'URL added';
  const resources = old.filter((o) => !o.nonResourceURL);
  const sameResource = resources.filter((o) => matches(o.apiGroup, g.apiGroup) && matches(o.resource, g.resource));
  if (sameResource.some((o) => matches(o.verb, g.verb))) return 'resourceNames restriction removed';
  if (sameResource.length) return 'verb added';
  if (resources.some((o) => matches(o.apiGroup, g.apiGroup))) return 'resource added';
  return 'apiGroup added';
}
