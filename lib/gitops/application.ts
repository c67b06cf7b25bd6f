import { Construct } from 'constructs';
import { Application, ApplicationSpecSource } from '../../imports/argocd-argoproj.io';
import { fail } from '../errors';
import { validateDnsLabel, validateDnsSubdomain } from '../validate';
import { IHelmValues } from './helm-values';
import { validateChartVersion, validateGitRevision, validateRepoUrl } from './pinning';
import { GitOpsProject } from './project';
import { APPLICATION_SYNC_OPTIONS, IN_CLUSTER, SYNC_WAVE_ANNOTATION } from './sync';

/** A folder of plain manifests in a git repository. */
export interface GitSource {
  /** The repository (HTTPS). */
  readonly repoURL: string;
  /** The folder inside the repository, e.g. `dist/argocd`. */
  readonly path: string;
  /** An explicit branch, tag or commit; never `HEAD` or empty. */
  readonly targetRevision: string;
}

/** A chart from a Helm repository, at one exact version. */
export interface HelmSource {
  /** The chart repository (HTTPS). */
  readonly repoURL: string;
  /** The chart name in that repository. */
  readonly chart: string;
  /** The exact chart version (no range, no `latest`). */
  readonly version: string;
  /**
   * The chart's values.
   * @default - the chart's defaults
   */
  readonly values?: IHelmValues;
  /**
   * The Helm release name (an existing release keeps its name: another one installs a second copy).
   * @default - the Application name
   */
  readonly releaseName?: string;
}

/** Props of {@link GitOpsApplication}: exactly one of `git` and `helm`. */
export interface GitOpsApplicationProps {
  /** The Application name (and the Helm release name of a chart). */
  readonly name: string;
  /**
   * The namespace of the Application object: ArgoCD's own.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** The project; never `default`, which allows everything. */
  readonly project: GitOpsProject;
  /**
   * A folder of plain manifests.
   * @default - none; then `helm` is required
   */
  readonly git?: GitSource;
  /**
   * A Helm chart.
   * @default - none; then `git` is required
   */
  readonly helm?: HelmSource;
  /**
   * The namespace objects without one would land in, and the one the project must allow.
   * @default - none: the Application holds cluster-scoped objects (or names every namespace itself)
   */
  readonly destinationNamespace?: string;
  /**
   * Its sync wave inside the Application that syncs it (the root folder's).
   * @default - no wave annotation (wave 0)
   */
  readonly wave?: number;
  /**
   * Extra sync options after the secure defaults (ServerSideApply, FailOnSharedResource, PruneLast).
   * @default - none
   */
  readonly extraSyncOptions?: readonly string[];
}

const RETRY = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } };

/**
 * An ArgoCD Application synced automatically with prune and self-heal, server-side apply and
 * `FailOnSharedResource`, from a pinned git revision or an exact chart version, in a named project.
 * It carries no resources finalizer: deleting the Application (e.g. when its folder disappears) leaves
 * its objects in place instead of cascading deletes through a namespace.
 */
export class GitOpsApplication extends Construct {
  /** The Application name. */
  public readonly name: string;
  /** The project it belongs to. */
  public readonly project: GitOpsProject;
  /** The source repository. */
  public readonly repoURL: string;
  /** The dist/ folder path of a git source. */
  public readonly path?: string;
  /** The destination namespace, if any. */
  public readonly destinationNamespace?: string;
  /** The sync wave inside the root folder. */
  public readonly wave: number;
  /** The underlying Application. */
  public readonly apiObject: Application;

  constructor(scope: Construct, id: string, props: GitOpsApplicationProps) {
    super(scope, id);
    this.name = validateDnsSubdomain(this, 'Application name', props.name);
    this.project = props.project;
    if ((props.git === undefined) === (props.helm === undefined)) {
      fail(this, {
        problem: 'an Application needs exactly one source',
        value: { git: props.git !== undefined, helm: props.helm !== undefined },
        allowed: 'either `git` (a folder at a pinned revision) or `helm` (a chart at an exact version)',
        fix: 'pass one of them',
      });
    }
    this.destinationNamespace =
      props.destinationNamespace === undefined ? undefined : validateDnsLabel(this, 'destination namespace', props.destinationNamespace);
    this.wave = props.wave ?? 0;
    const source = props.git ? this.gitSource(props.git) : this.helmSource(props.helm!);
    this.repoURL = source.repoUrl;
    this.path = props.git?.path;

    this.apiObject = new Application(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: validateDnsLabel(this, 'Application namespace', props.namespace ?? 'argocd'),
        annotations: props.wave === undefined ? undefined : { [SYNC_WAVE_ANNOTATION]: String(props.wave) },
      },
      spec: {
        project: this.project.name,
        destination: { server: IN_CLUSTER, namespace: this.destinationNamespace },
        source,
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: [...APPLICATION_SYNC_OPTIONS, ...(props.extraSyncOptions ?? [])],
          retry: RETRY,
        },
      },
    });
    // Projects grow through allow*(): check once the tree is complete that this one admits the Application.
    this.node.addValidation({ validate: () => this.checkProject() });
  }

  private gitSource(git: GitSource): ApplicationSpecSource {
    if (!git.path || git.path.startsWith('/') || git.path.split('/').includes('..')) {
      fail(this, {
        problem: 'invalid source path',
        value: git.path,
        allowed: 'a relative folder inside the repository, e.g. "dist/argocd"',
        fix: 'point the Application at its dist/ folder',
      });
    }
    return {
      repoUrl: validateRepoUrl(this, git.repoURL),
      path: git.path,
      targetRevision: validateGitRevision(this, git.targetRevision),
    };
  }

  private helmSource(helm: HelmSource): ApplicationSpecSource {
    return {
      repoUrl: validateRepoUrl(this, helm.repoURL),
      chart: validateDnsSubdomain(this, 'chart name', helm.chart),
      targetRevision: validateChartVersion(this, helm.version),
      helm: {
        releaseName: helm.releaseName === undefined ? this.name : validateDnsSubdomain(this, 'Helm release name', helm.releaseName),
        valuesObject: helm.values?.render(this),
      },
    };
  }

  private checkProject(): string[] {
    const errors: string[] = [];
    if (!this.project.permitsSource(this.repoURL)) {
      errors.push(`Application "${this.name}": project "${this.project.name}" does not allow source ${this.repoURL}. Allowed: a repository in the project's sourceRepos. Fix: call allowSourceRepo() on the project.`);
    }
    if (!this.project.permitsDestination(this.destinationNamespace)) {
      errors.push(`Application "${this.name}": project "${this.project.name}" does not allow destination namespace ${JSON.stringify(this.destinationNamespace ?? null)}. Allowed: a namespace in the project's destinations. Fix: call allowNamespace() on the project.`);
    }
    return errors;
  }
}
