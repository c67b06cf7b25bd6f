import { Risk } from '../risk-level';

/**
 * The verbs of Kubernetes RBAC. `escalate`, `bind`, `impersonate`, `approve` and `sign` exist so that a
 * rule can name them and the guarantees can refuse them; `*` exists only to be refused unless exempted.
 */
export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'escalate'
  | 'bind'
  | 'impersonate'
  | 'approve'
  | 'sign'
  | '*';

/** Every {@link Verb}, for checking input that did not go through the type checker. */
export const VERBS: readonly Verb[] = [
  'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection',
  'escalate', 'bind', 'impersonate', 'approve', 'sign', '*',
];

/** The verbs of a read: what `kubectl get`, `describe` and `-w` need. */
export const READ_VERBS: readonly Verb[] = ['get', 'list', 'watch'];

/**
 * Where a grant applies: `namespace` renders into the agent's Role (its own namespace only), `cluster`
 * into its ClusterRole (every namespace and every cluster-scoped object).
 */
export type RbacScope = 'namespace' | 'cluster';

/** An API group, e.g. `ApiGroup.APPS`. The core group is the empty string, as in `apiGroups: [""]`. */
export class ApiGroup {
  public static readonly CORE = new ApiGroup('');
  public static readonly APPS = new ApiGroup('apps');
  public static readonly BATCH = new ApiGroup('batch');
  public static readonly RBAC = new ApiGroup('rbac.authorization.k8s.io');
  public static readonly NETWORKING = new ApiGroup('networking.k8s.io');
  public static readonly AUTHENTICATION = new ApiGroup('authentication.k8s.io');
  public static readonly CERTIFICATES = new ApiGroup('certificates.k8s.io');
  public static readonly ADMISSION_REGISTRATION = new ApiGroup('admissionregistration.k8s.io');
  /** The resource metrics API (`kubectl top`). */
  public static readonly METRICS = new ApiGroup('metrics.k8s.io');
  /** External Secrets Operator. */
  public static readonly EXTERNAL_SECRETS = new ApiGroup('external-secrets.io');
  /** Argo CD. */
  public static readonly ARGOPROJ = new ApiGroup('argoproj.io');
  /** Every group. Refused by the `no-wildcards` guarantee unless exempted. */
  public static readonly ALL = new ApiGroup('*');

  /** Any other group, e.g. a CRD's. Checked when a construct uses it. */
  public static of(name: string): ApiGroup {
    return new ApiGroup(name);
  }

  private constructor(public readonly name: string) {}
}

/** Resources of the core group (`apiGroups: [""]`). */
export type CoreResource =
  | 'bindings' | 'componentstatuses' | 'configmaps' | 'endpoints' | 'events' | 'groups' | 'limitranges'
  | 'namespaces' | 'nodes' | 'persistentvolumeclaims' | 'persistentvolumes' | 'pods' | 'podtemplates'
  | 'replicationcontrollers' | 'resourcequotas' | 'secrets' | 'serviceaccounts' | 'services' | 'users';
/** Resources of the `apps` group. */
export type AppsResource = 'controllerrevisions' | 'daemonsets' | 'deployments' | 'replicasets' | 'statefulsets';
/** Resources of `rbac.authorization.k8s.io`. */
export type RbacResource = 'clusterrolebindings' | 'clusterroles' | 'rolebindings' | 'roles';
/** Resources of `networking.k8s.io`. */
export type NetworkingResource = 'ingressclasses' | 'ingresses' | 'networkpolicies';
/** Resources of `metrics.k8s.io`. */
export type MetricsResource = 'nodes' | 'pods';
/** Resources of `external-secrets.io`. */
export type ExternalSecretsResource =
  | 'clusterexternalsecrets' | 'clustersecretstores' | 'externalsecrets' | 'pushsecrets' | 'secretstores';
/** Resources of `argoproj.io` (Argo CD). */
export type ArgoResource = 'applications' | 'applicationsets' | 'appprojects';
/** Subresources, as in `pods/exec` or `deployments/scale`. */
export type Subresource =
  | 'approval' | 'attach' | 'binding' | 'ephemeralcontainers' | 'eviction' | 'exec' | 'finalize' | 'log'
  | 'portforward' | 'proxy' | 'scale' | 'status' | 'token';

/**
 * A resource of an API group, optionally a subresource: `Resource.core('pods').sub('exec')` is `pods/exec`
 * in the core group. Factories never throw: the construct that receives a resource validates it, so the
 * error names that construct's path.
 */
export class Resource {
  /** A resource of the core group (`""`), by name. */
  public static readonly core = Resource.inGroup<CoreResource>(ApiGroup.CORE);
  /** A resource of `apps`, by name. */
  public static readonly apps = Resource.inGroup<AppsResource>(ApiGroup.APPS);
  /** A resource of `rbac.authorization.k8s.io`, by name. */
  public static readonly rbac = Resource.inGroup<RbacResource>(ApiGroup.RBAC);
  /** A resource of `networking.k8s.io`, by name. */
  public static readonly networking = Resource.inGroup<NetworkingResource>(ApiGroup.NETWORKING);
  /** A resource of `metrics.k8s.io`, by name. */
  public static readonly metrics = Resource.inGroup<MetricsResource>(ApiGroup.METRICS);
  /** A resource of `external-secrets.io`, by name. */
  public static readonly externalSecrets = Resource.inGroup<ExternalSecretsResource>(ApiGroup.EXTERNAL_SECRETS);
  /** A resource of `argoproj.io`, by name. */
  public static readonly argo = Resource.inGroup<ArgoResource>(ApiGroup.ARGOPROJ);

  /** A resource of any other group (lower-case plural, as in `kubectl api-resources`). */
  public static of(group: ApiGroup, name: string): Resource {
    return new Resource(group, name);
  }

  /** Every resource of `group` (`*`). Refused by the `no-wildcards` guarantee unless exempted. */
  public static all(group: ApiGroup = ApiGroup.ALL): Resource {
    return new Resource(group, '*');
  }

  /** A typed factory for one group: its argument can only be one of the group's resource names. */
  private static inGroup<N extends string>(group: ApiGroup): (name: N) => Resource {
    return (name) => new Resource(group, name);
  }

  private constructor(
    public readonly group: ApiGroup,
    /** The resource's plural name, without subresource. */
    public readonly name: string,
    public readonly subresource?: Subresource,
  ) {}

  /** This resource's subresource, e.g. `Resource.core('pods').sub('log')`. */
  public sub(subresource: Subresource): Resource {
    return new Resource(this.group, this.name, subresource);
  }

  /** The resource as a PolicyRule names it: `pods/exec`. */
  public get path(): string {
    return this.subresource ? `${this.name}/${this.subresource}` : this.name;
  }

  /** `pods/exec`, `deployments.apps/scale`: kubectl's spelling, for messages. */
  public toString(): string {
    const group = this.group.name ? `.${this.group.name}` : '';
    return this.subresource ? `${this.name}${group}/${this.subresource}` : `${this.name}${group}`;
  }
}

/** The guarantees a single grant can break: every {@link RbacGuarantee} but `no-privileged-bindings`. */
export type RuleGuarantee =
  | 'no-wildcards'
  | 'no-create'
  | 'no-delete'
  | 'no-foreign-secrets'
  | 'no-foreign-exec'
  | 'no-escalation-verbs'
  | 'no-security-writes';

/** The stable ids of the guarantees every agent gets; an exemption names one of them. */
export type RbacGuarantee = RuleGuarantee | 'no-privileged-bindings';

/** Exemptions from guarantees: guarantee id → the written reason (emitted as an annotation). */
export type Exemptions<G extends RbacGuarantee = RbacGuarantee> = Partial<Record<G, string>>;

/** Options of every grant: why the agent needs it and what an abuse could do are required. */
export interface GrantOptions {
  /**
   * What the agent does with the grant (`Rollout restart (annotation), rollout undo`). Emitted as
   * `baseline.homelab.dev/rule-<i>.purpose` on the Role or ClusterRole, shown in the report's grants table.
   */
  readonly purpose: string;
  /**
   * How bad an abuse of the grant would be, and what it could do. Emitted as `baseline.homelab.dev/rule-<i>.risk`.
   */
  readonly risk: Risk;
  /**
   * Restricts the grant to objects of these names (`resourceNames`). Kubernetes cannot restrict `list`,
   * `watch` or `create` this way.
   * @default - every object of the resources
   */
  readonly resourceNames?: readonly string[];
  /**
   * Guarantees this grant may break, each with a written reason (at least 20 characters). The reason is
   * emitted as `baseline.homelab.dev/exemption.rbac.<guarantee>` on the Role or ClusterRole. An exemption
   * the grant does not need fails, so none lingers after the grant changes.
   * @default - none: the grant must keep every guarantee
   */
  readonly exemptions?: Exemptions<RuleGuarantee>;
}

/** One grant as recorded: the data the Role or ClusterRole rules are rendered from (`AgentRbac.grants`). */
export interface Grant {
  readonly scope: RbacScope;
  readonly verbs: readonly Verb[];
  readonly resources: readonly Resource[];
  /** @default - every object of the resources */
  readonly resourceNames?: readonly string[];
  /** The exemptions the grant uses, with their validated reasons. */
  readonly exemptions: Exemptions<RuleGuarantee>;
  /** What the grant is for. */
  readonly purpose: string;
  /** How bad an abuse would be. */
  readonly risk: Risk;
}
