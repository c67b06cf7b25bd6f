import { ParsedCidr, cidrContains, formatAddress, parseCidr } from '../network/cidr';
import { TAILNET_CIDR } from '../network/peer';
import { NAMESPACE_NAME_LABEL, policyTypesOf, selects } from '../network/policy';
import { Port } from '../network/port';
import { Endpoint, NetworkModel, workloadPods } from '../network/reachability';
import { KubeObject } from '../synth/manifest';
import { compare, sortBy } from './markdown';
import { isEverywhere } from './network-policies';
import { ObjectIndex, labelText } from './objects';

/** A node of the flow graph: a namespace or an address block. */
export interface FlowNode {
  /** A Mermaid-safe id: `ns_argocd`, `tailnet`, `internet`, `cidr_192_168_1_10_32`. */
  readonly id: string;
  readonly label: string;
  readonly kind: 'namespace' | 'unmanaged-namespace' | 'address';
  /** For namespaces: the ports pods of the namespace may use among themselves, or 'none'. */
  readonly intraNamespace?: string;
}

/** One allowed flow between two nodes, with its ports (`:8080`, `:53/UDP`, `:8081 (to messaging-proxy)`, `any port`). */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly string[];
}

/** The flow graph: nodes and edges, sorted. */
export interface FlowGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

interface Rep {
  readonly node: string;
  /** '' for "any pod" and for address blocks; else the workload name or the selector text. */
  readonly group: string;
  readonly endpoint: Endpoint;
}

/** The policies that can decide flows between two namespaces, and the ports they name. */
interface Pair {
  readonly model: NetworkModel;
  /** `[label, port]`, the unnamed "any port" first. */
  readonly ports: readonly (readonly [string, Port])[];
}

const INTERNET = 'internet';

/**
 * The allowed network flows, computed from the NetworkPolicies with {@link NetworkModel} (both sides must
 * allow a connection: the source's egress and the destination's ingress; a side no policy isolates allows
 * everything, as in Kubernetes).
 *
 * Nodes are namespaces and address blocks. Every namespace is represented by pods the policies can tell
 * apart: "any pod" (no labels: only namespace-wide policies select it), the pod template of each workload
 * in `dist/`, and a pod for each `matchLabels` selector a policy names that no such workload matches.
 * Every `ipBlock` is represented by one address inside it and outside its `except` holes. Namespaces a
 * policy names but `dist/` does not manage (e.g. kube-system) carry no policies here, so they are open on
 * their side. An edge A → B lists the destination ports on which at least one representative of A may
 * open a connection to one of B; a port that only some pods get is qualified with them. A port that no
 * policy names stands for "any port".
 */
export class FlowAnalysis {
  private readonly reps: Rep[] = [];
  private readonly nodes = new Map<string, FlowNode>();
  private readonly namespaceObjects: readonly KubeObject[];
  private readonly policiesByNamespace = new Map<string, KubeObject[]>();
  private readonly pairs = new Map<string, Pair>();
  private readonly namedPorts = new Map<string, number[]>();
  private readonly anyPort: Port;

  constructor(index: ObjectIndex) {
    this.namespaceObjects = index.ofKind('Namespace');
    const policies = index.ofKind('NetworkPolicy');
    for (const p of policies) {
      const ns = p.metadata.namespace ?? '';
      this.policiesByNamespace.set(ns, [...(this.policiesByNamespace.get(ns) ?? []), p]);
    }
    const managed = new Set([...this.namespaceObjects.map((n) => n.metadata.name), ...this.policiesByNamespace.keys()]);
    const pods = workloadPods(index.objects);
    for (const { endpoint } of pods) {
      for (const [name, port] of Object.entries(endpoint.namedPorts ?? {})) this.namedPorts.set(name, [...(this.namedPorts.get(name) ?? []), port]);
    }

    // What the policies name: pod selectors (per namespace they select in), other namespaces, address blocks.
    const selectors = new Map<string, Record<string, string>[]>();
    const addSelector = (ns: string, sel: any) => {
      if (sel?.matchLabels && Object.keys(sel.matchLabels).length) selectors.set(ns, [...(selectors.get(ns) ?? []), sel.matchLabels]);
    };
    const referenced = new Set<string>();
    const blocks = new Map<string, { cidr: string; except: readonly string[] }>();
    const rangePorts: [number, number][] = [];
    for (const p of policies) {
      const spec = p.spec as any;
      addSelector(p.metadata.namespace ?? '', spec?.podSelector);
      for (const rule of rulesOf(spec)) {
        for (const port of rule.ports ?? []) if (typeof port.port === 'number') rangePorts.push([port.port, port.endPort ?? port.port]);
        for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
          if (peer.ipBlock) {
            const except: string[] = [...(peer.ipBlock.except ?? [])].sort(compare);
            blocks.set(`${peer.ipBlock.cidr} ${except.join(',')}`, { cidr: peer.ipBlock.cidr, except });
            continue;
          }
          const ns = peer.namespaceSelector ? peer.namespaceSelector.matchLabels?.[NAMESPACE_NAME_LABEL] : p.metadata.namespace;
          if (ns) {
            referenced.add(ns);
            addSelector(ns, peer.podSelector);
          }
        }
      }
    }

    for (const ns of [...new Set([...managed, ...referenced])].sort(compare)) {
      const id = nodeId('ns', ns);
      const isManaged = managed.has(ns);
      this.nodes.set(id, { id, label: isManaged ? ns : `${ns} (no policies in dist/)`, kind: isManaged ? 'namespace' : 'unmanaged-namespace' });
      this.reps.push({ node: id, group: '', endpoint: Endpoint.pod(ns, {}) });
      const mine = pods.filter((p) => p.endpoint.namespace === ns);
      for (const p of mine) this.reps.push({ node: id, group: p.workload.metadata.name, endpoint: p.endpoint });
      const seen = new Set<string>();
      for (const labels of selectors.get(ns) ?? []) {
        const text = labelText(labels);
        if (seen.has(text) || mine.some((p) => selects({ matchLabels: labels }, p.endpoint.labels))) continue;
        seen.add(text);
        this.reps.push({ node: id, group: text, endpoint: Endpoint.pod(ns, labels) });
      }
    }
    this.addAddressNodes([...blocks.values()]);

    let unnamed = 1;
    while (rangePorts.some(([from, to]) => unnamed >= from && unnamed <= to)) unnamed++;
    this.anyPort = Port.tcp(unnamed);
  }

  /**
   * One node per named address block; every block of "everything" (0.0.0.0/0, whatever its holes) is the
   * one `internet` node, represented by an address outside every hole and every other named block.
   */
  private addAddressNodes(blocks: readonly { cidr: string; except: readonly string[] }[]): void {
    const named = sortBy(blocks.filter((b) => !isEverywhere(b.cidr)), (b) => [b.cidr, b.except.join(',')]);
    const everywhere = blocks.filter((b) => isEverywhere(b.cidr));
    const used = new Set<string>();
    for (const b of named) {
      const ip = representativeAddress(b.cidr, b.except);
      if (!ip) continue;
      const tailnet = b.cidr === TAILNET_CIDR && !b.except.length;
      let id = tailnet ? 'tailnet' : nodeId('cidr', b.cidr);
      for (let i = 2; used.has(id); i++) id = `${tailnet ? 'tailnet' : nodeId('cidr', b.cidr)}_${i}`;
      used.add(id);
      const except = b.except.length ? ` except ${b.except.join(', ')}` : '';
      this.nodes.set(id, { id, label: `${tailnet ? 'tailnet ' : ''}${b.cidr}${except}`, kind: 'address' });
      this.reps.push({ node: id, group: '', endpoint: Endpoint.ip(ip) });
    }
    for (const family of ['0.0.0.0/0', '::/0']) {
      if (!everywhere.some((b) => b.cidr === family)) continue;
      const holes = [...everywhere.flatMap((b) => b.except), ...named.map((b) => b.cidr)];
      const ip = representativeAddress(family, holes);
      if (!ip) continue;
      const id = family === '0.0.0.0/0' ? INTERNET : `${INTERNET}_v6`;
      this.nodes.set(id, { id, label: `internet (${family}, public addresses)`, kind: 'address' });
      this.reps.push({ node: id, group: '', endpoint: Endpoint.ip(ip) });
    }
  }

  /** The flow graph over all representatives. */
  public graph(): FlowGraph {
    const edges = new Map<string, Map<string, Set<string>>>(); // from>to → port label → pod-group pairs
    const intra = new Map<string, Map<string, Set<string>>>();
    for (const src of this.reps) {
      for (const dst of this.reps) {
        // Only flows a policy of dist/ decides: at least one side is a namespace managed here.
        if (this.nodes.get(src.node)!.kind !== 'namespace' && this.nodes.get(dst.node)!.kind !== 'namespace') continue;
        const same = src.node === dst.node;
        const target = same ? intra : edges;
        const key = same ? src.node : `${src.node}>${dst.node}`;
        const pair = this.pairFor(src.endpoint, dst.endpoint);
        for (const [text, port] of pair.ports) {
          if (!pair.model.allowed(src.endpoint, dst.endpoint, port)) continue;
          const byPort = target.get(key) ?? new Map<string, Set<string>>();
          const q = byPort.get(text) ?? new Set<string>();
          q.add(pairKey(src.group, dst.group));
          byPort.set(text, q);
          target.set(key, byPort);
          // A port no policy names passes only where nothing restricts ports: every other port passes too.
          if (port === this.anyPort) break;
        }
      }
    }
    const nodes = [...this.nodes.values()].map((n) =>
      n.kind === 'namespace' ? { ...n, intraNamespace: intra.has(n.id) ? portLabels(intra.get(n.id)!).join(', ') : 'none' } : n,
    );
    const flowEdges = [...edges.entries()].map(([key, byPort]) => {
      const [from, to] = key.split('>');
      return { from, to, ports: portLabels(byPort) };
    });
    return {
      nodes: sortBy(nodes, (n) => [n.kind === 'address' ? '0' : '1', n.id]),
      edges: sortBy(flowEdges, (e) => [e.from, e.to]),
    };
  }

  /**
   * The sources (node labels, `(<pods> only)` where only some pods may) that may connect to a pod of
   * `namespace` with `labels` on `port`: the "admit from" column of the Service table.
   */
  public sourcesOf(namespace: string, labels: Readonly<Record<string, string>>, port: Port): string[] {
    const dst = Endpoint.pod(namespace, labels);
    const allowed = this.reps.filter((src) => this.pairFor(src.endpoint, dst).model.allowed(src.endpoint, dst, port));
    const open = new Set(allowed.filter((r) => r.group === '').map((r) => r.node));
    const out = allowed.map((r) => {
      const label = this.nodes.get(r.node)!.label;
      return open.has(r.node) ? label : `${label} (${r.group} only)`;
    });
    return [...new Set(out)].sort(compare);
  }

  /**
   * Where a pod of `namespace` with `labels` may connect outside its namespace: each node (another
   * namespace or an address block) with the destination ports, the mirror of {@link sourcesOf}.
   */
  public destinationsOf(namespace: string, labels: Readonly<Record<string, string>>): { readonly node: FlowNode; readonly ports: readonly string[] }[] {
    const src = Endpoint.pod(namespace, labels);
    const found = new Map<string, Set<string>>();
    for (const dst of this.reps) {
      if (dst.endpoint.kind === 'pod' && dst.endpoint.namespace === namespace) continue;
      const pair = this.pairFor(src, dst.endpoint);
      for (const [text, port] of pair.ports) {
        if (!pair.model.allowed(src, dst.endpoint, port)) continue;
        found.set(dst.node, (found.get(dst.node) ?? new Set<string>()).add(text));
        if (port === this.anyPort) break;
      }
    }
    return [...found.entries()]
      .map(([id, ports]) => ({ node: this.nodes.get(id)!, ports: [...ports].sort(compare) }))
      .sort((a, b) => compare(a.node.id, b.node.id));
  }

  /**
   * Only the policies of the two endpoints' namespaces can decide a flow from `src` to `dst`. A port no
   * policy names behaves like the unnamed "any port"; a named one can differ from it only where a side
   * that isolates the pods either names it or has a rule without ports. Evaluating just those keeps the
   * graph cheap and exact.
   */
  private pairFor(src: Endpoint, dst: Endpoint): Pair {
    const from = src.kind === 'pod' ? src.namespace : '';
    const to = dst.kind === 'pod' ? dst.namespace : '';
    const key = `${from}>${to}`;
    const cached = this.pairs.get(key);
    if (cached) return cached;
    const egress = this.portsNamed(from, 'Egress');
    const ingress = this.portsNamed(to, 'Ingress');
    const policies = [...new Set([from, to])].flatMap((ns) => this.policiesByNamespace.get(ns) ?? []);
    const model = new NetworkModel([...this.namespaceObjects, ...policies]);
    if ((egress.isolated && !egress.peers.mayMatch(to)) || (ingress.isolated && !ingress.peers.mayMatch(from))) {
      const none: Pair = { model, ports: [] }; // no rule of an isolating side can name the other side
      this.pairs.set(key, none);
      return none;
    }
    const passes = (side: PortsNamed, label: string) => !side.isolated || side.anyPortRule || side.named.has(label);
    const candidates = new Map([...egress.named, ...ingress.named]);
    const ports = [...candidates.entries()].filter(([label]) => passes(egress, label) && passes(ingress, label));
    const pair: Pair = {
      model,
      ports: [['any port', this.anyPort], ...ports.sort(([x], [y]) => compare(x, y))],
    };
    this.pairs.set(key, pair);
    return pair;
  }

  /** What the `direction` rules of a namespace's policies say about ports. */
  private portsNamed(namespace: string, direction: 'Ingress' | 'Egress'): PortsNamed {
    const policies = (this.policiesByNamespace.get(namespace) ?? []).filter((p) => policyTypesOf(p).includes(direction));
    const named = new Map<string, Port>();
    let anyPortRule = false;
    const namespaces = new Set<string>();
    let addresses = false;
    let anyNamespace = false;
    const add = (protocol: string, port: number) => named.set(portLabel(Port.of(protocol, port)), Port.of(protocol, port));
    for (const p of policies) {
      for (const rule of ((p.spec as any)?.[direction === 'Ingress' ? 'ingress' : 'egress'] ?? []) as any[]) {
        if (!rule.ports?.length) anyPortRule = true;
        const peers: any[] = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
        if (!peers.length) anyNamespace = addresses = true;
        for (const peer of peers) {
          const name = peer.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
          if (peer.ipBlock) addresses = true;
          else if (!peer.namespaceSelector) namespaces.add(namespace);
          else if (name !== undefined) namespaces.add(name);
          else anyNamespace = true; // another selector: decided by the model
        }
        for (const port of rule.ports ?? []) {
          const protocol = port.protocol ?? 'TCP';
          if (typeof port.port === 'number') {
            add(protocol, port.port);
            if (port.endPort !== undefined) add(protocol, port.endPort);
          } else if (typeof port.port === 'string') {
            for (const n of this.namedPorts.get(port.port) ?? []) add(protocol, n);
          } else {
            anyPortRule = true; // every port of the protocol: as good as no port restriction here
          }
        }
      }
    }
    // '' is an address outside the cluster.
    const mayMatch = (other: string) => (other === '' ? addresses : anyNamespace || namespaces.has(other));
    return { isolated: policies.length > 0, anyPortRule, named, peers: { mayMatch } };
  }
}

/**
 * One side's facts: whether a policy isolates it, whether a rule leaves ports open, which ports rules name,
 * and which other sides a rule could possibly match (conservatively: the model decides the rest).
 */
interface PortsNamed {
  readonly isolated: boolean;
  readonly anyPortRule: boolean;
  readonly named: ReadonlyMap<string, Port>;
  readonly peers: { mayMatch(namespaceOrAddress: string): boolean };
}

function rulesOf(spec: any): any[] {
  return [...(spec?.ingress ?? []), ...(spec?.egress ?? [])];
}

function portLabel(p: Port): string {
  return p.protocol === 'TCP' ? `:${p.port}` : `:${p.port}/${p.protocol}`;
}

/** `src\0dst` pod groups of one allowed connection ('' is "any pod" or an address). */
function pairKey(srcGroup: string, dstGroup: string): string {
  return `${srcGroup}\u0000${dstGroup}`;
}

function qualifier(pair: string): string {
  const [src, dst] = pair.split('\u0000');
  if (!src && !dst) return '';
  if (!src) return `to ${dst}`;
  if (!dst) return `from ${src}`;
  return `${src} → ${dst}`;
}

/** True when `general` allows at least what `pair` does: the same groups, or "any pod" in their place. */
function covers(general: string, pair: string): boolean {
  const [gs, gd] = general.split('\u0000');
  const [s, d] = pair.split('\u0000');
  return (gs === '' || gs === s) && (gd === '' || gd === d);
}

/**
 * Port texts with the pod groups that get them, most general only: a flow "any pod → any pod" needs no
 * qualifier, "to messaging-proxy" makes "openclaw → messaging-proxy" redundant, and "any port" makes a
 * port redundant for the groups it already covers.
 */
function portLabels(byPort: Map<string, Set<string>>): string[] {
  const any = [...(byPort.get('any port') ?? [])];
  const out: string[] = [];
  for (const [text, pairs] of byPort) {
    const list = [...pairs];
    const kept = list
      .filter((p) => !list.some((g) => g !== p && covers(g, p)))
      .filter((p) => text === 'any port' || !any.some((g) => covers(g, p)));
    if (!kept.length) continue;
    const qualifiers = kept.map(qualifier);
    out.push(qualifiers.includes('') ? text : `${text} (${qualifiers.sort(compare).join('; ')})`);
  }
  return out.sort((a, b) => (a.startsWith('any port') ? -1 : b.startsWith('any port') ? 1 : comparePorts(a, b)));
}

function comparePorts(a: string, b: string): number {
  const num = (s: string) => Number(/^:(\d+)/.exec(s)?.[1] ?? 0);
  return num(a) - num(b) || compare(a, b);
}


function nodeId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

/** One address inside `cidr` and outside every `except` hole, or undefined if there is none to find. */
export function representativeAddress(cidr: string, except: readonly string[]): string | undefined {
  const block = parseCidr(cidr);
  if (!block) return undefined;
  const holes = except.map(parseCidr).filter((h): h is ParsedCidr => h !== undefined);
  const width = block.family === 4 ? 32 : 128;
  const size = 1n << BigInt(width - block.prefix);
  const candidates = [block.network + (size > 1n ? 1n : 0n), ...holes.map((h) => h.network + (1n << BigInt(width - h.prefix)))];
  for (const value of candidates) {
    const address: ParsedCidr = { family: block.family, network: value, prefix: width };
    if (value >= block.network + size || !cidrContains(block, address)) continue;
    if (holes.some((h) => cidrContains(h, address))) continue;
    return formatAddress(block.family, value);
  }
  return undefined;
}

/** Mermaid node text: quotes are the only character that would end it. */
export function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/** The graph as a Mermaid `flowchart LR` block (fenced). */
export function renderFlowchart(graph: FlowGraph): string {
  const lines = ['```mermaid', 'flowchart LR'];
  for (const n of graph.nodes) {
    const text = n.kind === 'namespace' ? `${n.label}<br/>same namespace: ${n.intraNamespace}` : n.label;
    lines.push(n.kind === 'address' ? `  ${n.id}(["${mermaidText(text)}"])` : `  ${n.id}["${mermaidText(text)}"]`);
  }
  for (const e of graph.edges) lines.push(`  ${e.from} -->|"${mermaidText(e.ports.join(', '))}"| ${e.to}`);
  lines.push('```');
  return lines.join('\n');
}
