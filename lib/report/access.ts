import { ruleDoc } from '../annotations';
import { RISK_LEVELS, Risk, riskText } from '../risk-level';
import { Permission, ServiceAccountRef, bindingReaches, effectivePermissions, expandRule, permissionKey } from '../rbac/permission';
import { code, compare, sortBy, table } from './markdown';
import { ObjectIndex } from './objects';
import { bindingsOf, identityRows, roleOf } from './rbac';

/** What one ServiceAccount can do on a set of resources, in one place, with one set of verbs. */
export interface AccessRow {
  /** `openclaw/openclaw`. */
  readonly serviceAccount: string;
  /** `all namespaces and cluster-scoped objects`, or `namespace openclaw`. */
  readonly where: string;
  /** `pods`, `deployments.apps`, `applications.argoproj.io`, `/metrics` (non-resource URL). */
  readonly resources: readonly string[];
  /** `read (get, list, watch) + patch`. */
  readonly access: string;
  /** The highest risk any rule granting the row gives, with those rules' notes. @default - unrated */
  readonly risk?: Risk;
}

const READ = ['get', 'list', 'watch'];

/** `read (get, list, watch) + patch`, `get + patch`, `create`: what a set of verbs amounts to. */
export function accessLevel(verbs: readonly string[]): string {
  const set = new Set(verbs);
  if (set.has('*')) return 'every verb (*)';
  const read = READ.every((v) => set.has(v)) ? ['read (get, list, watch)'] : READ.filter((v) => set.has(v));
  const rest = [...set].filter((v) => !READ.includes(v)).sort(compare);
  return [...read, ...rest].join(' + ');
}

function resourceText(p: Permission): string {
  if (p.nonResourceURL) return p.resource;
  const slash = p.resource.indexOf('/');
  const [name, sub] = slash < 0 ? [p.resource, ''] : [p.resource.slice(0, slash), p.resource.slice(slash)];
  const group = p.apiGroup === '' ? '' : `.${p.apiGroup}`;
  return `${name}${group}${sub}${p.resourceName === undefined ? '' : ` "${p.resourceName}"`}`;
}

function whereText(p: Permission): string {
  return p.scope === 'cluster' ? 'all namespaces and cluster-scoped objects' : `namespace ${p.namespace}`;
}

/** The risk documented on each permission of `sa`: the highest level over every rule that grants it. */
function permissionRisks(index: ObjectIndex, sa: ServiceAccountRef): Map<string, Risk> {
  const risks = new Map<string, Risk[]>();
  for (const binding of bindingsOf(index).filter((b) => bindingReaches(b, sa))) {
    const role = roleOf(index, binding);
    ((role as any)?.rules ?? []).forEach((rule: any, i: number) => {
      const doc = ruleDoc(role!.metadata.annotations, i);
      if (!doc) return;
      const scope = binding.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace';
      for (const p of expandRule(rule, scope, binding.metadata.namespace)) {
        const key = permissionKey(p);
        risks.set(key, [...(risks.get(key) ?? []), doc.risk]);
      }
    });
  }
  return new Map([...risks].map(([k, list]) => [k, highestRisk(list)]));
}

/**
 * The highest level of `risks`, with the distinct notes given at that level; no note when one risk at that
 * level has none (a note would then describe only part of what the level rates).
 */
export function highestRisk(risks: readonly Risk[]): Risk {
  const level = RISK_LEVELS[Math.max(...risks.map((r) => RISK_LEVELS.indexOf(r.level)))];
  const top = risks.filter((r) => r.level === level);
  const notes = [...new Set(top.map((r) => r.note))];
  return notes.every((n) => n) ? { level, note: notes.join('; ') } : { level };
}

/**
 * What `sa` can access, from its effective permissions (every binding that reaches it, followed to the
 * roles among the objects): one row per place, set of verbs and risk, listing the resources that get exactly
 * those verbs there. A resource is rated with the highest risk documented on any rule behind it; one with
 * an undocumented permission is unrated.
 */
export function accessRows(index: ObjectIndex, sa: ServiceAccountRef): AccessRow[] {
  const risks = permissionRisks(index, sa);
  const perResource = new Map<string, { where: string; resource: string; verbs: Set<string>; keys: string[] }>();
  for (const p of effectivePermissions(index.objects, sa)) {
    const where = whereText(p);
    const resource = resourceText(p);
    const key = `${where}\0${resource}`;
    const entry = perResource.get(key) ?? { where, resource, verbs: new Set<string>(), keys: [] };
    entry.verbs.add(p.verb);
    entry.keys.push(permissionKey(p));
    perResource.set(key, entry);
  }
  const serviceAccount = `${sa.namespace}/${sa.name}`;
  // Resources are grouped only with others of the same place, verbs and risk, so a row's rating fits each of them.
  const rows = new Map<string, AccessRow & { resources: string[] }>();
  for (const e of perResource.values()) {
    const access = accessLevel([...e.verbs]);
    const rated = e.keys.map((k) => risks.get(k));
    const risk = rated.every((x): x is Risk => x !== undefined) ? highestRisk(rated) : undefined;
    const key = `${e.where}\0${access}\0${risk ? riskText(risk) : ''}`;
    const row = rows.get(key) ?? { serviceAccount, where: e.where, access, resources: [], ...(risk ? { risk } : {}) };
    row.resources.push(e.resource);
    rows.set(key, row);
  }
  const out = [...rows.values()].map((r): AccessRow => ({ ...r, resources: [...r.resources].sort(compare) }));
  // Cluster-wide first (the widest), then by namespace, the riskiest first, then by access.
  const rank = (r: AccessRow) => String(RISK_LEVELS.length - (r.risk ? RISK_LEVELS.indexOf(r.risk.level) : -1));
  return sortBy(out, (r) => [r.where.startsWith('all') ? '0' : '1', r.where, rank(r), r.access]);
}

/**
 * The "What the agent CAN access" table (the seed's "What OpenClaw CAN access"), computed for every
 * ServiceAccount with RBAC from its effective permissions: the positive side of the guarantees table.
 */
export function renderRbacAccess(index: ObjectIndex): string {
  const rows = identityRows(index)
    .filter((r) => r.bindings.length)
    .flatMap((r) => accessRows(index, { namespace: r.namespace, name: r.name }));
  return table(
    ['ServiceAccount', 'Where', 'Resources', 'Access', 'Risk'],
    rows.map((r) => [code(r.serviceAccount), r.where, r.resources.join(', '), r.access, r.risk ? riskText(r.risk) : 'unrated (a rule behind it has no risk annotation)']),
    '_No ServiceAccount has RBAC permissions._',
  );
}
