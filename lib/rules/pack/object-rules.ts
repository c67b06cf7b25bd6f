import { applicationSources, isFloatingRevision } from '../../gitops/pinning';
import { ARGOCD_VERSION, SKIP_DRY_RUN_ON_MISSING_RESOURCE, SYNC_OPTIONS_ANNOTATION } from '../../gitops/sync';
import { Rule, RuleFinding } from '../rule';

/** HB-SEC-001: no Secret carries data in the manifests. */
export const noSecretData: Rule = {
  id: 'HB-SEC-001',
  level: 'ERROR',
  title: 'No Secret with data or stringData',
  why: 'dist/ is committed to git and synced by ArgoCD: a value in a Secret manifest is a leaked credential.',
  fix: 'keep the value in Infisical and sync it with an ExternalSecret; never put secret values in code or dist/',
  check(o) {
    if (o.kind !== 'Secret') return [];
    return (['data', 'stringData'] as const).flatMap((field) =>
      Object.keys((o[field] ?? {}) as object)
        .sort()
        .map((key) => ({ finding: `[${field}:${key}]`, detail: `Secret ${o.metadata.name} has ${field} key ${key}` })),
    );
  },
};

function isApplication(o: { apiVersion: string; kind: string }): boolean {
  return o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/');
}

/** HB-ARGO-001: every Application source pins its revision. */
export const pinnedRevisions: Rule = {
  id: 'HB-ARGO-001',
  level: 'ERROR',
  title: 'ArgoCD Application pins targetRevision',
  why: 'An empty targetRevision, HEAD or a version range deploys whatever is newest, without review.',
  fix: 'set targetRevision to an exact chart version, tag or commit (or the reviewed branch the GitOps flow deploys from)',
  check(o) {
    if (!isApplication(o)) return [];
    const sources = applicationSources(o);
    const out: RuleFinding[] = [];
    if (!sources.length) out.push({ finding: '[source:none]', detail: 'the Application has no source' });
    sources.forEach((s, i) => {
      if (isFloatingRevision(s.targetRevision)) {
        out.push({
          finding: `[source:${i}]`,
          detail: `source ${i} (${s.repoURL ?? '?'} ${s.chart ?? s.path ?? ''}) has targetRevision ${JSON.stringify(s.targetRevision ?? '')}`,
        });
      }
    });
    return out;
  },
};

/** HB-ARGO-002: no Application in the `default` project. */
export const noDefaultProject: Rule = {
  id: 'HB-ARGO-002',
  level: 'ERROR',
  title: 'ArgoCD Application not in the default project',
  why: 'The default AppProject allows every source repository, destination and resource kind: it limits nothing.',
  fix: 'put the Application in an AppProject that lists its sourceRepos, destinations and allowed kinds',
  check(o) {
    if (!isApplication(o)) return [];
    const project = ((o.spec ?? {}) as { project?: string }).project;
    return !project || project === 'default'
      ? [{ finding: '[project:default]', detail: `project is ${JSON.stringify(project ?? '')}` }]
      : [];
  },
};

const SKIP_DRY_RUN_KEY = SKIP_DRY_RUN_ON_MISSING_RESOURCE.split('=')[0];

/** HB-ARGO-008: SkipDryRunOnMissingResource is an object's annotation, not an Application sync option. */
export const skipDryRunPerObject: Rule = {
  id: 'HB-ARGO-008',
  level: 'ERROR',
  title: 'SkipDryRunOnMissingResource on the object, not in Application syncOptions',
  why:
    `ArgoCD honours ${SKIP_DRY_RUN_KEY} in an Application's syncOptions only from 3.1 (argo-cd PR #22679); ` +
    `${ARGOCD_VERSION} ignores it there, so on a fresh cluster the whole Application's dry run fails on the first ` +
    'custom resource whose CRD does not exist yet, and none of its objects (its Namespaces included) are applied.',
  fix: `remove it from syncOptions and annotate each custom resource ${SYNC_OPTIONS_ANNOTATION}: ${SKIP_DRY_RUN_ON_MISSING_RESOURCE} (AppOfApps does this)`,
  check(o) {
    if (!isApplication(o)) return [];
    const options = ((o.spec ?? {}) as { syncPolicy?: { syncOptions?: readonly string[] } }).syncPolicy?.syncOptions ?? [];
    return options
      .filter((s) => s.split('=')[0].trim() === SKIP_DRY_RUN_KEY)
      .map((s) => ({
        finding: `[syncOptions:${s}]`,
        detail: `Application ${o.metadata.name} sets ${JSON.stringify(s)} in spec.syncPolicy.syncOptions, which ArgoCD ${ARGOCD_VERSION} ignores`,
      }));
  },
};

interface AppProjectSpec {
  readonly sourceRepos?: readonly string[];
  readonly sourceNamespaces?: readonly string[];
  readonly destinations?: readonly { readonly server?: string; readonly name?: string; readonly namespace?: string }[];
  readonly clusterResourceWhitelist?: readonly { readonly group?: string; readonly kind?: string }[];
  readonly namespaceResourceWhitelist?: readonly { readonly group?: string; readonly kind?: string }[];
  readonly namespaceResourceBlacklist?: readonly { readonly group?: string; readonly kind?: string }[];
}

/**
 * ArgoCD matches these fields as globs (gobwas/glob: `*`, `?`, `[...]` and `{a,b}` alternatives); a `!` entry
 * denies, so only an allowing pattern widens.
 */
const isWildcard = (v: string | undefined): boolean => v !== undefined && !v.startsWith('!') && /[*?[{]/.test(v);

/** HB-ARGO-003: an AppProject names what it allows, without wildcards. */
export const noWildcardProject: Rule = {
  id: 'HB-ARGO-003',
  level: 'ERROR',
  title: 'ArgoCD AppProject without wildcards',
  why:
    'An AppProject is what limits its Applications: a wildcard source repository, destination or resource kind lets ' +
    'whoever can write an Application deploy from any repository, to any cluster or namespace, any kind: the default project, renamed.',
  fix:
    'list exact sourceRepos, destinations and kinds (GitOpsProject renders them); a cluster-scoped-only project may use ' +
    'destination namespace "*" only with namespaceResourceBlacklist [{group: "*", kind: "*"}] and no namespaceResourceWhitelist',
  check(o) {
    if (o.kind !== 'AppProject' || !o.apiVersion.startsWith('argoproj.io/')) return [];
    const spec = (o.spec ?? {}) as AppProjectSpec;
    // No namespaced kind can be deployed, so the namespace of a destination grants nothing: cluster-scoped
    // objects have none, and ArgoCD needs "*" to match their Applications (GitOpsProject renders this).
    const clusterOnly =
      !spec.namespaceResourceWhitelist?.length && (spec.namespaceResourceBlacklist ?? []).some((gk) => gk.group === '*' && gk.kind === '*');
    const found = new Map<string, RuleFinding>();
    const add = (where: string, value: string): void =>
      void found.set(`[${where}:${value}]`, { finding: `[${where}:${value}]`, detail: `AppProject ${o.metadata.name} allows ${where} ${JSON.stringify(value)}` });
    for (const list of ['sourceRepos', 'sourceNamespaces'] as const) {
      for (const e of spec[list] ?? []) if (isWildcard(e)) add(list, e);
    }
    for (const d of spec.destinations ?? []) {
      for (const field of ['server', 'name', 'namespace'] as const) {
        if (isWildcard(d[field]) && !(field === 'namespace' && clusterOnly)) add(`destination.${field}`, d[field]!);
      }
    }
    for (const list of ['clusterResourceWhitelist', 'namespaceResourceWhitelist'] as const) {
      for (const gk of spec[list] ?? []) if (isWildcard(gk.group) || isWildcard(gk.kind)) add(list, `${gk.group ?? ''}/${gk.kind ?? ''}`);
    }
    return [...found.values()];
  },
};

/**
 * The most an object's annotations may total here: a quarter of the API server's 256 KiB limit, so ArgoCD's
 * own tracking annotations and a last-applied copy still fit.
 */
export const MAX_ANNOTATION_BYTES = 64 * 1024;

/** HB-OBJ-001: an object's annotations stay well under the API server's limit. */
export const annotationSizeRule: Rule = {
  id: 'HB-OBJ-001',
  level: 'ERROR',
  title: 'Annotations well under the API server\'s 256 KiB limit',
  why: 'The API server refuses an object whose annotations total more than 256 KiB: at sync time, long after review, and the object silently keeps its old state.',
  fix: `keep reasons short (the constructs cap each at 1000 characters) and the annotations of one object under ${MAX_ANNOTATION_BYTES / 1024} KiB`,
  check(o) {
    const bytes = Object.entries(o.metadata.annotations ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    return bytes > MAX_ANNOTATION_BYTES ? [{ finding: '[annotations:size]', detail: `annotations total ${bytes} bytes (at most ${MAX_ANNOTATION_BYTES} here, 262144 at the API server)` }] : [];
  },
};
