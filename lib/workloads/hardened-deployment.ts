import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Container,
  EnvFromSource,
  KubeDeployment,
  KubeServiceAccount,
  Volume as KubeVolume,
  VolumeMount as KubeVolumeMount,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { encodeEntries, exemptionAnnotation } from '../annotations';
import { describeProblem, fail } from '../errors';
import { namespaceName } from '../hardened-namespace';
import { Labels } from '../network/peer';
import { Port, validatePort } from '../network/port';
import { KubeObject } from '../synth/manifest';
import { validateDns1035Label, validateDnsLabel, validateLabels, validateReason } from '../validate';
import { ContainerImage, validateImage } from './container-image';
import { podTemplateProblems } from './pod-template-check';
import { Probe } from './probe';
import { Resources, renderResources } from './resources';
import { ISecretEnvSource, renderSecretEnv, validateEnvName } from './secret-env';
import { Exemption, Volume, VolumeKind, VolumeMount } from './volume';
import { IServiceBackend, WorkloadService, WorkloadServiceOptions } from './workload-service';

/** The label every workload's pods carry and are selected by: stable, readable, no hash. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** The labels a {@link HardenedDeployment} named `name` selects its pods by: for NetworkPolicies and Services that target them. */
export function selectorLabelsFor(name: string): Labels {
  return { [NAME_LABEL]: name };
}

/** How a Deployment replaces its pods, as in `strategy.type`. */
export enum DeploymentStrategy {
  /** New pods first, then old ones go: no downtime. */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Old pods go first: for workloads that must never run twice (a single writer of a volume). */
  RECREATE = 'Recreate',
}

/** Props of {@link HardenedDeployment}. Every list prop is sugar over the matching `add*` method. */
export interface HardenedDeploymentProps {
  /** The workload name: Deployment, container, label `app.kubernetes.io/name` and default ServiceAccount/Service. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** The image: `ContainerImage.fromRegistry()` (pinned) or `ContainerImage.localBuild()`. */
  readonly image: ContainerImage;
  /** The user id the container runs as (not 0): explicit, so it never depends on the image's USER. */
  readonly runAsUser: number;
  /** The primary group id (not 0). */
  readonly runAsGroup: number;
  /**
   * The group that owns mounted volumes (so a non-root user can write a PersistentVolumeClaim).
   * @default - none: volumes keep their own ownership
   */
  readonly fsGroup?: number;
  /** CPU and memory requests and limits, all four required. */
  readonly resources: Resources;
  /**
   * Named container ports (names: at most 15 lower-case letters, digits or "-").
   * @default - none
   */
  readonly ports?: Readonly<Record<string, Port>>;
  /**
   * Volumes and where they are mounted: the only writable paths when the root filesystem is read-only.
   * @default - none
   */
  readonly volumeMounts?: readonly VolumeMount[];
  /**
   * Secrets whose keys become environment variables (`envFrom`).
   * @default - none
   */
  readonly envFrom?: readonly ISecretEnvSource[];
  /**
   * Plain environment variables. Never secret values: those come from `envFrom`.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: readonly string[];
  /**
   * The arguments.
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /** @default - no readiness probe */
  readonly readinessProbe?: Probe;
  /** @default - no liveness probe */
  readonly livenessProbe?: Probe;
  /** @default - no startup probe */
  readonly startupProbe?: Probe;
  /**
   * An existing ServiceAccount to run as (e.g. one made by `AgentRbac`); none is created then.
   * @default - a dedicated ServiceAccount named like the workload, with `automountServiceAccountToken: false`
   */
  readonly serviceAccountName?: string;
  /**
   * Mount the ServiceAccount token into the pod. Only a workload that calls the Kubernetes API needs it.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Let the container write its root filesystem (exemption `writable-root-filesystem`).
   * @default - read-only root filesystem; writable paths are volumes
   */
  readonly writableRootFilesystem?: Exemption;
  /** @default 1 */
  readonly replicas?: number;
  /** @default DeploymentStrategy.ROLLING_UPDATE */
  readonly strategy?: DeploymentStrategy;
  /**
   * Extra labels on every object and the pods (not `app.kubernetes.io/name`, which is the workload name).
   * @default - none
   */
  readonly labels?: Labels;
  /**
   * A Service in front of the workload (see {@link addService}).
   * @default - no Service
   */
  readonly service?: WorkloadServiceOptions;
}

/**
 * A Deployment whose defaults pass Pod Security `restricted`: non-root with explicit ids, seccomp
 * RuntimeDefault, no privilege escalation, every capability dropped, read-only root filesystem, ServiceAccount
 * token off, requests and limits, a pinned image. The three opt-outs (hostPath, writable root, unpinned local
 * image) each need a written reason, emitted as `baseline.homelab.dev/exemption.<what>` on the Deployment and its
 * pod template, one `<volume or container>: <reason>` entry per subject. Built on the L1 `KubeDeployment`:
 * stable names and labels, no hash suffixes.
 */
export class HardenedDeployment extends Construct implements IServiceBackend {
  /** The workload name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** The labels the pods carry; the selector is `{ app.kubernetes.io/name: name }`. */
  public readonly selectorLabels: Labels;
  /** The Deployment object (escape hatch: patches are re-checked at synth). */
  public readonly apiObject: KubeDeployment;

  private readonly labels: Record<string, string>;
  private readonly exemptionReasons = new Map<string, Map<string, string>>();
  private readonly ports = new Map<string, Port>();
  private readonly volumes = new Map<string, Volume>();
  private readonly mounts: KubeVolumeMount[] = [];
  private readonly envFrom: EnvFromSource[] = [];

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    this.name = validateDnsLabel(this, 'workload name', props.name);
    this.namespace = namespaceName(this, props.namespace);
    validateLabels(this, 'label', props.labels);
    for (const key of Object.keys(props.labels ?? {})) {
      if (key === NAME_LABEL) {
        fail(this, {
          problem: `the ${NAME_LABEL} label is the workload name`,
          value: props.labels![key],
          allowed: 'any other label',
          fix: 'drop it from `labels`: it is set to the workload name and used as the selector',
        });
      }
    }
    this.selectorLabels = selectorLabelsFor(this.name);
    this.labels = { ...props.labels, ...this.selectorLabels };

    const runAsUser = this.nonRootId('runAsUser', props.runAsUser);
    const runAsGroup = this.nonRootId('runAsGroup', props.runAsGroup);
    const fsGroup = props.fsGroup === undefined ? undefined : this.nonRootId('fsGroup', props.fsGroup);
    const resources = renderResources(this, props.resources);
    const imageReason = validateImage(this, props.image);
    // Container exemptions name the container (`<container>: <reason>`), so a sidecar added later is not covered.
    if (imageReason) this.exempt('unpinned-image', imageReason, this.name);
    if (props.writableRootFilesystem) {
      this.exempt('writable-root-filesystem', validateReason(this, 'writable root filesystem', props.writableRootFilesystem.reason), this.name);
    }
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) {
      fail(this, { problem: 'invalid replicas', value: replicas, allowed: 'an integer ≥ 0', fix: 'set replicas: 1' });
    }
    const env = Object.entries(props.env ?? {}).map(([name, value]) => ({ name: validateEnvName(this, 'environment variable name', name), value }));

    for (const [name, port] of Object.entries(props.ports ?? {})) this.addPort(name, port);
    for (const m of props.volumeMounts ?? []) this.addVolumeMount(m);
    for (const s of props.envFrom ?? []) this.addEnvFrom(s);
    const probes = {
      readinessProbe: this.renderProbe('readinessProbe', props.readinessProbe),
      livenessProbe: this.renderProbe('livenessProbe', props.livenessProbe),
      startupProbe: this.renderProbe('startupProbe', props.startupProbe),
    };

    if (props.serviceAccountName === undefined) {
      this.serviceAccountName = this.name;
      new KubeServiceAccount(this, 'ServiceAccount', {
        metadata: { name: this.name, namespace: this.namespace, labels: { ...this.labels } },
        automountServiceAccountToken: false,
      });
    } else {
      this.serviceAccountName = validateDnsLabel(this, 'ServiceAccount name', props.serviceAccountName);
    }

    const container: Container = {
      name: this.name,
      image: props.image.reference,
      imagePullPolicy: props.image.pullPolicy,
      command: props.command?.length ? [...props.command] : undefined,
      args: props.args?.length ? [...props.args] : undefined,
      env: env.length ? env : undefined,
      resources,
      ...probes,
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: !props.writableRootFilesystem,
      },
    };
    const annotations = () => (this.exemptionReasons.size ? Object.fromEntries(this.exemptions) : undefined);
    this.apiObject = new KubeDeployment(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.labels } },
      spec: {
        replicas,
        selector: { matchLabels: { ...this.selectorLabels } },
        strategy: { type: props.strategy ?? DeploymentStrategy.ROLLING_UPDATE },
        template: {
          metadata: { labels: { ...this.labels }, annotations: Lazy.any({ produce: annotations }) },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: props.automountServiceAccountToken ?? false,
            securityContext: { runAsNonRoot: true, runAsUser, runAsGroup, fsGroup, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              Lazy.any({
                produce: (): Container => ({
                  ...container,
                  ports: this.ports.size
                    ? [...this.ports].map(([name, p]) => ({ name, containerPort: p.port, protocol: p.protocol }))
                    : undefined,
                  envFrom: this.envFrom.length ? [...this.envFrom] : undefined,
                  volumeMounts: this.mounts.length ? [...this.mounts] : undefined,
                }),
              }),
            ],
            volumes: Lazy.any({
              produce: (): KubeVolume[] | undefined =>
                this.volumes.size ? [...this.volumes.values()].map((v) => ({ name: v.name, ...v.source })) : undefined,
            }),
          },
        },
      },
    });
    for (const [key, reason] of this.exemptions) this.apiObject.metadata.addAnnotation(key, reason);
    // Re-check what is really rendered, so an escape-hatch patch cannot weaken the pod unnoticed.
    this.node.addValidation({
      validate: () =>
        podTemplateProblems(this.apiObject.toJson() as KubeObject).map(describeProblem),
    });
    if (props.service) this.addService(props.service);
  }

  /** The exemptions of this workload (annotation key → reason), as emitted on the Deployment and pod template. */
  public get exemptions(): ReadonlyMap<string, string> {
    return new Map([...this.exemptionReasons].map(([what, entries]) => [exemptionAnnotation(what), encodeEntries(entries)]));
  }

  /** The container port called `name`, or undefined. */
  public containerPort(name: string): Port | undefined {
    return this.ports.get(name);
  }

  /** Declares a named container port. */
  public addPort(name: string, port: Port): void {
    if (typeof name !== 'string' || name.length > 15 || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) || !/[a-z]/.test(name)) {
      fail(this, {
        problem: 'invalid container port name',
        value: name,
        allowed: 'an IANA service name: 1-15 lower-case letters, digits or single "-", with at least one letter',
        fix: 'use a short name such as "http" or "gateway"',
      });
    }
    validatePort(this, port);
    const clash = [...this.ports].find(([n, p]) => n === name || (p.port === port.port && p.protocol === port.protocol));
    if (clash) {
      fail(this, {
        problem: 'container port declared twice',
        value: `${name} ${port}`,
        allowed: 'each name and each protocol/port once',
        fix: `remove it: "${clash[0]}" already declares ${clash[1]}`,
      });
    }
    this.ports.set(name, port);
  }

  /**
   * Mounts a volume. hostPath volumes need their reason (and a second one to be writable); ConfigMaps and
   * read-only claims cannot be mounted writable; mount paths are absolute and unique.
   */
  public addVolumeMount(mount: VolumeMount): void {
    const v = mount.volume;
    validateDnsLabel(this, 'volume name', v?.name);
    const existing = this.volumes.get(v.name);
    if (existing && existing !== v && JSON.stringify([existing.kind, existing.source]) !== JSON.stringify([v.kind, v.source])) {
      fail(this, {
        problem: 'two different volumes share a name',
        value: v.name,
        allowed: 'one definition per volume name',
        fix: 'rename one of them, or mount the same Volume object',
      });
    }
    const path = mount.mountPath;
    if (typeof path !== 'string' || !path.startsWith('/') || path === '/' || path.split('/').includes('..') || path.includes(':')) {
      fail(this, {
        problem: 'invalid mount path',
        value: path,
        allowed: 'an absolute path below "/" without ".." or ":"',
        fix: 'mount at the folder the process writes or reads, e.g. "/tmp"',
      });
    }
    if (this.mounts.some((m) => m.mountPath === path)) {
      fail(this, { problem: 'mount path used twice', value: path, allowed: 'each path once', fix: 'remove one of the mounts' });
    }
    if (mount.subPath !== undefined && (mount.subPath.startsWith('/') || mount.subPath.split('/').includes('..'))) {
      fail(this, { problem: 'invalid subPath', value: mount.subPath, allowed: 'a relative path without ".."', fix: 'name a path inside the volume' });
    }
    const readOnly = mount.readOnly ?? v.readOnlyByDefault;
    if (!readOnly && v.readOnlyByDefault) {
      if (v.kind !== VolumeKind.HOST_PATH) {
        fail(this, {
          problem: `${v.kind} volume "${v.name}" mounted writable`,
          value: path,
          allowed: 'read-only mounts of ConfigMaps, Secrets and read-only claims',
          fix: 'drop readOnly: false; write to an emptyDir or a PersistentVolumeClaim instead',
        });
      }
      this.exempt('hostpath-writable', validateReason(this, `writable hostPath mount of "${v.name}"`, v.hostPath?.writable?.reason), v.name);
    }
    if (v.kind === VolumeKind.HOST_PATH && !existing) {
      const hostPath = v.source.hostPath?.path;
      if (typeof hostPath !== 'string' || !hostPath.startsWith('/') || hostPath.split('/').includes('..')) {
        fail(this, {
          problem: `invalid hostPath path of volume "${v.name}"`,
          value: hostPath,
          allowed: 'an absolute path on the node without ".." (the API server refuses "..")',
          fix: 'write the folder\'s real absolute path, e.g. "/srv/docs"',
        });
      }
      this.exempt('hostpath', validateReason(this, `hostPath volume "${v.name}"`, v.hostPath?.reason), v.name);
    }
    this.volumes.set(v.name, v);
    this.mounts.push({ name: v.name, mountPath: path, readOnly: readOnly || undefined, subPath: mount.subPath });
  }

  /** Adds a Secret whose keys become environment variables. */
  public addEnvFrom(source: ISecretEnvSource): void {
    const rendered = renderSecretEnv(this, source);
    if (this.envFrom.some((e) => e.secretRef?.name === source.secretName)) {
      fail(this, { problem: 'Secret added twice', value: source.secretName, allowed: 'each Secret once', fix: 'remove the second addEnvFrom()' });
    }
    this.envFrom.push(rendered);
  }

  /** Puts a Service in front of the workload (ClusterIP unless told otherwise; NodePort needs an explicit nodePort). */
  public addService(options: WorkloadServiceOptions): WorkloadService {
    // Service names are DNS-1035 labels, stricter than the workload name the Service is named after by default.
    if (options.name === undefined) {
      validateDns1035Label(this, 'Service name (the workload name)', this.name, 'pass the Service `name` (starting with a letter), or rename the workload');
    }
    const name = options.name ?? this.name;
    return new WorkloadService(this, `Service-${name}`, { ...options, name, backend: this });
  }

  /**
   * Records the exemption of one subject (a volume or the container): the subjects of one kind share one
   * annotation, a JSON object subject → reason ({@link encodeEntries}), which the synth check and the rule pack
   * read per subject.
   */
  private exempt(what: string, reason: string, subject: string): void {
    const entries = this.exemptionReasons.get(what) ?? new Map<string, string>();
    const had = entries.get(subject);
    if (had === reason) return; // a second writable mount of the same volume
    entries.set(subject, had === undefined ? reason : `${had} ${reason}`);
    this.exemptionReasons.set(what, entries);
    // Before the Deployment exists the constructor copies them all; later ones (add methods) go on directly.
    this.apiObject?.metadata.addAnnotation(exemptionAnnotation(what), encodeEntries(entries));
  }

  private nonRootId(field: string, id: number): number {
    if (!Number.isInteger(id) || id < 1 || id > 2147483647) {
      fail(this, {
        problem: `${field} must be a non-root id`,
        value: id,
        allowed: 'an integer from 1 to 2147483647 (0 is root)',
        fix: `set ${field} to the image's unprivileged user or group, e.g. 1000 or 65532`,
      });
    }
    return id;
  }

  private renderProbe(kind: string, probe: Probe | undefined) {
    if (!probe) return undefined;
    const port = this.ports.get(probe.port);
    if (!port || port.protocol !== 'TCP') {
      fail(this, {
        problem: `${kind} targets a port the container does not declare over TCP`,
        value: probe.port,
        allowed: `one of: ${[...this.ports.keys()].join(', ') || '(no ports declared)'}`,
        fix: 'declare the port in `ports` or probe a declared one',
      });
    }
    return probe.render(port.port);
  }
}
