import { KubeObject } from '../synth/manifest';
import { podTemplateOf } from '../pod-template';
import { ParsedCidr, cidrContains, parseCidr } from './cidr';
import { Labels } from './peer';
import { NAMESPACE_NAME_LABEL, StoredNetworkPolicy, StoredPeer, StoredPort, readNetworkPolicy, selects } from './policy';
import { Port } from './port';

/** A pod, as NetworkPolicies see it: namespace, labels and (optionally) its IP and named ports. */
export interface PodEndpoint {
  readonly kind: 'pod';
  readonly namespace: string;
  readonly labels: Labels;
  /** The pod IP, matched by `ipBlock` peers (most CNIs do). @default - ipBlock peers never match the pod */
  readonly ip?: string;
  /** Named container ports (name → number), for policies that name ports. @default - none */
  readonly namedPorts?: Readonly<Record<string, number>>;
  /** A display name for verdicts. @default - namespace/labels */
  readonly name?: string;
}

/** An address outside the cluster (a node, an external API). No policy isolates it. */
export interface IpEndpoint {
  readonly kind: 'ip';
  readonly ip: string;
}

/** One side of a connection. */
export type Endpoint = PodEndpoint | IpEndpoint;

/** Factories for {@link Endpoint}. */
export const Endpoint = {
  /** A pod in `namespace` with `labels`. */
  pod(namespace: string, labels: Labels, options: Omit<PodEndpoint, 'kind' | 'namespace' | 'labels'> = {}): PodEndpoint {
    return { kind: 'pod', namespace, labels, ...options };
  },
  /** An address outside the cluster. */
  ip(ip: string): IpEndpoint {
    return { kind: 'ip', ip };
  },
};

/** What one direction decided. */
export interface SideVerdict {
  /** False when no policy of this direction selects the pod (or the endpoint is not a pod): all is allowed. */
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** The policies whose rules allow the connection. */
  readonly allowedBy: readonly string[];
}

/** Whether a connection is allowed: both the source's egress and the destination's ingress must allow it. */
export interface Verdict {
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

/** Options of {@link NetworkModel}. */
export interface NetworkModelOptions {
  /**
   * Labels of namespaces, beyond what the model's Namespace objects carry. Every namespace also carries
   * `kubernetes.io/metadata.name: <name>`, as the API server sets it.
   * @default - labels of the Namespace objects only
   */
  readonly namespaceLabels?: Readonly<Record<string, Labels>>;
}

/**
 * A pure evaluator of Kubernetes NetworkPolicy semantics over synthesized objects: a pod is isolated for a
 * direction as soon as one policy with that policy type selects it, and then only what some rule of those
 * policies allows passes; a connection needs the source's egress and the destination's ingress. Supports
 * pod/namespace selectors (matchLabels and matchExpressions), ipBlock with except, protocols, numbered and
 * named ports and endPort ranges. The CNI must enforce policies for the result to hold on a real cluster.
 */
export class NetworkModel {
  /** The policies by namespace: a pod is only ever selected by its own namespace's. */
  private readonly policies = new Map<string, StoredNetworkPolicy[]>();
  private readonly namespaceLabels = new Map<string, Labels>();
  /** Parsed CIDRs and addresses: a sweep asks about the same few thousands of times. */
  private readonly parsed = new Map<string, ParsedCidr | undefined>();

  constructor(objects: readonly KubeObject[], options: NetworkModelOptions = {}) {
    for (const p of objects.filter((o) => o.kind === 'NetworkPolicy').map(readNetworkPolicy)) {
      if (!this.policies.has(p.namespace)) this.policies.set(p.namespace, []);
      this.policies.get(p.namespace)!.push(p);
    }
    const labels = new Map<string, Labels>();
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) labels.set(ns.metadata.name, ns.metadata.labels ?? {});
    for (const [name, extra] of Object.entries(options.namespaceLabels ?? {})) labels.set(name, { ...labels.get(name), ...extra });
    for (const [name, l] of labels) this.namespaceLabels.set(name, { ...l, [NAMESPACE_NAME_LABEL]: name });
  }

  /** True when `from` may open a connection to `to` on `port`. */
  public allowed(from: Endpoint, to: Endpoint, port: Port): boolean {
    return this.check(from, to, port).allowed;
  }

  /** The verdict of both directions, with the policies that allow each. */
  public check(from: Endpoint, to: Endpoint, port: Port): Verdict {
    const egress = this.side('Egress', from, to, port);
    const ingress = this.side('Ingress', to, from, port);
    return { allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  /** Decides `direction` for `subject` (the pod the policies protect) talking with `peer`; `port` is on the destination. */
  private side(direction: 'Ingress' | 'Egress', subject: Endpoint, peer: Endpoint, port: Port): SideVerdict {
    if (subject.kind !== 'pod') return { isolated: false, allowed: true, allowedBy: [] };
    const selecting = (this.policies.get(subject.namespace) ?? []).filter(
      (p) => p.allows(direction) !== undefined && selects(p.podSelector, subject.labels),
    );
    if (!selecting.length) return { isolated: false, allowed: true, allowedBy: [] };
    const destination = direction === 'Egress' ? peer : subject;
    const allowedBy = selecting
      .filter((p) =>
        p.allows(direction)!.some((rule) =>
          (rule.peers === 'any' || rule.peers.some((q) => this.peerMatches(q, p.namespace, peer))) &&
          (rule.ports === 'any' || rule.ports.some((r) => portMatches(r, port, destination)))),
      )
      .map((p) => p.name);
    return { isolated: true, allowed: allowedBy.length > 0, allowedBy };
  }

  private peerMatches(peer: StoredPeer, policyNamespace: string, endpoint: Endpoint): boolean {
    if (peer.kind === 'ipBlock') {
      const ip = endpoint.ip;
      const address = ip === undefined ? undefined : this.parse(`${ip}/${ip.includes(':') ? 128 : 32}`);
      if (!address) return false;
      const inBlock = (cidr: string) => {
        const block = this.parse(cidr);
        return block !== undefined && cidrContains(block, address);
      };
      return inBlock(peer.cidr) && !peer.except.some(inBlock);
    }
    if (endpoint.kind !== 'pod') return false;
    const namespaceOk = peer.namespaceSelector === 'own'
      ? endpoint.namespace === policyNamespace
      : selects(peer.namespaceSelector, this.labelsOfNamespace(endpoint.namespace));
    return namespaceOk && selects(peer.podSelector, endpoint.labels);
  }

  private labelsOfNamespace(name: string): Labels {
    return this.namespaceLabels.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  private parse(cidr: string): ParsedCidr | undefined {
    if (!this.parsed.has(cidr)) this.parsed.set(cidr, parseCidr(cidr));
    return this.parsed.get(cidr);
  }
}

/** A workload object (any kind that makes pods) and the pod endpoint of its pod template. */
export interface WorkloadPod {
  readonly workload: KubeObject;
  readonly endpoint: PodEndpoint;
}

/** Every object that makes pods (workloads, CronJobs, Pods: see `podTemplateOf`) with the pod endpoint of its template. */
export function workloadPods(objects: readonly KubeObject[]): WorkloadPod[] {
  return objects.flatMap((o) => {
    const template = podTemplateOf(o);
    if (!template?.spec || !o.metadata.namespace) return [];
    const endpoint = Endpoint.pod(o.metadata.namespace, template.metadata?.labels ?? {}, {
      namedPorts: namedPorts(template.spec),
      name: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
    });
    return [{ workload: o, endpoint }];
  });
}

/** Every workload of `objects` as a pod endpoint (name `Kind/namespace/name`), with its named ports. */
export function workloadEndpoints(objects: readonly KubeObject[]): PodEndpoint[] {
  return workloadPods(objects).map((w) => w.endpoint);
}

/** The named ports of a pod spec's containers (name → number; names are unique in a pod), as a Service's `targetPort` resolves them. */
function namedPorts(podSpec: any): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of podSpec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name) out[p.name] = p.containerPort;
  }
  return out;
}

function portMatches(rule: StoredPort, port: Port, destination: Endpoint): boolean {
  if (rule.protocol !== port.protocol) return false;
  if (rule.port === undefined) return true;
  const first = typeof rule.port === 'number'
    ? rule.port
    : destination.kind === 'pod' ? destination.namedPorts?.[rule.port] : undefined;
  if (first === undefined) return false;
  return typeof rule.port === 'number' && rule.endPort !== undefined
    ? port.port >= first && port.port <= rule.endPort
    : port.port === first;
}
