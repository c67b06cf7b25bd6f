/**
 * What the enforcement lab builds and probes, derived from dist/ and the library's own reachability
 * endpoints: every endpoint class of the truth table (label-less pods per namespace, every pod template in
 * dist/, kube-dns and API-server stand-ins, the outside addresses), two pods per class, and a sweep of
 * (from, to, port) over every governed pair and every port some policy names plus unlisted ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { REACHABILITY_ADDRESSES, TRUTH_TABLE_FILE } from '../../homelab/synthesis';
import {
  ANY_PORT,
  KubeObject,
  NamedEndpoint,
  Port,
  Triple,
  UNUSED_PORT,
  governs,
  parseTruthTable,
  portsToCheck,
  reachabilityEndpoints,
  tripleKey,
} from '../../lib';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Every object of every YAML file under `dir` (dist/ or a copy of it). */
export function readObjects(dir = path.join(ROOT, 'dist')): KubeObject[] {
  const out: KubeObject[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(...parseAllObjects(fs.readFileSync(p, 'utf8')));
    }
  };
  walk(dir);
  return out;
}

function parseAllObjects(text: string): KubeObject[] {
  return text.split(/^---$/m).map((doc) => parse(doc) as KubeObject | null).filter((o): o is KubeObject => !!o?.kind);
}

/** The committed truth table's rows (the expectation), as triples. */
export function truthTableTriples(): Triple[] {
  return parseTruthTable(fs.readFileSync(path.join(ROOT, TRUTH_TABLE_FILE), 'utf8')).map(({ from, to, port }) => ({ from, to, port }));
}

/** One endpoint class with the lab addresses of its members (two pods, or the one outside address). */
export interface LabClass {
  readonly endpoint: NamedEndpoint;
  /** Pod classes: the pods' labels; outside addresses: undefined. */
  readonly labels?: Record<string, string>;
  readonly namespace?: string;
  /** Pod names (pods) or a host name (outside), one per address. */
  readonly members: { readonly name: string; readonly ip: string }[];
}

/** Pods per class: two, so that a class paired with itself is a real pair of pods. */
export const REPLICAS = 2;

/**
 * The lab's classes: the truth table's endpoints (lib's reachabilityEndpoints over `objects` and the
 * homelab's outside addresses), pods at 10.244.<class>.<11+replica>, outside endpoints at their own address.
 */
export function labClasses(objects: readonly KubeObject[]): LabClass[] {
  let index = 0;
  return reachabilityEndpoints(objects, { addresses: REACHABILITY_ADDRESSES }).map((endpoint) => {
    const e = endpoint.endpoint;
    if (e.kind === 'ip') return { endpoint, members: [{ name: endpoint.name.replace(/[^a-z0-9]+/gi, '-'), ip: e.ip }] };
    index++;
    const base = endpoint.name.split('/')[1];
    const members = Array.from({ length: REPLICAS }, (_, r) => ({ name: `${base}-${r + 1}`, ip: `10.244.${index}.${11 + r}` }));
    return { endpoint, labels: { ...e.labels }, namespace: e.namespace, members };
  });
}

/** The ports probed: every port some policy names, DNS, and TCP/UDP 31337 that no policy names. */
export function sweepPorts(objects: readonly KubeObject[]): Port[] {
  return portsToCheck(objects, [UNUSED_PORT, Port.udp(UNUSED_PORT.port)]);
}

/** One probe: from a source address to a destination address and port, and whether the table allows it. */
export interface Probe {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly src: string;
  readonly dst: string;
  readonly expectOpen: boolean;
}

/**
 * The full sweep: for every governed pair of classes and every port, from the first member of `from` to
 * every member of `to` other than the source itself. Open is expected iff the table has the row or an
 * `any` row for the pair.
 */
export function sweep(classes: readonly LabClass[], ports: readonly Port[], table: readonly Triple[]): Probe[] {
  const rows = new Set(table.map(tripleKey));
  const out: Probe[] = [];
  for (const from of classes) {
    for (const to of classes) {
      if (!governs(from.endpoint, to.endpoint)) continue;
      const src = from.members[0].ip;
      for (const port of ports) {
        const triple = { from: from.endpoint.name, to: to.endpoint.name, port: port.toString() };
        const expectOpen = rows.has(tripleKey(triple)) || rows.has(tripleKey({ ...triple, port: ANY_PORT }));
        for (const m of to.members) if (m.ip !== src) out.push({ ...triple, src, dst: m.ip, expectOpen });
      }
    }
  }
  return out;
}

/** Table rows that name an endpoint the lab does not have (they could never be probed). */
export function unprobedRows(classes: readonly LabClass[], table: readonly Triple[]): Triple[] {
  const names = new Set(classes.map((c) => c.endpoint.name));
  return table.filter((t) => !names.has(t.from) || !names.has(t.to));
}

/** A policy that selects every pod of its namespace for both directions and allows nothing. */
export function isDefaultDeny(p: KubeObject): boolean {
  const spec = p.spec as any;
  return p.kind === 'NetworkPolicy' && Object.keys(spec.podSelector ?? {}).length === 0 && !spec.ingress?.length && !spec.egress?.length &&
    ['Ingress', 'Egress'].every((t) => spec.policyTypes?.includes(t));
}

