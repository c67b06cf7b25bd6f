/**
 * np-guard's netpol-analyzer, an independent static NetworkPolicy oracle, over dist/'s Namespaces and
 * NetworkPolicies with fixture pods (scripts/connectivity.ts): its connectivity, mapped onto the truth
 * table's endpoint names and ports, must equal the truth table. It needs only the binary, not root.
 */
import { ANY_PORT, NamedEndpoint, Port, Triple, UNUSED_PORT, governs, portsToCheck, reachabilityEndpoints, sortTriples, tripleKey } from '../../lib';
import { REACHABILITY_ADDRESSES } from '../../homelab/synthesis';
import { AnalyzerConnection, analyzerConnections, connectivitySection, fixturePodNames, npGuardBinary } from '../../scripts/connectivity';
import { isDefaultDeny, readObjects, truthTableTriples } from './plan';

jest.setTimeout(900000);

/** Ports per protocol that `conn` admits: `All Connections`, or `TCP 1-79,81-65535,UDP 53`. */
export function admits(conn: string, port: Port): boolean {
  if (conn === 'All Connections') return true;
  let proto = '';
  return conn.split(',').some((item) => {
    const m = /^(TCP|UDP|SCTP) (.+)$/.exec(item.trim());
    if (m) proto = m[1];
    const range = (m ? m[2] : item).trim();
    const [lo, hi = lo] = range.split('-').map(Number);
    return proto === port.protocol && port.port >= lo && port.port <= hi;
  });
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** Whether `ip` is in an analyzer IP peer: ranges `a-b`, single addresses or CIDRs, comma-separated. */
export function ipPeerHas(peer: string, ip: string): boolean {
  const x = ipToNumber(ip);
  return peer.split(',').some((r) => {
    if (r.includes('/')) {
      const [base, bits] = r.split('/');
      const size = 2 ** (32 - Number(bits));
      const start = ipToNumber(base) - (ipToNumber(base) % size);
      return x >= start && x < start + size;
    }
    const [lo, hi = lo] = r.split('-');
    return x >= ipToNumber(lo) && x <= ipToNumber(hi);
  });
}

/**
 * The analyzer's connections as truth-table triples: a fixture pod stands for its class, an IP peer for
 * every outside endpoint inside it; each governed pair is checked on the table's ports (all of them: `any`).
 */
export function analyzerTriples(conns: readonly AnalyzerConnection[], endpoints: readonly NamedEndpoint[], ports: readonly Port[]): Triple[] {
  const byPod = new Map<string, NamedEndpoint>();
  for (const e of endpoints) {
    if (e.endpoint.kind === 'pod') for (const pod of fixturePodNames(e.name)) byPod.set(`${e.endpoint.namespace}/${pod}[Pod]`, e);
  }
  const resolve = (peer: string): NamedEndpoint[] => {
    const pod = byPod.get(peer);
    if (pod) return [pod];
    if (/^[0-9]/.test(peer)) return endpoints.filter((e) => e.endpoint.kind === 'ip' && ipPeerHas(peer, e.endpoint.ip));
    throw new Error(`analyzer peer "${peer}" is neither a fixture pod nor an IP range`);
  };
  const out = new Map<string, Triple>();
  for (const c of conns) {
    for (const from of resolve(c.src)) {
      for (const to of resolve(c.dst)) {
        if (!governs(from, to)) continue;
        const allowed = ports.filter((p) => admits(c.conn, p));
        const triples = allowed.length === ports.length
          ? [{ from: from.name, to: to.name, port: ANY_PORT }]
          : allowed.map((p) => ({ from: from.name, to: to.name, port: p.toString() }));
        for (const t of triples) out.set(tripleKey(t), t);
      }
    }
  }
  return sortTriples([...out.values()]);
}

describe('the mapping of analyzer output (fails when it cannot tell ports or peers apart)', () => {
  test('port lists and ranges per protocol', () => {
    expect(admits('TCP 1-79,81-65535,UDP 53', Port.tcp(80))).toBe(false);
    expect(admits('TCP 1-79,81-65535,UDP 53', Port.tcp(443))).toBe(true);
    expect(admits('TCP 1-79,81-65535,UDP 53', Port.udp(53))).toBe(true);
    expect(admits('TCP 53', Port.udp(53))).toBe(false);
    expect(admits('All Connections', Port.udp(31337))).toBe(true);
  });
  test('IP peers as ranges and CIDRs', () => {
    expect(ipPeerHas('100.64.0.0-100.127.255.255', '100.77.144.4')).toBe(true);
    expect(ipPeerHas('0.0.0.0-9.255.255.255,11.0.0.0-100.63.255.255', '10.0.0.1')).toBe(false);
    expect(ipPeerHas('192.0.2.10/32', '192.0.2.10')).toBe(true);
    expect(ipPeerHas('192.0.2.10/32', '192.0.2.11')).toBe(false);
  });
});

describe('np-guard netpol-analyzer v1.4.4 agrees with the truth table', () => {
  const objects = readObjects();
  const endpoints = reachabilityEndpoints(objects, { addresses: REACHABILITY_ADDRESSES });
  const ports = portsToCheck(objects, [UNUSED_PORT]);
  const table = truthTableTriples();
  let bin: string;
  beforeAll(() => (bin = npGuardBinary()));

  test('every connection it finds is a table row and every table row is one it finds', () => {
    const t = Date.now();
    const conns = analyzerConnections(objects, bin);
    const found = analyzerTriples(conns, endpoints, ports);
    const rows = new Set(table.map(tripleKey));
    const keys = new Set(found.map(tripleKey));
    const onlyAnalyzer = found.filter((x) => !rows.has(tripleKey(x)));
    const onlyTable = table.filter((x) => !keys.has(tripleKey(x)));
    console.log(`np-guard: ${conns.length} connections -> ${found.length} triples in ${Date.now() - t} ms; table ${table.length} rows; ` +
      `only in the analyzer ${onlyAnalyzer.length}, only in the table ${onlyTable.length}`);
    expect(found.length).toBeGreaterThan(0);
    expect({ onlyAnalyzer, onlyTable }).toEqual({ onlyAnalyzer: [], onlyTable: [] });
  });

  test('canary: without the default-deny policies the analyzer sees more than the table', () => {
    const open = objects.filter((o) => !isDefaultDeny(o));
    expect(open.length).toBeLessThan(objects.length);
    const found = analyzerTriples(analyzerConnections(open, bin), endpoints, ports);
    const rows = new Set(table.map(tripleKey));
    expect(found.filter((x) => !rows.has(tripleKey(x))).length).toBeGreaterThan(0);
  });

  test("npm run diff's Connectivity section: no change for the same objects, the opened connections when a namespace loses its policies", () => {
    expect(connectivitySection(objects, objects)).toMatch(/\n\nNo change\.\n$/);
    // A whole namespace's policies, not just its default-deny: its other policies select every pod for both
    // directions too, so a default-deny alone changes no connection (the analyzer and the lab agree on that).
    const ns = objects.find(isDefaultDeny)!.metadata.namespace;
    const section = connectivitySection(objects, objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === ns)));
    console.log(`np-guard diff without ${ns}'s NetworkPolicies:${section.split('\n').slice(0, 12).join('\n')}`);
    expect(section).toMatch(new RegExp(`\\| added \\|[^\\n]*\\| ${ns}/any-pod-1\\[Pod\\] \\|`));
  });
});
