import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { encodeEntries, exemptionAnnotation } from '../annotations';
import { AggregateBaselineError, fail } from '../errors';
import { Manifest } from '../synth/manifest';
import type { RenderedChart } from '../helm/rendered-chart';
import { canonicalJson } from '../helm/render';
import { CLUSTER_FOLDER, assignFolder } from '../synth/synthesize';
import { validateDnsLabel, validateReason } from '../validate';
import { GitOpsApplication, GitOpsApplicationProps } from './application';
import { FolderContents, foldersOf } from './folders';
import { IHelmValues } from './helm-values';
import { FolderClaim, ownershipProblems } from './ownership';
import { validateGitRevision, validateRepoUrl } from './pinning';
import { GitOpsProject, GitOpsProjectProps, GroupKind, groupKindKey } from './project';
import { ApplicationWave, SYNC_OPTIONS_ANNOTATION, groupOf, syncAnnotations } from './sync';

/** The default root folder: the leading `_` keeps it apart from namespace folders. */
export const ROOT_FOLDER = '_argocd-root';

/** A cluster-scoped kind a Helm chart creates, and why the chart needs it. */
export interface ClusterResourceGrant extends GroupKind {
  /** Why the chart needs it (at least 20 characters); emitted on the Application. */
  readonly reason: string;
}

/** Props of {@link AppOfApps.addHelmRelease}: one chart at an exact version in one namespace. */
export interface HelmReleaseProps {
  /** The Application name, also the Helm release name unless `releaseName` is given. */
  readonly name: string;
  /**
   * The Helm release name (to adopt a release installed under another name: a new name installs a second copy).
   * @default - the Application name
   */
  readonly releaseName?: string;
  /** The chart repository (HTTPS). */
  readonly repoURL: string;
  /** The chart name. */
  readonly chart: string;
  /** The exact chart version. */
  readonly version: string;
  /** The namespace the chart is installed in; dist/ must create it (with its Pod Security labels and policies). */
  readonly namespace: string;
  /**
   * The chart's values.
   * @default - the chart's defaults
   */
  readonly values?: IHelmValues;
  /**
   * When the root Application syncs it.
   * @default ApplicationWave.HELM_WORKLOADS
   */
  readonly wave?: ApplicationWave;
  /**
   * The cluster-scoped kinds the chart creates, each with its reason: the union becomes the Helm
   * project's `clusterResourceWhitelist`.
   * @default - none
   */
  readonly clusterResources?: readonly ClusterResourceGrant[];
  /**
   * The API groups whose CRDs the chart installs. A dist/ folder using one of them must not sync in an
   * earlier wave than the chart.
   * @default - none
   */
  readonly crdGroups?: readonly string[];
  /**
   * The chart rendered into dist/ by real helm (the rendered-manifests pattern): its folders are synced as
   * plain YAML by their own Applications in a project of their own instead of a Helm-source Application.
   * Its values must then be the release's `values` (one source of truth).
   * @default - not rendered: ArgoCD renders the chart from `repoURL` (nobody here reviews its objects)
   */
  readonly rendered?: RenderedChart;
  /**
   * Why the chart is not rendered into dist/ (e.g. its source is not available offline): emitted on its
   * Helm-source Application and shown in the report, so the gap is visible.
   * @default - none
   */
  readonly notRenderedReason?: string;
}

/** Props of {@link AppOfApps}. `helmReleases` is sugar over `addHelmRelease()`. */
export interface AppOfAppsProps {
  /** Every other manifest of the app, as `collectManifests()` returned them: one Application per folder. */
  readonly manifests: readonly Manifest[];
  /** The git repository that holds dist/ (HTTPS). */
  readonly repoURL: string;
  /** The branch, tag or commit ArgoCD deploys; never `HEAD` or empty. */
  readonly targetRevision: string;
  /**
   * Where dist/ is inside the repository.
   * @default 'dist'
   */
  readonly distPath?: string;
  /**
   * The root folder, holding the AppProjects and Applications (including the root Application).
   * @default ROOT_FOLDER
   */
  readonly folder?: string;
  /**
   * ArgoCD's namespace: where Application and AppProject objects live.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
  /**
   * Charts installed from Helm repositories.
   * @default - none
   */
  readonly helmReleases?: readonly HelmReleaseProps[];
  /**
   * dist/ folders that no Application of this app syncs, folder → who syncs it instead (another root, a
   * hand-applied folder while migrating). The reasons are emitted on the root Application.
   * @default - every folder has its own Application
   */
  readonly unsyncedFolders?: ReadonlyMap<string, string>;
  /**
   * Other names for the AppProjects (to keep an existing ArgoCD's names).
   * @default DEFAULT_PROJECT_NAMES
   */
  readonly projectNames?: Partial<Readonly<Record<keyof typeof DEFAULT_PROJECT_NAMES, string>>>;
  /**
   * Other names for the Applications of dist/ folders, folder → name (the root folder's too).
   * @default - `dist-<folder>` (see {@link folderApplicationName})
   */
  readonly applicationNames?: ReadonlyMap<string, string>;
}

/** The project names, stable because Applications refer to them. */
export const DEFAULT_PROJECT_NAMES = { root: 'baseline-root', cluster: 'baseline-cluster', namespaces: 'baseline-namespaces', helm: 'platform-helm' } as const;
const ARGO_GROUP = 'argoproj.io';

/**
 * ArgoCD's app of apps over dist/: a root folder with one Application per other folder (computed from
 * the manifests, so a new namespace gets its Application without a line of code), one per Helm chart,
 * the least-privilege AppProjects they belong to, and the root Application itself (bootstrapped once
 * with `kubectl apply`, then it manages itself). Objects in the folders get their sync waves and prune
 * protection here. Build it last, from the manifests of everything else.
 */
export class AppOfApps extends Construct {
  /** The root folder. */
  public readonly folder: string;
  /** The root Application (syncs the root folder). */
  public readonly root: GitOpsApplication;
  /** dist/ folder → the Application that syncs it (the root folder included). */
  public readonly folderApplications: ReadonlyMap<string, GitOpsApplication>;
  private readonly folders: readonly FolderContents[];
  private readonly namespaceFolder = new Map<string, string>();
  private readonly names = new Set<string>();
  private readonly argocdNamespace: string;
  private readonly knownObjects: ReadonlySet<string>;
  private readonly git: (folder: string) => { repoURL: string; targetRevision: string; path: string };
  private helmProject?: GitOpsProject;
  private readonly helmProjectName: string;

  constructor(scope: Construct, id: string, props: AppOfAppsProps) {
    super(scope, id);
    const projects = { ...DEFAULT_PROJECT_NAMES, ...props.projectNames };
    this.helmProjectName = projects.helm;
    const appName = (folder: string) => props.applicationNames?.get(folder) ?? folderApplicationName(folder);
    this.folder = props.folder ?? ROOT_FOLDER;
    if (!/^_[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(this.folder) || this.folder === CLUSTER_FOLDER) {
      fail(this, {
        problem: 'invalid root folder',
        value: this.folder,
        allowed: `"_" followed by a DNS label, other than "${CLUSTER_FOLDER}" (a leading "_" can never be a namespace)`,
        fix: `use the default "${ROOT_FOLDER}"`,
      });
    }
    assignFolder(this, this.folder);
    this.argocdNamespace = validateDnsLabel(this, 'ArgoCD namespace', props.argocdNamespace ?? 'argocd');
    const repoURL = validateRepoUrl(this, props.repoURL);
    const targetRevision = validateGitRevision(this, props.targetRevision);
    const distPath = (props.distPath ?? 'dist').replace(/\/+$/, '');
    const git = (folder: string) => ({ repoURL, targetRevision, path: `${distPath}/${folder}` });

    this.folders = foldersOf(props.manifests);
    this.knownObjects = new Set(props.manifests.map((m) => m.constructPath));
    this.git = git;
    const chartFolders = new Set((props.helmReleases ?? []).flatMap((r) => (r.rendered ? [r.rendered.folder] : [])));
    const claims: FolderClaim[] = [...this.folders.map((f) => f.folder), this.folder].map((f) => ({ repoURL, path: git(f).path }));
    const errors = ownershipProblems(this.folders, claims, chartFolders);
    for (const m of props.manifests) {
      if (m.folder === this.folder) {
        errors.push(`[${m.constructPath}] ${m.object.kind} "${m.object.metadata.name}" is in the root folder dist/${this.folder}. Allowed: only the AppOfApps' projects and Applications there. Fix: remove the assignFolder() call that sends it there.`);
      }
      if (m.object.kind === 'Namespace') this.namespaceFolder.set(m.object.metadata.name, m.folder);
    }
    errors.push(...annotateForSync(this.node.root, props.manifests));
    if (errors.length) throw new AggregateBaselineError(errors);

    const applications = new Map<string, GitOpsApplication>();
    // A rendered release's folders get their own Applications and project (addHelmRelease).
    const ownFolders = this.folders.filter((f) => !isRenderedFolder(props.helmReleases ?? [], f.folder));
    const clusterFolders = ownFolders.filter((f) => !f.namespaces.size);
    const namespaceFolders = ownFolders.filter((f) => f.namespaces.size);
    const clusterProject = clusterFolders.length
      ? this.project(projects.cluster, {
        description: 'dist/ folders of cluster-scoped objects: only the kinds they hold, no namespaced object',
        sourceRepos: [repoURL],
        clusterResources: clusterFolders.flatMap((f) => f.clusterKinds),
      })
      : undefined;
    const namespacesProject = namespaceFolders.length
      ? this.project(projects.namespaces, {
        description: 'dist/ namespace folders: only their namespaces and the kinds they hold, nothing cluster-scoped',
        sourceRepos: [repoURL],
        namespaces: namespaceFolders.flatMap((f) => [...f.namespaces]),
        namespacedResources: namespaceFolders.flatMap((f) => f.namespacedKinds),
      })
      : undefined;
    const unsynced = props.unsyncedFolders ?? new Map<string, string>();
    for (const [folder, reason] of unsynced) {
      if (!this.folders.some((f) => f.folder === folder)) {
        fail(this, {
          problem: 'unsynced folder is not a dist/ folder',
          value: folder,
          allowed: `one of ${this.folders.map((f) => f.folder).join(', ')}`,
          fix: 'name the folder of a namespace the app builds, or drop the entry',
        });
      }
      validateReason(this, `unsynced folder ${folder}`, reason);
    }
    for (const f of ownFolders) {
      if (unsynced.has(f.folder)) continue;
      const ns = [...f.namespaces][0];
      applications.set(f.folder, this.application(appName(f.folder), {
        project: ns ? namespacesProject! : clusterProject!,
        git: git(f.folder),
        destinationNamespace: ns,
        wave: ns && f.customGroups.length ? ApplicationWave.CUSTOM_RESOURCES : ApplicationWave.FOUNDATION,
      }));
    }
    const rootProject = this.project(projects.root, {
      description: `the root folder dist/${this.folder}: AppProjects and Applications in ${this.argocdNamespace} only`,
      sourceRepos: [repoURL],
      namespaces: [this.argocdNamespace],
      namespacedResources: [{ group: ARGO_GROUP, kind: 'AppProject' }, { group: ARGO_GROUP, kind: 'Application' }],
    });
    this.root = this.application(appName(this.folder), {
      project: rootProject,
      git: git(this.folder),
      destinationNamespace: this.argocdNamespace,
    });
    if (unsynced.size) {
      this.root.apiObject.metadata.addAnnotation(exemptionAnnotation('unsynced-folders'), encodeEntries(unsynced));
    }
    applications.set(this.folder, this.root);
    this.folderApplications = applications;

    for (const release of props.helmReleases ?? []) this.addHelmRelease(release);
    this.node.addValidation({ validate: () => this.objectsAddedLater() });
  }

  /**
   * Installs a chart at an exact version through its own Application in the `platform-helm` project,
   * whose sources, destinations and cluster kinds grow with each release.
   */
  public addHelmRelease(release: HelmReleaseProps): GitOpsApplication {
    const path = `${this.node.path}/${release.name}`;
    const wave = release.wave ?? ApplicationWave.HELM_WORKLOADS;
    const nsFolder = this.namespaceFolder.get(release.namespace);
    if (nsFolder === undefined) {
      fail(path, {
        problem: 'Helm release installs into a namespace dist/ does not create',
        value: release.namespace,
        allowed: `one of the namespaces in dist/: ${[...this.namespaceFolder.keys()].sort().join(', ')}`,
        fix: 'add the namespace to the homelab (HardenedNamespace + DefaultDenyPolicies) so the chart lands behind the baseline',
      });
    }
    const nsWave = this.folderApplications.get(nsFolder)!.wave;
    if (wave < nsWave) {
      fail(path, {
        problem: `Helm release syncs before its namespace (created by dist/${nsFolder} in wave ${nsWave})`,
        value: wave,
        allowed: `a wave of at least ${nsWave}`,
        fix: 'raise its wave: the root Application would otherwise wait forever for a chart whose namespace does not exist',
      });
    }
    if (release.rendered) return this.addRenderedRelease(release, release.rendered, wave);
    for (const group of release.crdGroups ?? []) {
      for (const f of this.folders.filter((g) => g.manifests.some((m) => groupOf(m.object) === group))) {
        const folderWave = this.folderApplications.get(f.folder)!.wave;
        if (wave > folderWave) {
          fail(path, {
            problem: `Helm release installs the CRDs of ${group}, which dist/${f.folder} uses in an earlier wave (${folderWave})`,
            value: wave,
            allowed: `a wave of at most ${folderWave}`,
            fix: `set wave: ApplicationWave.${ApplicationWave[folderWave]} (or lower) on the release`,
          });
        }
      }
    }
    const project = (this.helmProject ??= this.project(this.helmProjectName, {
      description: 'Helm-sourced platform charts: only their chart repositories, their namespaces and the cluster kinds they need',
    }));
    project.allowSourceRepo(release.repoURL);
    project.allowNamespace(release.namespace);
    release.clusterResources?.forEach((g) => project.allowClusterResource(g));
    const app = this.application(release.name, {
      project,
      helm: { repoURL: release.repoURL, chart: release.chart, version: release.version, values: release.values, releaseName: release.releaseName },
      destinationNamespace: release.namespace,
      wave,
    });
    this.recordClusterResources(app, release);
    if (release.notRenderedReason) app.apiObject.metadata.addAnnotation(exemptionAnnotation('not-rendered'), validateReason(this, `release ${release.name} not rendered`, release.notRenderedReason));
    return app;
  }

  /**
   * A rendered release: one Application per folder (its CRDs in the CRDS wave, before anything uses them;
   * the rest in the release's wave) in a project that allows exactly the kinds and the namespace they hold.
   * The chart, its digest, the helm build and the rendered values are recorded on the Application.
   */
  private addRenderedRelease(release: HelmReleaseProps, rendered: RenderedChart, wave: ApplicationWave): GitOpsApplication {
    const path = `${this.node.path}/${release.name}`;
    if (rendered.release !== release.name || rendered.chart !== release.chart || rendered.version !== release.version || rendered.namespace !== release.namespace) {
      fail(path, {
        problem: 'rendered chart does not match its release',
        value: { release: rendered.release, chart: rendered.chart, version: rendered.version, namespace: rendered.namespace },
        allowed: `${release.name}: ${release.chart}@${release.version} in ${release.namespace}`,
        fix: 'render the release from its own props (see renderReleases)',
      });
    }
    if (release.values && release.values !== rendered.valuesSource) {
      fail(path, {
        problem: 'rendered release has values that are not the ones it was rendered with',
        value: release.name,
        allowed: 'the release\'s `values` passed to the render',
        fix: 'render with the release\'s values (one source of truth)',
      });
    }
    const folders = this.folders.filter((f) => f.folder === rendered.folder || f.folder === rendered.crdFolder);
    const project = this.project(`chart-${release.name}`, {
      description: `the rendered chart ${release.chart}@${release.version} (dist/${rendered.folder}): exactly the kinds it holds, in ${release.namespace} only`,
      sourceRepos: [this.git(rendered.folder).repoURL],
      namespaces: [release.namespace],
      clusterResources: folders.flatMap((f) => f.clusterKinds),
      namespacedResources: folders.flatMap((f) => f.namespacedKinds),
    });
    if (rendered.crdFolder) {
      this.application(folderApplicationName(rendered.crdFolder), {
        project,
        git: this.git(rendered.crdFolder),
        // CRDs have no namespace; the release's keeps the project's one destination.
        destinationNamespace: release.namespace,
        wave: ApplicationWave.CRDS,
      });
    }
    const app = this.application(folderApplicationName(rendered.folder), {
      project,
      git: this.git(rendered.folder),
      destinationNamespace: release.namespace,
      wave,
    });
    const md = app.apiObject.metadata;
    md.addAnnotation(RENDERED_CHART_ANNOTATION, `${release.chart}@${release.version} from ${release.repoURL}, sha256:${rendered.chartDigest} (SHA256SUMS lines), ${rendered.helmIdentity}`);
    md.addAnnotation(RENDERED_VALUES_ANNOTATION, canonicalJson(rendered.values));
    for (const [what, reason] of Object.entries(rendered.exemptions)) md.addAnnotation(exemptionAnnotation(what), reason);
    this.recordClusterResources(app, release);
    return app;
  }

  /** Records the cluster kinds a release may create, each with its reason, on its Application. */
  private recordClusterResources(app: GitOpsApplication, release: HelmReleaseProps): void {
    const grants = (release.clusterResources ?? []).map((g): [string, string] => [groupKindKey(g), validateReason(this, `cluster resource ${groupKindKey(g)} of ${release.name}`, g.reason)]);
    if (grants.length) app.apiObject.metadata.addAnnotation(exemptionAnnotation('cluster-resources'), encodeEntries(grants));
  }

  private project(name: string, props: Omit<GitOpsProjectProps, 'name' | 'namespace'>): GitOpsProject {
    // An Application may share its project's name (a kept name such as "media" for both): only the default ids stay bare.
    const id = Object.values(DEFAULT_PROJECT_NAMES).includes(name as never) ? name : `AppProject-${name}`;
    return new GitOpsProject(this, id, { ...props, name, namespace: this.argocdNamespace });
  }

  private application(name: string, props: Omit<GitOpsApplicationProps, 'name' | 'namespace'>): GitOpsApplication {
    if (this.names.has(name)) {
      fail(`${this.node.path}/${name}`, {
        problem: 'Application name already used',
        value: name,
        allowed: 'one Application per name (folder Applications are named "dist-<folder>")',
        fix: 'rename the Helm release or the folder',
      });
    }
    this.names.add(name);
    return new GitOpsApplication(this, name, { ...props, name, namespace: this.argocdNamespace });
  }

  private objectsAddedLater(): string[] {
    return this.node.root.node
      .findAll()
      .filter((c) => ApiObject.isApiObject(c) && !this.knownObjects.has(c.node.path) && !c.node.path.startsWith(`${this.node.path}/`))
      .map((c) => `${c.node.path} was added after the AppOfApps read the manifests, so no Application may sync its folder. Allowed: every object built before the AppOfApps. Fix: build it before buildGitOps() (keep that call last).`);
  }
}

/** On a rendered release's Application: the chart, its source digest and the helm build that rendered it. */
export const RENDERED_CHART_ANNOTATION = 'baseline.homelab.dev/rendered-chart';
/** On a rendered release's Application: the values helm rendered, as canonical JSON (the reviewed values). */
export const RENDERED_VALUES_ANNOTATION = 'baseline.homelab.dev/rendered-values';

function isRenderedFolder(releases: readonly HelmReleaseProps[], folder: string): boolean {
  return releases.some((r) => r.rendered && (r.rendered.folder === folder || r.rendered.crdFolder === folder));
}

/** The name of the Application that syncs dist/<folder>. */
export function folderApplicationName(folder: string): string {
  return `dist-${folder.replace(/^_/, '')}`;
}

/**
 * Adds each object's sync wave and prune protection ({@link syncAnnotations}) to the construct that
 * renders it, merged with what it already carries; a conflicting value is reported, not overwritten.
 */
function annotateForSync(root: IConstruct, manifests: readonly Manifest[]): string[] {
  const byPath = new Map(root.node.findAll().filter(ApiObject.isApiObject).map((c) => [c.node.path, c as ApiObject]));
  const errors: string[] = [];
  for (const m of manifests) {
    const wanted = syncAnnotations(m.object);
    const existing = m.object.metadata.annotations ?? {};
    for (const [key, value] of Object.entries(wanted)) {
      const merged = key === SYNC_OPTIONS_ANNOTATION ? mergeOptions(existing[key], value) : mergeWave(existing[key], value);
      if (merged === undefined) {
        errors.push(`[${m.constructPath}] ${m.object.kind} "${m.object.metadata.name}" sets ${key}: ${JSON.stringify(existing[key])}. Allowed: ${JSON.stringify(value)} (the baseline's sync order and prune protection for a ${m.object.kind}). Fix: remove the annotation.`);
      } else {
        byPath.get(m.constructPath)!.metadata.addAnnotation(key, merged);
      }
    }
  }
  return errors;
}

function mergeWave(existing: string | undefined, wanted: string): string | undefined {
  return existing === undefined || existing === wanted ? wanted : undefined;
}

/** Union of two `Key=value,...` lists, or undefined if they give one key different values. */
function mergeOptions(existing: string | undefined, wanted: string): string | undefined {
  const options = new Map<string, string>();
  for (const item of (existing ?? '').split(',').map((s) => s.trim()).filter(Boolean)) options.set(item.split('=')[0], item);
  for (const item of wanted.split(',')) {
    const prior = options.get(item.split('=')[0]);
    if (prior !== undefined && prior !== item) return undefined;
    options.set(item.split('=')[0], item);
  }
  return [...options.values()].join(',');
}
