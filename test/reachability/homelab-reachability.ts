/**
 * The whole homelab's reachability, computed from the synthesized NetworkPolicies with the library's
 * NetworkModel, and the committed truth table it is compared with (truth-table.md).
 *
 * Endpoints: in every namespace of the homelab a pod without workload labels ("any-pod") and each workload's
 * pods (labels from the synthesized Deployments); in kube-system the DNS pod and the API server (the homelab
 * reaches it as a kube-system pod); outside the cluster a tailnet device, two internet addresses, a LAN
 * address and the personal-gateway backends at the addresses the homelab configures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildHomelab } from '../../homelab';
import { NAMESPACES } from '../../homelab/namespaces';
import { GATEWAY_PROXIES } from '../../homelab/workloads';
import { Endpoint, KubeObject, NetworkModel, Port, collectManifests, workloadEndpoints } from '../../lib';

/** An endpoint with the name the truth table uses. */
export interface NamedEndpoint {
  readonly name: string;
  readonly endpoint: Endpoint;
  /** A pod of a namespace the homelab builds (only pairs with such a pod are governed by its policies). */
  readonly governed: boolean;
}

/** One allowed connection: `from` may open a connection to `to` on `port` (`any` = every port). */
export interface Triple {
  readonly from: string;
  readonly to: string;
  readonly port: string;
}

/** `any`: a pair allowed on every port (the same-namespace allowance). */
export const ANY_PORT = 'any';

/** Pod addresses: a sample pod CIDR (private, so "internet" egress never reaches a pod). */
const POD_CIDR_BASE = '10.42.0.';

/** The first address of a backend CIDR (the /32 itself for a single host). */
function firstAddress(cidr: string): string {
  const [addr, prefix] = cidr.split('/');
  if (prefix === '32') return addr;
  const octets = addr.split('.').map(Number);
  octets[3] += 1;
  return octets.join('.');
}

/** The synthesized objects of the homelab, as main.ts renders them. */
export function homelabObjects(): KubeObject[] {
  const app = new App();
  buildHomelab(app);
  return collectManifests(app).map((m) => m.object);
}

/** Every endpoint of the model, named as in the truth table. */
export function endpoints(objects: readonly KubeObject[]): NamedEndpoint[] {
  let next = 10;
  const ip = () => `${POD_CIDR_BASE}${next++}`;
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort();
  const pods: NamedEndpoint[] = namespaces.map((ns) => ({ name: `${ns}/any-pod`, endpoint: Endpoint.pod(ns, {}, { ip: ip() }), governed: true }));
  for (const w of workloadEndpoints(objects)) {
    pods.push({ name: `${w.namespace}/${w.name!.split('/').pop()}`, endpoint: { ...w, ip: ip() }, governed: namespaces.includes(w.namespace) });
  }
  const backends = GATEWAY_PROXIES.map((p) => ({ name: `backend:${p.name}`, ip: firstAddress(p.backend.cidr) }));
  // An API server reached by address (apiServerEgress: Peer.cidr(...)) is an endpoint of its own.
  const apiServers = [...new Set(NAMESPACES.flatMap((n) => {
    const peer = n.network.apiServerEgress;
    return typeof peer === 'object' && peer.kind === 'cidr' ? [peer.cidr] : [];
  }))].map((cidr) => ({ name: `api-server:${firstAddress(cidr)}`, ip: firstAddress(cidr) }));
  const outside: { name: string; ip: string }[] = [
    { name: 'tailnet:mac-mini', ip: '100.77.144.4' },
    { name: 'internet:1.1.1.1', ip: '1.1.1.1' },
    { name: 'internet:140.82.112.3', ip: '140.82.112.3' },
    { name: 'lan:192.168.1.10', ip: '192.168.1.10' },
    ...apiServers,
    ...backends,
  ];
  return [
    ...pods.sort((a, b) => (a.name < b.name ? -1 : 1)),
    { name: 'kube-system/kube-dns', endpoint: Endpoint.pod('kube-system', { 'k8s-app': 'kube-dns' }, { ip: ip() }), governed: false },
    { name: 'kube-system/kube-apiserver', endpoint: Endpoint.pod('kube-system', { component: 'kube-apiserver' }, { ip: ip() }), governed: false },
    ...outside.map((o) => ({ name: o.name, endpoint: Endpoint.ip(o.ip), governed: false })),
  ];
}

/** Every port some policy names, DNS, and `extra` ports no policy names (they stand for "any other port"). */
export function portsToCheck(objects: readonly KubeObject[], extra: readonly Port[]): Port[] {
  const seen = new Map<string, Port>();
  const add = (p: Port) => seen.set(p.toString(), p);
  [Port.udp(53), Port.tcp(53), ...extra].forEach(add);
  for (const o of objects.filter((x) => x.kind === 'NetworkPolicy')) {
    const spec = o.spec as any;
    for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
      for (const p of rule.ports ?? []) if (typeof p.port === 'number') add(Port.of(p.protocol ?? 'TCP', p.port));
    }
  }
  return [...seen.values()];
}

/** A port no policy of the homelab names, standing for every such port in the table's `any` lines. */
export const UNUSED_PORT = Port.tcp(31337);

/**
 * Every allowed (from, to, port) of the governed pairs, checked on `ports`; a pair allowed on every one of
 * them (including the unused sample) is one `any` line. Sorted as the table is.
 */
export function allowedTriples(objects: readonly KubeObject[], ports: readonly Port[] = portsToCheck(objects, [UNUSED_PORT])): Triple[] {
  const model = new NetworkModel(objects);
  const all = endpoints(objects);
  const out: Triple[] = [];
  for (const from of all) {
    for (const to of all) {
      if (!governs(from, to)) continue;
      const allowed = ports.filter((p) => model.allowed(from.endpoint, to.endpoint, p));
      if (allowed.length === ports.length) out.push({ from: from.name, to: to.name, port: ANY_PORT });
      else out.push(...allowed.map((p) => ({ from: from.name, to: to.name, port: p.toString() })));
    }
  }
  return sortTriples(out);
}

/**
 * Whether the homelab's policies decide the pair: one side is a pod of a homelab namespace. An endpoint
 * paired with itself stands for two pods of the same class (two replicas, two label-less pods).
 */
export function governs(from: NamedEndpoint, to: NamedEndpoint): boolean {
  return (from.governed || to.governed) && (from !== to || from.endpoint.kind === 'pod');
}

export function tripleKey(t: Triple): string {
  return `${t.from} -> ${t.to} ${t.port}`;
}

export function sortTriples(list: Triple[]): Triple[] {
  return list.sort((a, b) => (tripleKey(a) < tripleKey(b) ? -1 : tripleKey(a) > tripleKey(b) ? 1 : 0));
}

export const TRUTH_TABLE = path.join(__dirname, 'truth-table.md');

/** The committed truth table: the rows `| from | to | port | seed |` under "## Allowed connections". */
export function truthTable(file = TRUTH_TABLE): (Triple & { seed: string })[] {
  const text = fs.readFileSync(file, 'utf8');
  const section = text.slice(text.indexOf('## Allowed connections'));
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| from ') && !l.startsWith('|---'));
  return rows.map((l) => {
    const [from, to, port, seed] = l.split('|').slice(1, -1).map((c) => c.trim());
    return { from, to, port, seed };
  });
}

/** The table rows for `triples` (seed column left for the reviewer). */
export function renderRows(triples: readonly Triple[]): string {
  return triples.map((t) => `| ${t.from} | ${t.to} | ${t.port} | ? |`).join('\n');
}
