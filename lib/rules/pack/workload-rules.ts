import { isPinned } from '../../image-reference';
import { Rule, RuleFinding, RuleText } from '../rule';
import { SecurityContext, containerRule, containersOf, isWindows, podRule } from './pod-spec';

/**
 * The Pod Security check of a field that the pod and each container may set, where a container inherits the
 * pod's value (runAsNonRoot, seccompProfile): a pod-level bad value fails even when every container overrides
 * it, a container's bad value fails, and a container that sets nothing fails unless the pod sets a good value.
 * `linuxOnly`: admission skips the check for a pod that declares `os.name: windows`.
 */
function inheritedRule(
  text: RuleText,
  linuxOnly: boolean,
  good: (sc: SecurityContext) => boolean | undefined,
  describe: (sc: SecurityContext | undefined) => string,
): Rule {
  return podRule(text, (pod) => {
    if (linuxOnly && isWindows(pod)) return []; // admission skips the Linux-only checks on Windows pods
    const out: RuleFinding[] = [];
    const podValue = pod.securityContext && good(pod.securityContext);
    if (podValue === false) out.push({ finding: '[pod]', detail: `pod: ${describe(pod.securityContext)}` });
    for (const c of containersOf(pod)) {
      const value = c.securityContext && good(c.securityContext);
      if (value === false || (value === undefined && podValue !== true)) {
        out.push({ finding: `[container:${c.name}]`, detail: `container ${c.name}: ${describe(value === undefined ? pod.securityContext : c.securityContext)}` });
      }
    }
    return out;
  });
}

/** HB-POD-001: containers run as non-root (Pod Security restricted "Running as Non-root"). */
export const runAsNonRoot = inheritedRule(
  {
    id: 'HB-POD-001',
    level: 'ERROR',
    suppressible: true,
    title: 'Containers run as non-root',
    why: 'Root in a container is root on the node after any escape, and owns everything the container can write.',
    fix: 'set securityContext.runAsNonRoot: true (pod level covers every container; no container may set it false)',
  },
  false,
  (sc) => (sc.runAsNonRoot === undefined ? undefined : sc.runAsNonRoot === true),
  (sc) => `runAsNonRoot is ${JSON.stringify(sc?.runAsNonRoot)}`,
);

/** HB-POD-002: no privilege escalation. */
export const noPrivilegeEscalation = containerRule(
  {
    id: 'HB-POD-002',
    level: 'ERROR',
    suppressible: true,
    title: 'allowPrivilegeEscalation is false',
    why: 'Unset, it defaults to true: setuid binaries and file capabilities can raise the process above its user.',
    fix: 'set securityContext.allowPrivilegeEscalation: false on every container',
  },
  (c, pod) =>
    c.securityContext?.allowPrivilegeEscalation === false || isWindows(pod)
      ? undefined
      : `allowPrivilegeEscalation is ${JSON.stringify(c.securityContext?.allowPrivilegeEscalation)}`,
);

/** HB-POD-003: drop ALL capabilities; add back at most NET_BIND_SERVICE. */
export const dropAllCapabilities = podRule(
  {
    id: 'HB-POD-003',
    level: 'ERROR',
    suppressible: true,
    title: 'Capabilities drop ALL (add at most NET_BIND_SERVICE)',
    why: 'The default capability set (NET_RAW, CHOWN, SETUID...) helps spoofing and escapes; restricted allows only NET_BIND_SERVICE back.',
    fix: 'set securityContext.capabilities.drop: ["ALL"] and remove added capabilities',
  },
  (pod) =>
    (isWindows(pod) ? [] : containersOf(pod)).flatMap((c) => {
      const caps = c.securityContext?.capabilities;
      const out: RuleFinding[] = [];
      if (!(caps?.drop ?? []).includes('ALL')) {
        out.push({ finding: `[container:${c.name}]`, detail: `container ${c.name} does not drop ALL capabilities` });
      }
      for (const cap of caps?.add ?? []) {
        if (cap !== 'NET_BIND_SERVICE') {
          out.push({ finding: `[container:${c.name}][add:${cap}]`, detail: `container ${c.name} adds capability ${cap}` });
        }
      }
      return out;
    }),
);

/** HB-POD-004: a seccomp profile (RuntimeDefault or Localhost): Pod Security restricted "Seccomp". */
export const seccompProfile = inheritedRule(
  {
    id: 'HB-POD-004',
    level: 'ERROR',
    suppressible: true,
    title: 'Seccomp profile RuntimeDefault or Localhost',
    why: 'Without seccomp every system call reaches the kernel, including the rarely used ones most escapes go through.',
    fix: 'set securityContext.seccompProfile.type: RuntimeDefault (pod level covers every container; none may set Unconfined)',
  },
  true,
  (sc) => (sc.seccompProfile === undefined ? undefined : ['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile.type ?? '')),
  (sc) => `seccompProfile is ${JSON.stringify(sc?.seccompProfile?.type)}`,
);

/** HB-POD-005: never privileged. */
export const notPrivileged = containerRule(
  {
    id: 'HB-POD-005',
    level: 'ERROR',
    title: 'No privileged containers',
    why: 'A privileged container has every capability and every device of the node: it is the node.',
    fix: 'remove securityContext.privileged',
  },
  (c) => (c.securityContext?.privileged ? 'privileged is true' : undefined),
);

/** HB-POD-006: no host network, PID or IPC namespace. */
export const noHostNamespaces = podRule(
  {
    id: 'HB-POD-006',
    level: 'ERROR',
    suppressible: true,
    title: 'No hostNetwork, hostPID or hostIPC',
    why: 'Host namespaces bypass NetworkPolicies and expose the node\'s processes, IPC and loopback services.',
    fix: 'remove hostNetwork, hostPID and hostIPC from the pod spec',
  },
  (pod) =>
    (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((k) => pod[k])
      .map((k) => ({ finding: `[${k}]`, detail: `${k} is true` })),
);

/** HB-POD-007: no hostPort. */
export const noHostPorts = podRule(
  {
    id: 'HB-POD-007',
    level: 'ERROR',
    suppressible: true,
    title: 'No hostPort',
    why: 'A hostPort listens on the node\'s address, outside NetworkPolicies and the tailnet-only access model.',
    fix: 'remove hostPort; expose the port through a Service reached over Tailscale Serve',
  },
  (pod) =>
    containersOf(pod).flatMap((c) =>
      (c.ports ?? [])
        .filter((p) => p.hostPort)
        .map((p) => ({ finding: `[container:${c.name}][hostPort:${p.hostPort}]`, detail: `container ${c.name} binds host port ${p.hostPort}` })),
    ),
);

/** HB-POD-008: read-only root filesystem. */
export const readOnlyRootFilesystem = containerRule(
  {
    id: 'HB-POD-008',
    level: 'WARN',
    exemption: 'writable-root-filesystem',
    title: 'readOnlyRootFilesystem is true',
    why: 'A writable root filesystem lets an intruder drop tools and persist changes for the life of the container.',
    fix: 'set securityContext.readOnlyRootFilesystem: true and mount emptyDir or a volume where the app writes',
  },
  (c) => (c.securityContext?.readOnlyRootFilesystem === true ? undefined : 'root filesystem is writable'),
);

/** HB-POD-009: hostPath volumes need a reason each, and are mounted read-only unless a second reason says otherwise. */
export const hostPathVolumes = podRule(
  {
    id: 'HB-POD-009',
    level: 'ERROR',
    suppressible: true,
    exemption: 'hostpath',
    title: 'hostPath volumes only with a reason, mounted read-only',
    why: 'hostPath exposes the node\'s filesystem to the pod and keeps the namespace out of Pod Security baseline and restricted; mounted writable, the pod can change the node.',
    fix: 'use a PersistentVolumeClaim or a ConfigMap, or give the volume a hostPath exemption with a reason (annotation exemption.hostpath, entry "<volume>: <reason>") and mount it readOnly: true (writable only with an exemption.hostpath-writable entry)',
  },
  (pod) => {
    const hostPaths = (pod.volumes ?? []).filter((v) => v.hostPath);
    const names = new Set(hostPaths.map((v) => v.name));
    const volumes: RuleFinding[] = hostPaths.map((v) => ({
      finding: `[volume:${v.name}]`,
      detail: `volume ${v.name} mounts host path ${v.hostPath!.path}`,
      exemption: { what: 'hostpath', subject: v.name },
    }));
    const writable: RuleFinding[] = containersOf(pod).flatMap((c) =>
      (c.volumeMounts ?? [])
        .filter((m) => names.has(m.name) && m.readOnly !== true)
        .map((m) => ({
          finding: `[volume:${m.name}][mount:${c.name}:${m.mountPath}]`,
          detail: `container ${c.name} mounts host path volume ${m.name} writable at ${m.mountPath}`,
          exemption: { what: 'hostpath-writable', subject: m.name },
        })),
    );
    return [...volumes, ...writable];
  },
);

/** HB-POD-010: images pinned by tag (not latest) or digest. */
export const pinnedImages = containerRule(
  {
    id: 'HB-POD-010',
    level: 'ERROR',
    suppressible: true,
    exemption: 'unpinned-image',
    title: 'Images pinned by tag or digest (no latest)',
    why: 'An unpinned image changes under the same manifest: what runs is whatever the registry (or node) holds at pull time.',
    fix: 'pin a version tag or a digest (@sha256:...); a locally built image needs an unpinned-image exemption with a reason',
  },
  (c) => (c.image && isPinned(c.image) ? undefined : `image ${JSON.stringify(c.image)} has no tag, or the tag latest`),
);

/** HB-POD-011: requests and limits for cpu and memory. */
export const resourcesSet = podRule(
  {
    id: 'HB-POD-011',
    level: 'ERROR',
    suppressible: true,
    title: 'Resource requests and limits set',
    why: 'On a single node, one container without limits can starve every other service; without requests scheduling is blind.',
    fix: 'set resources.requests and resources.limits for cpu and memory on every container',
  },
  (pod) =>
    containersOf(pod).flatMap((c) =>
      ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']
        .filter((key) => {
          const [kind, resource] = key.split('.') as ['requests' | 'limits', string];
          return c.resources?.[kind]?.[resource] === undefined;
        })
        .map((key) => ({ finding: `[container:${c.name}][${key}]`, detail: `container ${c.name} has no ${key}` })),
    ),
);

/** HB-POD-012: token automount decided explicitly. */
export const automountExplicit = podRule(
  {
    id: 'HB-POD-012',
    level: 'ERROR',
    title: 'automountServiceAccountToken set explicitly',
    why: 'Unset, every pod gets an API token mounted whether it talks to the API server or not.',
    fix: 'set automountServiceAccountToken: false on the pod spec (true only for pods that call the API)',
  },
  (pod) => {
    const value: unknown = pod.automountServiceAccountToken;
    if (typeof value === 'boolean') return [];
    // Anything but a boolean (unset, null, "false" from hand-written YAML) leaves the default: mounted.
    const detail = value === undefined ? 'not set' : `${JSON.stringify(value)}, not a boolean`;
    return [{ finding: '[automountServiceAccountToken]', detail: `automountServiceAccountToken is ${detail} (defaults to true)` }];
  },
);

/** HB-POD-013: a mounted API token is reported. */
export const tokenAutomounted = podRule(
  {
    id: 'HB-POD-013',
    level: 'WARN',
    title: 'No API token mounted',
    why: 'A mounted token hands the pod\'s RBAC to anything that runs in it, including an intruder.',
    fix: 'set automountServiceAccountToken: false unless the workload calls the Kubernetes API',
  },
  (pod) =>
    pod.automountServiceAccountToken === true
      ? [{ finding: '[automountServiceAccountToken:true]', detail: 'the ServiceAccount token is mounted' }]
      : [],
);

/** The workload rules in id order. */
export const WORKLOAD_RULES: readonly Rule[] = [
  runAsNonRoot,
  noPrivilegeEscalation,
  dropAllCapabilities,
  seccompProfile,
  notPrivileged,
  noHostNamespaces,
  noHostPorts,
  readOnlyRootFilesystem,
  hostPathVolumes,
  pinnedImages,
  resourcesSet,
  automountExplicit,
  tokenAutomounted,
];
