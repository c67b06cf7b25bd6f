import { podTemplateOf } from '../pod-template';
import { podSecurityViolations } from '../rules/pack/pod-security-rules';
import { KubeObject } from '../synth/manifest';
import { Check, Note, change, widening } from './finding';

/**
 * The pod spec of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod): every
 * weakness it gained (a hostPath, a host namespace, privileged, root, a capability, no seccomp...) is a
 * widening, every one it lost a change. A new workload is compared with a pod that has none, so a new
 * privileged or hostPath workload is a widening. Images are the version check's.
 */
export const workloadCheck: Check = (before, after) => {
  const now = after && podTemplateOf(after)?.spec;
  if (!now) return [];
  const was = before && podTemplateOf(before)?.spec;
  const [old, cur] = [was ? weaknesses(was) : new Map<string, string>(), weaknesses(now)];
  const suffix = was ? '' : ' (new workload)';
  const notes: Note[] = [];
  for (const [key, text] of cur) if (!old.has(key)) notes.push(widening('workload', `${text}${suffix}`));
  for (const [key, text] of old) if (!cur.has(key)) notes.push(change('workload', `no longer: ${text}`));
  const oldControls = was && before ? controlsBeyondWeaknesses(before) : new Set<string>();
  for (const control of controlsBeyondWeaknesses(after)) {
    if (!oldControls.has(control)) notes.push(widening('workload', `breaks the Pod Security control "${control}" of restricted${suffix}`));
  }
  if (!was) return notes;
  const [oldMounts, newMounts] = [mounts(was), mounts(now)];
  for (const [where, m] of newMounts) {
    const readOnlyBefore = oldMounts.get(where)?.readOnly === true;
    if (m.hostPath || !oldMounts.has(where) || readOnlyBefore === (m.readOnly === true)) continue;
    const text = `${where} (volume "${m.volume}")`;
    notes.push(readOnlyBefore ? widening('workload', `${text} is no longer readOnly`) : change('workload', `${text} is now readOnly`));
  }
  const [oldAccount, newAccount] = [was.serviceAccountName ?? 'default', now.serviceAccountName ?? 'default'];
  if (oldAccount !== newAccount) {
    notes.push(widening('workload', `serviceAccountName changed from ${oldAccount} to ${newAccount} (the pods act with its RBAC and token)`));
  }
  return notes;
};

/** The Pod Security controls that weaknesses() has no sentence for. */
const CONTROLS_BEYOND_WEAKNESSES = new Set(['appArmorProfile', 'seLinuxOptions', 'procMount', 'sysctls', 'windowsHostProcess', 'restrictedVolumes']);

/**
 * The controls of Pod Security `restricted` that `workload` breaks, among those weaknesses() does not name
 * (AppArmor, SELinux, /proc mount, sysctls, Windows HostProcess, volume types), read by the rule pack's
 * per-control rules, so the diff and the pack agree with real admission (test/cluster proves the pack's reading).
 */
function controlsBeyondWeaknesses(workload: KubeObject): Set<string> {
  const copy = structuredClone(workload);
  const spec = podTemplateOf(copy)?.spec as { volumes?: { hostPath?: unknown }[] } | undefined;
  // A hostPath volume is weaknesses()' finding already: judge the other volume types alone.
  if (spec?.volumes) spec.volumes = spec.volumes.filter((v) => !v.hostPath);
  return new Set(podSecurityViolations(copy, 'restricted').filter((c) => CONTROLS_BEYOND_WEAKNESSES.has(c)));
}

/** Stable key → a reviewer's sentence, for everything in `pod` that is weaker than the hardened pod. */
function weaknesses(pod: any): Map<string, string> {
  const out = new Map<string, string>();
  const show = (v: unknown): string => (v === undefined ? 'unset' : String(v));
  const hostPaths = new Map<string, string>();
  for (const v of pod.volumes ?? []) {
    if (!v.hostPath) continue;
    hostPaths.set(v.name, v.hostPath.path);
    out.set(`hostPath ${v.name} ${v.hostPath.path}`, `hostPath volume "${v.name}" mounts ${v.hostPath.path} of the node`);
  }
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (pod[field] === true) out.set(field, `${field} is on`);
  }
  if (pod.automountServiceAccountToken !== false) {
    out.set('automount', `the service account token is mounted (automountServiceAccountToken ${show(pod.automountServiceAccountToken)})`);
  }
  const podContext = pod.securityContext ?? {};
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const add = (key: string, text: string): void => void out.set(`${c.name} ${key}`, `container "${c.name}" ${text}`);
    for (const p of c.ports ?? []) {
      if (p.hostPort) add(`hostPort ${p.protocol ?? 'TCP'}/${p.hostPort}`, `binds hostPort ${p.protocol ?? 'TCP'}/${p.hostPort} on the node`);
    }
    for (const m of c.volumeMounts ?? []) {
      if (hostPaths.has(m.name) && m.readOnly !== true) {
        add(`writes ${m.name} ${m.mountPath}`, `mounts hostPath volume "${m.name}" (${hostPaths.get(m.name)}) writable at ${m.mountPath}`);
      }
    }
    if (sc.privileged === true) add('privileged', 'is privileged');
    if (sc.allowPrivilegeEscalation !== false) add('escalation', `may escalate privileges (allowPrivilegeEscalation ${show(sc.allowPrivilegeEscalation)})`);
    for (const cap of sc.capabilities?.add ?? []) add(`cap ${cap}`, `adds capability ${cap}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) add('drop', 'does not drop ALL capabilities');
    const nonRoot = sc.runAsNonRoot ?? podContext.runAsNonRoot;
    if (nonRoot !== true) add('nonRoot', `may run as root (runAsNonRoot ${show(nonRoot)})`);
    if ((sc.runAsUser ?? podContext.runAsUser) === 0) add('uid0', 'runs as root (runAsUser 0)');
    const seccomp = (sc.seccompProfile ?? podContext.seccompProfile)?.type;
    if (seccomp === undefined || seccomp === 'Unconfined') add('seccomp', `has no seccomp filter (seccompProfile ${show(seccomp)})`);
    if (sc.readOnlyRootFilesystem !== true) add('rootfs', `has a writable root filesystem (readOnlyRootFilesystem ${show(sc.readOnlyRootFilesystem)})`);
  }
  return out;
}

/** `container "app" mount at /data` → its volume, whether read-only, whether the volume is a hostPath. */
function mounts(pod: any): Map<string, { volume: string; readOnly?: boolean; hostPath: boolean }> {
  const hostPaths = new Set((pod.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => v.name));
  const out = new Map<string, { volume: string; readOnly?: boolean; hostPath: boolean }>();
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    for (const m of c.volumeMounts ?? []) {
      out.set(`container "${c.name}" mount at ${m.mountPath}`, { volume: m.name, readOnly: m.readOnly, hostPath: hostPaths.has(m.name) });
    }
  }
  return out;
}
