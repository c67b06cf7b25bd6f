import { RENDERED_CHART_ANNOTATION } from '../gitops/app-of-apps';
import { Permission, ServiceAccountRef, effectivePermissions, permissionCovers } from '../rbac/permission';
import { ESCALATION_VERBS } from '../rbac/guarantees';
import { RENDERED_FROM_ANNOTATION } from '../helm/rendered-chart';
import { code, sortBy, table } from './markdown';
import { ObjectIndex, exemptionsIn } from './objects';
import { identityRows } from './rbac';

/** What one ServiceAccount can do cluster-wide, computed from the RBAC objects in dist/. */
export interface ClusterPowerRow {
  readonly serviceAccount: ServiceAccountRef;
  /** The rendered release it comes from, or undefined for an identity built here. */
  readonly release?: string;
  /** It may get, list or watch Secrets in every namespace. */
  readonly readsSecretsClusterWide: boolean;
  /** Its rules with a `*` (verbs, groups, resources or URLs), as `verb group/resource` (cluster or namespace). */
  readonly wildcards: readonly string[];
  /** Every verb on every resource of every group, cluster-wide: what cluster-admin grants. */
  readonly clusterAdmin: boolean;
  /** It can grant itself more: escalate, bind or impersonate, or write ClusterRoleBindings. */
  readonly canEscalate: boolean;
}

const ALL: Permission = { scope: 'cluster', apiGroup: '*', resource: '*', verb: '*' };

/** The cluster-wide powers of every ServiceAccount that any binding reaches. */
export function clusterPowerRows(index: ObjectIndex): ClusterPowerRow[] {
  const releaseOf = new Map(index.ofKind('ServiceAccount').map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa.metadata.annotations?.[RENDERED_FROM_ANNOTATION]]));
  const rows = identityRows(index).filter((r) => r.bindings.length).map((r) => {
    const sa = { namespace: r.namespace, name: r.name };
    const perms = effectivePermissions(index.objects, sa);
    const cluster = perms.filter((p) => p.scope === 'cluster');
    const covers = (p: Permission) => perms.some((q) => permissionCovers(q, p));
    return {
      serviceAccount: sa,
      release: releaseOf.get(`${r.namespace}/${r.name}`),
      readsSecretsClusterWide: ['get', 'list', 'watch'].some((verb) => cluster.some((q) => permissionCovers(q, { scope: 'cluster', apiGroup: '', resource: 'secrets', verb }))),
      wildcards: [...new Set(perms.filter((p) => [p.verb, p.apiGroup, p.resource].includes('*') || (p.nonResourceURL && p.resource.endsWith('*')))
        .map((p) => `${p.verb} ${p.nonResourceURL ? p.resource : `${p.apiGroup || 'core'}/${p.resource}`}${p.scope === 'namespace' ? ` in ${p.namespace}` : ''}`))].sort(),
      clusterAdmin: covers(ALL),
      canEscalate: ESCALATION_VERBS.some((verb) => ['roles', 'clusterroles', 'users', 'groups', 'serviceaccounts'].some((resource) => covers({ scope: 'cluster', apiGroup: resource.endsWith('roles') ? 'rbac.authorization.k8s.io' : '', resource, verb })))
        || ['create', 'update', 'patch'].some((verb) => covers({ scope: 'cluster', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb })),
    };
  });
  return sortBy(rows, (r) => [r.serviceAccount.namespace, r.serviceAccount.name]);
}

/**
 * The computed cluster-admin statement and the table behind it: which ServiceAccounts (chart ones
 * included) read Secrets in every namespace, hold wildcard rules, have cluster-admin's powers or can
 * escalate to them. Only identities with a wildcard, a cluster-wide Secret read or escalation are listed.
 */
export function renderClusterPowers(index: ObjectIndex): string {
  const rows = clusterPowerRows(index);
  const admins = rows.filter((r) => r.clusterAdmin);
  const escalating = rows.filter((r) => r.canEscalate && !r.clusterAdmin);
  const name = (r: ClusterPowerRow) => code(`${r.serviceAccount.namespace}/${r.serviceAccount.name}`);
  const statement = admins.length
    ? `**${admins.length} ServiceAccount(s) are effectively cluster-admin** (every verb on every resource cluster-wide): ${admins.map(name).join(', ')}.`
    : '**No ServiceAccount is effectively cluster-admin** (every verb on every resource cluster-wide), computed from every binding in dist/.';
  const escalation = escalating.length
    ? ` ${escalating.length} more can escalate (escalate, bind or impersonate, or write ClusterRoleBindings): ${escalating.map(name).join(', ')}.`
    : ' None of the others can escalate (escalate, bind or impersonate, or write ClusterRoleBindings).';
  const yes = (b: boolean) => (b ? '**yes**' : 'no');
  const listed = rows.filter((r) => r.clusterAdmin || r.canEscalate || r.readsSecretsClusterWide || r.wildcards.length);
  return `${statement}${escalation}\n\n${table(
    ['ServiceAccount', 'from chart release', 'reads Secrets cluster-wide', 'wildcard rules', 'cluster-admin', 'can escalate'],
    listed.map((r) => [name(r), r.release ?? '— (built here)', yes(r.readsSecretsClusterWide), r.wildcards.map(code).join(', ') || 'none', yes(r.clusterAdmin), yes(r.canEscalate)]),
    '_No ServiceAccount reads Secrets cluster-wide, holds a wildcard rule or can escalate._',
  )}`;
}

/**
 * Every Helm release and whether its objects are in dist/: rendered by real helm (chart, source digest,
 * helm build, its folder, the values' opt-outs with their reasons) or a Helm-source Application ArgoCD renders
 * itself, with the reason.
 */
export function renderChartReleases(index: ObjectIndex): string {
  const apps = index.ofKind('Application');
  const rows: string[][] = [];
  for (const a of apps) {
    const spec = (a as any).spec ?? {};
    const rendered = a.metadata.annotations?.[RENDERED_CHART_ANNOTATION];
    if (rendered) {
      const release = a.metadata.name.replace(/^dist-chart-/, '');
      const objects = index.objects.filter((o) => o.metadata.annotations?.[RENDERED_FROM_ANNOTATION]?.startsWith(`${release} `)).length;
      // The values' opt-outs (a kept local admin, the escape hatch), each with its reason.
      const optOuts = exemptionsIn(a.metadata.annotations).filter((e) => e.what !== 'cluster-resources').map((e) => `<br>**${e.what}**: ${e.reason}`);
      rows.push([code(a.metadata.name), rendered.split(' from ')[0], `rendered into ${code(spec.source.path)}`, String(objects), rendered.split(', ').slice(1).join(', ') + optOuts.join('')]);
    } else if (spec.source?.chart) {
      const reason = exemptionsIn(a.metadata.annotations).find((e) => e.what === 'not-rendered')?.reason;
      rows.push([code(a.metadata.name), `${spec.source.chart}@${spec.source.targetRevision}`, `**not rendered**: ArgoCD renders it from ${code(spec.source.repoUrl ?? spec.source.repoURL)}; nobody here reviews its objects`, '—', reason ?? 'no reason given']);
    }
  }
  return table(['Application', 'chart', 'objects in dist/', 'objects', 'source digest and helm build, or why not rendered'], sortBy(rows, (r) => [r[0]]));
}

