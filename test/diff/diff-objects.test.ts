import { stringify, parse } from 'yaml';
import {
  DefaultDenyPolicies,
  DefaultDenyPoliciesProps,
  DiffExitCode,
  Direction,
  HardenedNamespace,
  HardenedNamespaceProps,
  Impact,
  KubeObject,
  ObjectDiff,
  Peer,
  PodSecurityLevel,
  Port,
  diffExitCode,
  diffObjects,
} from '../../lib';
import { synthChart } from '../util';

// Before/after pairs come from the real constructs where they can, so the diff is tested on what synth emits.
function network(props: Omit<DefaultDenyPoliciesProps, 'namespace'>, more?: (p: DefaultDenyPolicies) => void): KubeObject[] {
  return synthChart((c) => {
    const policies = new DefaultDenyPolicies(c, 'net', { namespace: 'apps', ...props });
    more?.(policies);
  });
}

function namespace(props: Partial<HardenedNamespaceProps> = {}): KubeObject[] {
  return synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'apps', ...props }));
}

function clusterRole(rules: object[], name = 'agent'): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules } as KubeObject;
}

const READ_DEPLOYMENTS = { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] };

function widenings(d: ObjectDiff): string[] {
  return d.findings.filter((f) => f.impact === Impact.WIDENING).map((f) => `${f.object}: ${f.message}`);
}

function changes(d: ObjectDiff): string[] {
  return d.findings.filter((f) => f.impact === Impact.CHANGE).map((f) => `${f.object}: ${f.message}`);
}

describe('diffObjects: each widening is reported as one, with the reviewer\'s words', () => {
  test('a verb added to a ClusterRole', () => {
    const d = diffObjects([clusterRole([READ_DEPLOYMENTS])], [clusterRole([{ ...READ_DEPLOYMENTS, verbs: ['get', 'list', 'patch'] }])]);
    expect(widenings(d)).toEqual([
      'ClusterRole agent: grants patch on apps/deployments (all names) (verb added)',
    ]);
    expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
  });

  test('a resourceNames restriction removed, a new resource, a wildcard', () => {
    const before = clusterRole([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['agent-token'] }]);
    const after = clusterRole([{ apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get'] }, { apiGroups: ['batch'], resources: ['*'], verbs: ['list'] }]);
    expect(widenings(diffObjects([before], [after]))).toEqual([
      'ClusterRole agent: grants get on secrets (all names) (resourceNames restriction removed)',
      'ClusterRole agent: grants get on configmaps (all names) (resource added)',
      'ClusterRole agent: grants list on batch/* (all names) (apiGroup added)',
    ]);
  });

  test('a Role that becomes a ClusterRole, and a new subject on a binding', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'agent', namespace: 'apps' }, rules: [READ_DEPLOYMENTS] } as KubeObject;
    const binding = (subjects: object[]): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'agent', namespace: 'apps' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'agent' }, subjects,
    });
    const sa = { kind: 'ServiceAccount', name: 'agent', namespace: 'apps' };
    const d = diffObjects([role, binding([sa])], [clusterRole([READ_DEPLOYMENTS]), binding([sa, { ...sa, name: 'other' }])]);
    const w = widenings(d);
    expect(w).toContain('ClusterRole agent: scope widened from Role apps/agent (one namespace) to ClusterRole agent (cluster-wide)');
    expect(w).toContain('RoleBinding apps/agent: subject added: ServiceAccount apps/other now bound to Role agent in namespace apps');
  });

  test('a port added to an allowance', () => {
    const d = diffObjects(network({ tailnetIngress: [Port.tcp(8080)] }), network({ tailnetIngress: [Port.tcp(8080), Port.tcp(9090)] }));
    expect(widenings(d)).toEqual(['NetworkPolicy apps/allow-tailnet-ingress: Ingress from 100.64.0.0/10 on TCP/9090 now allowed (port added)']);
    expect(d.changed.map((c) => c.object)).toEqual(['NetworkPolicy apps/allow-tailnet-ingress']);
  });

  test('a CIDR widened (containment, not string equality)', () => {
    const ingress = (cidr: string) => network({}, (p) => p.allow(Direction.INGRESS, Peer.cidr(cidr), [Port.tcp(443)], { name: 'allow-admin' }));
    const d = diffObjects(ingress('100.64.1.0/24'), ingress('100.64.0.0/16'));
    expect(widenings(d)).toEqual([
      'NetworkPolicy apps/allow-admin: Ingress from 100.64.0.0/16 on TCP/443 now allowed (CIDR widened from 100.64.1.0/24 to 100.64.0.0/16)',
    ]);
    // The other way round is a narrowing: every address allowed after was allowed before.
    expect(widenings(diffObjects(ingress('100.64.0.0/16'), ingress('100.64.1.0/24')))).toEqual([]);
  });

  test('an except entry removed from internet egress', () => {
    const internet = network({ internetEgress: [Port.tcp(443)] });
    const holed = structuredClone(internet);
    const policy = holed.find((o) => o.metadata.name === 'allow-internet-egress') as any;
    policy.spec.egress[0].to[0].ipBlock.except = policy.spec.egress[0].to[0].ipBlock.except.filter((e: string) => e !== '169.254.0.0/16');
    expect(widenings(diffObjects(internet, holed))).toEqual([
      'NetworkPolicy apps/allow-internet-egress: Egress to 0.0.0.0/0 except 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 on TCP/443 now allowed (except 169.254.0.0/16 removed)',
    ]);
  });

  test("a namespace's enforce lowered", () => {
    const d = diffObjects(namespace(), namespace({ podSecurity: { enforce: PodSecurityLevel.BASELINE, reason: 'the upstream chart runs its server as root' } }));
    expect(widenings(d)).toEqual([
      'Namespace apps: enforce lowered from restricted to baseline',
      'Namespace apps: exemption added: baseline.homelab.dev/pod-security-reason = "the upstream chart runs its server as root"',
    ]);
  });

  test('a Pod Security version unpinned (anything HB-NS-001 would refuse), or moved to another minor', () => {
    const withVersion = (v: string): KubeObject[] => namespace().map((o) => structuredClone(o)).map((o) => {
      o.metadata.labels!['pod-security.kubernetes.io/enforce-version'] = v;
      return o;
    });
    expect(changes(diffObjects(namespace(), withVersion('v1.29')))).toEqual(['Namespace apps: enforce-version changed from v1.28 to v1.29']);
    for (const v of ['latest', 'v1.29.1', 'v1']) {
      expect(widenings(diffObjects(namespace(), withVersion(v)))).toEqual([
        `Namespace apps: enforce-version changed from v1.28 to ${v} (unpinned: a cluster upgrade changes what is admitted)`,
      ]);
    }
  });

  test('a Pod Security version moved to an older minor is a widening: its checks admit more', () => {
    const withVersion = (v: string): KubeObject[] => namespace().map((o) => structuredClone(o)).map((o) => {
      o.metadata.labels!['pod-security.kubernetes.io/enforce-version'] = v;
      return o;
    });
    expect(widenings(diffObjects(namespace(), withVersion('v1.0')))).toEqual([
      'Namespace apps: enforce-version changed from v1.28 to v1.0 (older: its checks admit pods the newer version refuses)',
    ]);
    expect(widenings(diffObjects(withVersion('v1.0'), namespace()))).toEqual([]);
  });

  test('a default-deny removed', () => {
    const before = network({});
    const d = diffObjects(before, before.filter((o) => o.metadata.name !== 'default-deny-all'));
    expect(widenings(d)).toEqual([
      'NetworkPolicy apps/default-deny-all: default-deny removed: Ingress of all pods no longer denied by this policy',
      'NetworkPolicy apps/default-deny-all: default-deny removed: Egress of all pods no longer denied by this policy',
      'NetworkPolicy apps/default-deny-all: removed: ArgoCD prunes it from the cluster',
    ]);
  });

  test('an object removed', () => {
    const before = network({ tailnetIngress: [Port.tcp(8080)] });
    const d = diffObjects(before, before.filter((o) => o.metadata.name !== 'allow-tailnet-ingress'));
    expect(d.removed).toEqual(['NetworkPolicy apps/allow-tailnet-ingress']);
    expect(widenings(d)).toEqual(['NetworkPolicy apps/allow-tailnet-ingress: removed: ArgoCD prunes it from the cluster']);
    expect(changes(d)).toEqual(['NetworkPolicy apps/allow-tailnet-ingress: Ingress from 100.64.0.0/10 on TCP/8080 no longer allowed by this policy']);
    expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
  });

  test('a suppression added', () => {
    const before = clusterRole([READ_DEPLOYMENTS]);
    const after = structuredClone(before) as any;
    after.metadata.annotations = { 'baseline.homelab.dev/suppress.RBAC-WORKLOAD-WRITE': '{"[verb:patch]":"the agent restarts its own deployments"}' };
    expect(widenings(diffObjects([before], [after]))).toEqual([
      'ClusterRole agent: suppression added: baseline.homelab.dev/suppress.RBAC-WORKLOAD-WRITE = "{"[verb:patch]":"the agent restarts its own deployments"}"',
    ]);
    // A new finding id in an existing suppression is a widening too; a reworded reason is not.
    const more = structuredClone(after);
    more.metadata.annotations['baseline.homelab.dev/suppress.RBAC-WORKLOAD-WRITE'] = '{"[verb:create]":"the agent restarts its own deployments","[verb:patch]":"the agent restarts its own deployments"}';
    expect(widenings(diffObjects([after], [more]))).toEqual([
      'ClusterRole agent: suppression added: baseline.homelab.dev/suppress.RBAC-WORKLOAD-WRITE gained [verb:create]',
    ]);
    // One exemption per GroupKind: a new key is a new exemption.
    const perKind = (value: string): KubeObject => ({ ...before, metadata: { ...before.metadata, annotations: { 'baseline.homelab.dev/exemption.cluster-resources': value } } });
    expect(widenings(diffObjects([perKind('{"rbac/ClusterRole":"watches all namespaces"}')], [perKind('{"apiextensions/CustomResourceDefinition":"installs its CRDs","rbac/ClusterRole":"watches every namespace"}')]))).toEqual([
      'ClusterRole agent: exemption added: baseline.homelab.dev/exemption.cluster-resources gained apiextensions/CustomResourceDefinition',
    ]);
    const reworded = structuredClone(after);
    reworded.metadata.annotations['baseline.homelab.dev/suppress.RBAC-WORKLOAD-WRITE'] = '{"[verb:patch]":"rollouts of its own deployments"}';
    expect(widenings(diffObjects([after], [reworded]))).toEqual([]);
  });

  test('a new subject in an exemption list (a JSON object subject → reason, as HardenedDeployment writes it)', () => {
    const hostpath = (value: Record<string, string>): KubeObject => ({ ...clusterRole([]), metadata: { name: 'agent', annotations: { 'baseline.homelab.dev/exemption.hostpath': JSON.stringify(value) } } });
    const src = { src: 'the agent edits its own source checkout' };
    const withDocker = { ...src, docker: 'the agent builds images on the node' };
    const d = diffObjects([hostpath(src)], [hostpath(withDocker)]);
    expect(widenings(d)).toEqual(['ClusterRole agent: exemption added: baseline.homelab.dev/exemption.hostpath gained docker']);
    expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
    // Dropping a subject or rewording its reason is a change, not a widening.
    const narrowed = diffObjects([hostpath(withDocker)], [hostpath({ src: 'it edits its own source checkout' })]);
    expect(widenings(narrowed)).toEqual([]);
    expect(changes(narrowed)).toEqual(['ClusterRole agent: exemption narrowed or reworded: baseline.homelab.dev/exemption.hostpath = "{"src":"it edits its own source checkout"}"']);
    // A reason that contains "; other: ..." stays one entry: no reason text can add a subject.
    expect(widenings(diffObjects([hostpath(src)], [hostpath({ src: `${src.src}; docker: the agent builds images` })]))).toEqual([]);
    const suppress = (value: Record<string, string>): KubeObject => ({ ...clusterRole([]), metadata: { name: 'agent', annotations: { 'baseline.homelab.dev/suppress.HB-NET-001': JSON.stringify(value) } } });
    expect(widenings(diffObjects([suppress({ '[ingress:0][from:any]': 'the probe port is open to all' })], [suppress({ '[egress:1][0.0.0.0/0]': 'the probe port is open to all', '[ingress:0][from:any]': 'the probe port is open to all' })]))).toEqual([
      'ClusterRole agent: suppression added: baseline.homelab.dev/suppress.HB-NET-001 gained [egress:1][0.0.0.0/0]',
    ]);
  });
});

describe('diffObjects: what is not a widening', () => {
  test('a pure reformatting (other key order, flow style, whitespace) is no change', () => {
    const objects = [...namespace(), ...network({ tailnetIngress: [Port.tcp(8080)], internetEgress: [Port.tcp(443)] })];
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, e]) => [k, reversed(e)])) : v;
    const reformatted = objects.map((o) => parse(`\n${stringify(reversed(o), { indent: 4, flowCollectionPadding: false, collectionStyle: 'flow' })}\n\n`) as KubeObject);
    expect(reformatted.map((o) => JSON.stringify(o))).not.toEqual(objects.map((o) => JSON.stringify(o)));
    const d = diffObjects(objects, reformatted);
    expect(d).toEqual({ added: [], removed: [], changed: [], unchanged: objects.length, findings: [] });
    expect(diffExitCode(d)).toBe(DiffExitCode.NO_CHANGE);
  });

  test('a narrowing is a change, not a widening', () => {
    const d = diffObjects(
      [...namespace({ podSecurity: { enforce: PodSecurityLevel.BASELINE, reason: 'the upstream chart runs its server as root' } }), ...network({ tailnetIngress: [Port.tcp(8080), Port.tcp(9090)] }), clusterRole([{ ...READ_DEPLOYMENTS, verbs: ['get', 'list', 'patch'] }])],
      [...namespace(), ...network({ tailnetIngress: [Port.tcp(8080)] }), clusterRole([READ_DEPLOYMENTS])],
    );
    expect(widenings(d)).toEqual([]);
    expect(changes(d)).toEqual([
      'ClusterRole agent: no longer grants patch on apps/deployments (all names)',
      'Namespace apps: enforce raised from baseline to restricted',
      'Namespace apps: exemption removed: baseline.homelab.dev/pod-security-reason',
      'NetworkPolicy apps/allow-tailnet-ingress: Ingress from 100.64.0.0/10 on TCP/9090 no longer allowed by this policy',
    ]);
    expect(diffExitCode(d)).toBe(DiffExitCode.CHANGES);
  });

  test('a chart version bump is a change; a new chart repository is a widening', () => {
    const app = (targetRevision: string, repoURL = 'https://charts.example.org'): KubeObject => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'monitoring', namespace: 'argocd' },
      spec: { source: { repoURL, chart: 'kube-prometheus-stack', targetRevision } },
    });
    const bump = diffObjects([app('82.1.0')], [app('82.2.0')]);
    expect(changes(bump)).toEqual(['Application argocd/monitoring: source targetRevision: 82.1.0 → 82.2.0']);
    expect(diffExitCode(bump)).toBe(DiffExitCode.CHANGES);
    expect(widenings(diffObjects([app('82.1.0')], [app('82.1.0', 'https://elsewhere.example.org')]))).toEqual([
      'Application argocd/monitoring: source repoURL: https://charts.example.org → https://elsewhere.example.org (new source repository)',
    ]);
  });

  test('a rule narrowed from every resource\'s exec to pods/exec is not a new grant (`*/subresource` matching)', () => {
    const exec = (resource: string) => clusterRole([{ apiGroups: [''], resources: [resource], verbs: ['create'] }]);
    const narrowed = diffObjects([exec('*/exec')], [exec('pods/exec')]);
    expect(widenings(narrowed)).toEqual([]);
    expect(changes(narrowed)).toEqual(['ClusterRole agent: no longer grants create on */exec (all names)']);
    // The other way round widens.
    expect(widenings(diffObjects([exec('pods/exec')], [exec('*/exec')]))).toEqual(['ClusterRole agent: grants create on */exec (all names) (resource added)']);
    // A rule without apiGroups grants nothing (the authorizer matches no group), so giving it one is a widening.
    expect(widenings(diffObjects([clusterRole([{ resources: ['pods'], verbs: ['get'] }])], [clusterRole([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])]))).toEqual([
      'ClusterRole agent: grants get on pods (all names) (apiGroup added)',
    ]);
  });

  test('a ServiceAccount subject whose namespace is made explicit (it defaulted to the binding\'s) is no new subject', () => {
    const binding = (subject: object): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'agent', namespace: 'apps' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'agent' }, subjects: [subject],
    });
    const d = diffObjects([binding({ kind: 'ServiceAccount', name: 'agent' })], [binding({ kind: 'ServiceAccount', name: 'agent', namespace: 'apps' })]);
    expect(d.findings).toEqual([]);
    // Another namespace's ServiceAccount is a new subject.
    expect(widenings(diffObjects([binding({ kind: 'ServiceAccount', name: 'agent' })], [binding({ kind: 'ServiceAccount', name: 'agent', namespace: 'other' })]))).toEqual([
      'RoleBinding apps/agent: subject added: ServiceAccount other/agent now bound to Role agent in namespace apps',
    ]);
  });

  test('two objects with one identity are refused', () => {
    expect(() => diffObjects([], [clusterRole([]), clusterRole([])])).toThrow('after: two objects are ClusterRole agent');
  });
});

describe('diffObjects: ArgoCD AppProjects are a security boundary', () => {
  const project = (spec: object): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'apps', namespace: 'argocd' }, spec,
  });
  const base = {
    sourceRepos: ['https://git.example.org/homelab'],
    destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'apps' }],
    namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
    namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }],
  };

  test('a new destination, source or kind, or a removed blacklist entry, is a widening', () => {
    const wider = project({
      ...base,
      destinations: [...base.destinations, { server: 'https://kubernetes.default.svc', namespace: 'kube-system' }],
      clusterResourceWhitelist: [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }],
      namespaceResourceBlacklist: [],
    });
    expect(widenings(diffObjects([project(base)], [wider]))).toEqual([
      'AppProject argocd/apps: added to destinations: https://kubernetes.default.svc kube-system',
      'AppProject argocd/apps: added to clusterResourceWhitelist: rbac.authorization.k8s.io/ClusterRole',
      'AppProject argocd/apps: removed from namespaceResourceBlacklist: Secret',
    ]);
    expect(widenings(diffObjects([wider], [project(base)]))).toEqual([]);
  });

  test('a new project is compared with an empty one: every allow-list entry is a widening', () => {
    const d = diffObjects([], [project({ ...base, clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] })]);
    expect(widenings(d)).toEqual([
      'AppProject argocd/apps: added to sourceRepos: https://git.example.org/homelab',
      'AppProject argocd/apps: added to destinations: https://kubernetes.default.svc apps',
      'AppProject argocd/apps: added to clusterResourceWhitelist: Namespace',
      'AppProject argocd/apps: added to namespaceResourceWhitelist: apps/Deployment',
    ]);
    expect(changes(d)).toEqual(['AppProject argocd/apps: added to namespaceResourceBlacklist: Secret']);
    expect(diffExitCode(d)).toBe(DiffExitCode.SECURITY_WIDENING);
  });

  test('a missing namespaceResourceWhitelist allows every namespaced kind, unless all are blacklisted', () => {
    const { namespaceResourceWhitelist: _, ...open } = base;
    expect(widenings(diffObjects([project(base)], [project(open)]))).toEqual([
      'AppProject argocd/apps: added to namespaceResourceWhitelist: every namespaced kind (no whitelist)',
    ]);
    // Listing kinds where there was no whitelist narrows the project.
    expect(widenings(diffObjects([project(open)], [project(base)]))).toEqual([]);
    // A project for cluster-scoped objects only (as GitOpsProject renders it) allows no namespaced kind.
    const clusterOnly = { sourceRepos: base.sourceRepos, destinations: [{ server: 'https://kubernetes.default.svc', namespace: '*' }], namespaceResourceBlacklist: [{ group: '*', kind: '*' }] };
    expect(widenings(diffObjects([], [project(clusterOnly)]))).toEqual([
      'AppProject argocd/apps: added to sourceRepos: https://git.example.org/homelab',
      'AppProject argocd/apps: added to destinations: https://kubernetes.default.svc *',
    ]);
  });
});
