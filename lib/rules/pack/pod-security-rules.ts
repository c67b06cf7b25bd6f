import { KubeObject } from '../../synth/manifest';
import { Rule, RuleContext, RuleFinding } from '../rule';
import { containersOf, podRule, setterRule } from './pod-spec';
import {
  dropAllCapabilities,
  hostPathVolumes,
  noHostNamespaces,
  noHostPorts,
  noPrivilegeEscalation,
  notPrivileged,
  runAsNonRoot,
  seccompProfile,
} from './workload-rules';

// The Pod Security Standards at the pinned version (v1.28), one rule per control, checked on every pod
// template whatever its namespace's level: a pod in a privileged namespace needs a reasoned exemption per
// control (a suppression, or the construct's exemption annotation), not a blanket namespace label. The
// checks follow k8s.io/pod-security-admission v0.28 (policy/check_*.go); the cluster suite compares them,
// control by control, with the real admission.

/** The capabilities baseline lets a container add: the container runtime's default set (without NET_RAW). */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** The "safe" sysctls baseline allows (namespaced, isolated from the node), as of v1.27. */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range', 'net.ipv4.tcp_syncookies',
];

/** The SELinux types baseline allows (empty is the runtime's default). */
export const SELINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

/** The volume sources restricted allows: none of them reaches the node or a network filesystem directly. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

/** The per-container AppArmor annotation (the only AppArmor setting before v1.30). */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const SECCOMP_CONFINED = ['RuntimeDefault', 'Localhost'];

/** HB-POD-014: no pod or container sets runAsUser 0 (restricted "Running as Non-root user"). */
export const runAsUserNotRoot = setterRule(
  {
    id: 'HB-POD-014',
    level: 'ERROR',
    suppressible: true,
    title: 'runAsUser is not 0',
    why: 'runAsUser 0 is root whatever the image says; runAsNonRoot alone only makes the kubelet refuse to start it.',
    fix: 'set runAsUser to a non-zero uid (pod or container level), or leave it to the image\'s non-root USER',
  },
  (sc) => (sc.runAsUser === 0 ? 'runAsUser is 0 (root)' : undefined),
);

/** HB-POD-015: added capabilities stay inside the runtime's default set (baseline "Capabilities"). */
export const baselineCapabilities = podRule(
  {
    id: 'HB-POD-015',
    level: 'ERROR',
    suppressible: true,
    title: 'No capability beyond the default set (baseline)',
    why: 'SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE and the like turn a container process into a node administrator or a spoofer.',
    fix: `add no capability outside ${BASELINE_CAPABILITIES.join(', ')} (restricted: none but NET_BIND_SERVICE, see HB-POD-003)`,
  },
  (pod) =>
    containersOf(pod).flatMap((c) =>
      (c.securityContext?.capabilities?.add ?? [])
        .filter((cap) => !BASELINE_CAPABILITIES.includes(cap))
        .map((cap) => ({ finding: `[container:${c.name}][add:${cap}]`, detail: `container ${c.name} adds non-default capability ${cap}` })),
    ),
);

/** HB-POD-016: no seccomp profile other than RuntimeDefault or Localhost is set (baseline "Seccomp"). */
export const baselineSeccomp = setterRule(
  {
    id: 'HB-POD-016',
    level: 'ERROR',
    suppressible: true,
    title: 'No Unconfined seccomp profile (baseline)',
    why: 'An explicit Unconfined profile switches off the system call filter the runtime would otherwise apply.',
    fix: 'remove seccompProfile type Unconfined; set RuntimeDefault (or a Localhost profile)',
  },
  (sc) =>
    sc.seccompProfile !== undefined && !SECCOMP_CONFINED.includes(sc.seccompProfile.type ?? '')
      ? `seccompProfile type is ${JSON.stringify(sc.seccompProfile.type)}`
      : undefined,
);

/** The source field of a volume, as admission names it (`hostPath`, `gitRepo`..., `unknown`). */
function volumeType(v: Readonly<Record<string, unknown>>): string {
  return Object.keys(v).find((k) => k !== 'name' && v[k] !== undefined && v[k] !== null) ?? 'unknown';
}

/** HB-POD-017: only the restricted volume types (restricted "Volume Types"). */
export const restrictedVolumeTypes = podRule(
  {
    id: 'HB-POD-017',
    level: 'ERROR',
    suppressible: true,
    title: 'Only restricted volume types',
    why: 'hostPath, gitRepo (runs git on the node as root), nfs, iscsi and other in-tree volumes reach the node or the network outside the pod\'s controls.',
    fix: `use ${RESTRICTED_VOLUME_TYPES.join(', ')}; a hostPath volume needs its exemption.hostpath entry (which covers this rule too)`,
  },
  (pod) =>
    (pod.volumes ?? []).flatMap((v): RuleFinding[] => {
      const type = volumeType(v);
      if (RESTRICTED_VOLUME_TYPES.includes(type)) return [];
      // The construct's hostPath exemption (one reason per volume) answers both hostPath controls.
      const exemption = type === 'hostPath' ? { what: 'hostpath', subject: v.name } : undefined;
      return [{ finding: `[volume:${v.name}][type:${type}]`, detail: `volume ${v.name} is a ${type} volume`, exemption }];
    }),
);

/** HB-POD-018: AppArmor is not switched off (baseline "AppArmor"). */
export const appArmorProfile = podRule(
  {
    id: 'HB-POD-018',
    level: 'ERROR',
    suppressible: true,
    title: 'AppArmor profile runtime/default or localhost/*',
    why: 'An unconfined AppArmor profile removes the mandatory access control the runtime applies to every container.',
    fix: `remove the ${APPARMOR_ANNOTATION_PREFIX}<container> annotation, or set it to runtime/default or localhost/<profile>`,
  },
  (_pod, view) =>
    Object.entries(view.annotations)
      .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/')))
      .map(([k, v]) => ({
        finding: `[container:${k.slice(APPARMOR_ANNOTATION_PREFIX.length)}][apparmor:${v}]`,
        detail: `annotation ${k} is ${JSON.stringify(v)}`,
      })),
);

/** HB-POD-019: SELinux options stay within the container types, without user or role (baseline "SELinux"). */
export const seLinuxOptions = setterRule(
  {
    id: 'HB-POD-019',
    level: 'ERROR',
    suppressible: true,
    title: 'SELinux type a container type, no custom user or role',
    why: 'A custom SELinux type (spc_t, unconfined_t), user or role lifts the label that keeps the container from the node\'s files.',
    fix: `remove seLinuxOptions.type/user/role (or use type ${SELINUX_TYPES.filter(Boolean).join(', ')}); level may stay`,
  },
  (sc) => {
    const o = sc.seLinuxOptions;
    if (!o) return undefined;
    const bad = [
      ...(SELINUX_TYPES.includes(o.type ?? '') ? [] : [`type ${JSON.stringify(o.type)}`]),
      ...(o.user ? [`user ${JSON.stringify(o.user)}`] : []),
      ...(o.role ? [`role ${JSON.stringify(o.role)}`] : []),
    ];
    return bad.length ? `seLinuxOptions set ${bad.join(', ')}` : undefined;
  },
);

/** HB-POD-020: /proc stays masked (baseline "/proc Mount Type"). */
export const procMount = podRule(
  {
    id: 'HB-POD-020',
    level: 'ERROR',
    suppressible: true,
    title: 'procMount Default',
    why: 'procMount Unmasked exposes the kernel interfaces the runtime masks in /proc (sysrq-trigger, kcore...).',
    fix: 'remove securityContext.procMount or set it to Default',
  },
  (pod) =>
    containersOf(pod)
      .filter((c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== 'Default')
      .map((c) => ({ finding: `[container:${c.name}]`, detail: `container ${c.name} sets procMount ${c.securityContext!.procMount}` })),
);

/** HB-POD-021: only the safe sysctls (baseline "Sysctls"). */
export const safeSysctls = podRule(
  {
    id: 'HB-POD-021',
    level: 'ERROR',
    suppressible: true,
    title: 'Only safe sysctls',
    why: 'Sysctls outside the namespaced safe set change the node\'s kernel for every pod, or weaken its isolation.',
    fix: `set no sysctl outside ${SAFE_SYSCTLS.join(', ')}`,
  },
  (pod) =>
    (pod.securityContext?.sysctls ?? [])
      .filter((s) => !SAFE_SYSCTLS.includes(s.name))
      .map((s) => ({ finding: `[sysctl:${s.name}]`, detail: `pod sets sysctl ${s.name}` })),
);

/** HB-POD-022: no Windows HostProcess container (baseline "HostProcess"). */
export const windowsHostProcess = setterRule(
  {
    id: 'HB-POD-022',
    level: 'ERROR',
    suppressible: true,
    title: 'No Windows HostProcess',
    why: 'A HostProcess container runs as a process of the Windows node, with its privileges: the Windows form of privileged.',
    fix: 'remove securityContext.windowsOptions.hostProcess',
  },
  (sc) => (sc.windowsOptions?.hostProcess === true ? 'windowsOptions.hostProcess is true' : undefined),
);

/** HB-POD-023: containers of a pod do not share one process namespace (not a Pod Security control). */
export const noSharedProcessNamespace = podRule(
  {
    id: 'HB-POD-023',
    level: 'ERROR',
    suppressible: true,
    title: 'No shareProcessNamespace',
    why: 'With a shared process namespace every container sees, signals and reads /proc/<pid>/root and environ of the others: a sidecar reaches the app\'s secrets.',
    fix: 'remove shareProcessNamespace (or give the pod a reasoned suppression)',
  },
  (pod) => (pod.shareProcessNamespace === true ? [{ finding: '[shareProcessNamespace]', detail: 'shareProcessNamespace is true' }] : []),
);

/** The pod rules this file adds, in id order (the rest of the controls are WORKLOAD_RULES). */
export const POD_SECURITY_RULES: readonly Rule[] = [
  runAsUserNotRoot,
  baselineCapabilities,
  baselineSeccomp,
  restrictedVolumeTypes,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  safeSysctls,
  windowsHostProcess,
  noSharedProcessNamespace,
];

/** A Pod Security Standards level that has controls (privileged has none). */
export type PodSecurityStandard = 'baseline' | 'restricted';

/** One control of the Pod Security Standards and the rule of the pack that checks it. */
export interface PodSecurityControl {
  /** The check id in k8s.io/pod-security-admission, e.g. `hostNamespaces`. */
  readonly control: string;
  /** The lowest level that enforces it. */
  readonly level: PodSecurityStandard;
  /** The pack's rule for this control (one control, one rule). */
  readonly rule: Rule;
  /** What admission writes when the control refuses a pod (singular and plural forms). */
  readonly reasons: readonly string[];
  /**
   * The baseline control this one replaces at restricted (admission then runs only this one).
   * @default - replaces none
   */
  readonly overrides?: string;
}

/** Every control of the Pod Security Standards at v1.28, baseline first. */
export const POD_SECURITY_CONTROLS: readonly PodSecurityControl[] = [
  { control: 'hostNamespaces', level: 'baseline', rule: noHostNamespaces, reasons: ['host namespaces'] },
  { control: 'privileged', level: 'baseline', rule: notPrivileged, reasons: ['privileged'] },
  { control: 'capabilities_baseline', level: 'baseline', rule: baselineCapabilities, reasons: ['non-default capabilities'] },
  { control: 'hostPathVolumes', level: 'baseline', rule: hostPathVolumes, reasons: ['hostPath volumes'] },
  { control: 'hostPorts', level: 'baseline', rule: noHostPorts, reasons: ['hostPort'] },
  { control: 'appArmorProfile', level: 'baseline', rule: appArmorProfile, reasons: ['forbidden AppArmor profile', 'forbidden AppArmor profiles'] },
  { control: 'seLinuxOptions', level: 'baseline', rule: seLinuxOptions, reasons: ['seLinuxOptions'] },
  { control: 'procMount', level: 'baseline', rule: procMount, reasons: ['procMount'] },
  { control: 'seccompProfile_baseline', level: 'baseline', rule: baselineSeccomp, reasons: ['seccompProfile'] },
  { control: 'sysctls', level: 'baseline', rule: safeSysctls, reasons: ['forbidden sysctls'] },
  { control: 'windowsHostProcess', level: 'baseline', rule: windowsHostProcess, reasons: ['hostProcess'] },
  { control: 'restrictedVolumes', level: 'restricted', rule: restrictedVolumeTypes, reasons: ['restricted volume types'], overrides: 'hostPathVolumes' },
  { control: 'allowPrivilegeEscalation', level: 'restricted', rule: noPrivilegeEscalation, reasons: ['allowPrivilegeEscalation != false'] },
  { control: 'runAsNonRoot', level: 'restricted', rule: runAsNonRoot, reasons: ['runAsNonRoot != true'] },
  { control: 'runAsUser', level: 'restricted', rule: runAsUserNotRoot, reasons: ['runAsUser=0'] },
  { control: 'seccompProfile_restricted', level: 'restricted', rule: seccompProfile, reasons: ['seccompProfile'], overrides: 'seccompProfile_baseline' },
  { control: 'capabilities_restricted', level: 'restricted', rule: dropAllCapabilities, reasons: ['unrestricted capabilities'], overrides: 'capabilities_baseline' },
];

/** The controls admission runs at `level`: baseline's, or all with the baseline ones restricted overrides left out. */
export function podSecurityControlsAt(level: PodSecurityStandard): PodSecurityControl[] {
  if (level === 'baseline') return POD_SECURITY_CONTROLS.filter((c) => c.level === 'baseline');
  const overridden = new Set(POD_SECURITY_CONTROLS.map((c) => c.overrides).filter(Boolean));
  return POD_SECURITY_CONTROLS.filter((c) => !overridden.has(c.control));
}

const NO_CONTEXT: RuleContext = { objects: [], ofKind: () => [] };

/**
 * The controls of `level` the pod template of `workload` fails, by the pack's rules and before any exemption:
 * what Pod Security admission at that level (v1.28) refuses it for. Empty for objects that make no pods.
 */
export function podSecurityViolations(workload: KubeObject, level: PodSecurityStandard): string[] {
  return podSecurityControlsAt(level)
    .filter((c) => c.rule.check(workload, NO_CONTEXT).length > 0)
    .map((c) => c.control);
}
