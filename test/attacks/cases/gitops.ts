import { AttackCase } from '../attack-case';
import { edit } from '../edits';

const CLASS = 'gitops';
const GITOPS = 'homelab/gitops.ts';
const APPLICATION = 'lib/gitops/application.ts';
const SYNC_LINE = 'syncOptions: [...APPLICATION_SYNC_OPTIONS, ...(props.extraSyncOptions ?? [])],';
/** Every generated Application gets `option` in its syncOptions. */
const appOption = (option: string) => [edit(APPLICATION, SYNC_LINE, `syncOptions: [...APPLICATION_SYNC_OPTIONS, ...(props.extraSyncOptions ?? []), '${option}'],`)];
const LAUNCHFAST_APP = 'dist/_argocd-root/argocd-application-dist-launchfast.yaml';
const distAppOption = (option: string) => [edit(LAUNCHFAST_APP, '      - PruneLast=true\n', `      - PruneLast=true\n      - ${option}\n`)];

export const CASES: AttackCase[] = [
  {
    id: 'argo-target-revision-feature-branch',
    class: CLASS,
    description: 'Applications follow an unreviewed branch the agent can push (agent/feature)',
    edits: [edit(GITOPS, 'targetRevision: DEPLOY_BRANCH', "targetRevision: 'agent/feature'")],
    stoppedBy: 'synth',
  },
  {
    id: 'argo-target-revision-short-sha',
    class: CLASS,
    description: 'Applications pinned to an abbreviated commit (ambiguous as the repository grows)',
    edits: [edit(GITOPS, 'targetRevision: DEPLOY_BRANCH', "targetRevision: 'a1b2c3d'")],
    stoppedBy: 'synth',
  },
  {
    id: 'argo-chart-version-range',
    class: CLASS,
    description: 'the argo-cd chart at a version range (7.8.x)',
    edits: [edit(GITOPS, "version: '7.8.0',", "version: '7.8.x',")],
    stoppedBy: 'synth',
  },
  {
    id: 'argo-sync-replace',
    class: CLASS,
    description: 'every Application syncs with Replace=true (delete and re-create)',
    edits: appOption('Replace=true'),
    stoppedBy: 'synth',
  },
  {
    id: 'argo-sync-force',
    class: CLASS,
    description: 'every Application syncs with Force=true',
    edits: appOption('Force=true'),
    stoppedBy: 'synth',
  },
  {
    id: 'argo-sync-create-namespace',
    class: CLASS,
    description: 'every Application creates its destination namespace on the fly (no Pod Security labels)',
    edits: appOption('CreateNamespace=true'),
    stoppedBy: 'synth',
  },
  {
    id: 'argo-sync-unknown-option',
    class: CLASS,
    description: 'a misspelt sync option ArgoCD 2.14 silently ignores (PruneLast=yes)',
    edits: appOption('PruneLast=yes'),
    stoppedBy: 'synth',
  },
  {
    id: 'argo-annotation-replace',
    class: CLASS,
    description: 'protected objects get Replace=true in their sync-options annotation',
    edits: [edit('lib/gitops/sync.ts', 'isPruneProtected(o) ? PRUNE_PROTECTION : []', "isPruneProtected(o) ? [...PRUNE_PROTECTION, 'Replace=true'] : []")],
    stoppedBy: 'synth',
  },
  {
    id: 'argo-remove-prune-false',
    class: CLASS,
    description: 'Prune=false dropped from the protection of Namespaces, CRDs, claims and deny policies',
    edits: [edit('lib/gitops/sync.ts', "export const PRUNE_PROTECTION: readonly string[] = ['Prune=false', 'Delete=false'];", "export const PRUNE_PROTECTION: readonly string[] = ['Delete=false'];")],
    stoppedBy: 'synth',
  },
  {
    id: 'argo-protection-not-applied',
    class: CLASS,
    description: 'the sync annotations stop adding the prune protection',
    edits: [edit('lib/gitops/sync.ts', 'isPruneProtected(o) ? PRUNE_PROTECTION : []', '[]')],
    stoppedBy: 'synth',
  },
  {
    id: 'argo-brace-glob-repo',
    class: CLASS,
    description: 'the source repository as a brace glob {homelab,evil}: the AppProjects then admit both',
    edits: [edit(GITOPS, "repoURL: 'https://github.com/holdennguyen/homelab'", "repoURL: 'https://github.com/holdennguyen/{homelab,evil}'")],
    stoppedBy: 'synth',
  },
  {
    id: 'dist-argo-target-branch',
    class: CLASS,
    description: 'dist/ edit: one Application follows agent/feature',
    edits: [edit(LAUNCHFAST_APP, 'targetRevision: main', 'targetRevision: agent/feature')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-argo-deploy-branch-moved',
    class: CLASS,
    description: 'the declared deploy branch itself moved to another branch (every Application follows)',
    edits: [edit(GITOPS, "export const DEPLOY_BRANCH = 'main';", "export const DEPLOY_BRANCH = 'release';")],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-remove-prune-false',
    class: CLASS,
    description: 'dist/ edit: Prune=false removed from the openclaw Namespace',
    edits: [edit('dist/_cluster/namespace-openclaw.yaml', 'argocd.argoproj.io/sync-options: Prune=false,Delete=false', 'argocd.argoproj.io/sync-options: Delete=false')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-remove-delete-false',
    class: CLASS,
    description: 'dist/ edit: the OpenClaw workspace claim loses its whole sync-options annotation',
    edits: [edit('dist/openclaw/persistentvolumeclaim-openclaw-data.yaml', '    argocd.argoproj.io/sync-options: Prune=false,Delete=false\n', '    argocd.argoproj.io/sync-wave: "0"\n')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-sync-replace',
    class: CLASS,
    description: 'dist/ edit: one Application syncs with Replace=true',
    edits: distAppOption('Replace=true'),
    stoppedBy: 'diff',
  },
  {
    id: 'dist-sync-create-namespace',
    class: CLASS,
    description: 'dist/ edit: one Application syncs with CreateNamespace=true',
    edits: distAppOption('CreateNamespace=true'),
    stoppedBy: 'diff',
  },
  {
    id: 'dist-appproject-brace-glob',
    class: CLASS,
    description: 'dist/ edit: an AppProject sourceRepos entry becomes a brace glob',
    edits: [edit('dist/_argocd-root/argocd-appproject-baseline-namespaces.yaml', '    - https://github.com/holdennguyen/homelab', '    - https://github.com/holdennguyen/{homelab,evil}')],
    stoppedBy: 'diff',
  },
];
