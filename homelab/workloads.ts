import { Chart } from 'cdk8s';
import { KubePersistentVolumeClaim, Quantity } from 'cdk8s-plus-28/lib/imports/k8s';
import {
  ContainerImage,
  DeploymentStrategy,
  DirectoryConfigMap,
  Direction,
  HardenedDeployment,
  ISecretEnvSource,
  NON_INTERNET_CIDRS,
  NamespaceAllowance,
  Peer,
  Port,
  Probe,
  Resources,
  ServiceType,
  Volume,
  selectorLabelsFor,
} from '../lib';
import { fail } from '../lib/errors';
import type { AllowanceSpec } from './namespaces';

const OPENCLAW = 'openclaw';
/** The namespace of the Personal Task Gateway's proxies. */
export const GATEWAY_NAMESPACE = 'personal-gateway';

// ---------------------------------------------------------------------------------------------------------
// Personal Task Gateway: the seed's "Network flow diagram" as data. Each proxy's backend is the only place
// it may reach; NetworkPolicies cannot name hosts, so backends are address ranges.
// ---------------------------------------------------------------------------------------------------------

/** The one backend a proxy may reach. */
export interface ProxyBackend {
  /** What it is (for readers and the report). */
  readonly description: string;
  /** Its addresses. */
  readonly cidr: string;
  /** Its port. */
  readonly port: Port;
}

/** One personal-gateway proxy. */
export interface GatewayProxy {
  /** Workload, ServiceAccount and Service name. */
  readonly name: string;
  /** The port OpenClaw calls (container and Service). */
  readonly port: Port;
  /** The image, pinned. */
  readonly image: string;
  /** Its own ExternalSecret (only its credentials). */
  readonly secretName: string;
  /** The keys of that Secret (remote key = secret key). The key names are ours; the report names the credentials. */
  readonly secretKeys: readonly string[];
  /**
   * How the proxy sees its Secret: as environment variables, or as read-only files under /etc/secrets
   * (for credentials the report wants out of the pod environment).
   */
  readonly secretAs: 'env' | 'files';
  readonly backend: ProxyBackend;
}

/**
 * The proxies. Images are placeholders under the homelab owner's GitHub registry (no such images are
 * published yet): replace them with the real pinned references. Backend ranges are placeholders from the
 * documentation ranges of RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), which route nowhere, so
 * an unfilled placeholder can never open a real address: set the node's address (`kubectl get nodes -o wide`,
 * INTERNAL-IP, as a /32) for the host daemon, and the provider's published ranges for Twilio and Plaid.
 */
export const GATEWAY_PROXIES: readonly GatewayProxy[] = [
  {
    name: 'messaging-proxy',
    port: Port.tcp(8081),
    image: 'ghcr.io/holdennguyen/messaging-proxy:0.1.0',
    secretName: 'messaging-proxy-secret',
    // Authenticates the proxy to the host-side daemon; the iMessage credentials themselves stay on the host.
    secretKeys: ['MESSAGING_HOST_DAEMON_TOKEN'],
    secretAs: 'env',
    backend: { description: 'host daemon on the Mac mini (NodePort to localhost:9090)', cidr: '192.0.2.10/32', port: Port.tcp(9090) },
  },
  {
    name: 'voice-proxy',
    port: Port.tcp(8082),
    image: 'ghcr.io/holdennguyen/voice-proxy:0.1.0',
    secretName: 'voice-proxy-secret',
    secretKeys: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
    secretAs: 'env',
    backend: { description: 'Twilio / VoIP API', cidr: '203.0.113.0/24', port: Port.tcp(443) },
  },
  {
    name: 'finance-proxy',
    port: Port.tcp(8083),
    image: 'ghcr.io/holdennguyen/finance-proxy:0.1.0',
    secretName: 'finance-proxy-secret',
    secretKeys: ['PLAID_CLIENT_ID', 'PLAID_SECRET', 'PLAID_ACCESS_TOKEN'],
    // "The Plaid access token is in Infisical, never in the pod env."
    secretAs: 'files',
    backend: { description: 'Plaid / bank API (read-only)', cidr: '198.51.100.0/24', port: Port.tcp(443) },
  },
];

/** personal-gateway: each proxy accepts only OpenClaw on its own port and reaches only its own backend. */
export function gatewayIngress(proxies: readonly GatewayProxy[] = GATEWAY_PROXIES): NamespaceAllowance[] {
  return proxies.map((p) => ({
    name: `allow-openclaw-to-${p.name}`,
    namespace: OPENCLAW,
    peerPodSelector: selectorLabelsFor(OPENCLAW),
    podSelector: selectorLabelsFor(p.name),
    ports: [p.port],
  }));
}

/** personal-gateway: each proxy's egress to its backend, and nothing else (no proxy reaches another). */
export function gatewayBackendEgress(proxies: readonly GatewayProxy[] = GATEWAY_PROXIES): AllowanceSpec[] {
  return proxies.map((p) => ({
    name: `allow-${p.name}-to-backend`,
    direction: Direction.EGRESS,
    peer: Peer.cidr(p.backend.cidr),
    ports: [p.backend.port],
    podSelector: selectorLabelsFor(p.name),
  }));
}

/** openclaw: egress to each proxy pod on exactly that proxy's port. */
export function openclawToGateway(proxies: readonly GatewayProxy[] = GATEWAY_PROXIES): NamespaceAllowance[] {
  return proxies.map((p) => ({
    name: `allow-egress-to-${p.name}`,
    namespace: GATEWAY_NAMESPACE,
    peerPodSelector: selectorLabelsFor(p.name),
    podSelector: selectorLabelsFor(OPENCLAW),
    ports: [p.port],
  }));
}

/**
 * openclaw: internet egress on `ports`, with the proxies' backends cut out, so the agent cannot bypass a
 * proxy (its HTTPS egress would otherwise reach Twilio and Plaid directly).
 */
export function openclawInternetEgress(ports: readonly Port[], proxies: readonly GatewayProxy[] = GATEWAY_PROXIES): AllowanceSpec {
  const backends = [...new Set(proxies.map((p) => p.backend.cidr))].sort();
  return {
    name: 'allow-internet-egress',
    direction: Direction.EGRESS,
    peer: Peer.cidr('0.0.0.0/0', [...NON_INTERNET_CIDRS, ...backends]),
    ports,
  };
}

// ---------------------------------------------------------------------------------------------------------
// OpenClaw
// ---------------------------------------------------------------------------------------------------------

/** Where OpenClaw's agent workspaces and skills come from. */
export interface OpenClawContent {
  /**
   * `hostPath`: the two host folders, mounted read-only (keeps the namespace out of Pod Security
   * restricted). `configMap`: the two local folders are read at synth into ConfigMaps (the roadmap's
   * way to enforce restricted on openclaw).
   */
  readonly source: 'hostPath' | 'configMap';
  /** Folder behind /workspace-src (on the node for hostPath; in the checkout for configMap). */
  readonly workspaceSrc: string;
  /** Folder behind /skills. */
  readonly skills: string;
}

/**
 * The seed's "Host Filesystem Access" table. The homelab keeps hostPath: the folders live on the Mac mini,
 * not in this repository, and edits to agent personalities and skills show up without a synth and sync.
 */
export const OPENCLAW_HOST_CONTENT: OpenClawContent = {
  source: 'hostPath',
  workspaceSrc: '/Users/holden.nguyen/homelab/agents/workspaces',
  skills: '/Users/holden.nguyen/homelab/skills',
};

/** Options of {@link buildWorkloads}. */
export interface WorkloadOptions {
  /** @default OPENCLAW_HOST_CONTENT */
  readonly openclawContent?: OpenClawContent;
}

const OPENCLAW_RESOURCES: Resources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } };
const SMALL: Resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } };

/** OpenClaw: the seed's pod, with the roadmap's container hardening applied. */
function openclaw(chart: Chart, secrets: Readonly<Record<string, ISecretEnvSource>>, content: OpenClawContent): HardenedDeployment {
  new KubePersistentVolumeClaim(chart, 'OpenClawData', {
    metadata: {
      name: 'openclaw-data',
      namespace: OPENCLAW,
      labels: selectorLabelsFor(OPENCLAW),
      // Agent workspaces live here: like every claim, it is prune-protected (isPruneProtected) at sync.
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: Quantity.fromString('10Gi') } } },
  });
  const [workspaceSrc, skills] = content.source === 'hostPath'
    ? [
        Volume.hostPath('workspace-src', content.workspaceSrc, { reason: 'agent personality Markdown files, read-only; no credentials (seed: Host Filesystem Access)' }),
        Volume.hostPath('openclaw-skills', content.skills, { reason: 'skill definition Markdown files, read-only; no credentials (seed: Host Filesystem Access)' }),
      ]
    : [
        new DirectoryConfigMap(chart, 'WorkspaceSrc', { name: 'openclaw-workspace-src', namespace: OPENCLAW, directory: content.workspaceSrc }).volume('workspace-src'),
        new DirectoryConfigMap(chart, 'Skills', { name: 'openclaw-skills', namespace: OPENCLAW, directory: content.skills }).volume('openclaw-skills'),
      ];
  return new HardenedDeployment(chart, 'OpenClaw', {
    name: OPENCLAW,
    namespace: OPENCLAW,
    image: ContainerImage.localBuild('openclaw:latest', {
      reason: 'built on the node from the pinned submodule + Dockerfile.openclaw and never pushed; imagePullPolicy Never runs that build (seed: Image Provenance)',
    }),
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    resources: OPENCLAW_RESOURCES,
    ports: { gateway: Port.tcp(18789) },
    // Read-only root: the writable paths are the workspaces (/data), scratch (/tmp) and the tools' caches
    // and configs under $HOME (kubectl, helm, gh).
    volumeMounts: [
      { volume: Volume.persistentVolumeClaim('data', 'openclaw-data'), mountPath: '/data' },
      { volume: Volume.emptyDir('tmp', { sizeLimit: '1Gi' }), mountPath: '/tmp' },
      { volume: Volume.emptyDir('home', { sizeLimit: '512Mi' }), mountPath: '/home/node' },
      { volume: workspaceSrc, mountPath: '/workspace-src' },
      { volume: skills, mountPath: '/skills' },
    ],
    envFrom: [secret(chart, secrets, 'openclaw-secret')],
    readinessProbe: Probe.tcpSocket('gateway', { periodSeconds: 10 }),
    livenessProbe: Probe.tcpSocket('gateway', { initialDelaySeconds: 30, periodSeconds: 20 }),
    // The ServiceAccount and its RBAC come from AgentRbac (homelab/rbac.ts): the agent runs kubectl.
    serviceAccountName: OPENCLAW,
    automountServiceAccountToken: true,
    // One agent gateway writing one ReadWriteOnce volume: never two at once.
    strategy: DeploymentStrategy.RECREATE,
    service: { type: ServiceType.NODE_PORT, ports: [{ targetPort: 'gateway', nodePort: 30789 }] },
  });
}

/** launchfast: static site on nginx-unprivileged (UID 101), read-only root. */
function launchfast(chart: Chart): HardenedDeployment {
  return new HardenedDeployment(chart, 'Launchfast', {
    name: 'launchfast',
    namespace: 'launchfast',
    image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27.3-alpine'),
    runAsUser: 101,
    runAsGroup: 101,
    resources: SMALL,
    ports: { http: Port.tcp(8080) },
    // nginx-unprivileged keeps its pid file in /tmp and its temp files in /var/cache/nginx.
    volumeMounts: [
      { volume: Volume.emptyDir('tmp', { sizeLimit: '64Mi' }), mountPath: '/tmp' },
      { volume: Volume.emptyDir('nginx-cache', { sizeLimit: '128Mi' }), mountPath: '/var/cache/nginx' },
    ],
    readinessProbe: Probe.httpGet('http'),
    livenessProbe: Probe.httpGet('http', { initialDelaySeconds: 10, periodSeconds: 20 }),
    service: { ports: [{ targetPort: 'http' }] },
  });
}

/** A personal-gateway proxy: own ServiceAccount (no RBAC, no token), own Secret, no host access. */
function proxy(chart: Chart, secrets: Readonly<Record<string, ISecretEnvSource>>, p: GatewayProxy): HardenedDeployment {
  const own = secret(chart, secrets, p.secretName);
  const deployment = new HardenedDeployment(chart, p.name, {
    name: p.name,
    namespace: GATEWAY_NAMESPACE,
    image: ContainerImage.fromRegistry(p.image),
    // The distroless "nonroot" user: the placeholder images are expected to run as it. fsGroup lets it
    // read Secret files (mode 0440) and nobody else.
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    resources: SMALL,
    ports: { http: p.port },
    volumeMounts: [{ volume: Volume.emptyDir('tmp', { sizeLimit: '64Mi' }), mountPath: '/tmp' }],
    readinessProbe: Probe.tcpSocket('http'),
    livenessProbe: Probe.tcpSocket('http', { initialDelaySeconds: 10, periodSeconds: 20 }),
    service: { ports: [{ targetPort: 'http' }] },
  });
  if (p.secretAs === 'env') deployment.addEnvFrom(own);
  else deployment.addVolumeMount({ volume: Volume.secret('credentials', own.secretName), mountPath: '/etc/secrets' });
  return deployment;
}

function secret(chart: Chart, secrets: Readonly<Record<string, ISecretEnvSource>>, name: string): ISecretEnvSource {
  const source = secrets[name];
  if (!source) {
    fail(chart, {
      problem: 'no ExternalSecret binding for a workload\'s environment',
      value: name,
      allowed: Object.keys(secrets).sort().join(', ') || '(no bindings)',
      fix: `add the ExternalSecret "${name}" to homelab/secrets.ts`,
    });
  }
  return source;
}

/**
 * The homelab's workloads, each in its namespace's chart: OpenClaw, launchfast and the personal-gateway
 * proxies, by workload name. `secrets` are the ExternalSecret bindings by Secret name (homelab/secrets.ts).
 * A workload whose namespace is not built is skipped, like the rest of a partial homelab.
 */
export function buildWorkloads(
  charts: ReadonlyMap<string, Chart>,
  secrets: Readonly<Record<string, ISecretEnvSource>>,
  options: WorkloadOptions = {},
): Map<string, HardenedDeployment> {
  const built: HardenedDeployment[] = [];
  const openclawChart = charts.get(OPENCLAW);
  if (openclawChart) built.push(openclaw(openclawChart, secrets, options.openclawContent ?? OPENCLAW_HOST_CONTENT));
  const launchfastChart = charts.get('launchfast');
  if (launchfastChart) built.push(launchfast(launchfastChart));
  const gatewayChart = charts.get(GATEWAY_NAMESPACE);
  if (gatewayChart) built.push(...GATEWAY_PROXIES.map((p) => proxy(gatewayChart, secrets, p)));
  return new Map(built.map((w) => [w.name, w]));
}
