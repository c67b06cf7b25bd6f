/**
 * The rule pack's Pod Security verdict, control by control, against the real Pod Security admission (v1.28):
 * every pod template in dist/ (whatever made it: constructs or rendered charts) is created with server
 * dry-run in a scratch namespace enforcing restricted and in one enforcing baseline; the controls named in
 * the admission message must be exactly the controls the pack's rules find. One mutated canary per control
 * shows each side can refuse.
 */
import {
  KubeObject,
  POD_SECURITY_CONTROLS,
  PodSecurityStandard,
  baselineRules,
  makesPods,
  podFromTemplate,
  podSecurityControlsAt,
  podSecurityViolations,
} from '../../lib';
import { distObjects, title } from './dist';
import { dryRunCreate, kubectl } from './kube';

const LEVELS: readonly PodSecurityStandard[] = ['restricted', 'baseline'];
const scratch = (level: string, version = 'v1.28') => `pss-${level}-${version.replace('.', '-')}-check`;

function createNamespace(level: string, version = 'v1.28'): void {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  const r = kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: scratch(level, version), labels } }));
  if (r.code !== 0) throw new Error(r.stderr);
}

/**
 * The controls a dry-run create was refused for: the admission message `violates PodSecurity "<level>:v1.28":
 * <reason> (<detail>), <reason> (<detail>)...` read reason by reason (details may hold commas and quotes,
 * never an unbalanced parenthesis), each reason mapped to the control of `level` that writes it. An
 * unknown reason throws: the control table would be incomplete.
 */
function refusedControls(stderr: string, level: PodSecurityStandard): string[] {
  const m = new RegExp(`violates PodSecurity "${level}:v1\\.28": (.*)$`, 'm').exec(stderr);
  if (!m) return [];
  const controls = podSecurityControlsAt(level);
  const text = m[1].trim();
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const reasons = controls.flatMap((c) => c.reasons.map((r) => ({ r, c }))).filter(({ r }) => text.startsWith(r, i) && /^( \(|, |$)/.test(text.slice(i + r.length)));
    const match = reasons.sort((a, b) => b.r.length - a.r.length)[0];
    if (!match) throw new Error(`unknown Pod Security reason at "${text.slice(i)}" in: ${text}`);
    out.push(match.c.control);
    i += match.r.length;
    if (text.startsWith(' (', i)) {
      let depth = 0;
      for (; i < text.length; i++) {
        if (text[i] === '(') depth++;
        if (text[i] === ')' && --depth === 0) break;
      }
      i++;
    }
    if (text.startsWith(', ', i)) i += 2;
  }
  return out.sort();
}

/** What the real admission says about `pod` at `level`: the refused controls (empty when admitted). */
function admission(pod: KubeObject, level: PodSecurityStandard): string[] {
  const r = dryRunCreate({ ...pod, metadata: { ...pod.metadata, namespace: scratch(level) } });
  if (r.code === 0) return [];
  const controls = refusedControls(r.stderr, level);
  if (!controls.length) throw new Error(`dry-run create failed, but not by Pod Security:\n${r.stderr}`);
  return controls;
}

const pack = (o: KubeObject, level: PodSecurityStandard): string[] => podSecurityViolations(o, level).sort();

beforeAll(() => {
  for (const level of LEVELS) createNamespace(level);
});

describe('the message parser', () => {
  test('reads every reason, details with commas and quotes included, and refuses an unknown one', () => {
    const msg = 'Error from server (Forbidden): pods "x" is forbidden: violates PodSecurity "baseline:v1.28": forbidden AppArmor profiles (a="unconfined", b="x"), hostPort (container "c" uses hostPort 80), seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")';
    expect(refusedControls(msg, 'baseline')).toEqual(['appArmorProfile', 'hostPorts', 'seccompProfile_baseline']);
    expect(() => refusedControls('violates PodSecurity "baseline:v1.28": something new (x)', 'baseline')).toThrow(/unknown Pod Security reason/);
  });
});

// Every pod template of dist/, of every kind that makes pods (constructs' and charts' alike).
const templates = distObjects().map((d) => d.object).filter((o) => makesPods(o.kind));

test('dist/ has pod templates to judge', () => {
  expect(templates.length).toBeGreaterThan(0);
});

describe.each(templates.map((o) => [title(o), o] as const))('%s', (_title, workload) => {
  test.each(LEVELS)('the pack\'s verdict per control equals the real admission at %s', (level) => {
    const pod = podFromTemplate(workload);
    expect({ level, controls: pack(workload, level) }).toEqual({ level, controls: admission(pod, level) });
  });
});

/** A pod that meets restricted; each canary changes one control. */
function compliant(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'canary', annotations: {} },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'c',
        image: 'registry.example/canary:1.0.0',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }],
    },
  };
}

type Canary = [control: string, change: (pod: any) => void, refused: { baseline: string[]; restricted: string[] }];
const c0 = (p: any) => p.spec.containers[0].securityContext;
// The refused sets are what the Standards say each change breaks (written down, not read from either side).
const CANARIES: Canary[] = [
  ['hostNamespaces', (p) => (p.spec.hostPID = true), { baseline: ['hostNamespaces'], restricted: ['hostNamespaces'] }],
  // privileged with allowPrivilegeEscalation false is refused by validation, so escalation is on too.
  ['privileged', (p) => Object.assign(c0(p), { privileged: true, allowPrivilegeEscalation: true }), { baseline: ['privileged'], restricted: ['allowPrivilegeEscalation', 'privileged'] }],
  ['capabilities_baseline', (p) => (c0(p).capabilities.add = ['SYS_ADMIN']), { baseline: ['capabilities_baseline'], restricted: ['capabilities_restricted'] }],
  ['hostPathVolumes', (p) => (p.spec.volumes = [{ name: 'h', hostPath: { path: '/etc' } }]), { baseline: ['hostPathVolumes'], restricted: ['restrictedVolumes'] }],
  ['hostPorts', (p) => (p.spec.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }]), { baseline: ['hostPorts'], restricted: ['hostPorts'] }],
  ['appArmorProfile', (p) => (p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/c'] = 'unconfined'), { baseline: ['appArmorProfile'], restricted: ['appArmorProfile'] }],
  ['seLinuxOptions', (p) => (c0(p).seLinuxOptions = { type: 'spc_t' }), { baseline: ['seLinuxOptions'], restricted: ['seLinuxOptions'] }],
  ['procMount', (p) => (c0(p).procMount = 'Unmasked'), { baseline: ['procMount'], restricted: ['procMount'] }],
  ['seccompProfile_baseline', (p) => (p.spec.securityContext.seccompProfile = { type: 'Unconfined' }), { baseline: ['seccompProfile_baseline'], restricted: ['seccompProfile_restricted'] }],
  ['sysctls', (p) => (p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]), { baseline: ['sysctls'], restricted: ['sysctls'] }],
  // Validation wants hostNetwork with a HostProcess pod, so host namespaces fail too.
  ['windowsHostProcess', (p) => Object.assign(p.spec, { hostNetwork: true, securityContext: { ...p.spec.securityContext, windowsOptions: { hostProcess: true } } }), { baseline: ['hostNamespaces', 'windowsHostProcess'], restricted: ['hostNamespaces', 'windowsHostProcess'] }],
  ['restrictedVolumes', (p) => (p.spec.volumes = [{ name: 'src', gitRepo: { repository: 'https://example.org/r.git' } }]), { baseline: [], restricted: ['restrictedVolumes'] }],
  ['allowPrivilegeEscalation', (p) => (c0(p).allowPrivilegeEscalation = true), { baseline: [], restricted: ['allowPrivilegeEscalation'] }],
  ['runAsNonRoot', (p) => (p.spec.securityContext.runAsNonRoot = false), { baseline: [], restricted: ['runAsNonRoot'] }],
  ['runAsUser', (p) => (p.spec.securityContext.runAsUser = 0), { baseline: [], restricted: ['runAsUser'] }],
  ['seccompProfile_restricted', (p) => delete p.spec.securityContext.seccompProfile, { baseline: [], restricted: ['seccompProfile_restricted'] }],
  ['capabilities_restricted', (p) => (c0(p).capabilities.add = ['CHOWN']), { baseline: [], restricted: ['capabilities_restricted'] }],
];

test('one canary per control', () => {
  expect(CANARIES.map(([c]) => c).sort()).toEqual(POD_SECURITY_CONTROLS.map((c) => c.control).sort());
});

test('the compliant pod is admitted at restricted and passes the pack (each canary fails for its one change)', () => {
  for (const level of LEVELS) {
    expect(admission(compliant(), level)).toEqual([]);
    expect(pack(compliant(), level)).toEqual([]);
  }
});

describe.each(CANARIES)('canary %s', (control, change, refused) => {
  const pod = compliant();
  change(pod);
  const level = POD_SECURITY_CONTROLS.find((c) => c.control === control)!.level;

  test(`refused at ${level} by the real admission and by the pack`, () => {
    const expected = refused[level];
    expect(expected.length).toBeGreaterThan(0);
    expect(admission(pod, level)).toEqual(expected);
    expect(pack(pod, level)).toEqual(expected);
  });

  test('both agree at the other level too', () => {
    const other: PodSecurityStandard = level === 'baseline' ? 'restricted' : 'baseline';
    expect(admission(pod, other)).toEqual(refused[other]);
    expect(pack(pod, other)).toEqual(refused[other]);
  });

  test('the rule of the control finds it (so synth refuses it without a reasoned exemption)', () => {
    const rule = POD_SECURITY_CONTROLS.find((c) => c.control === control)!.rule;
    expect(baselineRules().map((r) => r.id)).toContain(rule.id);
    expect(rule.check({ ...pod, metadata: { ...pod.metadata, namespace: 'x' } }, { objects: [], ofKind: () => [] }).length).toBeGreaterThan(0);
  });
});

describe('the Pod Security label version (HB-NS-006\'s premise, on the real server)', () => {
  beforeAll(() => createNamespace('restricted', 'v1.0'));

  test('restricted:v1.0 admits a runAsUser 0 pod that restricted:v1.28 refuses', () => {
    const root = compliant();
    root.spec.securityContext.runAsUser = 0;
    const old = dryRunCreate({ ...root, metadata: { ...root.metadata, namespace: scratch('restricted', 'v1.0') } });
    expect(old.stderr).toBe('');
    expect(old.code).toBe(0);
    expect(admission(root, 'restricted')).toEqual(['runAsUser']);
  });

  test('the pack refuses a namespace pinned to v1.0 on a v1.28 cluster', () => {
    const rule = baselineRules({ kubernetesVersion: 'v1.28' }).find((r) => r.id === 'HB-NS-006')!;
    const ns = kubectl(['get', 'namespace', scratch('restricted', 'v1.0'), '-o', 'json']);
    expect(rule.check(JSON.parse(ns.stdout), { objects: [], ofKind: () => [] }).map((f) => f.finding)).toEqual([
      '[label:pod-security.kubernetes.io/enforce-version]',
      '[label:pod-security.kubernetes.io/audit-version]',
      '[label:pod-security.kubernetes.io/warn-version]',
    ]);
  });
});

test('shareProcessNamespace is no Pod Security control: admission admits it, the pack (HB-POD-023) does not', () => {
  const shared = compliant();
  shared.spec.shareProcessNamespace = true;
  expect(admission(shared, 'restricted')).toEqual([]);
  const rule = baselineRules().find((r) => r.id === 'HB-POD-023')!;
  expect(rule.check({ ...shared, metadata: { ...shared.metadata, namespace: 'x' } }, { objects: [], ofKind: () => [] }).map((f) => f.finding)).toEqual(['[shareProcessNamespace]']);
});
