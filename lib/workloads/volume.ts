import { KeyToPath, Quantity, Volume as KubeVolume } from 'cdk8s-plus-28/lib/imports/k8s';
import { RiskLevel } from '../risk-level';

/** An opt-out from the hardened defaults: the written reason (and risk level) are emitted as annotations. */
export interface Exemption {
  /** Why the default cannot hold (at least 20 characters; no TODO). */
  readonly reason: string;
  /**
   * How bad an abuse of the opt-out would be: emitted as `baseline.homelab.dev/severity.<exemption>` and shown
   * in the report's accepted risks.
   * @default - unrated (the risk register says so)
   */
  readonly severity?: RiskLevel;
}

/** The kinds of volume a hardened workload may mount. */
export enum VolumeKind {
  EMPTY_DIR = 'emptyDir',
  PERSISTENT_VOLUME_CLAIM = 'persistentVolumeClaim',
  CONFIG_MAP = 'configMap',
  SECRET = 'secret',
  HOST_PATH = 'hostPath',
  /** A StatefulSet's `volumeClaimTemplates` entry: one claim per pod, not a pod volume. */
  CLAIM_TEMPLATE = 'volumeClaimTemplate',
}

/** Options of {@link Volume.emptyDir}. */
export interface EmptyDirOptions {
  /**
   * The most the volume may hold; the kubelet evicts the pod beyond it.
   * @default - no limit of its own (bounded by the node's ephemeral storage)
   */
  readonly sizeLimit?: string;
  /**
   * `Memory` backs the volume with tmpfs (counted against the memory limit).
   * @default - the node's disk
   */
  readonly medium?: 'Memory';
}

/** Options of {@link Volume.persistentVolumeClaim}. */
export interface PersistentVolumeClaimOptions {
  /**
   * Mount the claim read-only in every container.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of {@link Volume.configMap}. */
export interface ConfigMapVolumeOptions {
  /**
   * Which keys to project and where (`key` → relative `path`).
   * @default - every key, as a file named like the key
   */
  readonly items?: readonly KeyToPath[];
  /**
   * File mode of the projected files.
   * @default 0o444 (read-only for everyone: the files are configuration, not state)
   */
  readonly defaultMode?: number;
}

/** Options of {@link Volume.secret}. */
export interface SecretVolumeOptions {
  /**
   * File mode of the projected files.
   * @default 0o440 (owner and group: with `fsGroup` set, the workload's group reads them, nobody else)
   */
  readonly defaultMode?: number;
}

/** Options of {@link Volume.hostPath}: a host folder is an exemption from Pod Security and needs reasons. */
export interface HostPathOptions extends Exemption {
  /**
   * What must exist on the host, as in `hostPath.type`.
   * @default 'Directory' (the folder must exist: the kubelet never creates an empty root-owned one)
   */
  readonly type?: 'Directory' | 'File';
  /**
   * Allow writable mounts of the host folder. Without it every mount of this volume is read-only.
   * @default - read-only mounts only
   */
  readonly writable?: Exemption;
}

/**
 * A typed pod volume. Factories never throw: the workload that mounts the volume validates it, so the
 * error names its path.
 */
export class Volume {
  /** Scratch space that lives as long as the pod: the way to give a read-only root filesystem writable paths. */
  public static emptyDir(name: string, options: EmptyDirOptions = {}): Volume {
    return new Volume(name, VolumeKind.EMPTY_DIR, {
      emptyDir: {
        medium: options.medium,
        sizeLimit: options.sizeLimit === undefined ? undefined : Quantity.fromString(options.sizeLimit),
      },
    }, false);
  }

  /** An existing PersistentVolumeClaim of the workload's namespace: durable state. */
  public static persistentVolumeClaim(name: string, claimName: string, options: PersistentVolumeClaimOptions = {}): Volume {
    const readOnly = options.readOnly ?? false;
    return new Volume(name, VolumeKind.PERSISTENT_VOLUME_CLAIM, {
      persistentVolumeClaim: { claimName, readOnly: readOnly || undefined },
    }, readOnly);
  }

  /** A ConfigMap of the workload's namespace, always mounted read-only. */
  public static configMap(name: string, configMapName: string, options: ConfigMapVolumeOptions = {}): Volume {
    return new Volume(name, VolumeKind.CONFIG_MAP, {
      configMap: {
        name: configMapName,
        items: options.items?.length ? options.items.map((i) => ({ ...i })) : undefined,
        defaultMode: options.defaultMode ?? 0o444,
      },
    }, true);
  }

  /**
   * A Secret of the workload's namespace as read-only files: for credentials that must stay out of the
   * environment (which every process, crash dump and `/proc/<pid>/environ` reader sees).
   */
  public static secret(name: string, secretName: string, options: SecretVolumeOptions = {}): Volume {
    return new Volume(name, VolumeKind.SECRET, {
      secret: { secretName, defaultMode: options.defaultMode ?? 0o440 },
    }, true);
  }

  /**
   * A folder of the node. Pod Security `baseline` and `restricted` forbid it, so it needs `reason`
   * (annotation `exemption.hostpath`, one per workload: `<volume>: <reason>; ...`); mounts are read-only
   * unless `writable` gives a second reason (annotation `exemption.hostpath-writable`).
   */
  public static hostPath(name: string, path: string, options: HostPathOptions): Volume {
    return new Volume(name, VolumeKind.HOST_PATH, { hostPath: { path, type: options.type ?? 'Directory' } }, true, options);
  }

  /** The claim each pod of a `HardenedStatefulSet` gets from its `volumeClaimTemplates` entry `name`. */
  public static claimTemplate(name: string): Volume {
    return new Volume(name, VolumeKind.CLAIM_TEMPLATE, {}, false);
  }

  private constructor(
    /** The volume name inside the pod. */
    public readonly name: string,
    /** What backs the volume. */
    public readonly kind: VolumeKind,
    /** The rendered source (everything of the pod volume but its name). */
    public readonly source: Omit<KubeVolume, 'name'>,
    /** Whether mounts default to (or, for hostPath and ConfigMaps, are forced to) read-only. */
    public readonly readOnlyByDefault: boolean,
    /** The exemption of a hostPath volume. */
    public readonly hostPath?: HostPathOptions,
  ) {}
}

/** Where a container sees a volume. */
export interface VolumeMount {
  /** The volume. Mounting two different volumes under one name fails. */
  readonly volume: Volume;
  /** The absolute path in the container. */
  readonly mountPath: string;
  /**
   * Mount read-only.
   * @default - true for hostPath, ConfigMap and Secret volumes (they cannot be made writable by accident),
   * false for emptyDir and PersistentVolumeClaim volumes (they exist to be written)
   */
  readonly readOnly?: boolean;
  /**
   * Mount only this path of the volume.
   * @default - the whole volume
   */
  readonly subPath?: string;
}
