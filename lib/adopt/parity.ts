import { isDeepStrictEqual } from 'util';
import { appProjectCheck } from '../diff/app-project';
import { differingPaths } from '../diff/diff-objects';
import { Check, Impact, Note, widening } from '../diff/finding';
import { networkPolicyCheck } from '../diff/network-policy';
import { podSecurityCheck } from '../diff/pod-security';
import { rbacCheck } from '../diff/rbac';
import { versionCheck } from '../diff/versions';
import { workloadCheck } from '../diff/workload';
import { selects } from '../network/policy';
import { workloadPods } from '../network/reachability';
import { KubeObject, objectId } from '../synth/manifest';

/** How an existing object compares with dist/, worst first in reports. */
export enum ParityStatus {
  /** Applying it would be refused: an immutable field differs (delete and recreate by hand, or keep the value). */
  IMMUTABLE = 'immutable',
  /** In the existing set only: ArgoCD leaves it alone (or prunes it, if it tracked it), and nothing in dist/ replaces it. */
  MISSING = 'missing',
  /** dist/ allows more than what runs (RBAC, reachability, Pod Security, pod securityContext, Service exposure, Secret keys). */
  LOOSER = 'looser',
  /** Same kind, namespace and semantics under another name: ArgoCD would prune the old object and create the new one. */
  RENAMED = 'renamed',
  /** dist/ allows less than what runs: intended hardening, or a workload that may break. */
  STRICTER = 'stricter',
  /** Other fields differ. */
  DIFFERENT = 'different',
  /** In dist/ only: created at the first sync. */
  EXTRA = 'extra',
  /** The same object. */
  MATCH = 'match',
}

/** The statuses that make the adopt command fail (exit 1). */
export const BLOCKING_STATUSES: readonly ParityStatus[] = [ParityStatus.LOOSER, ParityStatus.MISSING, ParityStatus.IMMUTABLE];

/** One row of the parity report: one existing object (or one object only dist/ has). */
export interface ParityRow {
  readonly kind: string;
  /** The namespace; null for cluster-scoped objects. */
  readonly namespace: string | null;
  /** The existing object's name (dist/'s for `extra`). */
  readonly name: string;
  readonly status: ParityStatus;
  /** Why, in words; for `renamed` the `name` to set. */
  readonly detail: string;
}

/** The security checks of `npm run diff`, reused: a widening from existing to dist/ is looser, from dist/ to existing stricter. */
const SECURITY_CHECKS: readonly Check[] = [rbacCheck, networkPolicyCheck, podSecurityCheck, workloadCheck, appProjectCheck, versionCheck, serviceExposureCheck, externalSecretKeysCheck];

/** The fields the API server refuses to change, by kind. */
const IMMUTABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['selector'],
  DaemonSet: ['selector'],
  ReplicaSet: ['selector'],
  StatefulSet: ['selector', 'serviceName', 'volumeClaimTemplates'],
  Job: ['selector', 'template'],
};

/** Kinds whose lists are sets: order carries no meaning. */
const SET_KINDS = ['NetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'AppProject'];

/** The kinds others refer to by name (bindings to roles, Applications to projects): matched first so a renamed target does not hide a renamed referrer. */
const REFERRED_KINDS = ['Role', 'ClusterRole', 'AppProject'];

/**
 * Compares an existing set of manifests (what runs today) with dist/, object by object (kind, namespace,
 * name). Annotations, status and server-set metadata are ignored (dist/ carries ArgoCD's and the reasons'
 * annotations); labels count. Pure: the caller reads both sides.
 */
export function compareParity(existing: readonly KubeObject[], dist: readonly KubeObject[]): ParityRow[] {
  const was = new Map(existing.map((o) => [objectId(o), o]));
  const now = new Map(dist.map((o) => [objectId(o), o]));
  const rows: ParityRow[] = [];
  for (const [id, e] of was) {
    const d = now.get(id);
    if (d) rows.push(comparePair(e, d, existing, dist));
  }
  const onlyExisting = [...was].filter(([id]) => !now.has(id)).map(([, o]) => o);
  const onlyDist = [...now].filter(([id]) => !was.has(id)).map(([, o]) => o);
  const renames = new Map<string, string>(); // dist id → existing name
  const rank = (o: KubeObject) => (REFERRED_KINDS.includes(o.kind) ? 0 : 1);
  for (const e of [...onlyExisting].sort((a, b) => rank(a) - rank(b))) {
    const key = semantics(e, new Map());
    const d = onlyDist.find((c) => c.kind === e.kind && c.metadata.namespace === e.metadata.namespace
      && !renames.has(objectId(c)) && semantics(c, renames) === key);
    if (d) {
      renames.set(objectId(d), e.metadata.name);
      rows.push(row(e, ParityStatus.RENAMED, `dist/ names it "${d.metadata.name}": ArgoCD would prune "${e.metadata.name}" and create "${d.metadata.name}". Fix: set ${nameProp(d)}: '${e.metadata.name}'`));
    } else {
      rows.push(row(e, ParityStatus.MISSING, `not in dist/${similar(e, onlyDist)}`));
    }
  }
  for (const d of onlyDist) {
    if (!renames.has(objectId(d))) rows.push(row(d, ParityStatus.EXTRA, 'only in dist/: created at the first sync'));
  }
  const order = Object.values(ParityStatus);
  const key = (r: ParityRow) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
  return rows.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** 1 when any row is looser, missing or immutable (adopting would weaken or break something), else 0. */
export function parityExitCode(rows: readonly ParityRow[]): 0 | 1 {
  return rows.some((r) => BLOCKING_STATUSES.includes(r.status)) ? 1 : 0;
}

function comparePair(e: KubeObject, d: KubeObject, existing: readonly KubeObject[], dist: readonly KubeObject[]): ParityRow {
  const immutable = (IMMUTABLE_FIELDS[e.kind] ?? []).filter((f) => !isDeepStrictEqual(canonical((e as any).spec?.[f]), canonical((d as any).spec?.[f])));
  if (immutable.length) {
    const shown = immutable.map((f) => `spec.${f}: ${short((e as any).spec?.[f])} → ${short((d as any).spec?.[f])}`).join('; ');
    return row(e, ParityStatus.IMMUTABLE, `${shown}: the API server refuses the change. Fix: keep the existing value (${immutable.includes('selector') ? 'selectorLabels' : 'the same volumeClaimTemplates'}) or delete and recreate the object`);
  }
  const looser = [...notes(e, d), ...selectedPods(e, d, existing, dist, 'looser')];
  // The reversed check names what today's object allows and dist/'s does not.
  const stricter = [...notes(d, e), ...selectedPods(e, d, existing, dist, 'stricter')].map((n) => `today only: ${n}`);
  if (looser.length) return row(e, ParityStatus.LOOSER, [...looser, ...stricter].join('; '));
  if (stricter.length) return row(e, ParityStatus.STRICTER, stricter.join('; '));
  // Lists that are sets to the API server (policy peers and ports, RBAC rules) count regardless of order.
  if (SET_KINDS.includes(e.kind) && isDeepStrictEqual(asSets(comparable(e)), asSets(comparable(d)))) return row(e, ParityStatus.MATCH, 'same object (lists in another order)');
  const paths = differingPaths(comparable(e), comparable(d), '');
  if (paths.length) return row(e, ParityStatus.DIFFERENT, `differs at ${paths.slice(0, 8).join(', ')}${paths.length > 8 ? ` and ${paths.length - 8} more` : ''}`);
  return row(e, ParityStatus.MATCH, 'same object');
}

/** The security widenings from `from` to `to`, as sentences. */
function notes(from: KubeObject, to: KubeObject): string[] {
  return SECURITY_CHECKS.flatMap((c) => c(from, to)).filter((n: Note) => n.impact === Impact.WIDENING).map((n) => n.message);
}

/**
 * Reachability of a NetworkPolicy pair that the per-policy check cannot see: a changed podSelector that
 * selects none of the existing workloads' pods (a typo) decides nothing today. An allowance that starts selecting pods is
 * looser; a policy that only isolates (no rules) and starts selecting pods is stricter.
 */
function selectedPods(e: KubeObject, d: KubeObject, existing: readonly KubeObject[], dist: readonly KubeObject[], want: 'looser' | 'stricter'): string[] {
  const selectorOf = (p: KubeObject) => (p as any).spec?.podSelector;
  // Only a changed podSelector can be the typo; the same selector over other pods is a difference of workloads.
  if (e.kind !== 'NetworkPolicy' || isDeepStrictEqual(canonical(selectorOf(e) ?? {}), canonical(selectorOf(d) ?? {}))) return [];
  const pods = (objects: readonly KubeObject[]) => workloadPods(objects).filter((w) => w.endpoint.namespace === e.metadata.namespace);
  const count = (p: KubeObject, objects: readonly KubeObject[]) => pods(objects).filter((w) => selects(selectorOf(p), w.endpoint.labels)).length;
  const [before, after] = [count(e, existing), count(d, dist)];
  // Without workloads of the namespace in the existing set (baseline objects adopted first) there is nothing to judge by.
  if (!pods(existing).length || before > 0 || after === 0) return [];
  const allows = ['ingress', 'egress'].some((k) => ((d as any).spec?.[k] ?? []).length > 0);
  if ((want === 'looser') !== allows) return [];
  return [`the existing podSelector ${short((e as any).spec?.podSelector)} selects no pod of the existing workloads (a typo?); dist/'s selects ${after}, so it ${allows ? 'opens what is closed today' : 'isolates pods that are open today'}`];
}

/** A Service reachable from further away (ClusterIP < NodePort < LoadBalancer), on more ports, or with external IPs. */
function serviceExposureCheck(before: KubeObject | undefined, after: KubeObject | undefined): Note[] {
  if (!before || !after || after.kind !== 'Service') return [];
  const reach = ['ClusterIP', 'NodePort', 'LoadBalancer'];
  const [b, a] = [(before as any).spec ?? {}, (after as any).spec ?? {}];
  const out: Note[] = [];
  const [bt, at] = [b.type ?? 'ClusterIP', a.type ?? 'ClusterIP'];
  if (reach.indexOf(at) > reach.indexOf(bt)) out.push(widening('network', `Service type ${bt} → ${at}`));
  // Node ports count apart from Service ports: a new node port is reachable from outside the cluster.
  const ports = (s: any) => new Set<string>((s.ports ?? []).flatMap((p: any) => [
    `port ${p.protocol ?? 'TCP'}/${p.port}`, ...(p.nodePort ? [`node port ${p.protocol ?? 'TCP'}/${p.nodePort}`] : [])]));
  const added = [...ports(a)].filter((p) => !ports(b).has(p));
  if (added.length) out.push(widening('network', `Service exposes ${added.join(', ')}`));
  const ips = ((a.externalIPs ?? []) as string[]).filter((ip) => !(b.externalIPs ?? []).includes(ip));
  if (ips.length) out.push(widening('network', `Service externalIPs ${ips.join(', ')}`));
  return out;
}

/** An ExternalSecret that puts more keys of the store into the namespace. */
function externalSecretKeysCheck(before: KubeObject | undefined, after: KubeObject | undefined): Note[] {
  if (!before || !after || after.kind !== 'ExternalSecret') return [];
  const keys = (o: KubeObject) => {
    const spec = (o as any).spec ?? {};
    return new Set<string>([...(spec.data ?? []).map((k: any) => `${k.secretKey} ← ${k.remoteRef?.key}`), ...Object.keys(spec.target?.template?.data ?? {}).map((k) => `${k} (template)`)]);
  };
  const added = [...keys(after)].filter((k) => !keys(before).has(k));
  const store = (o: KubeObject) => JSON.stringify((o as any).spec?.secretStoreRef ?? null);
  const out = added.length ? [widening('workload', `ExternalSecret keys ${added.join(', ')}`)] : [];
  if (store(before) !== store(after)) out.push(widening('workload', `secret store ${store(before)} → ${store(after)}`));
  return out;
}

function row(o: KubeObject, status: ParityStatus, detail: string): ParityRow {
  return { kind: o.kind, namespace: o.metadata.namespace ?? null, name: o.metadata.name, status, detail };
}

/** What the API server and ArgoCD compare: no annotations, status or server-set metadata. */
function comparable(o: KubeObject): unknown {
  const { status: _status, metadata, ...rest } = o as any;
  return canonical({ ...rest, metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels } });
}

/**
 * What an object means, without its name and labels: everything else {@link comparable} keeps, arrays as sets, and the
 * names it refers to mapped back through the renames found so far (a binding to a renamed Role).
 */
function semantics(o: KubeObject, renames: ReadonlyMap<string, string>): string {
  const c = structuredClone(comparable(o)) as any;
  // Labels carry no meaning for what a renamed object does (dist/ adds its own, e.g. app.kubernetes.io/name).
  c.metadata = { namespace: c.metadata.namespace };
  if (c.roleRef?.name) {
    const ns = c.roleRef.kind === 'Role' ? o.metadata.namespace ?? '' : '';
    c.roleRef.name = renames.get(`${c.roleRef.kind}/${ns}/${c.roleRef.name}`) ?? c.roleRef.name;
  }
  if (o.kind === 'Application' && c.spec?.project) {
    c.spec.project = renames.get(`AppProject/${o.metadata.namespace ?? ''}/${c.spec.project}`) ?? c.spec.project;
  }
  return JSON.stringify(asSets(c));
}

/** Keys sorted, undefined dropped, so key order and absent-vs-undefined do not count. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().filter((k) => (v as any)[k] !== undefined).map((k) => [k, canonical((v as any)[k])]));
  }
  return v;
}

function asSets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asSets).map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asSets(x)]));
  return v;
}

function short(v: unknown): string {
  return JSON.stringify(canonical(v ?? null));
}

/** The other objects of the same kind and namespace only dist/ has: a near rename the reader should check. */
function similar(e: KubeObject, onlyDist: readonly KubeObject[]): string {
  const same = onlyDist.filter((d) => d.kind === e.kind && d.metadata.namespace === e.metadata.namespace).map((d) => `"${d.metadata.name}"`);
  return same.length ? ` (dist/ has ${same.join(', ')} of the same kind here, with other content)` : '';
}

/** Which prop keeps the existing name, by kind (and, for the library's fixed names, by dist/'s name). */
function nameProp(d: KubeObject): string {
  const fixed: Record<string, string> = {
    'NetworkPolicy/default-deny-all': 'DefaultDenyPolicies `names.defaultDenyAll`',
    'NetworkPolicy/allow-same-namespace': 'DefaultDenyPolicies `names.allowSameNamespace`',
    'NetworkPolicy/allow-dns': 'DefaultDenyPolicies `names.allowDns`',
  };
  const byKind: Record<string, string> = {
    NetworkPolicy: 'the allowance\'s `name` option',
    Role: 'AgentRbac `roleName`',
    RoleBinding: 'AgentRbac `roleBindingName`',
    ClusterRole: 'AgentRbac `clusterRoleName`',
    ClusterRoleBinding: 'AgentRbac `clusterRoleBindingName`',
    AppProject: 'AppOfApps `projectNames`',
    Application: d.metadata.name.startsWith('dist-') ? 'AppOfApps `applicationNames` (by folder)' : 'the Helm release\'s `name`',
  };
  return fixed[`${d.kind}/${d.metadata.name}`] ?? byKind[d.kind] ?? '`name`';
}
