import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Container,
  EnvFromSource,
  EnvVar,
  KubeServiceAccount,
  ObjectMeta,
  PodTemplateSpec,
  ResourceRequirements,
  Volume as KubeVolume,
  VolumeMount as KubeVolumeMount,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { encodeEntries, exemptionAnnotation, severityAnnotation } from '../annotations';
import { describeProblem, fail } from '../errors';
import { namespaceName } from '../hardened-namespace';
import { Labels } from '../network/peer';
import { Port, validatePort } from '../network/port';
import { RiskLevel, validateRiskLevel } from '../risk-level';
import { KubeObject } from '../synth/manifest';
import { validateDns1035Label, validateDnsLabel, validateLabels, validateReason } from '../validate';
import { ContainerImage, validateImage } from './container-image';
import { EnvValue } from './env-value';
import { podTemplateProblems } from './pod-template-check';
import { Probe } from './probe';
import { Resources, renderResources } from './resources';
import { IConfigMapEnvSource, ISecretEnvSource, renderSecretEnv, validateEnvName } from './secret-env';
import { Exemption, Volume, VolumeKind, VolumeMount } from './volume';
import { IServiceBackend, WorkloadService, WorkloadServiceOptions } from './workload-service';

/** The label every workload's pods carry: stable, readable, no hash. */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** The labels a workload named `name` selects its pods by (unless `selectorLabels` says otherwise): for NetworkPolicies and Services that target them. */
export function selectorLabelsFor(name: string): Labels {
  return { [NAME_LABEL]: name };
}

/** Where environment variables come from: a Secret (`ExternalSecretBinding`) or a ConfigMap (`LiteralConfigMap`). */
export type EnvFromSourceSpec = ISecretEnvSource | IConfigMapEnvSource;

/** What a container of a hardened workload runs; it gets the workload's hardened securityContext. */
export interface HardenedContainerProps {
  /** The image: `ContainerImage.fromRegistry()` (pinned) or `ContainerImage.localBuild()`. */
  readonly image: ContainerImage;
  /** CPU and memory requests and limits, all four required. */
  readonly resources: Resources;
  /**
   * Volumes and where they are mounted: the only writable paths when the root filesystem is read-only.
   * @default - none
   */
  readonly volumeMounts?: readonly VolumeMount[];
  /**
   * Secrets or ConfigMaps whose keys become environment variables (`envFrom`).
   * @default - none
   */
  readonly envFrom?: readonly EnvFromSourceSpec[];
  /**
   * Environment variables: a literal string, or `EnvValue.fromConfigMapKey()` / `EnvValue.fromSecretKey()`.
   * Never secret values as literals.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string | EnvValue>>;
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
  /**
   * Let the container write its root filesystem (exemption `writable-root-filesystem`, for this container only).
   * @default - read-only root filesystem; writable paths are volumes
   */
  readonly writableRootFilesystem?: Exemption;
}

/** An init container: runs to completion before the workload's container, with the same hardening and its own exemptions. */
export interface InitContainerProps extends HardenedContainerProps {
  /** The container name (unique in the pod). */
  readonly name: string;
}

/** Props every hardened workload shares. Every list prop is sugar over the matching `add*` method. */
export interface HardenedWorkloadProps extends HardenedContainerProps {
  /** The workload name: the object, its container, label `app.kubernetes.io/name` and default ServiceAccount/Service. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** The user id the containers run as (not 0): explicit, so it never depends on the image's USER. */
  readonly runAsUser: number;
  /** The primary group id (not 0). */
  readonly runAsGroup: number;
  /**
   * The group that owns mounted volumes (so a non-root user can write a PersistentVolumeClaim).
   * @default - none: volumes keep their own ownership
   */
  readonly fsGroup?: number;
  /**
   * Named container ports (names: at most 15 lower-case letters, digits or "-").
   * @default - none
   */
  readonly ports?: Readonly<Record<string, Port>>;
  /** @default - no readiness probe */
  readonly readinessProbe?: Probe;
  /** @default - no liveness probe */
  readonly livenessProbe?: Probe;
  /** @default - no startup probe */
  readonly startupProbe?: Probe;
  /**
   * Containers that run to completion, in order, before the workload's container.
   * @default - none
   */
  readonly initContainers?: readonly InitContainerProps[];
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
  /** @default 1 */
  readonly replicas?: number;
  /**
   * Extra labels on every object and the pods (not `app.kubernetes.io/name`, which is the workload name).
   * @default - none
   */
  readonly labels?: Labels;
  /**
   * The selector (`spec.selector.matchLabels`, immutable once applied) and the Service's selector: set it to an
   * existing workload's selector to adopt it. The pods carry these labels and `app.kubernetes.io/name` too.
   * @default - `{ app.kubernetes.io/name: name }`
   */
  readonly selectorLabels?: Labels;
  /**
   * Labels on the pods only (e.g. ones other policies of an existing cluster select).
   * @default - none
   */
  readonly podLabels?: Labels;
  /**
   * A Service in front of the workload (see `addService`).
   * @default - no Service
   */
  readonly service?: WorkloadServiceOptions;
}

/** One container's own state: its rendered fields, mounts and envFrom sources. */
interface ContainerState {
  readonly name: string;
  /** Everything up to `resources`, in the order rendered. */
  readonly base: Container;
  readonly securityContext: Container['securityContext'];
  readonly mounts: KubeVolumeMount[];
  readonly envFrom: EnvFromSource[];
}

/** What the kind-specific subclass gets to build its object from. */
export interface WorkloadParts {
  readonly metadata: ObjectMeta;
  readonly replicas: number;
  readonly selector: { matchLabels: Record<string, string> };
  readonly template: PodTemplateSpec;
}

/**
 * The pod every hardened workload runs, whose defaults pass Pod Security `restricted`: non-root with explicit
 * ids, seccomp RuntimeDefault, no privilege escalation, every capability dropped, read-only root filesystem in
 * every container (init containers included), ServiceAccount token off, requests and limits, pinned images.
 * The opt-outs (hostPath, writable root, unpinned local image) each need a written reason, emitted as
 * `baseline.homelab.dev/exemption.<what>` on the object and its pod template, one `<volume or container>` → reason
 * entry per subject ({@link encodeEntries}). Subclasses ({@link HardenedDeployment}, {@link HardenedStatefulSet}) build the L1 object.
 */
export abstract class HardenedWorkload<T extends ApiObject> extends Construct implements IServiceBackend {
  /** The workload name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** The labels the workload and its Services select its pods by. */
  public readonly selectorLabels: Labels;
  /** The workload object (escape hatch: patches are re-checked at synth). */
  public readonly apiObject: T;

  private readonly exemptionReasons = new Map<string, Map<string, string>>();
  private readonly exemptionSeverities = new Map<string, Map<string, string>>();
  private readonly ports = new Map<string, Port>();
  private readonly volumes = new Map<string, Volume>();
  private readonly main: ContainerState;
  private readonly initContainers: ContainerState[] = [];
  private readonly claimTemplateMounts = new Set<string>();

  protected constructor(scope: Construct, id: string, props: HardenedWorkloadProps, build: (self: Construct, parts: WorkloadParts) => T) {
    super(scope, id);
    this.name = validateDnsLabel(this, 'workload name', props.name);
    this.namespace = namespaceName(this, props.namespace);
    validateLabels(this, 'label', props.labels);
    validateLabels(this, 'selector label', props.selectorLabels);
    validateLabels(this, 'pod label', props.podLabels);
    if (props.labels && NAME_LABEL in props.labels) {
      fail(this, {
        problem: `the ${NAME_LABEL} label is the workload name`,
        value: props.labels[NAME_LABEL],
        allowed: 'any other label',
        fix: 'drop it from `labels`: it is set to the workload name (an existing selector goes in `selectorLabels`)',
      });
    }
    if (props.selectorLabels !== undefined && !Object.keys(props.selectorLabels).length) {
      fail(this, { problem: 'empty selector', value: props.selectorLabels, allowed: 'at least one label', fix: 'drop `selectorLabels` (the default selects by name) or give the existing selector' });
    }
    this.selectorLabels = { ...(props.selectorLabels ?? selectorLabelsFor(this.name)) };
    const objectLabels = { ...props.labels, [NAME_LABEL]: this.name };
    const podLabels: Record<string, string> = { ...objectLabels };
    for (const [key, value] of [...Object.entries(props.podLabels ?? {}), ...Object.entries(this.selectorLabels)]) {
      if (podLabels[key] !== undefined && podLabels[key] !== value) {
        fail(this, {
          problem: 'two values for one pod label',
          value: `${key}: ${podLabels[key]} / ${value}`,
          allowed: 'one value per label across labels, podLabels, selectorLabels and the name label',
          fix: 'make them agree, or drop one of them',
        });
      }
      podLabels[key] = value;
    }

    const runAsUser = this.nonRootId('runAsUser', props.runAsUser);
    const runAsGroup = this.nonRootId('runAsGroup', props.runAsGroup);
    const fsGroup = props.fsGroup === undefined ? undefined : this.nonRootId('fsGroup', props.fsGroup);
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) {
      fail(this, { problem: 'invalid replicas', value: replicas, allowed: 'an integer ≥ 0', fix: 'set replicas: 1' });
    }
    for (const [name, port] of Object.entries(props.ports ?? {})) this.addPort(name, port);
    this.main = this.container(this.name, props);
    for (const init of props.initContainers ?? []) this.addInitContainer(init);
    const probes = {
      readinessProbe: this.renderProbe('readinessProbe', props.readinessProbe),
      livenessProbe: this.renderProbe('livenessProbe', props.livenessProbe),
      startupProbe: this.renderProbe('startupProbe', props.startupProbe),
    };

    if (props.serviceAccountName === undefined) {
      this.serviceAccountName = this.name;
      new KubeServiceAccount(this, 'ServiceAccount', {
        metadata: { name: this.name, namespace: this.namespace, labels: { ...objectLabels } },
        automountServiceAccountToken: false,
      });
    } else {
      this.serviceAccountName = validateDnsLabel(this, 'ServiceAccount name', props.serviceAccountName);
    }

    const render = (c: ContainerState, main?: Partial<Container>): Container => ({
      ...c.base,
      ...main,
      securityContext: c.securityContext,
      ports: main?.ports,
      envFrom: c.envFrom.length ? [...c.envFrom] : undefined,
      volumeMounts: c.mounts.length ? [...c.mounts] : undefined,
    });
    const annotations = () => (this.exemptionReasons.size ? Object.fromEntries(this.exemptionAnnotations()) : undefined);
    this.apiObject = build(this, {
      metadata: { name: this.name, namespace: this.namespace, labels: objectLabels },
      replicas,
      selector: { matchLabels: { ...this.selectorLabels } },
      template: {
        metadata: { labels: podLabels, annotations: Lazy.any({ produce: annotations }) },
        spec: {
          serviceAccountName: this.serviceAccountName,
          automountServiceAccountToken: props.automountServiceAccountToken ?? false,
          securityContext: { runAsNonRoot: true, runAsUser, runAsGroup, fsGroup, seccompProfile: { type: 'RuntimeDefault' } },
          initContainers: Lazy.any({ produce: () => (this.initContainers.length ? this.initContainers.map((c) => render(c)) : undefined) }),
          containers: [
            Lazy.any({
              produce: (): Container => render(this.main, {
                ...probes,
                ports: this.ports.size
                  ? [...this.ports].map(([name, p]) => ({ name, containerPort: p.port, protocol: p.protocol }))
                  : undefined,
              }),
            }),
          ],
          volumes: Lazy.any({
            produce: (): KubeVolume[] | undefined =>
              this.volumes.size ? [...this.volumes.values()].map((v) => ({ name: v.name, ...v.source })) : undefined,
          }),
        },
      },
    });
    for (const [key, reason] of this.exemptionAnnotations()) this.apiObject.metadata.addAnnotation(key, reason);
    // Re-check what is really rendered, so an escape-hatch patch cannot weaken the pod unnoticed.
    this.node.addValidation({
      validate: () => [
        ...podTemplateProblems(this.apiObject.toJson() as KubeObject).map(describeProblem),
        ...this.undeclaredClaimTemplates(),
      ],
    });
    if (props.service) this.addService(props.service);
  }

  /** The exemptions of this workload (annotation key → reason), as emitted on the object and pod template. */
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

  /** Adds an init container (run in order, before the workload's container), hardened like it. */
  public addInitContainer(props: InitContainerProps): void {
    const name = validateDnsLabel(this, 'init container name', props.name);
    if (name === this.name || this.initContainers.some((c) => c.name === name)) {
      fail(this, { problem: 'container name used twice', value: name, allowed: `a name other than "${this.name}" and the other init containers'`, fix: 'rename the init container' });
    }
    this.initContainers.push(this.container(name, props));
  }

  /**
   * Mounts a volume into the workload's container (or the init container `containerName`). hostPath volumes
   * need their reason (and a second one to be writable); ConfigMaps and read-only claims cannot be mounted
   * writable; mount paths are absolute and unique per container.
   */
  public addVolumeMount(mount: VolumeMount, containerName: string = this.name): void {
    this.mount(this.containerNamed(containerName), mount);
  }

  /** Adds a Secret or ConfigMap whose keys become environment variables of the workload's container (or the init container `containerName`). */
  public addEnvFrom(source: EnvFromSourceSpec, containerName: string = this.name): void {
    const c = this.containerNamed(containerName);
    const rendered = renderSecretEnv(this, source);
    const same = (e: EnvFromSource) => JSON.stringify(e) === JSON.stringify(rendered);
    if (c.envFrom.some(same)) {
      fail(this, { problem: 'envFrom source added twice', value: rendered, allowed: 'each Secret and ConfigMap once per container', fix: 'remove the second addEnvFrom()' });
    }
    c.envFrom.push(rendered);
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

  /** The volumeClaimTemplates of the workload that containers may mount (`Volume.claimTemplate()`): none but a StatefulSet's. */
  protected claimTemplateNames(): readonly string[] {
    return [];
  }

  private undeclaredClaimTemplates(): string[] {
    const declared = this.claimTemplateNames();
    return [...this.claimTemplateMounts].filter((n) => !declared.includes(n)).map((n) => describeProblem({
      problem: `mount of claim template "${n}" that the workload does not declare`,
      value: n,
      allowed: declared.length ? `one of its volumeClaimTemplates: ${declared.join(', ')}` : 'claim templates only in a HardenedStatefulSet',
      fix: 'declare it in volumeClaimTemplates, or mount a PersistentVolumeClaim with Volume.persistentVolumeClaim()',
    }));
  }

  /** Validates one container's props and renders its hardened fields; mounts and envFrom go through the add methods. */
  private container(name: string, props: HardenedContainerProps): ContainerState {
    const resources: ResourceRequirements = renderResources(this, props.resources);
    const imageReason = validateImage(this, props.image);
    // Container exemptions name the container (`<container>: <reason>`), so a sidecar added later is not covered.
    if (imageReason) this.exempt('unpinned-image', imageReason, name, props.image.severity);
    if (props.writableRootFilesystem) {
      this.exempt('writable-root-filesystem', validateReason(this, name === this.name ? 'writable root filesystem' : `writable root filesystem of init container "${name}"`, props.writableRootFilesystem.reason), name, props.writableRootFilesystem.severity);
    }
    const env: EnvVar[] = Object.entries(props.env ?? {}).map(([key, value]) => {
      validateEnvName(this, 'environment variable name', key);
      return typeof value === 'string' ? { name: key, value } : value.render(this, key);
    });
    const state: ContainerState = {
      name,
      base: {
        name,
        image: props.image.reference,
        imagePullPolicy: props.image.pullPolicy,
        command: props.command?.length ? [...props.command] : undefined,
        args: props.args?.length ? [...props.args] : undefined,
        env: env.length ? env : undefined,
        resources,
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: !props.writableRootFilesystem,
      },
      mounts: [],
      envFrom: [],
    };
    for (const m of props.volumeMounts ?? []) this.mount(state, m);
    for (const s of props.envFrom ?? []) {
      const rendered = renderSecretEnv(this, s);
      if (state.envFrom.some((e) => JSON.stringify(e) === JSON.stringify(rendered))) {
        fail(this, { problem: 'envFrom source added twice', value: rendered, allowed: 'each Secret and ConfigMap once per container', fix: 'remove the duplicate from `envFrom`' });
      }
      state.envFrom.push(rendered);
    }
    return state;
  }

  private containerNamed(name: string): ContainerState {
    const c = name === this.name ? this.main : this.initContainers.find((i) => i.name === name);
    if (!c) {
      fail(this, {
        problem: 'no such container',
        value: name,
        allowed: [this.name, ...this.initContainers.map((i) => i.name)].join(', '),
        fix: 'name the workload or one of its init containers',
      });
    }
    return c;
  }

  private mount(container: ContainerState, mount: VolumeMount): void {
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
    if (container.mounts.some((m) => m.mountPath === path)) {
      fail(this, { problem: 'mount path used twice', value: path, allowed: 'each path once per container', fix: 'remove one of the mounts' });
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
      this.exempt('hostpath-writable', validateReason(this, `writable hostPath mount of "${v.name}"`, v.hostPath?.writable?.reason), v.name, v.hostPath?.writable?.severity);
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
      this.exempt('hostpath', validateReason(this, `hostPath volume "${v.name}"`, v.hostPath?.reason), v.name, v.hostPath?.severity);
    }
    // A claim template's volume is the StatefulSet's, not the pod's.
    if (v.kind === VolumeKind.CLAIM_TEMPLATE) this.claimTemplateMounts.add(v.name);
    else this.volumes.set(v.name, v);
    container.mounts.push({ name: v.name, mountPath: path, readOnly: readOnly || undefined, subPath: mount.subPath });
  }

  /**
   * Records the exemption of one subject (a volume or a container): the subjects of one kind share one
   * annotation, a JSON object subject → reason ({@link encodeEntries}), which the synth check and the rule pack
   * read per subject; no reason text can split into a second entry.
   */
  private exempt(what: string, reason: string, subject: string, severity?: RiskLevel): void {
    const entries = this.exemptionReasons.get(what) ?? new Map<string, string>();
    const had = entries.get(subject);
    if (had === reason) return; // a second writable mount of the same volume
    entries.set(subject, had === undefined ? reason : `${had} ${reason}`);
    this.exemptionReasons.set(what, entries);
    if (severity !== undefined) {
      const level = validateRiskLevel(this, `exemption ${what} of "${subject}"`, severity);
      const levels = this.exemptionSeverities.get(what) ?? new Map<string, string>();
      levels.set(subject, level);
      this.exemptionSeverities.set(what, levels);
    }
    // Before the object exists the constructor copies them all; later ones (add methods) go on directly.
    for (const [key, value] of this.exemptionAnnotations(what)) this.apiObject?.metadata.addAnnotation(key, value);
  }

  /** The reason annotations (and, where given, severity annotations) of every exemption, or of `only`. */
  private exemptionAnnotations(only?: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [what, entries] of this.exemptionReasons) {
      if (only !== undefined && what !== only) continue;
      out.set(exemptionAnnotation(what), encodeEntries(entries));
      const levels = this.exemptionSeverities.get(what);
      if (levels) out.set(severityAnnotation(what), encodeEntries(levels));
    }
    return out;
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
    if (probe.port === undefined) {
      const command = probe.render().exec?.command ?? [];
      if (!command.length || command.some((a) => typeof a !== 'string' || !a)) {
        fail(this, { problem: `${kind} runs an empty command`, value: command, allowed: 'a command with at least one non-empty word', fix: 'pass the command, e.g. ["/app/healthcheck"]' });
      }
      return probe.render();
    }
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
