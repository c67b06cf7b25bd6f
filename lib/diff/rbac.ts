import { KubeObject } from '../synth/manifest';
import { Check, DiffFinding, Note, change, describeObject, widening } from './finding';

/** One thing a rule allows: a verb on a resource (one name or `*`) or on a non-resource URL. */
interface Grant {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
  /** `*` when the rule has no resourceNames. */
  readonly name: string;
  readonly url?: string;
}

interface Rule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly verbs?: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
}

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
  for (const [what, group] of groupGrants(now.filter((g) => !old.some((o) => covers(o, g))))) {
    notes.push(widening('rbac', `grants ${verbsOf(group)} on ${what} (${whyNew(group[0], old, before)})`));
  }
  for (const [what, group] of groupGrants(old.filter((g) => !now.some((n) => covers(n, g))))) {
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

function subjects(o: KubeObject): string[] {
  return ((o.subjects ?? []) as { kind: string; name: string; namespace?: string }[]).map(
    (s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`,
  );
}

function grants(o: KubeObject | undefined): Grant[] {
  const out: Grant[] = [];
  for (const r of ((o?.rules ?? []) as Rule[])) {
    const verbs = r.verbs ?? [];
    const names = r.resourceNames?.length ? r.resourceNames : ['*'];
    for (const group of r.apiGroups ?? ['']) {
      for (const resource of r.resources ?? []) {
        for (const verb of verbs) for (const name of names) out.push({ group, resource, verb, name });
      }
    }
    for (const url of r.nonResourceURLs ?? []) for (const verb of verbs) out.push({ group: '', resource: '', verb, name: '*', url });
  }
  return out;
}

const matches = (pattern: string, value: string): boolean => pattern === '*' || pattern === value;

/** True when grant `outer` allows everything `inner` allows. */
function covers(outer: Grant, inner: Grant): boolean {
  if (!matches(outer.verb, inner.verb)) return false;
  if (inner.url !== undefined || outer.url !== undefined) {
    if (outer.url === undefined || inner.url === undefined) return false;
    return outer.url === inner.url || (outer.url.endsWith('*') && inner.url.startsWith(outer.url.slice(0, -1)));
  }
  return matches(outer.group, inner.group) && matches(outer.resource, inner.resource) && matches(outer.name, inner.name);
}

/** `apps/deployments (all names)` → the grants on it. */
function groupGrants(list: readonly Grant[]): Map<string, Grant[]> {
  const out = new Map<string, Grant[]>();
  for (const g of list) {
    const key = g.url !== undefined ? `URL ${g.url}` : `${resourceOf(g)} (${g.name === '*' ? 'all names' : `name ${g.name}`})`;
    out.set(key, [...(out.get(key) ?? []), g]);
  }
  return out;
}

function resourceOf(g: Grant): string {
  return g.group ? `${g.group}/${g.resource}` : g.resource;
}

function verbsOf(group: readonly Grant[]): string {
  return [...new Set(group.map((g) => g.verb))].join(', ');
}

/** Why a grant is new, in the reviewer's words. */
function whyNew(g: Grant, old: readonly Grant[], before: KubeObject | undefined): string {
  if (!before) return 'new role';
  if (g.url !== undefined) return old.some((o) => o.url === g.url) ? 'verb added' : 'URL added';
  const sameResource = old.filter((o) => o.url === undefined && matches(o.group, g.group) && matches(o.resource, g.resource));
  if (sameResource.some((o) => matches(o.verb, g.verb))) return 'resourceNames restriction removed';
  if (sameResource.length) return 'verb added';
  if (old.some((o) => o.url === undefined && matches(o.group, g.group))) return 'resource added';
  return 'apiGroup added';
}
