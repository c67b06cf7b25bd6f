/**
 * What the library refuses: one bad input per row, the construct that refuses it and the message it must
 * give. Executed by bad-input-cases.test.ts and rendered by scripts/bad-input-table.ts into README's
 * "What the library refuses" (a test keeps the two equal). Every case runs the whole synth pipeline (build,
 * tree validation, rule pack), so a refusal at any stage counts, and the table shows the real message.
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { KubeClusterRoleBinding } from 'cdk8s-plus-28/lib/imports/k8s';
import {
  AgentRbac,
  AggregateBaselineError,
  BaselineError,
  ContainerImage,
  DefaultDenyPolicies,
  Direction,
  ExternalSecretBinding,
  GitOpsApplication,
  GitOpsProject,
  HardenedDeployment,
  HardenedDeploymentProps,
  HardenedNamespace,
  InfisicalClusterSecretStore,
  Peer,
  PodSecurityLevel,
  Port,
  Resource,
  Resources,
  Volume,
  baselineRules,
  collectManifests,
  enforceRules,
} from '../lib';

/** One refused input. */
export interface BadInputCase {
  /** The construct (or stage) that refuses it. */
  readonly construct: string;
  /** The input, as the operator would write it. */
  readonly input: string;
  /** Builds the input into the chart `homelab` of a fresh app. */
  readonly build: (chart: Chart) => void;
  /** What the message must say (besides the `[path] problem: value. Allowed: ... Fix: ...` shape). */
  readonly message: RegExp;
}

const RESOURCES: Resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } };
const REPO = 'https://github.com/holdennguyen/homelab';

const policies = (chart: Chart, props: Partial<ConstructorParameters<typeof DefaultDenyPolicies>[2]> = {}) =>
  new DefaultDenyPolicies(chart, 'Network', { namespace: 'media', ...props });

const agent = (chart: Chart) => new AgentRbac(chart, 'Agent', { name: 'bot', namespace: 'agents', automountServiceAccountToken: true });
const GRANT_DOC = { purpose: 'what the bad-input agent does with it', risk: { level: 'low' } } as const;

function binding(chart: Chart, props: Partial<ConstructorParameters<typeof ExternalSecretBinding>[2]> = {}): ExternalSecretBinding {
  const store = new InfisicalClusterSecretStore(chart, 'Store', { projectSlug: 'homelab', environmentSlug: 'prod' });
  return new ExternalSecretBinding(chart, 'Secret', { store, name: 'app-secret', namespace: 'apps', data: [{ secretKey: 'API_TOKEN' }], ...props });
}

function workload(chart: Chart, props: Partial<HardenedDeploymentProps> = {}): HardenedDeployment {
  return new HardenedDeployment(chart, 'Web', {
    name: 'web',
    namespace: 'apps',
    image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27.3-alpine'),
    runAsUser: 101,
    runAsGroup: 101,
    resources: RESOURCES,
    ...props,
  });
}

function application(chart: Chart, source: { targetRevision?: string; version?: string }): void {
  const project = new GitOpsProject(chart, 'Project', { name: 'homelab', description: 'the homelab', sourceRepos: [REPO, 'https://charts.example.com'], namespaces: ['apps'] });
  new GitOpsApplication(chart, 'App', {
    name: 'apps',
    project,
    destinationNamespace: 'apps',
    ...(source.version === undefined
      ? { git: { repoURL: REPO, path: 'dist/apps', targetRevision: source.targetRevision! } }
      : { helm: { repoURL: 'https://charts.example.com', chart: 'app', version: source.version } }),
  });
}

export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  // --- HardenedNamespace ---------------------------------------------------------------------------------
  { construct: 'HardenedNamespace', input: 'name: "Media_Server"', build: (c) => new HardenedNamespace(c, 'Namespace', { name: 'Media_Server' }), message: /invalid namespace name: "Media_Server"/ },
  {
    construct: 'HardenedNamespace',
    input: 'podSecurity: { enforce: BASELINE } (no reason)',
    build: (c) => new HardenedNamespace(c, 'Namespace', { name: 'media', podSecurity: { enforce: PodSecurityLevel.BASELINE } }),
    message: /Pod Security enforce=baseline needs a written reason: undefined/,
  },
  {
    construct: 'HardenedNamespace',
    input: 'podSecurity: { enforce: PRIVILEGED, reason: "TODO" }',
    build: (c) => new HardenedNamespace(c, 'Namespace', { name: 'media', podSecurity: { enforce: PodSecurityLevel.PRIVILEGED, reason: 'TODO' } }),
    message: /Pod Security enforce=privileged needs a written reason: "TODO"/,
  },
  { construct: 'HardenedNamespace', input: 'podSecurity: { version: "latest" }', build: (c) => new HardenedNamespace(c, 'Namespace', { name: 'media', podSecurity: { version: 'latest' } }), message: /Pod Security version must be pinned: "latest"/ },
  {
    construct: 'HardenedNamespace',
    input: 'labels: { "pod-security.kubernetes.io/enforce": "privileged" }',
    build: (c) => new HardenedNamespace(c, 'Namespace', { name: 'media', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }),
    message: /Pod Security labels cannot be set through `labels`/,
  },
  {
    construct: 'HardenedNamespace',
    input: 'labels: { team: "has space" }',
    build: (c) => new HardenedNamespace(c, 'Namespace', { name: 'media', labels: { team: 'has space' } }),
    message: /invalid value of label "team": "has space"\. Allowed: empty, or 1-63 letters/,
  },
  // --- DefaultDenyPolicies ------------------------------------------------------------------------------
  { construct: 'DefaultDenyPolicies', input: 'tailnetIngress: [Port.tcp(0)]', build: (c) => policies(c, { tailnetIngress: [Port.tcp(0)] }), message: /invalid port: 0\. Allowed: an integer from 1 to 65535/ },
  { construct: 'DefaultDenyPolicies', input: 'internetEgress: [Port.tcp(65536)]', build: (c) => policies(c, { internetEgress: [Port.tcp(65536)] }), message: /invalid port: 65536/ },
  { construct: 'DefaultDenyPolicies', input: 'tailnetIngress: [Port.tcp(80.5)]', build: (c) => policies(c, { tailnetIngress: [Port.tcp(80.5)] }), message: /invalid port: 80\.5/ },
  { construct: 'DefaultDenyPolicies', input: 'tailnetIngress: [Port.of("ICMP", 8)]', build: (c) => policies(c, { tailnetIngress: [Port.of('ICMP', 8)] }), message: /unknown protocol: "ICMP"\. Allowed: TCP, UDP, SCTP/ },
  { construct: 'DefaultDenyPolicies', input: 'apiServerEgress: Peer.cidr("10.96.0.1") (no mask)', build: (c) => policies(c, { apiServerEgress: Peer.cidr('10.96.0.1') }), message: /invalid CIDR: "10\.96\.0\.1"/ },
  { construct: 'DefaultDenyPolicies', input: 'apiServerEgress: Peer.cidr("10.96.0.1/12") (host bits set)', build: (c) => policies(c, { apiServerEgress: Peer.cidr('10.96.0.1/12') }), message: /invalid CIDR: "10\.96\.0\.1\/12"/ },
  { construct: 'DefaultDenyPolicies', input: 'apiServerEgress: Peer.cidr("10.96.0.1/33")', build: (c) => policies(c, { apiServerEgress: Peer.cidr('10.96.0.1/33') }), message: /invalid CIDR: "10\.96\.0\.1\/33"/ },
  {
    construct: 'DefaultDenyPolicies',
    input: 'allow(INGRESS, Peer.cidr("0.0.0.0/0"), [Port.tcp(443)])',
    build: (c) => policies(c).allow(Direction.INGRESS, Peer.cidr('0.0.0.0/0'), [Port.tcp(443)], { name: 'open' }),
    message: /ingress from an address block outside the allowed source ranges: "0\.0\.0\.0\/0"/,
  },
  {
    construct: 'DefaultDenyPolicies',
    input: 'allow(INGRESS, Peer.cidr("192.168.1.0/24"), [Port.tcp(8080)])',
    build: (c) => policies(c).allow(Direction.INGRESS, Peer.cidr('192.168.1.0/24'), [Port.tcp(8080)], { name: 'lan' }),
    message: /ingress from an address block outside the allowed source ranges: "192\.168\.1\.0\/24"/,
  },
  {
    construct: 'DefaultDenyPolicies',
    input: 'egressTo infisical on TCP/8080, then allowEgressToNamespace infisical on TCP/8080 again',
    build: (c) => policies(c, { egressTo: [{ namespace: 'infisical', ports: [Port.tcp(8080)] }] })
      .allowEgressToNamespace({ namespace: 'infisical', ports: [Port.tcp(8080)], name: 'again' }),
    message: /duplicate allowance: "Egress ns:infisical TCP\/8080".*already allows it/,
  },
  { construct: 'DefaultDenyPolicies', input: 'allowInternetEgress([])', build: (c) => policies(c).allowInternetEgress([]), message: /egress allowance without ports/ },
  {
    construct: 'DefaultDenyPolicies',
    input: 'Peer.cidr("10.0.0.0/8", ["192.168.0.0/16"]) (except outside the block)',
    build: (c) => policies(c).allow(Direction.EGRESS, Peer.cidr('10.0.0.0/8', ['192.168.0.0/16']), [Port.tcp(443)], { name: 'lan' }),
    message: /except CIDR is not inside 10\.0\.0\.0\/8: "192\.168\.0\.0\/16"/,
  },
  {
    construct: 'DefaultDenyPolicies',
    input: 'Peer.cidr("10.0.0.0/8", ["10.0.0.0/8"]) (except as wide as the block)',
    build: (c) => policies(c).allow(Direction.EGRESS, Peer.cidr('10.0.0.0/8', ['10.0.0.0/8']), [Port.tcp(443)], { name: 'lan' }),
    message: /except CIDR is as wide as its block 10\.0\.0\.0\/8: "10\.0\.0\.0\/8"\. Allowed: CIDRs strictly inside/,
  },
  {
    construct: 'DefaultDenyPolicies',
    input: 'egressTo: [{ namespace: "web", peerPodSelector: { app: "-web-" }, ... }]',
    build: (c) => policies(c, { egressTo: [{ namespace: 'web', peerPodSelector: { app: '-web-' }, ports: [Port.tcp(80)] }] }),
    message: /invalid value of peer pod selector label "app": "-web-"/,
  },
  {
    construct: 'DefaultDenyPolicies',
    input: 'ingressFrom: [{ namespace: "<a 46-character name>", ... }] (no name option)',
    build: (c) => policies(c, { ingressFrom: [{ namespace: 'observability-prometheus-long-term-storage-eu1', ports: [Port.tcp(9090)] }] }),
    message: /invalid NetworkPolicy name derived from the allowance: "allow-ingress-from-observability-prometheus-long-term-storage-eu1".*Fix: pass an explicit `name`/,
  },
  { construct: 'DefaultDenyPolicies', input: 'tailnetIngress: [Port.tcp(NaN)]', build: (c) => policies(c, { tailnetIngress: [Port.tcp(NaN)] }), message: /invalid port: NaN\. Allowed/ },
  // --- AgentRbac ----------------------------------------------------------------------------------------
  { construct: 'AgentRbac', input: 'grantRead("cluster", [pods], { purpose: "", risk })', build: (c) => agent(c).grantRead('cluster', [Resource.core('pods')], { ...GRANT_DOC, purpose: '' }), message: /grant of get, list, watch on pods needs a purpose: "". Allowed: a phrase of at least 10 characters/ },
  { construct: 'AgentRbac', input: 'grantRead("cluster", [pods], { purpose, risk: { level: "unknown" } })', build: (c) => agent(c).grantRead('cluster', [Resource.core('pods')], { ...GRANT_DOC, risk: { level: 'unknown' as any } }), message: /grant of get, list, watch on pods needs a risk level: "unknown". Allowed: minimal, low, medium, high, critical/ },
  { construct: 'AgentRbac', input: 'allow("cluster", ["*"], [pods])', build: (c) => agent(c).allow('cluster', ['*'], [Resource.core('pods')], GRANT_DOC), message: /breaks RBAC guarantee "no-wildcards"/ },
  { construct: 'AgentRbac', input: 'allow("cluster", ["create"], [deployments])', build: (c) => agent(c).allow('cluster', ['create'], [Resource.apps('deployments')], GRANT_DOC), message: /breaks RBAC guarantee "no-create"/ },
  { construct: 'AgentRbac', input: 'grantExec("cluster") (pods/exec outside its namespace)', build: (c) => agent(c).grantExec('cluster', GRANT_DOC), message: /breaks RBAC guarantee "no-foreign-exec"/ },
  { construct: 'AgentRbac', input: 'grantRead("cluster", [secrets])', build: (c) => agent(c).grantRead('cluster', [Resource.core('secrets')], GRANT_DOC), message: /breaks RBAC guarantee "no-foreign-secrets"/ },
  { construct: 'AgentRbac', input: 'allow("cluster", ["escalate"], [clusterroles])', build: (c) => agent(c).allow('cluster', ['escalate'], [Resource.rbac('clusterroles')], GRANT_DOC), message: /breaks RBAC guarantee "no-escalation-verbs"/ },
  {
    construct: 'AgentRbac',
    input: 'a ClusterRoleBinding elsewhere binding the agent to cluster-admin',
    build: (c) => {
      agent(c);
      new KubeClusterRoleBinding(c, 'Sneaky', {
        metadata: { name: 'bot-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'agents' }],
      });
    },
    message: /^\[homelab\/Agent\] binding outside the agent's AgentRbac grants the built-in "cluster-admin" ClusterRole to ServiceAccount agents\/bot \(construct homelab\/Sneaky\): /,
  },
  // --- ExternalSecretBinding ----------------------------------------------------------------------------
  {
    construct: 'ExternalSecretBinding',
    input: 'data: [{ secretKey: "API_TOKEN" }, { secretKey: "API_TOKEN" }]',
    build: (c) => binding(c, { data: [{ secretKey: 'API_TOKEN' }, { secretKey: 'API_TOKEN' }] }),
    message: /duplicate secret key: "API_TOKEN"/,
  },
  { construct: 'ExternalSecretBinding', input: 'data: [{ secretKey: "api key" }]', build: (c) => binding(c, { data: [{ secretKey: 'api key' }] }), message: /invalid secret key: "api key".*Fix: rename it, e\.g\. "api_key"/ },
  { construct: 'ExternalSecretBinding', input: 'refreshInterval: "30s"', build: (c) => binding(c, { refreshInterval: '30s' }), message: /refreshInterval out of range: "30s"/ },
  { construct: 'ExternalSecretBinding', input: 'refreshInterval: "hourly"', build: (c) => binding(c, { refreshInterval: 'hourly' }), message: /invalid refreshInterval: "hourly"/ },
  // --- HardenedDeployment -------------------------------------------------------------------------------
  {
    construct: 'HardenedDeployment',
    input: 'escape hatch: securityContext.privileged = true',
    build: (c) => workload(c).apiObject.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true)),
    message: /container web: privileged is true: "\[container:web\]"\. Allowed: No privileged containers \(HB-POD-005\)/,
  },
  {
    construct: 'HardenedDeployment',
    input: 'Volume.hostPath("data", "/srv/data", { reason: "" })',
    build: (c) => workload(c, { volumeMounts: [{ volume: Volume.hostPath('data', '/srv/data', { reason: '' }), mountPath: '/data' }] }),
    message: /hostPath volume "data" needs a written reason/,
  },
  { construct: 'HardenedDeployment', input: 'image: ContainerImage.fromRegistry("nginx:latest")', build: (c) => workload(c, { image: ContainerImage.fromRegistry('nginx:latest') }), message: /image is not pinned: "nginx:latest"/ },
  {
    construct: 'HardenedDeployment',
    input: 'resources: { requests: {...}, limits: { cpu: "250m" } } (no memory limit)',
    build: (c) => workload(c, { resources: { requests: RESOURCES.requests, limits: { cpu: '250m' } as Resources['limits'] } }),
    message: /limits\.memory is missing/,
  },
  { construct: 'HardenedDeployment', input: 'runAsUser: 0', build: (c) => workload(c, { runAsUser: 0 }), message: /runAsUser must be a non-root id: 0/ },
  { construct: 'HardenedDeployment', input: 'env: { "..x": "1" }', build: (c) => workload(c, { env: { '..x': '1' } }), message: /invalid environment variable name: "\.\.x"/ },
  {
    construct: 'HardenedDeployment',
    input: 'Volume.hostPath("host", "/srv/../etc", { reason })',
    build: (c) => workload(c, { volumeMounts: [{ volume: Volume.hostPath('host', '/srv/../etc', { reason: 'the app reads the node configuration' }), mountPath: '/host' }] }),
    message: /invalid hostPath path of volume "host": "\/srv\/\.\.\/etc"\. Allowed: an absolute path on the node without "\.\."/,
  },
  { construct: 'HardenedDeployment', input: 'labels: { "tier name": "web" }', build: (c) => workload(c, { labels: { 'tier name': 'web' } }), message: /invalid label key: "tier name"/ },
  {
    construct: 'HardenedDeployment',
    input: 'name: "1st", service: { ports: [{ targetPort: "http" }] } (the Service is named after the workload)',
    build: (c) => workload(c, { name: '1st', ports: { http: Port.tcp(8080) }, service: { ports: [{ targetPort: 'http' }] } }),
    message: /invalid Service name \(the workload name\): "1st"\. Allowed: a DNS-1035 label.*Fix: pass the Service `name`/,
  },
  {
    construct: 'HardenedDeployment',
    input: 'service: { ports: [{ targetPort: "a", port: 80 }, { targetPort: "b", port: 80 }] }',
    build: (c) => workload(c, { ports: { a: Port.tcp(8080), b: Port.tcp(8081) }, service: { ports: [{ targetPort: 'a', port: 80 }, { targetPort: 'b', port: 80 }] } }),
    message: /Service port declared twice: "b TCP\/80"/,
  },
  // --- GitOps ---------------------------------------------------------------------------------------------
  { construct: 'GitOpsApplication', input: 'git: { targetRevision: "HEAD" }', build: (c) => application(c, { targetRevision: 'HEAD' }), message: /git targetRevision must be an explicit branch, tag or commit: "HEAD"/ },
  { construct: 'GitOpsApplication', input: 'helm: { version: "^1.2.0" }', build: (c) => application(c, { version: '^1.2.0' }), message: /Helm chart version must be exact: "\^1\.2\.0"/ },
  {
    construct: 'GitOpsProject',
    input: 'name: "default"',
    build: (c) => new GitOpsProject(c, 'Project', { name: 'default', description: 'everything' }),
    message: /the "default" AppProject cannot be used/,
  },
  // --- Rule pack (any object, e.g. from an escape hatch) ----------------------------------------------------
  {
    construct: 'rule pack (HB-NET-004)',
    input: 'a hand-written NetworkPolicy admitting 0.0.0.0/0',
    build: (c) => {
      new ApiObject(c, 'Open', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'open', namespace: 'media' },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
      });
      new HardenedNamespace(c, 'Ns', { name: 'media' });
      policies(c);
    },
    message: /HB-NET-004 .*\[ipBlock:0\.0\.0\.0\/0\]/,
  },
  {
    construct: 'rule pack (HB-NS-004)',
    input: 'a raw ApiObject Deployment in namespace "jelyfin" (a typo of the declared "jellyfin")',
    build: (c) => {
      new HardenedNamespace(c, 'Jellyfin', { name: 'jellyfin' });
      new DefaultDenyPolicies(c, 'Network', { namespace: 'jellyfin' });
      new ApiObject(c, 'Stray', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'jelyfin' } });
    },
    message: /HB-NS-004 .*\[namespace:jelyfin\].*\(did you mean "jellyfin"\?\)/,
  },
  {
    construct: 'rule pack (HB-NS-005)',
    input: 'a Deployment reading Secret "media-secrt" when the namespace declares "media-secret"',
    build: (c) => {
      new HardenedNamespace(c, 'Ns', { name: 'apps' });
      new DefaultDenyPolicies(c, 'Network', { namespace: 'apps' });
      new ApiObject(c, 'Es', { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'media-secret', namespace: 'apps' }, spec: { target: { name: 'media-secret' } } });
      workload(c, { envFrom: [{ secretName: 'media-secrt', keys: ['K'] }] });
    },
    message: /HB-NS-005 .*\[secret:media-secrt\].*\(did you mean "media-secret"\?\)/,
  },
  {
    construct: 'HardenedNamespace',
    input: 'name: "kube-system" (reserved) without adoptReserved',
    build: (c) => new HardenedNamespace(c, 'Ns', { name: 'kube-system' }),
    message: /reserved namespace name: "kube-system"\. Allowed: any name but default, kube-node-lease, kube-public, kube-system/,
  },
];

/**
 * Runs `c` through the synth pipeline (build, tree validation, rule pack) and returns the refusal: one
 * message per problem. Throws if nothing refuses the input, or if something else than a BaselineError or
 * AggregateBaselineError is thrown.
 */
export function refusal(c: BadInputCase): string[] {
  const app = new App();
  try {
    c.build(new Chart(app, 'homelab'));
    enforceRules(app, collectManifests(app), { rules: baselineRules() });
  } catch (e) {
    if (e instanceof BaselineError) return [e.message];
    if (e instanceof AggregateBaselineError) return [...e.errors];
    throw e;
  }
  throw new Error(`${c.construct} accepted ${c.input}`);
}
