import { Chart } from 'cdk8s';
import { PodSecurityProps } from '../hardened-namespace';
import { AllowanceOptions, DefaultDenyPoliciesProps, Direction } from '../network/default-deny-policies';
import { Peer } from '../network/peer';
import { Port } from '../network/port';
import { HardenedDeployment, HardenedDeploymentProps } from '../workloads/hardened-deployment';
import { ISecretEnvSource } from '../workloads/secret-env';

/** An allowance through `DefaultDenyPolicies.allow()`, for what the intent-named network props cannot say. */
export interface AllowanceSpec extends AllowanceOptions {
  readonly direction: Direction;
  readonly peer: Peer;
  readonly ports: readonly Port[];
}

/** A service's network allowances beyond the namespace's default-deny, same-namespace and DNS policies. */
export interface ServiceNetwork extends Omit<DefaultDenyPoliciesProps, 'namespace'> {
  /**
   * Allowances the intent-named props cannot say (a CIDR with holes, one pod's egress to a backend).
   * @default - none
   */
  readonly allow?: readonly AllowanceSpec[];
}

/** One key of a service's Secret and what it is for. */
export interface ServiceSecretKey {
  /** The key (remote key = secret key = environment variable name). */
  readonly name: string;
  /** What the key is for ("LLM inference via OpenRouter"), shown in the report's secret-keys table. */
  readonly purpose: string;
}

/** One ExternalSecret of a service: a Kubernetes Secret of the same name, filled from the secret store. */
export interface ServiceSecret {
  /** The ExternalSecret's and its Secret's name. */
  readonly name: string;
  /** The keys it fetches, each with its purpose. */
  readonly keys: readonly ServiceSecretKey[];
  /**
   * How often ESO re-reads the store.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** A PersistentVolumeClaim of a service. */
export interface ServiceClaim {
  /** The claim's name (what `Volume.persistentVolumeClaim(volume, name)` mounts). */
  readonly name: string;
  /** The requested size, as a Kubernetes quantity (`10Gi`). */
  readonly size: string;
  /**
   * The access modes.
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: readonly string[];
  /**
   * The StorageClass.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A hardened Deployment of a service: {@link HardenedDeploymentProps} without the namespace (the service's),
 * with Secrets named instead of passed: `envFrom: ['media-secret']` reads the service's ExternalSecret of
 * that name.
 */
export interface ServiceDeployment extends Omit<HardenedDeploymentProps, 'namespace' | 'envFrom'> {
  /**
   * Secrets (of this service's `secrets`) whose keys become environment variables.
   * @default - none
   */
  readonly envFrom?: readonly string[];
}

/** What a service's {@link ServiceSpec.build} hook gets: its chart and what the declaration already built. */
export interface ServiceContext {
  /** The service's chart (one per namespace). */
  readonly chart: Chart;
  /** The namespace. */
  readonly namespace: string;
  /** A Secret of the service by name; fails with the declared names when there is none. */
  secret(name: string): ISecretEnvSource;
  /** The Deployments the declaration built, by name. */
  readonly deployments: ReadonlyMap<string, HardenedDeployment>;
}

/** Whether a service's dist/ folder is synced by an ArgoCD Application of this app. */
export interface ServiceApplication {
  /**
   * `false`: the folder is written but no Application of this app syncs it (another root or a hand-applied
   * folder owns it, e.g. while migrating); `reason` says who does.
   * @default true
   */
  readonly sync?: boolean;
  /**
   * Who syncs the folder instead (required when `sync` is false).
   * @default - none
   */
  readonly reason?: string;
}

/**
 * One service of a homelab, declared in one place: its namespace and Pod Security levels, its network
 * allowances, its ExternalSecrets, claims and workloads, and how ArgoCD syncs it. Everything else (the
 * Namespace labels, the default-deny trio, ServiceAccounts with no token, the store's namespace list, the
 * Application of its folder, the rule pack, the reviewed artifacts) follows from it.
 */
export interface ServiceSpec {
  /** The namespace the service owns (one service per namespace). */
  readonly namespace: string;
  /**
   * Pod Security levels; a looser level needs its reason.
   * @default - restricted for enforce, audit and warn
   */
  readonly podSecurity?: PodSecurityProps;
  /**
   * Network allowances (tailnet ports, internet egress ports, API server, other namespaces, backends).
   * @default - default-deny with same-namespace traffic and DNS only
   */
  readonly network?: ServiceNetwork;
  /**
   * ExternalSecrets of the service's namespace.
   * @default - none
   */
  readonly secrets?: readonly ServiceSecret[];
  /**
   * PersistentVolumeClaims of the service's namespace.
   * @default - none
   */
  readonly claims?: readonly ServiceClaim[];
  /**
   * Hardened Deployments (each with its own ServiceAccount and, with `service`, a ClusterIP Service; a
   * NodePort only when given explicitly).
   * @default - none
   */
  readonly deployments?: readonly ServiceDeployment[];
  /**
   * How ArgoCD syncs the namespace's folder.
   * @default - its own Application, `dist-<namespace>`
   */
  readonly application?: ServiceApplication;
  /**
   * Builds what the declaration cannot say (e.g. an `AgentRbac`), after everything declared.
   * @default - nothing more
   */
  readonly build?: (context: ServiceContext) => void;
}
