import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { buildHomelab } from '../../homelab';
import { CHART_RISKS } from '../../homelab/chart-risks';
import { HOMELAB_SUPPRESSIONS, suppressHomelab } from '../../homelab/suppressions';
import {
  AggregateBaselineError,
  KubeObject,
  Report,
  baselineRules,
  collectManifests,
  enforceRules,
  runRules,
  Suppressions,
  suppressionAnnotation,
} from '../../lib';
import { baselinePolicies, binding, container, deployment, manifest, namespace, networkPolicy, podSpec, role, sa } from '../rules/fixtures';

/**
 * The homelab through main's rule step. `extra` objects join the synthesized set as included YAML would
 * (the rule pack sees final objects, whoever made them); `patch` changes the built tree (escape hatches).
 */
function synth(extra: readonly KubeObject[] = [], patch: (charts: Map<string, Chart>) => void = () => undefined) {
  const app = new App();
  const charts = buildHomelab(app);
  patch(charts);
  const manifests = [...collectManifests(app), ...extra.map((o) => manifest(o, `injected/${o.kind}-${o.metadata.name}`))];
  const report: Report = runRules(manifests, baselineRules(), Suppressions.collect(app));
  return { report, run: () => enforceRules(app, manifests, { rules: baselineRules() }) };
}

const homelab = synth();
/** Chart objects (dist/_chart-*) have their own accepted risks (homelab/chart-risks.ts), checked below. */
const own = <T extends { file: string }>(fs: readonly T[]) => fs.filter((f) => !f.file.startsWith('_chart-'));
const line = (f: { ruleId: string; object: string; finding: string }) => `${f.ruleId} ${f.object} ${f.finding}`;

test('the homelab synthesizes with zero unsuppressed ERRORs and no unmatched or refused suppression', () => {
  expect(homelab.report.unsuppressedErrors.map(line)).toEqual([]);
  expect(homelab.report.unmatchedSuppressions).toEqual([]);
  expect(homelab.report.refusedSuppressions).toEqual([]);
  expect(() => homelab.run()).not.toThrow();
});

test('accepted risks are the seed\'s Risk Summary items, each with its reason', () => {
  expect(own(homelab.report.acceptedRisks).map((f) => `${f.by} ${line(f)}`)).toEqual([
    'suppression HB-RBAC-008 ClusterRole//openclaw-homelab-admin [resource:deployments][verb:patch]', // risk 3
    'suppression HB-RBAC-008 ClusterRole//openclaw-homelab-admin [resource:statefulsets][verb:patch]', // risk 3
    'suppression HB-RBAC-014 ClusterRole//openclaw-homelab-admin [resource:applications][verb:patch]', // risk 4
    'exemption HB-POD-009 Deployment/openclaw/openclaw [volume:openclaw-skills]', // risk 9
    'exemption HB-POD-009 Deployment/openclaw/openclaw [volume:workspace-src]', // risk 9
    'exemption HB-POD-010 Deployment/openclaw/openclaw [container:openclaw]', // image provenance: local build
    'suppression HB-POD-013 Deployment/openclaw/openclaw [automountServiceAccountToken:true]',
    'exemption HB-POD-017 Deployment/openclaw/openclaw [volume:openclaw-skills][type:hostPath]', // risk 9: one reason per volume covers both hostPath controls
    'exemption HB-POD-017 Deployment/openclaw/openclaw [volume:workspace-src][type:hostPath]', // risk 9
    'suppression HB-RBAC-005 Role/openclaw/openclaw-role [resource:secrets]', // risk 2
    'suppression HB-RBAC-006 Role/openclaw/openclaw-role [resource:pods/exec]', // risk 2
    'suppression HB-SVC-003 Service/openclaw/openclaw [nodePort:TCP/30789]', // network exposure: Tailscale Serve
  ]);
  for (const f of homelab.report.acceptedRisks) expect(f.reason.length).toBeGreaterThanOrEqual(20);
  // Construct exemptions are per subject: each accepted risk names its own volume or container.
  const exempted = homelab.report.acceptedRisks.filter((f) => f.by === 'exemption');
  expect(exempted.map((f) => [f.ruleId, f.level, f.reason.split(':')[0]])).toEqual([
    ['HB-POD-009', 'ERROR', 'openclaw-skills'],
    ['HB-POD-009', 'ERROR', 'workspace-src'],
    ['HB-POD-010', 'ERROR', 'openclaw'],
    ['HB-POD-017', 'ERROR', 'openclaw-skills'],
    ['HB-POD-017', 'ERROR', 'workspace-src'],
  ]);
});

test('the roadmap is the WARNs left open', () => {
  expect(own(homelab.report.roadmap).map(line)).toEqual([
    // Patching an ExternalSecret picks which store keys land in openclaw-secret, which the agent can read.
    'HB-RBAC-013 ClusterRole//openclaw-homelab-admin [resource:externalsecrets][verb:patch]',
    // Seed roadmap: harden Infisical to non-root (the rendered Authentik is, so it enforces restricted); enforce restricted on openclaw (hostPath).
    'HB-NS-002 Namespace//infisical [enforce:baseline]',
    'HB-NS-002 Namespace//monitoring [enforce:baseline]',
    'HB-NS-002 Namespace//openclaw [enforce:privileged]',
  ]);
});

test('every accepted risk on a chart object is an upstream default listed in CHART_RISKS for its release', () => {
  const charted = homelab.report.acceptedRisks.filter((f) => f.file.startsWith('_chart-'));
  expect(charted.length).toBeGreaterThan(0);
  const listed = new Set(CHART_RISKS.map((r) => `_chart-${r.release}/${r.id}`));
  const unlisted = charted.filter((f) => !listed.has(`${f.file.split('/')[0].replace(/-crds$/, '')}/${f.ruleId}`));
  expect(unlisted.map(line)).toEqual([]);
  for (const f of charted) expect(f.severity).toBeDefined();
});

test('every homelab suppression is an annotation on its object, naming its finding and reason', () => {
  const objects = homelab.run().map((m) => m.object);
  for (const s of HOMELAB_SUPPRESSIONS) {
    const o = objects.find((x) => x.kind === s.kind && x.metadata.name === s.name)!;
    const annotation = o.metadata.annotations?.[suppressionAnnotation(s.id)];
    expect(annotation).toContain(s.finding);
    expect(annotation).toContain(s.reason);
  }
});

test('fails if a suppression names an object its chart does not build', () => {
  const app = new App();
  const chart = new Chart(app, 'openclaw');
  expect(() => suppressHomelab(new Map([['openclaw', chart]]))).toThrow(
    /\[openclaw\] suppression of HB-RBAC-005 names an object the chart does not build: "Role\/openclaw-role".*Fix: correct kind and name/,
  );
});

/** Each violation of the rule pack's list, introduced into the homelab, fails synth with the rule id and its fix. */
const withContainer = (overrides: Record<string, unknown>) => deployment(podSpec({ containers: [container(overrides)] }), undefined, 'injected');
const sc = (overrides: Record<string, unknown>) => ({ ...(container().securityContext as object), ...overrides });
const inLaunchfast = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, namespace: 'launchfast' } });
const CR = (name: string) => ({ kind: 'ClusterRole', name });
const agent = sa('openclaw', 'openclaw');
const ERRORS: [string, KubeObject[]][] = [
  ['HB-NS-001', [namespace('rogue', {}), ...baselinePolicies('rogue')]],
  ['HB-NET-001', [namespace('rogue'), baselinePolicies('rogue')[1]]],
  ['HB-NET-002', [namespace('rogue'), baselinePolicies('rogue')[0]]],
  ['HB-NET-003', [networkPolicy('launchfast', 'lan', { ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16' } }], ports: [{ port: 8080 }] }] })]],
  ['HB-NET-004', [networkPolicy('launchfast', 'world', { ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080 }] }] })]],
  ['HB-NET-005', [networkPolicy('launchfast', 'out', { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })]],
  ['HB-RBAC-001', [role('wild', [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }])]],
  ['HB-RBAC-002', [binding('admin', CR('cluster-admin'), [agent])]],
  ['HB-RBAC-003', [role('esc', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }])]],
  ['HB-RBAC-004', [role('sec', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]), binding('sec', CR('sec'), [agent])]],
  ['HB-RBAC-007', [role('ex', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]), binding('ex', CR('ex'), [agent])]],
  ['HB-RBAC-009', [role('ns', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['patch'] }])]],
  ['HB-RBAC-010', [role('np', [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] }])]],
  ['HB-RBAC-011', [role('tok', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }])]],
  ['HB-RBAC-012', [binding('all', CR('openclaw-homelab-admin'), [{ kind: 'Group', name: 'system:authenticated' }])]],
  ['HB-SEC-001', [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'launchfast' }, stringData: { token: 'x' } }]],
  ['HB-POD-001', [inLaunchfast(withContainer({ securityContext: sc({ runAsNonRoot: false }) }))]],
  ['HB-POD-014', [inLaunchfast(withContainer({ securityContext: sc({ runAsUser: 0 }) }))]],
  ['HB-POD-017', [inLaunchfast(deployment(podSpec({ volumes: [{ name: 'src', gitRepo: { repository: 'https://example.org/r.git' } }] }), undefined, 'injected'))]],
  ['HB-POD-020', [inLaunchfast(withContainer({ securityContext: sc({ procMount: 'Unmasked' }) }))]],
  ['HB-POD-023', [inLaunchfast(deployment(podSpec({ shareProcessNamespace: true }), undefined, 'injected'))]],
  ['HB-POD-002', [inLaunchfast(withContainer({ securityContext: sc({ allowPrivilegeEscalation: true }) }))]],
  ['HB-POD-003', [inLaunchfast(withContainer({ securityContext: sc({ capabilities: { add: ['SYS_ADMIN'] } }) }))]],
  ['HB-POD-004', [inLaunchfast(withContainer({ securityContext: sc({ seccompProfile: { type: 'Unconfined' } }) }))]],
  ['HB-POD-005', [inLaunchfast(withContainer({ securityContext: sc({ privileged: true }) }))]],
  ['HB-POD-006', [inLaunchfast(deployment(podSpec({ hostPID: true }), undefined, 'injected'))]],
  ['HB-POD-007', [inLaunchfast(withContainer({ ports: [{ containerPort: 80, hostPort: 80 }] }))]],
  ['HB-POD-009', [inLaunchfast(deployment(podSpec({ volumes: [{ name: 'host', hostPath: { path: '/etc' } }] }), undefined, 'injected'))]],
  // Exempted as a volume, but mounted writable without a hostpath-writable entry.
  ['HB-POD-009', [inLaunchfast(deployment(podSpec({
    volumes: [{ name: 'host', hostPath: { path: '/srv/docs' } }],
    containers: [container({ volumeMounts: [{ name: 'host', mountPath: '/docs' }] })],
  }), { 'baseline.homelab.dev/exemption.hostpath': '{"host":"read-only documentation the host renders"}' }, 'injected'))]],
  ['HB-POD-010', [inLaunchfast(withContainer({ image: 'nginx:latest' }))]],
  ['HB-POD-011', [inLaunchfast(withContainer({ resources: {} }))]],
  ['HB-POD-012', [inLaunchfast(deployment(podSpec({ automountServiceAccountToken: undefined }), undefined, 'injected'))]],
  ['HB-ARGO-001', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' }, spec: { project: 'platform-helm', source: { repoURL: 'https://x', chart: 'x', targetRevision: 'HEAD' } } }]],
  ['HB-ARGO-002', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' }, spec: { project: 'default', source: { repoURL: 'https://x', chart: 'x', targetRevision: '1.0.0' } } }]],
  ['HB-ARGO-003', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'x', namespace: 'argocd' }, spec: { sourceRepos: ['*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'x' }] } }]],
  ['HB-ARGO-008', [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' }, spec: { project: 'platform-helm', source: { repoURL: 'https://x', chart: 'x', targetRevision: '1.0.0' }, syncPolicy: { syncOptions: ['SkipDryRunOnMissingResource=true'] } } }]],
];

test.each(ERRORS)('introducing a %s violation fails synth with the rule id and its fix', (id, extra) => {
  const rule = baselineRules().find((r) => r.id === id)!;
  const { run } = synth(extra);
  let message = '';
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AggregateBaselineError);
    message = (e as Error).message;
  }
  expect(message).toContain(` ${id} ${rule.title}: `);
  expect(message).toContain(`Fix: ${rule.fix}`);
});

test('an escape hatch cannot hide a violation: a JSON patch opening openclaw to the internet fails synth', () => {
  const { run } = synth([], (charts) => {
    const policy = charts.get('openclaw')!.node.findAll()
      .find((c) => ApiObject.isApiObject(c) && c.kind === 'NetworkPolicy' && c.name === 'allow-tailnet-ingress') as ApiObject;
    policy.addJsonPatch(JsonPatch.replace('/spec/ingress/0/from/0/ipBlock/cidr', '0.0.0.0/0'));
  });
  expect(run).toThrow(/\[openclaw\/.*\] HB-NET-004 No ingress from 0\.0\.0\.0\/0 or from any source: NetworkPolicy\/openclaw\/allow-tailnet-ingress \[ipBlock:0\.0\.0\.0\/0\]/);
});

const WARNS: [string, string, KubeObject[]][] = [
  ['HB-RBAC-005', '[resource:secrets]', [role('r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'launchfast'), binding('r', { kind: 'Role', name: 'r' }, [sa('launchfast', 'launchfast')], 'launchfast')]],
  ['HB-RBAC-006', '[resource:pods/exec]', [role('r', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }], 'launchfast'), binding('r', { kind: 'Role', name: 'r' }, [sa('launchfast', 'launchfast')], 'launchfast')]],
  ['HB-RBAC-008', '[resource:deployments][verb:create]', [role('r', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }], 'launchfast')]],
  ['HB-POD-008', '[container:app]', [inLaunchfast(withContainer({ securityContext: sc({ readOnlyRootFilesystem: false }) }))]],
  ['HB-POD-013', '[automountServiceAccountToken:true]', [inLaunchfast(deployment(podSpec({ automountServiceAccountToken: true }), undefined, 'injected'))]],
];

test.each(WARNS)('introducing a %s %s WARN does not fail synth: it lands on the roadmap', (id, finding, extra) => {
  const { report, run } = synth(extra);
  expect(run).not.toThrow();
  expect(report.roadmap.filter((f) => f.ruleId === id && f.object.includes('launchfast')).map((f) => f.finding)).toEqual([finding]);
});
