import {
  AllowanceSpec,
  ContainerImage,
  Direction,
  NON_INTERNET_CIDRS,
  NamedAddress,
  NamespaceAllowance,
  Peer,
  Port,
  Probe,
  ServiceDeployment,
  ServiceSecret,
  ServiceSecretKey,
  ServiceSpec,
  Volume,
  selectorLabelsFor,
} from '../lib';
import { SMALL } from './sizes';

const OPENCLAW = 'openclaw';
/** The namespace of the Personal Task Gateway's proxies. */
export const GATEWAY_NAMESPACE = 'personal-gateway';

// Personal Task Gateway: the security report's "Network flow diagram" as data. Each proxy's backend is the only place
// it may reach; NetworkPolicies cannot name hosts, so backends are address ranges.

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
  /** The keys of that Secret (remote key = secret key), each with its purpose. The key names are ours. */
  readonly secretKeys: readonly ServiceSecretKey[];
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
    secretKeys: [{ name: 'MESSAGING_HOST_DAEMON_TOKEN', purpose: 'Authenticates the proxy to the host-side messaging daemon' }],
    secretAs: 'env',
    backend: { description: 'host daemon on the Mac mini (NodePort to localhost:9090)', cidr: '192.0.2.10/32', port: Port.tcp(9090) },
  },
  {
    name: 'voice-proxy',
    port: Port.tcp(8082),
    image: 'ghcr.io/holdennguyen/voice-proxy:0.1.0',
    secretName: 'voice-proxy-secret',
    secretKeys: [
      { name: 'TWILIO_ACCOUNT_SID', purpose: 'Twilio account the voice proxy calls through' },
      { name: 'TWILIO_AUTH_TOKEN', purpose: 'Twilio API authentication for initiating calls' },
    ],
    secretAs: 'env',
    backend: { description: 'Twilio / VoIP API', cidr: '203.0.113.0/24', port: Port.tcp(443) },
  },
  {
    name: 'finance-proxy',
    port: Port.tcp(8083),
    image: 'ghcr.io/holdennguyen/finance-proxy:0.1.0',
    secretName: 'finance-proxy-secret',
    secretKeys: [
      { name: 'PLAID_CLIENT_ID', purpose: 'Plaid API client identity' },
      { name: 'PLAID_SECRET', purpose: 'Plaid API client secret' },
      { name: 'PLAID_ACCESS_TOKEN', purpose: 'Read-only bank account access (tokenized OAuth, read-only at the provider)' },
    ],
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

/** A personal-gateway proxy: own ServiceAccount (no RBAC, no token), own Secret, no host access. */
function proxyDeployment(p: GatewayProxy): ServiceDeployment {
  const credentials = p.secretAs === 'files'
    ? [{ volume: Volume.secret('credentials', p.secretName), mountPath: '/etc/secrets' }]
    : [];
  return {
    name: p.name,
    image: ContainerImage.fromRegistry(p.image),
    // The distroless "nonroot" user: the placeholder images are expected to run as it. fsGroup lets it
    // read Secret files (mode 0440) and nobody else.
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    resources: SMALL,
    ports: { http: p.port },
    volumeMounts: [{ volume: Volume.emptyDir('tmp', { sizeLimit: '64Mi' }), mountPath: '/tmp' }, ...credentials],
    envFrom: p.secretAs === 'env' ? [p.secretName] : [],
    readinessProbe: Probe.tcpSocket('http'),
    livenessProbe: Probe.tcpSocket('http', { initialDelaySeconds: 10, periodSeconds: 20 }),
    service: { ports: [{ targetPort: 'http' }] },
  };
}

/**
 * personal-gateway: one proxy per external capability, each reachable only from OpenClaw on its own port,
 * reaching only its own backend, with only its own credentials. The proxies must not reach each other, so
 * there is no blanket same-namespace allowance.
 */
export function gatewayService(proxies: readonly GatewayProxy[] = GATEWAY_PROXIES): ServiceSpec {
  return {
    namespace: GATEWAY_NAMESPACE,
    network: { allowSameNamespace: false, ingressFrom: gatewayIngress(proxies), allow: gatewayBackendEgress(proxies) },
    secrets: proxies.map((p): ServiceSecret => ({ name: p.secretName, keys: p.secretKeys })),
    deployments: proxies.map(proxyDeployment),
  };
}

/** The first address of a backend CIDR (the /32 itself for a single host). */
function firstAddress(cidr: string): string {
  const [addr, prefix] = cidr.split('/');
  if (prefix === '32') return addr;
  const octets = addr.split('.').map(Number);
  octets[3] += 1;
  return octets.join('.');
}

/** The proxies' backends as outside endpoints of the reachability truth table (`backend:<proxy>`). */
export function gatewayBackendAddresses(proxies: readonly GatewayProxy[] = GATEWAY_PROXIES): NamedAddress[] {
  return proxies.map((p) => ({ name: `backend:${p.name}`, ip: firstAddress(p.backend.cidr) }));
}
