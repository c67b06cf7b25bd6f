import { KubeObject } from '../synth/manifest';
import { Endpoint, NetworkModel, workloadEndpoints } from '../network/reachability';
import { Port } from '../network/port';
import { POLICY_TYPES, readNetworkPolicy } from '../network/policy';
import { isPlaceholderReason, parseMarkdownTable, reasonCell } from './review-file';

/** An endpoint outside the cluster, named as the truth table shows it (`tailnet:mac-mini`, `backend:x`). */
export interface NamedAddress {
  readonly name: string;
  readonly ip: string;
}

/** An endpoint with the name the truth table uses. */
export interface NamedEndpoint {
  readonly name: string;
  readonly endpoint: Endpoint;
  /** A pod of a namespace the app builds (only pairs with such a pod are governed by its policies). */
  readonly governed: boolean;
}

/** One allowed connection: `from` may open a connection to `to` on `port` (`any` = every port). */
export interface Triple {
  readonly from: string;
  readonly to: string;
  readonly port: string;
}

/** A truth-table row: a connection and the reviewer's reason (empty: not reviewed yet). */
export interface TruthTableRow extends Triple {
  readonly reason: string;
}

/** `any`: a pair allowed on every port (the same-namespace allowance). */
export const ANY_PORT = 'any';

/** A port no policy names, standing for every such port in the table's `any` lines. */
export const UNUSED_PORT = Port.tcp(31337);

/** The outside endpoints every homelab has: a tailnet device, two internet addresses, a LAN address. */
export const DEFAULT_OUTSIDE: readonly NamedAddress[] = [
  { name: 'tailnet:mac-mini', ip: '100.77.144.4' },
  { name: 'internet:1.1.1.1', ip: '1.1.1.1' },
  { name: 'internet:140.82.112.3', ip: '140.82.112.3' },
  { name: 'lan:192.168.1.10', ip: '192.168.1.10' },
];

/** Options of the truth-table functions. */
export interface TruthTableOptions {
  /**
   * Outside endpoints besides {@link DEFAULT_OUTSIDE} (backends the policies name, an API server address).
   * @default - none
   */
  readonly addresses?: readonly NamedAddress[];
}

/** Pod addresses: a sample pod CIDR (private, so "internet" egress never reaches a pod). */
const POD_CIDR_BASE = '10.42.0.';

/**
 * Every endpoint of the table: a label-less pod (`<ns>/any-pod`) in every namespace the objects build, each
 * workload's pods (its template labels), kube-system's DNS and API server pods, and the outside addresses.
 */
export function reachabilityEndpoints(objects: readonly KubeObject[], options: TruthTableOptions = {}): NamedEndpoint[] {
  let next = 10;
  const ip = () => `${POD_CIDR_BASE}${next++}`;
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort();
  const pods: NamedEndpoint[] = namespaces.map((ns) => ({ name: `${ns}/any-pod`, endpoint: Endpoint.pod(ns, {}, { ip: ip() }), governed: true }));
  for (const w of workloadEndpoints(objects)) {
    pods.push({ name: `${w.namespace}/${w.name!.split('/').pop()}`, endpoint: { ...w, ip: ip() }, governed: namespaces.includes(w.namespace) });
  }
  const outside = [...DEFAULT_OUTSIDE, ...(options.addresses ?? [])];
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
    const policy = readNetworkPolicy(o);
    for (const rule of POLICY_TYPES.flatMap((d) => policy.allows(d) ?? [])) {
      for (const p of rule.ports === 'any' ? [] : rule.ports) {
        if (typeof p.port !== 'number') continue;
        // Both ends of an endPort range, so a range shows as more than its first port.
        add(Port.of(p.protocol, p.port));
        if (p.endPort !== undefined) add(Port.of(p.protocol, p.endPort));
      }
    }
  }
  return [...seen.values()];
}

/**
 * Whether the app's policies decide the pair: one side is a pod of a namespace it builds. An endpoint
 * paired with itself stands for two pods of the same class (two replicas, two label-less pods).
 */
export function governs(from: NamedEndpoint, to: NamedEndpoint): boolean {
  return (from.governed || to.governed) && (from !== to || from.endpoint.kind === 'pod');
}

/**
 * Every allowed (from, to, port) of the governed pairs, checked on every named port and the unused sample;
 * a pair allowed on all of them is one `any` line. Sorted as the table is.
 */
export function allowedTriples(objects: readonly KubeObject[], options: TruthTableOptions = {}): Triple[] {
  const ports = portsToCheck(objects, [UNUSED_PORT]);
  const model = new NetworkModel(objects);
  const all = reachabilityEndpoints(objects, options);
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

/** `from -> to port`: the identity of a row. */
export function tripleKey(t: Triple): string {
  return `${t.from} -> ${t.to} ${t.port}`;
}

/** Sorts in place by {@link tripleKey} and returns the list. */
export function sortTriples<T extends Triple>(list: T[]): T[] {
  return list.sort((a, b) => (tripleKey(a) < tripleKey(b) ? -1 : tripleKey(a) > tripleKey(b) ? 1 : 0));
}

/** The heading of the generated table; everything above it is the reviewer's prose, kept as written. */
export const TRUTH_TABLE_HEADING = '## Allowed connections';

const TABLE_HEADER = '| from | to | port | reason |\n|---|---|---|---|';

/** The rows of a truth-table file (`| from | to | port | reason |` under {@link TRUTH_TABLE_HEADING}). */
export function parseTruthTable(text: string): TruthTableRow[] {
  const at = text.indexOf(TRUTH_TABLE_HEADING);
  if (at < 0) return [];
  return parseMarkdownTable(text.slice(at)).map(([from, to, port, reason]) => ({ from, to, port, reason: reason ?? '' }));
}

/**
 * The truth-table file for `triples`: the previous file's prose kept, its reasons kept for the rows that are
 * still allowed, new rows with an empty reason (the reviewer writes one; CI refuses an empty one), rows no
 * longer allowed gone (the diff shows them as removed connections).
 */
export function renderTruthTable(previous: string | undefined, triples: readonly Triple[]): string {
  const reasons = new Map(parseTruthTable(previous ?? '').map((r) => [tripleKey(r), r.reason]));
  const prose = previous && previous.includes(TRUTH_TABLE_HEADING)
    ? previous.slice(0, previous.indexOf(TRUTH_TABLE_HEADING))
    : '# Reachability truth table\n\nEvery connection the NetworkPolicies allow, one row per (from, to, port); everything else is denied.\n' +
      'Rows are computed by `npm run synth`; the reason column is the reviewer\'s.\n\n';
  const rows = triples.map((t) => `| ${t.from} | ${t.to} | ${t.port} | ${reasonCell(reasons.get(tripleKey(t)) ?? '')} |`);
  return `${prose}${TRUTH_TABLE_HEADING}\n\n${TABLE_HEADER}\n${rows.join('\n')}\n`;
}

/** Rows nobody has reviewed yet: no reason, or a placeholder (`?`, todo, tbd, fixme). */
export function unreviewedRows<T extends TruthTableRow>(rows: readonly T[]): T[] {
  return rows.filter((r) => isPlaceholderReason(r.reason));
}
