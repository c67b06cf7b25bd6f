/** Generators of valid HardenedDeployment props: images, ids, resources, ports, volumes, env, probes, Services. */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import type * as Lib from '../../../lib';
import type { LibModule } from './network';
import { PortSpec, dnsLabel, labels, port, reason } from './primitives';

export type ImageSpec =
  | { readonly kind: 'registry'; readonly reference: string }
  | { readonly kind: 'local'; readonly reference: string; readonly reason?: string };

export type VolumeSpec =
  | { readonly kind: 'emptyDir'; readonly name: string; readonly sizeLimit?: string; readonly medium?: 'Memory' }
  | { readonly kind: 'persistentVolumeClaim'; readonly name: string; readonly claimName: string; readonly readOnly?: boolean }
  | { readonly kind: 'configMap'; readonly name: string; readonly configMapName: string }
  | { readonly kind: 'secret'; readonly name: string; readonly secretName: string }
  | { readonly kind: 'hostPath'; readonly name: string; readonly path: string; readonly reason: string; readonly writable?: string };

export interface MountSpec {
  readonly volume: VolumeSpec;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

export interface ServiceSpec {
  readonly type: 'ClusterIP' | 'NodePort';
  /** Indexes into the workload's ports (modulo), the Service's own port if not the container's, and for NodePort the node ports. */
  readonly ports: readonly { readonly target: number; readonly port?: number; readonly nodePort: number }[];
}

export interface WorkloadSpec {
  /** Index into the homelab's namespaces (modulo their number). */
  readonly ns: number;
  readonly name: string;
  readonly image: ImageSpec;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly fsGroup?: number;
  readonly resources: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
  readonly ports: readonly { readonly name: string; readonly port: PortSpec }[];
  readonly mounts: readonly MountSpec[];
  readonly env: Readonly<Record<string, string>>;
  readonly envFrom: readonly { readonly secretName: string; readonly keys: readonly string[] }[];
  readonly probe?: { readonly kind: 'readinessProbe' | 'livenessProbe' | 'startupProbe'; readonly http: boolean };
  readonly replicas?: number;
  readonly strategy?: 'RollingUpdate' | 'Recreate';
  readonly automount?: boolean;
  readonly writableRoot?: string;
  readonly service?: ServiceSpec;
  readonly labels?: Readonly<Record<string, string>>;
}

// ----------------------------------------------------------------------------------------------------------
// Generators
// ----------------------------------------------------------------------------------------------------------

const segment = fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*$/).filter((s) => s.length <= 20);
const tag = fc.stringMatching(/^[\w][\w.-]{0,20}$/).filter((t) => t !== 'latest');
const digest = fc.stringMatching(/^[a-f0-9]{64}$/);
const repository = fc
  .tuple(fc.option(fc.constantFrom('ghcr.io', 'quay.io', 'registry.example:5000', 'localhost:5000'), { nil: undefined }), fc.array(segment, { minLength: 1, maxLength: 3 }))
  .map(([registry, path]) => [registry, ...path].filter(Boolean).join('/'));

/** A pinned registry image (tag other than latest, or digest), or a local build (unpinned ones with a reason). */
const image: fc.Arbitrary<ImageSpec> = fc.oneof(
  fc.tuple(repository, tag).map(([r, t]): ImageSpec => ({ kind: 'registry', reference: `${r}:${t}` })),
  fc.tuple(repository, fc.option(tag, { nil: undefined }), digest).map(([r, t, d]): ImageSpec => ({ kind: 'registry', reference: `${r}${t ? `:${t}` : ''}@sha256:${d}` })),
  fc.tuple(repository, tag).map(([r, t]): ImageSpec => ({ kind: 'local', reference: `${r}:${t}` })),
  fc.tuple(repository, fc.constantFrom('', ':latest'), reason).map(([r, t, why]): ImageSpec => ({ kind: 'local', reference: `${r}${t}`, reason: why })),
);

const id = fc.oneof(fc.integer({ min: 1, max: 2147483647 }), fc.constantFrom(1, 101, 1000, 65532, 2147483647));

/** Requests and limits, each limit at least its request, in the spellings Kubernetes accepts. */
const resources = fc
  .record({ cpu: fc.integer({ min: 1, max: 4000 }), cpuExtra: fc.nat(4000), memory: fc.integer({ min: 1, max: 8192 }), memoryExtra: fc.nat(8192), cores: fc.boolean(), gi: fc.boolean() })
  .map(({ cpu, cpuExtra, memory, memoryExtra, cores, gi }) => {
    const cpuLimit = cpu + cpuExtra;
    const memoryLimit = memory + memoryExtra;
    return {
      requests: { cpu: `${cpu}m`, memory: `${memory}Mi` },
      limits: {
        cpu: cores ? `${Math.ceil(cpuLimit / 1000)}` : `${cpuLimit}m`,
        memory: gi ? `${Math.ceil(memoryLimit / 1024)}Gi` : `${memoryLimit}Mi`,
      },
    };
  });

/** An IANA service name: ≤ 15 lower-case letters, digits or single "-", with a letter. */
const portName = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/).filter((n) => n.length <= 15 && /[a-z]/.test(n));

const containerPorts = fc
  .uniqueArray(fc.record({ name: portName, port }), { maxLength: 3, selector: (p) => p.name })
  .filter((list) => new Set(list.map((p) => `${p.port.protocol}/${p.port.port}`)).size === list.length);

const absolutePath = fc.array(fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,12}$/), { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);

const volume: fc.Arbitrary<VolumeSpec> = fc.oneof(
  fc.record(
    { kind: fc.constant('emptyDir' as const), name: dnsLabel({ maxLength: 20 }), sizeLimit: fc.integer({ min: 1, max: 4096 }).map((n) => `${n}Mi`), medium: fc.constant('Memory' as const) },
    { requiredKeys: ['kind', 'name'] },
  ),
  fc.record(
    { kind: fc.constant('persistentVolumeClaim' as const), name: dnsLabel({ maxLength: 20 }), claimName: dnsLabel({ maxLength: 30 }), readOnly: fc.boolean() },
    { requiredKeys: ['kind', 'name', 'claimName'] },
  ),
  fc.record({ kind: fc.constant('configMap' as const), name: dnsLabel({ maxLength: 20 }), configMapName: dnsLabel({ maxLength: 30 }) }),
  fc.record({ kind: fc.constant('secret' as const), name: dnsLabel({ maxLength: 20 }), secretName: dnsLabel({ maxLength: 30 }) }),
  fc.record(
    { kind: fc.constant('hostPath' as const), name: dnsLabel({ maxLength: 20 }), path: absolutePath, reason, writable: reason },
    { requiredKeys: ['kind', 'name', 'path', 'reason'] },
  ),
);

/** Mounts of distinct volumes at distinct paths; a writable mount only where the volume allows one. */
const mounts: fc.Arbitrary<MountSpec[]> = fc
  .uniqueArray(fc.record({ volume, mountPath: absolutePath, readOnly: fc.option(fc.boolean(), { nil: undefined }) }), {
    maxLength: 3,
    selector: (m) => m.volume.name,
  })
  .filter((list) => new Set(list.map((m) => m.mountPath)).size === list.length)
  .map((list) =>
    list.map((m) => {
      const forcedReadOnly = m.volume.kind === 'configMap' || m.volume.kind === 'secret' ||
        (m.volume.kind === 'persistentVolumeClaim' && m.volume.readOnly) || (m.volume.kind === 'hostPath' && !m.volume.writable);
      return forcedReadOnly && m.readOnly === false ? { ...m, readOnly: undefined } : m;
    }),
  );

// Without ".", ".." and "..x": the API server refuses them, and so does the library (invalid-apps.ts).
const envName = fc.stringMatching(/^[-._a-zA-Z][-._a-zA-Z0-9]{0,30}$/).filter((n) => n !== '.' && !n.startsWith('..'));
/** Keys of a Secret injected whole with envFrom: upper-case variable names (other Secret keys are read one by one). */
const secretEnvKey = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,30}$/);

/**
 * Workloads with distinct names; no name starts with `agent-` (the agents' ServiceAccounts). Names start
 * with a letter when the workload has a Service named after it: Service names are DNS-1035 labels (the
 * library refuses others, invalid-apps.ts).
 */
export const workloads: fc.Arbitrary<WorkloadSpec[]> = fc.uniqueArray(
  fc
    .record(
      {
        ns: fc.nat(),
        name: dnsLabel({ maxLength: 40 }).filter((n) => !n.startsWith('agent-')),
        image,
        runAsUser: id,
        runAsGroup: id,
        fsGroup: id,
        resources,
        ports: containerPorts,
        mounts,
        env: fc.dictionary(envName, fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), { maxKeys: 3, noNullPrototype: true }),
        envFrom: fc.uniqueArray(
          // Not `es-*`: those are the ExternalSecretBindings, added to the workloads of their namespace.
          fc.record({ secretName: dnsLabel({ maxLength: 30 }).filter((n) => !n.startsWith('es-')), keys: fc.uniqueArray(secretEnvKey, { minLength: 1, maxLength: 3 }) }),
          { maxLength: 2, selector: (s) => s.secretName },
        ),
        probe: fc.record({ kind: fc.constantFrom('readinessProbe' as const, 'livenessProbe' as const, 'startupProbe' as const), http: fc.boolean() }),
        replicas: fc.integer({ min: 0, max: 5 }),
        strategy: fc.constantFrom('RollingUpdate' as const, 'Recreate' as const),
        automount: fc.boolean(),
        writableRoot: reason,
        labels: labels({ maxKeys: 2, forbiddenPrefixes: ['app.kubernetes.io/name'] }),
        service: fc.record({
          type: fc.constantFrom('ClusterIP' as const, 'NodePort' as const),
          // 30789 is OpenClaw's, allocated on the cluster suite's API server by dist/.
          ports: fc.uniqueArray(
            fc.record(
              { target: fc.nat(), port: fc.integer({ min: 1, max: 65535 }), nodePort: fc.integer({ min: 30000, max: 32767 }).filter((p) => p !== 30789) },
              { requiredKeys: ['target', 'nodePort'] },
            ),
            { minLength: 1, maxLength: 2, selector: (p) => p.nodePort },
          ),
        }),
      },
      { requiredKeys: ['ns', 'name', 'image', 'runAsUser', 'runAsGroup', 'resources', 'ports', 'mounts', 'env', 'envFrom'] },
    )
    .filter((w) => !w.service || /^[a-z]/.test(w.name))
    // A Service exposes each protocol/port once (the library refuses a duplicate, invalid-apps.ts).
    .filter((w) => {
      const exposed = servicePorts(w).map((p) => `${p.target.port.protocol}/${p.port ?? p.target.port.port}`);
      return new Set(exposed).size === exposed.length;
    }),
  { maxLength: 2, selector: (w) => w.name },
);

// ----------------------------------------------------------------------------------------------------------
// Builder
// ----------------------------------------------------------------------------------------------------------

/** The ports of the workload's Service: the first entry for each container port it targets. */
function servicePorts(spec: Pick<WorkloadSpec, 'ports' | 'service'>) {
  const n = spec.ports.length;
  if (!spec.service || !n) return [];
  return spec.service.ports
    .filter((p, i, all) => all.findIndex((q) => q.target % n === p.target % n) === i)
    .map((p) => ({ ...p, target: spec.ports[p.target % n] }));
}

function toVolume(lib: LibModule, v: VolumeSpec): Lib.Volume {
  switch (v.kind) {
    case 'emptyDir': return lib.Volume.emptyDir(v.name, { sizeLimit: v.sizeLimit, medium: v.medium });
    case 'persistentVolumeClaim': return lib.Volume.persistentVolumeClaim(v.name, v.claimName, { readOnly: v.readOnly });
    case 'configMap': return lib.Volume.configMap(v.name, v.configMapName);
    case 'secret': return lib.Volume.secret(v.name, v.secretName);
    case 'hostPath': return lib.Volume.hostPath(v.name, v.path, { reason: v.reason, writable: v.writable ? { reason: v.writable } : undefined });
  }
}

/** Builds `spec` in `namespace` into `scope`; `secretSources` are ExternalSecretBindings of that namespace. */
export function buildWorkload(
  lib: LibModule,
  scope: Construct,
  namespace: string,
  spec: WorkloadSpec,
  secretSources: readonly Lib.ISecretEnvSource[] = [],
): Lib.HardenedDeployment {
  const tcp = spec.ports.filter((p) => p.port.protocol === 'TCP');
  const probe = spec.probe && tcp.length
    ? { [spec.probe.kind]: spec.probe.http ? lib.Probe.httpGet(tcp[0].name) : lib.Probe.tcpSocket(tcp[0].name) }
    : {};
  const service = spec.service && spec.ports.length
    ? {
        type: spec.service.type as Lib.ServiceType,
        ports: servicePorts(spec).map((p) => ({
          targetPort: p.target.name,
          port: p.port,
          nodePort: spec.service!.type === 'NodePort' ? p.nodePort : undefined,
        })),
      }
    : undefined;
  declareReferences(scope, namespace, spec);
  const deployment = new lib.HardenedDeployment(scope, `Workload-${spec.name}`, {
    name: spec.name,
    namespace,
    image: spec.image.kind === 'registry'
      ? lib.ContainerImage.fromRegistry(spec.image.reference)
      : lib.ContainerImage.localBuild(spec.image.reference, { reason: spec.image.reason }),
    runAsUser: spec.runAsUser,
    runAsGroup: spec.runAsGroup,
    fsGroup: spec.fsGroup,
    resources: spec.resources,
    ports: Object.fromEntries(spec.ports.map((p) => [p.name, lib.Port.of(p.port.protocol, p.port.port)])),
    volumeMounts: spec.mounts.map((m) => ({ volume: toVolume(lib, m.volume), mountPath: m.mountPath, readOnly: m.readOnly })),
    env: spec.env,
    envFrom: [...spec.envFrom, ...secretSources],
    ...probe,
    replicas: spec.replicas,
    strategy: spec.strategy as Lib.DeploymentStrategy | undefined,
    automountServiceAccountToken: spec.automount,
    writableRootFilesystem: spec.writableRoot ? { reason: spec.writableRoot } : undefined,
    labels: spec.labels,
    service,
  });
  // A node port is an entry point the rule pack wants a reason for (HB-SVC-003); a generated homelab gives one.
  if (service?.type === 'NodePort') {
    lib.Suppressions.add(deployment, { id: 'HB-SVC-003', severity: 'low', reason: 'the generated homelab publishes this port on every node on purpose' });
  }
  return deployment;
}

/**
 * The Secrets (without data: created outside the app) and claims the workload reads, so the generated
 * homelab is closed (HB-NS-005): one object per name and namespace, however many workloads read it.
 */
function declareReferences(scope: Construct, namespace: string, spec: WorkloadSpec): void {
  const declare = (kind: 'Secret' | 'PersistentVolumeClaim', name: string) => {
    const id = `Declared-${kind}-${name}`;
    if (scope.node.tryFindChild(id)) return;
    new ApiObject(scope, id, {
      apiVersion: 'v1',
      kind,
      metadata: { name, namespace },
      ...(kind === 'PersistentVolumeClaim' ? { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } : {}),
    });
  };
  for (const e of spec.envFrom) declare('Secret', e.secretName);
  for (const m of spec.mounts) {
    if (m.volume.kind === 'secret') declare('Secret', m.volume.secretName);
    if (m.volume.kind === 'persistentVolumeClaim') declare('PersistentVolumeClaim', m.volume.claimName);
  }
}
