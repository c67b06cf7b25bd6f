import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AppProject } from '../../imports/argocd-argoproj.io';
import { fail } from '../errors';
import { validateDnsLabel, validateDnsSubdomain } from '../validate';
import { validateRepoUrl } from './pinning';
import { ApplicationWave, IN_CLUSTER, SYNC_WAVE_ANNOTATION } from './sync';

/** An API group and kind, as AppProject resource lists name them (`''` is the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** Props of {@link GitOpsProject}. Every list prop is sugar over the matching `allow*` method. */
export interface GitOpsProjectProps {
  /** The AppProject name. `default` is refused: it allows every source, destination and kind. */
  readonly name: string;
  /**
   * The namespace of the AppProject object: ArgoCD's own.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** What the project is for, shown in the ArgoCD UI. */
  readonly description: string;
  /**
   * Repositories its Applications may use (exact HTTPS URLs, no wildcards).
   * @default - none yet; add them with `allowSourceRepo()`
   */
  readonly sourceRepos?: readonly string[];
  /**
   * Namespaces its Applications may deploy to. A project without any deploys cluster-scoped objects
   * only: every namespaced kind is blacklisted.
   * @default - none (cluster-scoped objects only)
   */
  readonly namespaces?: readonly string[];
  /**
   * Cluster-scoped kinds its Applications may create (`clusterResourceWhitelist`).
   * @default - none: ArgoCD refuses every cluster-scoped object
   */
  readonly clusterResources?: readonly GroupKind[];
  /**
   * Namespaced kinds its Applications may create (`namespaceResourceWhitelist`).
   * @default - every namespaced kind (ArgoCD's behaviour without a whitelist)
   */
  readonly namespacedResources?: readonly GroupKind[];
}

/**
 * An ArgoCD AppProject built for least privilege: exact source repositories, the in-cluster server with
 * named namespaces only, and explicit lists of the kinds it may create. Lists grow through `allow*`
 * methods and are rendered sorted, so the output does not depend on the order things were added.
 */
export class GitOpsProject extends Construct {
  /** The AppProject name (what Applications put in `spec.project`). */
  public readonly name: string;
  /** The namespace of the AppProject object. */
  public readonly namespace: string;
  /** The underlying AppProject. */
  public readonly apiObject: AppProject;
  private readonly repos = new Set<string>();
  private readonly destinations = new Set<string>();
  private readonly clusterKinds = new Map<string, GroupKind>();
  private readonly namespacedKinds = new Map<string, GroupKind>();

  constructor(scope: Construct, id: string, props: GitOpsProjectProps) {
    super(scope, id);
    this.name = validateDnsSubdomain(this, 'AppProject name', props.name);
    if (this.name === 'default') {
      fail(this, {
        problem: 'the "default" AppProject cannot be used',
        value: this.name,
        allowed: 'a dedicated project with its own sources, destinations and kinds',
        fix: 'name the project after what it deploys, e.g. "baseline-namespaces"',
      });
    }
    this.namespace = validateDnsLabel(this, 'AppProject namespace', props.namespace ?? 'argocd');
    props.sourceRepos?.forEach((r) => this.allowSourceRepo(r));
    props.namespaces?.forEach((n) => this.allowNamespace(n));
    props.clusterResources?.forEach((gk) => this.allowClusterResource(gk));
    props.namespacedResources?.forEach((gk) => this.allowNamespacedResource(gk));

    this.apiObject = new AppProject(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(ApplicationWave.PROJECTS) },
      },
      spec: {
        description: props.description,
        sourceRepos: Lazy.any({ produce: () => [...this.repos].sort() }),
        destinations: Lazy.any({
          produce: () =>
            this.destinations.size
              ? [...this.destinations].sort().map((namespace) => ({ server: IN_CLUSTER, namespace }))
              : // A cluster-scoped-only Application has no destination namespace; '*' matches it and grants
                // nothing, because the blacklist below refuses every namespaced kind.
                [{ server: IN_CLUSTER, namespace: '*' }],
        }),
        namespaceResourceBlacklist: Lazy.any({
          produce: () => (this.destinations.size ? undefined : [{ group: '*', kind: '*' }]),
        }),
        clusterResourceWhitelist: Lazy.any({ produce: () => sorted(this.clusterKinds) }),
        namespaceResourceWhitelist: Lazy.any({ produce: () => sorted(this.namespacedKinds) }),
      },
    });
    this.node.addValidation({
      validate: () =>
        this.repos.size
          ? []
          : [`AppProject "${this.name}" has no sourceRepos. Allowed: at least one exact repository URL. Fix: call allowSourceRepo().`],
    });
  }

  /** Lets its Applications use `repoURL` (an exact HTTPS URL). */
  public allowSourceRepo(repoURL: string): void {
    this.repos.add(validateRepoUrl(this, repoURL));
  }

  /** Lets its Applications deploy to `namespace` on the in-cluster server. */
  public allowNamespace(namespace: string): void {
    this.destinations.add(validateDnsLabel(this, 'destination namespace', namespace));
  }

  /** Lets its Applications create cluster-scoped objects of this group and kind. */
  public allowClusterResource(gk: GroupKind): void {
    this.clusterKinds.set(groupKindKey(this.checkGroupKind(gk)), { group: gk.group, kind: gk.kind });
  }

  /** Lets its Applications create namespaced objects of this group and kind (the whitelist then applies). */
  public allowNamespacedResource(gk: GroupKind): void {
    this.namespacedKinds.set(groupKindKey(this.checkGroupKind(gk)), { group: gk.group, kind: gk.kind });
  }

  /** True if an Application of this project may use `repoURL`. */
  public permitsSource(repoURL: string): boolean {
    return this.repos.has(repoURL);
  }

  /** True if an Application of this project may have `namespace` (or none) as its destination. */
  public permitsDestination(namespace: string | undefined): boolean {
    return namespace === undefined ? this.destinations.size === 0 : this.destinations.has(namespace);
  }

  private checkGroupKind(gk: GroupKind): GroupKind {
    if (/[*?[\]]/.test(`${gk.group}${gk.kind}`) || !/^[A-Z][A-Za-z0-9]*$/.test(gk.kind)) {
      fail(this, {
        problem: 'resource kinds must be named exactly',
        value: `${gk.group}/${gk.kind}`,
        allowed: 'one API group ("" for core) and one Kind, without wildcards',
        fix: 'list each kind the project needs, e.g. { group: "rbac.authorization.k8s.io", kind: "ClusterRole" }',
      });
    }
    return gk;
  }
}

/** `group/Kind`, a stable key for one GroupKind. */
export function groupKindKey(gk: GroupKind): string {
  return `${gk.group}/${gk.kind}`;
}

function sorted(kinds: ReadonlyMap<string, GroupKind>): GroupKind[] | undefined {
  if (!kinds.size) return undefined;
  return [...kinds.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, gk]) => gk);
}
