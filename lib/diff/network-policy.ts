import { cidrContains, parseCidr } from '../network/cidr';
import { NAMESPACE_NAME_LABEL, policyTypesOfSpec } from '../network/policy';
import { KubeObject } from '../synth/manifest';
import { Check, Note, change, widening } from './finding';

type Direction = 'Ingress' | 'Egress';
const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

interface Selector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: unknown[];
}
interface IpBlock {
  readonly cidr: string;
  readonly except?: string[];
}
interface PeerSpec {
  readonly ipBlock?: IpBlock;
  readonly namespaceSelector?: Selector;
  readonly podSelector?: Selector;
}
interface PortSpec {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}
interface RuleSpec {
  readonly from?: PeerSpec[];
  readonly to?: PeerSpec[];
  readonly ports?: PortSpec[];
}

/** One thing a rule allows: traffic with one peer (or anyone) on one port (or any). */
interface Atom {
  readonly peer: PeerSpec | 'any';
  readonly port: PortSpec | 'any';
}

/** A NetworkPolicy reduced to what it decides. */
interface View {
  readonly namespace: string;
  readonly podSelector: Selector;
  readonly isolates: ReadonlySet<Direction>;
  readonly atoms: Record<Direction, Atom[]>;
}

/**
 * Widened NetworkPolicies: new peers, wider CIDRs, removed `except` entries, new ports, a broader
 * podSelector on an allowance, and a removed (or narrowed) default-deny. Narrowings are changes.
 */
export const networkPolicyCheck: Check = (before, after) => {
  if ((after ?? before)!.kind !== 'NetworkPolicy') return [];
  const old = before && view(before);
  const now = after && view(after);
  const notes: Note[] = [];

  const namespace = (now ?? old)!.namespace;
  for (const d of DIRECTIONS) {
    const oldAtoms = old?.isolates.has(d) ? old.atoms[d] : undefined;
    const nowAtoms = now?.isolates.has(d) ? now.atoms[d] : undefined;
    if (old && oldAtoms?.length === 0) {
      if (!nowAtoms) notes.push(widening('network', `default-deny removed: ${d} of ${pods(old.podSelector)} no longer denied by this policy`));
      else if (!nowAtoms.length && !selectorCovers(now!.podSelector, old.podSelector)) {
        notes.push(widening('network', `default-deny of ${d} narrowed from ${pods(old.podSelector)} to ${pods(now!.podSelector)}`));
      }
    }
    if (now && nowAtoms && !oldAtoms && (old || !nowAtoms.length)) {
      notes.push(change('network', nowAtoms.length ? `now isolates ${d} of ${pods(now.podSelector)}` : `new default-deny of ${d} for ${pods(now.podSelector)}`));
    }
    const added = (nowAtoms ?? []).filter((a) => !(oldAtoms ?? []).some((o) => atomCovers(o, a, namespace)));
    for (const [peer, group] of groupByPeer(added, d, namespace)) {
      notes.push(widening('network', `${peer} on ${portsText(group)} now allowed (${whyNew(group[0], oldAtoms ?? [], namespace, !old)})`));
    }
    const lost = (oldAtoms ?? []).filter((o) => !(nowAtoms ?? []).some((a) => atomCovers(a, o, namespace)));
    for (const [peer, group] of groupByPeer(lost, d, namespace)) {
      notes.push(change('network', `${peer} on ${portsText(group)} no longer allowed by this policy`));
    }
  }
  if (old && now && hasAllowances(now) && !selectorCovers(old.podSelector, now.podSelector)) {
    notes.push(widening('network', `podSelector broadened: allowances now apply to ${pods(now.podSelector)}, were ${pods(old.podSelector)}`));
  }
  return notes;
};

function view(o: KubeObject): View {
  const spec = (o.spec ?? {}) as { podSelector?: Selector; policyTypes?: Direction[]; ingress?: RuleSpec[]; egress?: RuleSpec[] };
  const types: Direction[] = policyTypesOfSpec(spec);
  const atoms = (rules: RuleSpec[] | undefined, peers: 'from' | 'to'): Atom[] =>
    (rules ?? []).flatMap((r) => {
      const ps: (PeerSpec | 'any')[] = r[peers]?.length ? r[peers]! : ['any'];
      const ports: (PortSpec | 'any')[] = r.ports?.length ? r.ports : ['any'];
      return ps.flatMap((peer) => ports.map((port) => ({ peer, port })));
    });
  return {
    namespace: o.metadata.namespace ?? '',
    podSelector: spec.podSelector ?? {},
    isolates: new Set(types),
    atoms: { Ingress: atoms(spec.ingress, 'from'), Egress: atoms(spec.egress, 'to') },
  };
}

function hasAllowances(v: View): boolean {
  return DIRECTIONS.some((d) => v.isolates.has(d) && v.atoms[d].length > 0);
}

function atomCovers(outer: Atom, inner: Atom, namespace: string): boolean {
  return peerCovers(outer.peer, inner.peer, namespace) && portCovers(outer.port, inner.port);
}

function peerCovers(outer: PeerSpec | 'any', inner: PeerSpec | 'any', namespace: string): boolean {
  if (outer === 'any') return true;
  if (inner === 'any') return false;
  if (inner.ipBlock || outer.ipBlock) return !!inner.ipBlock && !!outer.ipBlock && ipBlockCovers(outer.ipBlock, inner.ipBlock);
  return (
    selectorCovers(namespaceSelectorOf(outer, namespace), namespaceSelectorOf(inner, namespace)) &&
    selectorCovers(outer.podSelector ?? {}, inner.podSelector ?? {})
  );
}

/** A peer without namespaceSelector means the policy's own namespace, which its name label selects. */
function namespaceSelectorOf(p: PeerSpec, namespace: string): Selector {
  return p.namespaceSelector ?? { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

/** True when `outer` selects at least what `inner` does (fewer required labels and expressions). */
function selectorCovers(outer: Selector, inner: Selector): boolean {
  const labels = Object.entries(outer.matchLabels ?? {}).every(([k, v]) => inner.matchLabels?.[k] === v);
  const innerExpressions = (inner.matchExpressions ?? []).map((e) => JSON.stringify(e));
  return labels && (outer.matchExpressions ?? []).every((e) => innerExpressions.includes(JSON.stringify(e)));
}

/**
 * True when `outer` allows every address `inner` allows: inner's block lies inside outer's, and every hole
 * of outer that reaches into inner's block is also a hole of inner.
 */
function ipBlockCovers(outer: IpBlock, inner: IpBlock): boolean {
  const o = parseCidr(outer.cidr);
  const i = parseCidr(inner.cidr);
  if (!o || !i || !cidrContains(o, i)) return false;
  const innerHoles = (inner.except ?? []).map(parseCidr);
  return (outer.except ?? []).every((text) => {
    const hole = parseCidr(text);
    if (!hole) return false;
    const overlap = cidrContains(hole, i) ? i : cidrContains(i, hole) ? hole : undefined;
    return !overlap || innerHoles.some((h) => !!h && cidrContains(h, overlap));
  });
}

function portCovers(outer: PortSpec | 'any', inner: PortSpec | 'any'): boolean {
  if (outer === 'any') return true;
  if (inner === 'any' || (outer.protocol ?? 'TCP') !== (inner.protocol ?? 'TCP')) return false;
  if (typeof outer.port === 'string' || typeof inner.port === 'string') return outer.port === undefined || outer.port === inner.port;
  const [olo, ohi] = range(outer);
  const [ilo, ihi] = range(inner);
  return olo <= ilo && ihi <= ohi;
}

function range(p: PortSpec): [number, number] {
  if (p.port === undefined) return [1, 65535];
  return [Number(p.port), p.endPort ?? Number(p.port)];
}

/** Why an allowed atom is new, in the reviewer's words. */
function whyNew(a: Atom, old: readonly Atom[], namespace: string, newPolicy: boolean): string {
  if (newPolicy) return 'new policy';
  if (old.some((o) => peerCovers(o.peer, a.peer, namespace))) return 'port added';
  if (a.peer !== 'any' && a.peer.ipBlock) {
    const mine = a.peer.ipBlock;
    const now = parseCidr(mine.cidr);
    for (const o of old) {
      if (o.peer === 'any' || !o.peer.ipBlock) continue;
      const was = parseCidr(o.peer.ipBlock.cidr);
      if (!now || !was) continue;
      if (o.peer.ipBlock.cidr === mine.cidr) {
        const gone = (o.peer.ipBlock.except ?? []).filter((e) => !(mine.except ?? []).includes(e));
        return gone.length ? `except ${gone.join(', ')} removed` : 'except changed';
      }
      if (cidrContains(now, was)) return `CIDR widened from ${o.peer.ipBlock.cidr} to ${mine.cidr}`;
    }
  }
  if (a.peer === 'any') return 'any peer';
  return old.length ? 'new peer' : 'first allowance of this direction';
}

function groupByPeer(atoms: readonly Atom[], d: Direction, namespace: string): Map<string, Atom[]> {
  const out = new Map<string, Atom[]>();
  for (const a of atoms) {
    const key = `${d} ${d === 'Ingress' ? 'from' : 'to'} ${peerText(a.peer, namespace)}`;
    out.set(key, [...(out.get(key) ?? []), a]);
  }
  return out;
}

function peerText(p: PeerSpec | 'any', namespace: string): string {
  if (p === 'any') return 'anywhere';
  if (p.ipBlock) return `${p.ipBlock.cidr}${p.ipBlock.except?.length ? ` except ${p.ipBlock.except.join(', ')}` : ''}`;
  const ns = namespaceSelectorOf(p, namespace);
  const nsName = ns.matchLabels?.[NAMESPACE_NAME_LABEL];
  const nsText = nsName && Object.keys(ns.matchLabels!).length === 1 && !ns.matchExpressions?.length
    ? `namespace ${nsName}`
    : `namespaces ${selectorText(ns)}`;
  return `${p.podSelector && selectorText(p.podSelector) !== 'all' ? `pods ${selectorText(p.podSelector)} of ` : ''}${nsText}`;
}

function pods(s: Selector): string {
  const t = selectorText(s);
  return t === 'all' ? 'all pods' : `pods ${t}`;
}

function selectorText(s: Selector): string {
  const parts = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map((e) => JSON.stringify(e)),
  ];
  return parts.length ? `{${parts.join(',')}}` : 'all';
}

function portsText(atoms: readonly Atom[]): string {
  return [...new Set(atoms.map((a) => portText(a.port)))].join(', ');
}

function portText(p: PortSpec | 'any'): string {
  if (p === 'any') return 'any port';
  const protocol = p.protocol ?? 'TCP';
  if (p.port === undefined) return `${protocol}/any`;
  return `${protocol}/${p.port}${p.endPort ? `-${p.endPort}` : ''}`;
}
