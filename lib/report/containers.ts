import { code, table } from './markdown';
import { ObjectIndex, Workload, containersOf, exemptionsIn, workloadsOf } from './objects';

/** The effective security context of one container (the container's settings over the pod's). */
export interface ContainerSecurityRow {
  readonly namespace: string;
  readonly workload: string;
  /** `openclaw`, or `init: setup` for an init container. */
  readonly container: string;
  /** `1000:1000` (uid:gid), `1000`, or `image default`. */
  readonly user: string;
  readonly runAsNonRoot: string;
  readonly readOnlyRootFilesystem: string;
  readonly allowPrivilegeEscalation: string;
  /** `drop ALL`, `drop ALL; add NET_BIND_SERVICE`, `privileged`, `unset (runtime default set)`. */
  readonly capabilities: string;
  readonly seccomp: string;
  /** Host namespaces the pod shares (`hostNetwork`, `hostPID`, `hostIPC`), if any. */
  readonly hostNamespaces: readonly string[];
  /** `what: reason` for each exemption annotation of the workload. */
  readonly exemptions: readonly string[];
}

/** One hostPath volume of a workload and where it is mounted. */
export interface HostVolumeRow {
  readonly namespace: string;
  readonly workload: string;
  readonly volume: string;
  readonly hostPath: string;
  /** `container:/path`, one per mount. */
  readonly mounts: readonly string[];
  /** `read-only` when every mount is, else `read-write`; `not mounted` without mounts. */
  readonly mode: string;
}

function flag(value: unknown, unset: string): string {
  return value === undefined ? unset : String(value);
}

function seccompText(profile: any): string | undefined {
  if (!profile) return undefined;
  return profile.type === 'Localhost' ? `Localhost ${profile.localhostProfile ?? ''}`.trim() : profile.type;
}

function rowsOf(w: Workload): ContainerSecurityRow[] {
  const pod = w.podSpec.securityContext ?? {};
  const hostNamespaces = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => w.podSpec[k] === true);
  const exemptions = exemptionsIn(w.annotations).map((e) => `${e.what}: ${e.reason}`);
  return containersOf(w.podSpec).map(({ container, init }) => {
    const sc = container.securityContext ?? {};
    const uid = sc.runAsUser ?? pod.runAsUser;
    const gid = sc.runAsGroup ?? pod.runAsGroup;
    const caps = sc.capabilities ?? {};
    const capabilities = [
      sc.privileged === true ? 'PRIVILEGED' : '',
      caps.drop?.length ? `drop ${caps.drop.join(', ')}` : '',
      caps.add?.length ? `add ${caps.add.join(', ')}` : '',
    ].filter(Boolean).join('; ');
    return {
      namespace: w.namespace,
      workload: w.name,
      container: init ? `init: ${container.name}` : container.name,
      user: uid === undefined ? 'image default' : gid === undefined ? String(uid) : `${uid}:${gid}`,
      runAsNonRoot: flag(sc.runAsNonRoot ?? pod.runAsNonRoot, 'unset'),
      readOnlyRootFilesystem: flag(sc.readOnlyRootFilesystem, 'unset (false)'),
      allowPrivilegeEscalation: flag(sc.allowPrivilegeEscalation, 'unset (true)'),
      capabilities: capabilities || 'unset (runtime defaults kept)',
      seccomp: seccompText(sc.seccompProfile ?? pod.seccompProfile) ?? 'unset (Unconfined)',
      hostNamespaces,
      exemptions,
    };
  });
}

/** One row per container of every workload, sorted by namespace and workload (containers in spec order). */
export function containerSecurityRows(index: ObjectIndex): ContainerSecurityRow[] {
  return workloadsOf(index).flatMap(rowsOf);
}

/** Every hostPath volume of every workload. */
export function hostVolumeRows(index: ObjectIndex): HostVolumeRow[] {
  const rows: HostVolumeRow[] = [];
  for (const w of workloadsOf(index)) {
    for (const v of w.podSpec.volumes ?? []) {
      if (!v.hostPath) continue;
      const mounts = containersOf(w.podSpec).flatMap(({ container }) =>
        (container.volumeMounts ?? []).filter((m: any) => m.name === v.name).map((m: any) => ({ at: `${container.name}:${m.mountPath}`, readOnly: m.readOnly === true })),
      );
      rows.push({
        namespace: w.namespace,
        workload: w.name,
        volume: v.name,
        hostPath: v.hostPath.path,
        mounts: mounts.map((m) => m.at),
        mode: !mounts.length ? 'not mounted' : mounts.every((m) => m.readOnly) ? 'read-only' : 'read-write',
      });
    }
  }
  return rows;
}

/** The container security table (the seed's "Container Security" and "Container Security Context"). */
export function renderContainerSecurity(index: ObjectIndex): string {
  return table(
    ['Namespace', 'Workload', 'Container', 'User (uid:gid)', 'Non-root', 'Read-only root', 'Privilege escalation', 'Capabilities', 'Seccomp', 'Host namespaces', 'Exemptions (reason)'],
    containerSecurityRows(index).map((r) => [
      code(r.namespace),
      code(r.workload),
      code(r.container),
      r.user,
      r.runAsNonRoot,
      r.readOnlyRootFilesystem,
      r.allowPrivilegeEscalation,
      r.capabilities,
      r.seccomp,
      r.hostNamespaces.join(', ') || 'none',
      r.exemptions.join('; ') || 'none',
    ]),
  );
}

/** The hostPath table (the seed's "Host Filesystem Access"). */
export function renderHostVolumes(index: ObjectIndex): string {
  return table(
    ['Namespace', 'Workload', 'Volume', 'Host path', 'Mounted at', 'Mode'],
    hostVolumeRows(index).map((r) => [code(r.namespace), code(r.workload), code(r.volume), code(r.hostPath), r.mounts.map(code).join(', '), r.mode]),
  );
}
