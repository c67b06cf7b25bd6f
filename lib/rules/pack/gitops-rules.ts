import { applicationSources, isImmutableRevision } from '../../gitops/pinning';
import { isPruneProtected } from '../../gitops/sync';
import { ARGOCD_VERSION, DANGEROUS_SYNC_OPTIONS, isKnownSyncOption, syncOptionsOf } from '../../gitops/sync-options';
import { SYNC_OPTIONS_ANNOTATION } from '../../gitops/sync';
import { Rule, RuleFinding } from '../rule';

/** The branch ArgoCD deploys when the homelab names none: the protected one every reviewed PR lands on. */
export const DEFAULT_DEPLOY_BRANCH = 'main';

/** HB-ARGO-004: every git source deploys the reviewed branch (or an exact tag or commit). */
export function deployBranchRule(deployBranch: string): Rule {
  return {
    id: 'HB-ARGO-004',
    level: 'ERROR',
    title: 'ArgoCD Application deploys the reviewed branch',
    why:
      'Only the deploy branch is protected by review: any other branch can be pushed by whoever holds a token (the ' +
      'agent\'s included), so an Application following it deploys unreviewed code.',
    fix: `set targetRevision to "${deployBranch}", an exact tag (v1.2.3) or a full 40-character commit; a chart source to its exact version`,
    check(o) {
      if (o.kind !== 'Application' || !o.apiVersion.startsWith('argoproj.io/')) return [];
      const out: RuleFinding[] = [];
      applicationSources(o).forEach((s, i) => {
        if (s.targetRevision === deployBranch && typeof s.chart !== 'string') return;
        if (isImmutableRevision(s)) return;
        out.push({
          finding: `[source:${i}][targetRevision:${s.targetRevision ?? ''}]`,
          detail: `source ${i} (${s.repoURL ?? '?'} ${s.chart ?? s.path ?? ''}) follows ${JSON.stringify(s.targetRevision ?? '')}, not the deploy branch "${deployBranch}"`,
        });
      });
      return out;
    },
  };
}

/** HB-ARGO-005: every sync option is one ArgoCD knows, where it is given. */
export const knownSyncOptionsRule: Rule = {
  id: 'HB-ARGO-005',
  level: 'ERROR',
  title: `Sync options known to ArgoCD ${ARGOCD_VERSION}`,
  why: 'ArgoCD ignores an option it does not know (a typo, a newer release\'s option, one valid only on the other side): what it meant silently does not happen.',
  fix: `use the spelling and place ArgoCD ${ARGOCD_VERSION} documents (Application syncOptions or the ${SYNC_OPTIONS_ANNOTATION} annotation)`,
  check(o) {
    return syncOptionsOf(o).flatMap(({ place, options }) =>
      options
        .filter((opt) => !isKnownSyncOption(place, opt))
        .map((opt) => ({ finding: `[${place}:${opt}]`, detail: `${o.kind} ${o.metadata.name}: sync option ${JSON.stringify(opt)} is not one ArgoCD ${ARGOCD_VERSION} reads in the ${place}` })),
    );
  },
};

/** HB-ARGO-006: Replace, Force and CreateNamespace only with a reason. */
export const dangerousSyncOptionsRule: Rule = {
  id: 'HB-ARGO-006',
  level: 'ERROR',
  suppressible: true,
  title: 'No Replace, Force or CreateNamespace sync option without a reason',
  why:
    'Replace deletes and re-creates (a Namespace takes everything in it along), Force re-creates on any apply error, ' +
    'CreateNamespace makes a namespace without Pod Security labels or default-deny.',
  fix: 'drop the option (server-side apply handles large objects; namespaces come from HardenedNamespace), or suppress it with the reason',
  check(o) {
    return syncOptionsOf(o).flatMap(({ place, options }) =>
      options
        .filter((opt) => DANGEROUS_SYNC_OPTIONS.includes(opt))
        .map((opt) => ({ finding: `[${place}:${opt}]`, detail: `${o.kind} ${o.metadata.name} sets ${opt}` })),
    );
  },
};

/**
 * What HB-ARGO-007 requires, spelled out here rather than read from PRUNE_PROTECTION (what AppOfApps writes):
 * the gate must not move with the code it checks.
 */
const REQUIRED_PROTECTION: readonly string[] = ['Prune=false', 'Delete=false'];

/** HB-ARGO-007: the objects whose removal weakens the cluster carry Prune=false and Delete=false. */
export const pruneProtectionRule: Rule = {
  id: 'HB-ARGO-007',
  level: 'ERROR',
  title: 'Protected objects are neither pruned nor deleted by ArgoCD (when it syncs them)',
  why:
    'Namespaces, CRDs, claims and deny policies take data or a whole direction of traffic with them: removing one ' +
    'from the code must not remove it from the cluster without a deliberate, reviewed act.',
  fix: `keep ${SYNC_OPTIONS_ANNOTATION}: ${REQUIRED_PROTECTION.join(',')} on the object (AppOfApps adds it)`,
  check(o, context) {
    // Only where ArgoCD syncs the objects: an app without Applications has no pruning to guard against.
    if (!isPruneProtected(o) || !context.ofKind('Application').some((a) => a.apiVersion?.startsWith('argoproj.io/'))) return [];
    const have = new Set(syncOptionsOf(o).filter((s) => s.place === 'annotation').flatMap((s) => s.options));
    return REQUIRED_PROTECTION.filter((opt) => !have.has(opt)).map((opt) => ({ finding: `[missing:${opt}]`, detail: `${o.kind} ${o.metadata.name} lacks ${opt}` }));
  },
};
