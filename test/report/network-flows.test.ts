import { Endpoint, KubeObject, NetworkModel, Port, workloadEndpoints } from '../../lib';
import { parseCidr } from '../../lib/network/cidr';
import { homelabReportInput } from '../../homelab/synthesis';
import { FlowAnalysis, FlowGraph, renderFlowchart, representativeAddress } from '../../lib/report/network-flows';
import { ObjectIndex } from '../../lib/report/objects';
import { smallCluster } from './fixture';

const homelab = homelabReportInput().objects;
const graphOf = (objects: readonly KubeObject[]) => new FlowAnalysis(new ObjectIndex(objects)).graph();
const homelabGraph = graphOf(homelab);
const fixtureGraph = graphOf(smallCluster());

/** The port labels of the edge from → to (without qualifiers), or undefined when there is no edge. */
function ports(graph: FlowGraph, from: string, to: string): readonly string[] | undefined {
  return graph.edges.find((e) => e.from === from && e.to === to)?.ports;
}

/**
 * A structural check of the Mermaid text (a browser-free stand-in for the Mermaid parser, which needs a
 * DOM): the fence and `flowchart` header, node declarations with safe ids and quoted labels, edges with a
 * quoted label between declared nodes, and no quote inside a label.
 */
function checkMermaid(text: string): void {
  const lines = text.split('\n');
  expect(lines[0]).toBe('```mermaid');
  expect(lines[1]).toBe('flowchart LR');
  expect(lines[lines.length - 1]).toBe('```');
  const declared = new Set<string>();
  const RESERVED = ['end', 'graph', 'flowchart', 'subgraph', 'style', 'class', 'click', 'linkStyle'];
  for (const line of lines.slice(2, -1)) {
    const node = /^ {2}([A-Za-z][A-Za-z0-9_]*)(?:\["([^"]*)"\]|\(\["([^"]*)"\]\))$/.exec(line);
    const edge = /^ {2}([A-Za-z][A-Za-z0-9_]*) -->\|"([^"]*)"\| ([A-Za-z][A-Za-z0-9_]*)$/.exec(line);
    if (node) {
      expect(RESERVED).not.toContain(node[1]);
      expect(declared.has(node[1])).toBe(false);
      declared.add(node[1]);
    } else if (edge) {
      expect(declared.has(edge[1]) && declared.has(edge[3])).toBe(true); // nodes come first
      expect(edge[2].length).toBeGreaterThan(0);
    } else {
      throw new Error(`not a node or edge line: ${JSON.stringify(line)}`);
    }
  }
}

describe('the flow diagram', () => {
  test.each([
    ['homelab', homelabGraph],
    ['small cluster', fixtureGraph],
  ])('Mermaid text of the %s is structurally valid', (_name, graph) => {
    checkMermaid(renderFlowchart(graph));
  });

  test('labels with quotes are escaped, not broken', () => {
    const text = renderFlowchart({ nodes: [{ id: 'a', label: 'say "hi"', kind: 'address' }], edges: [{ from: 'a', to: 'a', ports: ['"x"'] }] });
    expect(text).toContain('a(["say #quot;hi#quot;"])');
    checkMermaid(text);
  });

  test('small cluster: an edge per allowance, labelled with its ports; none for denied flows', () => {
    expect(ports(fixtureGraph, 'tailnet', 'ns_web')).toEqual([':8080']);
    expect(ports(fixtureGraph, 'ns_web', 'internet')).toEqual([':443']);
    expect(ports(fixtureGraph, 'ns_web', 'ns_kube_system')).toEqual([':53', ':53/UDP', ':6443']);
    // Both sides allow 5432, the destination only to its app=postgres pods.
    expect(ports(fixtureGraph, 'ns_web', 'ns_db')).toEqual([':5432 (to app=postgres)']);
    expect(ports(fixtureGraph, 'ns_db', 'ns_web')).toBeUndefined();
    expect(ports(fixtureGraph, 'tailnet', 'ns_db')).toBeUndefined();
    expect(ports(fixtureGraph, 'ns_legacy', 'ns_web')).toBeUndefined();
    expect(fixtureGraph.nodes.find((n) => n.id === 'ns_web')?.intraNamespace).toBe('any port');
    expect(fixtureGraph.nodes.find((n) => n.id === 'ns_legacy')?.intraNamespace).toBe('none');
  });

  test('an egress without the matching ingress is no flow, and an open side is decided by the other', () => {
    const objects = smallCluster().filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === 'db' && o.metadata.name === 'allow-ingress-from-web'));
    expect(ports(graphOf(objects), 'ns_web', 'ns_db')).toBeUndefined();
    const open = smallCluster().filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === 'db'));
    expect(ports(graphOf(open), 'ns_web', 'ns_db')).toEqual([':5432']); // db isolates nothing: web's egress decides
  });

  test('homelab: the seed network-flow diagram, computed from the NetworkPolicies', () => {
    expect(ports(homelabGraph, 'tailnet', 'ns_argocd')).toEqual([':8080']);
    expect(ports(homelabGraph, 'tailnet', 'ns_monitoring')).toEqual([':3000']);
    expect(ports(homelabGraph, 'tailnet', 'ns_authentik')).toEqual([':9000', ':9443']);
    expect(ports(homelabGraph, 'tailnet', 'ns_infisical')).toEqual([':8080']);
    expect(ports(homelabGraph, 'tailnet', 'ns_openclaw')).toEqual([':18789']);
    expect(ports(homelabGraph, 'ns_external_secrets', 'ns_infisical')).toEqual([':8080']);
    expect(ports(homelabGraph, 'ns_openclaw', 'ns_personal_gateway')).toEqual([
      ':8081 (openclaw → messaging-proxy)',
      ':8082 (openclaw → voice-proxy)',
      ':8083 (openclaw → finance-proxy)',
    ]);
    expect(ports(homelabGraph, 'ns_personal_gateway', 'cidr_192_0_2_10_32')).toEqual([':9090 (from messaging-proxy)']);
    // Denied: the proxies never reach OpenClaw or each other; OpenClaw never reaches the proxies' backends.
    expect(ports(homelabGraph, 'ns_personal_gateway', 'ns_openclaw')).toBeUndefined();
    expect(homelabGraph.nodes.find((n) => n.id === 'ns_personal_gateway')?.intraNamespace).toBe('none');
    expect(ports(homelabGraph, 'ns_openclaw', 'cidr_192_0_2_10_32')).toBeUndefined();
    expect(ports(homelabGraph, 'ns_openclaw', 'ns_infisical')).toBeUndefined();
    expect(ports(homelabGraph, 'tailnet', 'ns_personal_gateway')).toBeUndefined();
  });

  // The graph evaluates only the ports that can matter per namespace pair; this compares it with the
  // unpruned evaluation of every representative pair on every port any policy names.
  test('homelab: the graph equals a brute-force evaluation of the whole NetworkModel', () => {
    const model = new NetworkModel(homelab);
    const addressNodes = homelabGraph.nodes.filter((n) => n.kind === 'address');
    const nodeOfIp = (ip: string): string => {
      const hit = addressNodes.filter((n) => n.id !== 'internet').find((n) => {
        const block = parseCidr(n.label.replace(/^tailnet /, '').split(' ')[0])!;
        const addr = parseCidr(`${ip}/32`)!;
        return (addr.network >> BigInt(32 - block.prefix)) === (block.network >> BigInt(32 - block.prefix));
      });
      return hit?.id ?? 'internet';
    };
    const managed = new Set(homelab.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const namespaces = [...managed, 'kube-system'];
    const pods = [...namespaces.map((ns) => Endpoint.pod(ns, {})), ...workloadEndpoints(homelab)];
    const ips = [...addressNodes.filter((n) => n.id !== 'internet').map((n) => representativeAddress(n.label.replace(/^tailnet /, '').split(' ')[0], [])!), '8.8.8.8'];
    const endpoints = [...pods, ...ips.map((ip) => Endpoint.ip(ip))];
    const nodeOf = (e: Endpoint) => (e.kind === 'pod' ? `ns_${e.namespace.replace(/-/g, '_')}` : nodeOfIp(e.ip));
    const named = new Set<string>();
    for (const p of homelab.filter((o) => o.kind === 'NetworkPolicy')) {
      for (const rule of [...((p.spec as any).ingress ?? []), ...((p.spec as any).egress ?? [])]) {
        for (const port of rule.ports ?? []) named.add(`${port.protocol ?? 'TCP'}/${port.port}`);
      }
    }
    const candidates = [...named].map((k) => Port.of(k.split('/')[0], Number(k.split('/')[1])));
    const sentinel = Port.tcp(1);
    const brute = new Set<string>();
    for (const src of endpoints) {
      for (const dst of endpoints) {
        const [a, b] = [nodeOf(src), nodeOf(dst)];
        if (a === b || !(managed.has(a.replace(/^ns_/, '').replace(/_/g, '-')) || managed.has(b.replace(/^ns_/, '').replace(/_/g, '-')))) continue;
        if (model.allowed(src, dst, sentinel)) brute.add(`${a}>${b} any port`);
        else for (const port of candidates) if (model.allowed(src, dst, port)) brute.add(`${a}>${b} ${port.protocol === 'TCP' ? `:${port.port}` : `:${port.port}/${port.protocol}`}`);
      }
    }
    const graph = new Set(homelabGraph.edges.flatMap((e) => e.ports.map((p) => `${e.from}>${e.to} ${p.replace(/ \(.*\)$/, '')}`)));
    expect([...graph].sort()).toEqual([...brute].sort());
  });
});
