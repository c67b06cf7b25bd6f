import { KubeObject, POD_SECURITY_CONTROLS, POD_SECURITY_RULES, Rule, podSecurityControlsAt, podSecurityViolations } from '../../../lib';
import { podSecurityVersionRule } from '../../../lib/rules/pack/namespace-rules';
import {
  appArmorProfile,
  baselineCapabilities,
  baselineSeccomp,
  noSharedProcessNamespace,
  procMount,
  restrictedVolumeTypes,
  runAsUserNotRoot,
  safeSysctls,
  seLinuxOptions,
  windowsHostProcess,
} from '../../../lib/rules/pack/pod-security-rules';
import { WORKLOAD_RULES } from '../../../lib/rules/pack/workload-rules';
import { RESTRICTED_LABELS, container, deployment, findingsOf, namespace, podSpec } from '../fixtures';

const sc = (overrides: Record<string, unknown>) => ({ ...(container().securityContext as object), ...overrides });
const withContainer = (overrides: Record<string, unknown>) => deployment(podSpec({ containers: [container(overrides)] }));
const withPod = (overrides: Record<string, unknown>) => deployment(podSpec(overrides));
const podContext = (overrides: Record<string, unknown>) => withPod({ securityContext: { ...(podSpec().securityContext as object), ...overrides } });
const annotated = (annotations: Record<string, string>): KubeObject => {
  const d = deployment() as any;
  d.spec.template.metadata.annotations = annotations;
  return d;
};

const KINDS = (spec: Record<string, unknown>): KubeObject[] => [
  deployment(spec),
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' }, spec },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'apps' }, spec: { jobTemplate: { spec: { template: { spec } } } } },
  ...['StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].map((kind) => ({ ...deployment(spec), kind, metadata: { name: kind.toLowerCase(), namespace: 'apps' } })),
];

test('the compliant fixture passes every Pod Security rule, in every workload kind', () => {
  for (const rule of POD_SECURITY_RULES) for (const o of KINDS(podSpec())) expect([rule.id, o.kind, findingsOf(rule, [o])]).toEqual([rule.id, o.kind, []]);
});

test('every control of both levels has exactly one rule, each rule one control; every rule is in the pack once', () => {
  expect(POD_SECURITY_CONTROLS).toHaveLength(17); // 11 baseline + 6 restricted at v1.28
  expect(new Set(POD_SECURITY_CONTROLS.map((c) => c.control)).size).toBe(17);
  expect(new Set(POD_SECURITY_CONTROLS.map((c) => c.rule.id)).size).toBe(17);
  const pack = new Set<Rule>([...WORKLOAD_RULES, ...POD_SECURITY_RULES]);
  for (const c of POD_SECURITY_CONTROLS) expect(pack.has(c.rule)).toBe(true);
});

test('restricted runs every control but the three baseline ones it overrides', () => {
  expect(podSecurityControlsAt('baseline')).toHaveLength(11);
  expect(podSecurityControlsAt('restricted').map((c) => c.control)).not.toEqual(expect.arrayContaining(['hostPathVolumes']));
  expect(podSecurityControlsAt('restricted')).toHaveLength(14);
});

// Each case: the rule, a pod that breaks exactly that control, its findings, and one that stays allowed.
describe.each<[string, Rule, KubeObject, string[], KubeObject]>([
  ['HB-POD-014 runAsUser 0 on the pod', runAsUserNotRoot, podContext({ runAsUser: 0 }), ['[pod]'], podContext({ runAsUser: 1 })],
  ['HB-POD-014 runAsUser 0 on a container', runAsUserNotRoot, withContainer({ securityContext: sc({ runAsUser: 0 }) }), ['[container:app]'], withContainer({ securityContext: sc({ runAsUser: 10001 }) })],
  ['HB-POD-015 SYS_ADMIN added', baselineCapabilities, withContainer({ securityContext: sc({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN', 'CHOWN'] } }) }), ['[container:app][add:SYS_ADMIN]'], withContainer({ securityContext: sc({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'] } }) })],
  ['HB-POD-015 NET_RAW added', baselineCapabilities, withContainer({ securityContext: sc({ capabilities: { add: ['NET_RAW'] } }) }), ['[container:app][add:NET_RAW]'], withContainer({})],
  ['HB-POD-016 Unconfined on the pod', baselineSeccomp, podContext({ seccompProfile: { type: 'Unconfined' } }), ['[pod]'], podContext({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } })],
  ['HB-POD-016 Unconfined on a container', baselineSeccomp, withContainer({ securityContext: sc({ seccompProfile: { type: 'Unconfined' } }) }), ['[container:app]'], withPod({ securityContext: { runAsNonRoot: true } })],
  ['HB-POD-017 gitRepo volume', restrictedVolumeTypes, withPod({ volumes: [{ name: 'src', gitRepo: { repository: 'https://example.org/r.git' } }, { name: 'tmp', emptyDir: {} }] }), ['[volume:src][type:gitRepo]'], withPod({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'c', configMap: { name: 'c' } }, { name: 'd', persistentVolumeClaim: { claimName: 'd' } }, { name: 'p', projected: { sources: [] } }] })],
  ['HB-POD-017 nfs and hostPath volumes', restrictedVolumeTypes, withPod({ volumes: [{ name: 'n', nfs: { server: 'nas', path: '/' } }, { name: 'h', hostPath: { path: '/srv' } }] }), ['[volume:h][type:hostPath]', '[volume:n][type:nfs]'], withPod({ volumes: [{ name: 's', secret: { secretName: 's' } }, { name: 'e', ephemeral: { volumeClaimTemplate: {} } }, { name: 'x', csi: { driver: 'd' } }, { name: 'w', downwardAPI: {} }] })],
  ['HB-POD-018 AppArmor unconfined', appArmorProfile, annotated({ 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }), ['[container:app][apparmor:unconfined]'], annotated({ 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/k8s-app', other: 'unconfined' })],
  ['HB-POD-019 SELinux type spc_t', seLinuxOptions, withContainer({ securityContext: sc({ seLinuxOptions: { type: 'spc_t' } }) }), ['[container:app]'], withContainer({ securityContext: sc({ seLinuxOptions: { type: 'container_t', level: 's0:c1,c2' } }) })],
  ['HB-POD-019 SELinux user on the pod', seLinuxOptions, podContext({ seLinuxOptions: { user: 'system_u' } }), ['[pod]'], podContext({ seLinuxOptions: { level: 's0' } })],
  ['HB-POD-020 procMount Unmasked', procMount, withContainer({ securityContext: sc({ procMount: 'Unmasked' }) }), ['[container:app]'], withContainer({ securityContext: sc({ procMount: 'Default' }) })],
  ['HB-POD-021 unsafe sysctl', safeSysctls, podContext({ sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }] }), ['[sysctl:kernel.msgmax]'], podContext({ sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1000' }] })],
  ['HB-POD-022 hostProcess on the pod', windowsHostProcess, podContext({ windowsOptions: { hostProcess: true } }), ['[pod]'], podContext({ windowsOptions: { hostProcess: false } })],
  ['HB-POD-022 hostProcess on a container', windowsHostProcess, withContainer({ securityContext: sc({ windowsOptions: { hostProcess: true } }) }), ['[container:app]'], withContainer({ securityContext: sc({ windowsOptions: { gmsaCredentialSpecName: 'x' } }) })],
  ['HB-POD-023 shareProcessNamespace', noSharedProcessNamespace, withPod({ shareProcessNamespace: true }), ['[shareProcessNamespace]'], withPod({ shareProcessNamespace: false })],
])('%s', (_title, rule, bad, findings, good) => {
  test('violation', () => expect(findingsOf(rule, [bad])).toEqual(findings));
  test('allowed', () => expect(findingsOf(rule, [good])).toEqual([]));
});

describe('podSecurityViolations: the per-control verdict', () => {
  test('a pod that only runs as root fails restricted for runAsUser and nothing at baseline', () => {
    const root = podContext({ runAsUser: 0 });
    expect(podSecurityViolations(root, 'restricted')).toEqual(['runAsUser']);
    expect(podSecurityViolations(root, 'baseline')).toEqual([]);
  });

  test('at restricted a hostPath is "restricted volume types", at baseline "hostPath volumes"', () => {
    const host = withPod({ volumes: [{ name: 'h', hostPath: { path: '/etc' } }] });
    expect(podSecurityViolations(host, 'restricted')).toEqual(['restrictedVolumes']);
    expect(podSecurityViolations(host, 'baseline')).toEqual(['hostPathVolumes']);
  });

  test('objects that make no pods have no verdict', () => {
    expect(podSecurityViolations(namespace('apps'), 'restricted')).toEqual([]);
  });
});

describe('HB-NS-006 Pod Security version not older than the cluster', () => {
  const rule = podSecurityVersionRule('v1.28');
  const labelled = (version: string) =>
    namespace('apps', Object.fromEntries(Object.entries(RESTRICTED_LABELS).map(([k, v]) => [k, k.endsWith('-version') && k.includes('enforce') ? version : v])));

  test.each(['v1.28', 'v1.29', 'latest', 'unpinned'])('%s is not this rule\'s finding (latest and unpinned are HB-NS-001\'s)', (v) => {
    expect(findingsOf(rule, [labelled(v)])).toEqual([]);
  });

  test.each(['v1.0', 'v1.27', 'v1.2'])('%s is older than the cluster', (v) => {
    expect(findingsOf(rule, [labelled(v)])).toEqual(['[label:pod-security.kubernetes.io/enforce-version]']);
  });

  test('a declared cluster version that is not v1.N is refused', () => {
    expect(() => podSecurityVersionRule('1.28' as any)).toThrow(/invalid kubernetesVersion "1.28".*v1\.28/);
  });
});
