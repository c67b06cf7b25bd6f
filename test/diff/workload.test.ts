import { APPARMOR_ANNOTATION_PREFIX, ContainerImage, DiffExitCode, HardenedDeployment, Impact, KubeObject, ObjectDiff, diffExitCode, diffObjects } from '../../lib';
import { find, synthChart } from '../util';

// The baseline is what HardenedDeployment synthesizes; each case weakens one field of a copy, as an escape
// hatch or hand-written YAML would, and the diff must call it a widening.
const hardened = find(
  synthChart((c) => new HardenedDeployment(c, 'app', {
    name: 'app',
    namespace: 'apps',
    image: ContainerImage.fromRegistry('registry.example/app:1.2.3'),
    runAsUser: 1000,
    runAsGroup: 1000,
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  })),
  'Deployment',
  'app',
  'apps',
) as KubeObject;

/** A copy of the hardened Deployment with `edit` applied to its pod spec. */
function weakened(edit: (pod: any, container: any) => void, base: KubeObject = hardened): KubeObject {
  const copy = structuredClone(base) as any;
  edit(copy.spec.template.spec, copy.spec.template.spec.containers[0]);
  return copy;
}

const lines = (d: ObjectDiff, impact: Impact): string[] => d.findings.filter((f) => f.impact === impact).map((f) => `${f.object}: ${f.message}`);

/** The one widening `after` adds to the hardened Deployment, and the exit code says so. */
function wideningOf(after: KubeObject, before: KubeObject = hardened): string[] {
  const d = diffObjects([before], [after]);
  expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
  return lines(d, Impact.WIDENING);
}

test('the baseline is hardened: it has no weakness to lose', () => {
  const d = diffObjects([], [hardened]);
  expect(lines(d, Impact.WIDENING)).toEqual([]);
  expect(diffExitCode(d)).toBe(DiffExitCode.CHANGES);
});

describe('a weakened pod spec is a widening, in the reviewer\'s words', () => {
  test('a new hostPath volume', () => {
    const after = weakened((pod, c) => {
      pod.volumes = [...(pod.volumes ?? []), { name: 'host', hostPath: { path: '/' } }];
      c.volumeMounts = [...(c.volumeMounts ?? []), { name: 'host', mountPath: '/host', readOnly: true }];
    });
    expect(wideningOf(after)).toEqual(['Deployment apps/app: hostPath volume "host" mounts / of the node']);
  });

  test('a hostPath mount losing readOnly', () => {
    const before = weakened((pod, c) => {
      pod.volumes = [...(pod.volumes ?? []), { name: 'host', hostPath: { path: '/srv' } }];
      c.volumeMounts = [...(c.volumeMounts ?? []), { name: 'host', mountPath: '/srv', readOnly: true }];
    });
    const after = weakened((_, c) => (c.volumeMounts.find((m: any) => m.name === 'host').readOnly = false), before);
    expect(wideningOf(after, before)).toEqual(['Deployment apps/app: container "app" mounts hostPath volume "host" (/srv) writable at /srv']);
  });

  test('any other mount losing readOnly', () => {
    const before = weakened((pod, c) => {
      pod.volumes = [...(pod.volumes ?? []), { name: 'shared', persistentVolumeClaim: { claimName: 'shared' } }];
      c.volumeMounts = [...(c.volumeMounts ?? []), { name: 'shared', mountPath: '/shared', readOnly: true }];
    });
    const after = weakened((_, c) => delete c.volumeMounts.find((m: any) => m.name === 'shared').readOnly, before);
    expect(wideningOf(after, before)).toEqual(['Deployment apps/app: container "app" mount at /shared (volume "shared") is no longer readOnly']);
  });

  test.each(['hostNetwork', 'hostPID', 'hostIPC'])('%s turned on', (field) => {
    expect(wideningOf(weakened((pod) => (pod[field] = true)))).toEqual([`Deployment apps/app: ${field} is on`]);
  });

  test('a hostPort added', () => {
    const after = weakened((_, c) => (c.ports = [{ containerPort: 8080, hostPort: 80 }]));
    expect(wideningOf(after)).toEqual(['Deployment apps/app: container "app" binds hostPort TCP/80 on the node']);
  });

  test.each<[string, (pod: any, c: any) => void, string]>([
    ['a custom SELinux type', (_, c) => (c.securityContext.seLinuxOptions = { type: 'spc_t' }), 'seLinuxOptions'],
    ['procMount Unmasked', (_, c) => (c.securityContext.procMount = 'Unmasked'), 'procMount'],
    ['an unsafe sysctl', (pod) => (pod.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]), 'sysctls'],
    ['a Windows HostProcess container', (_, c) => (c.securityContext.windowsOptions = { hostProcess: true }), 'windowsHostProcess'],
    ['a gitRepo volume', (pod) => (pod.volumes = [...(pod.volumes ?? []), { name: 'src', gitRepo: { repository: 'https://example.invalid/x' } }]), 'restrictedVolumes'],
  ])('%s breaks its Pod Security control', (_, edit, control) => {
    expect(wideningOf(weakened(edit))).toContain(`Deployment apps/app: breaks the Pod Security control "${control}" of restricted`);
  });

  test('AppArmor unconfined (the v1.28 annotation) breaks its Pod Security control', () => {
    const after = structuredClone(hardened) as any;
    after.spec.template.metadata.annotations = { ...after.spec.template.metadata.annotations, [`${APPARMOR_ANNOTATION_PREFIX}app`]: 'unconfined' };
    expect(wideningOf(after)).toEqual(['Deployment apps/app: breaks the Pod Security control "appArmorProfile" of restricted']);
  });

  test('privileged: true', () => {
    expect(wideningOf(weakened((_, c) => (c.securityContext.privileged = true)))).toEqual(['Deployment apps/app: container "app" is privileged']);
  });

  test('allowPrivilegeEscalation no longer false', () => {
    expect(wideningOf(weakened((_, c) => delete c.securityContext.allowPrivilegeEscalation))).toEqual([
      'Deployment apps/app: container "app" may escalate privileges (allowPrivilegeEscalation unset)',
    ]);
  });

  test('a capability added', () => {
    expect(wideningOf(weakened((_, c) => (c.securityContext.capabilities.add = ['NET_ADMIN'])))).toEqual([
      'Deployment apps/app: container "app" adds capability NET_ADMIN',
    ]);
  });

  test('drop ALL removed', () => {
    expect(wideningOf(weakened((_, c) => (c.securityContext.capabilities.drop = ['NET_RAW'])))).toEqual([
      'Deployment apps/app: container "app" does not drop ALL capabilities',
    ]);
  });

  test('runAsNonRoot no longer true (a container overriding the pod)', () => {
    expect(wideningOf(weakened((_, c) => (c.securityContext.runAsNonRoot = false)))).toEqual([
      'Deployment apps/app: container "app" may run as root (runAsNonRoot false)',
    ]);
  });

  test('runAsUser 0', () => {
    expect(wideningOf(weakened((pod) => (pod.securityContext.runAsUser = 0)))).toEqual(['Deployment apps/app: container "app" runs as root (runAsUser 0)']);
  });

  test('seccompProfile removed', () => {
    expect(wideningOf(weakened((pod) => delete pod.securityContext.seccompProfile))).toEqual([
      'Deployment apps/app: container "app" has no seccomp filter (seccompProfile unset)',
    ]);
  });

  test('seccompProfile Unconfined (on the container, overriding the pod)', () => {
    expect(wideningOf(weakened((_, c) => (c.securityContext.seccompProfile = { type: 'Unconfined' })))).toEqual([
      'Deployment apps/app: container "app" has no seccomp filter (seccompProfile Unconfined)',
    ]);
  });

  test('readOnlyRootFilesystem no longer true', () => {
    expect(wideningOf(weakened((_, c) => (c.securityContext.readOnlyRootFilesystem = false)))).toEqual([
      'Deployment apps/app: container "app" has a writable root filesystem (readOnlyRootFilesystem false)',
    ]);
  });

  test('automountServiceAccountToken turned true', () => {
    expect(wideningOf(weakened((pod) => (pod.automountServiceAccountToken = true)))).toEqual([
      'Deployment apps/app: the service account token is mounted (automountServiceAccountToken true)',
    ]);
  });

  test('serviceAccountName changed', () => {
    expect(wideningOf(weakened((pod) => (pod.serviceAccountName = 'admin')))).toEqual([
      `Deployment apps/app: serviceAccountName changed from ${(hardened as any).spec.template.spec.serviceAccountName ?? 'default'} to admin (the pods act with its RBAC and token)`,
    ]);
  });

  test('an image changed to an unpinned one, or a new container with one', () => {
    expect(wideningOf(weakened((_, c) => (c.image = 'registry.example/app:latest')))).toEqual([
      'Deployment apps/app: image of container app: registry.example/app:1.2.3 → registry.example/app:latest (tag not pinned)',
    ]);
    const sidecar = weakened((pod, c) => pod.containers.push({ ...structuredClone(c), name: 'sidecar', image: 'registry.example/sidecar' }));
    expect(wideningOf(sidecar)).toEqual(['Deployment apps/app: image of container sidecar: registry.example/sidecar (new container, tag not pinned)']);
  });
});

describe('other workload kinds and whole objects', () => {
  const asPod = (d: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: d.metadata, spec: (d as any).spec.template.spec });
  const asCronJob = (d: KubeObject): KubeObject => ({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: d.metadata, spec: { schedule: '@daily', jobTemplate: { spec: { template: (d as any).spec.template } } },
  });
  const privileged = weakened((_, c) => (c.securityContext.privileged = true));

  test.each([
    ['DaemonSet', (d: KubeObject): KubeObject => ({ ...d, kind: 'DaemonSet' })],
    ['CronJob', asCronJob],
    ['Pod', asPod],
  ])('a %s turned privileged', (kind, as) => {
    expect(wideningOf(as(privileged), as(hardened))).toEqual([`${kind} apps/app: container "app" is privileged`]);
  });

  test('a new Deployment with privileged and a hostPath is a widening', () => {
    const rogue = weakened((pod, c) => {
      c.securityContext.privileged = true;
      pod.volumes = [...(pod.volumes ?? []), { name: 'root', hostPath: { path: '/' } }];
      c.volumeMounts = [...(c.volumeMounts ?? []), { name: 'root', mountPath: '/host' }];
    });
    const d = diffObjects([], [rogue]);
    expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
    expect(lines(d, Impact.WIDENING)).toEqual([
      'Deployment apps/app: hostPath volume "root" mounts / of the node (new workload)',
      'Deployment apps/app: container "app" mounts hostPath volume "root" (/) writable at /host (new workload)',
      'Deployment apps/app: container "app" is privileged (new workload)',
    ]);
  });

  test('a narrowing is a change, not a widening', () => {
    const d = diffObjects([privileged], [hardened]);
    expect(lines(d, Impact.WIDENING)).toEqual([]);
    expect(lines(d, Impact.CHANGE)).toEqual(['Deployment apps/app: no longer: container "app" is privileged']);
    expect(diffExitCode(d)).toBe(DiffExitCode.CHANGES);
  });
});
