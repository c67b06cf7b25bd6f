import { cidrContains, parseCidr } from '../network/cidr';
import { LabelSelector, NAMESPACE_NAME_LABEL, POLICY_TYPES, PolicyType, StoredPeer, StoredPort, StoredRule, portRange, readNetworkPolicy } from '../network/policy';
import { KubeObject } from '../synth/manifest';
import { Check, Note, change, widening } from './finding';

type Direction = PolicyType;
type Selector = LabelSelector;
type PortSpec = StoredPort;

/** One thing a rule allows: traffic with one peer (or anyone) on one port (or any). */
interface Atom {
  readonly peer: StoredPeer | 'any';
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
  for (const d of POLICY_TYPES) {
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

/** The policy as the API server stores it (policyTypes defaulted), as atoms per isolated direction. */
function view(o: KubeObject): View {
  const policy = readNetworkPolicy(o);
  const atoms = (rules: readonly StoredRule[] | undefined): Atom[] =>
    (rules ?? []).flatMap((r) => {
      const ps: (StoredPeer | 'any')[] = r.peers === 'any' ? ['any'] : [...r.peers];
      const ports: (PortSpec | 'any')[] = r.ports === 'any' ? ['any'] : [...r.ports];
      return ps.flatMap((peer) => ports.map((port) => ({ peer, port })));
    });
  return {
    namespace: policy.namespace,
    podSelector: policy.podSelector,
    isolates: new Set(policy.policyTypes),
    atoms: { Ingress: atoms(policy.allows('Ingress')), Egress: atoms(policy.allows('Egress')) },
  };
}

function hasAllowances(v: View): boolean {
  return POLICY_TYPES.some((d) => v.isolates.has(d) && v.atoms[d].length > 0);
}

function atomCovers(outer: Atom, inner: Atom, namespace: string): boolean {
  return peerCovers(outer.peer, inner.peer, namespace) && portCovers(outer.port, inner.port);
}

function peerCovers(outer: StoredPeer | 'any', inner: StoredPeer | 'any', namespace: string): boolean {
  if (outer === 'any') return true;
  if (inner === 'any') return false;
  if (inner.kind === 'ipBlock' || outer.kind === 'ipBlock') return inner.kind === 'ipBlock' && outer.kind === 'ipBlock' && ipBlockCovers(outer, inner);
  return (
    selectorCovers(namespaceSelectorOf(outer, namespace), namespaceSelectorOf(inner, namespace)) &&
    selectorCovers(outer.podSelector, inner.podSelector)
  );
}

/** A peer without namespaceSelector means the policy's own namespace, which its name label selects. */
function namespaceSelectorOf(p: StoredPeer & { kind: 'pods' }, namespace: string): Selector {
  return p.namespaceSelector === 'own' ? { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } : p.namespaceSelector;
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
function ipBlockCovers(outer: { cidr: string; except: readonly string[] }, inner: { cidr: string; except: readonly string[] }): boolean {
  const o = parseCidr(outer.cidr);
  const i = parseCidr(inner.cidr);
  if (!o || !i || !cidrContains(o, i)) return false;
  const innerHoles = inner.except.map(parseCidr);
  return outer.except.every((text) => {
    const hole = parseCidr(text);
    if (!hole) return false;
    const overlap = cidrContains(hole, i) ? i : cidrContains(i, hole) ? hole : undefined;
    return !overlap || innerHoles.some((h) => !!h && cidrContains(h, overlap));
  });
}

function portCovers(outer: PortSpec | 'any', inner: PortSpec | 'any'): boolean {
  if (outer === 'any') return true;
  if (inner === 'any' || outer.protocol !== inner.protocol) return false;
  if (typeof outer.port === 'string' || typeof inner.port === 'string') return outer.port === undefined || outer.port === inner.port;
  const [olo, ohi] = portRange(outer);
  const [ilo, ihi] = portRange(inner);
  return olo <= ilo && ihi <= ohi;
}

/** Why an allowed atom is new, in the reviewer's words. */
function whyNew(a: Atom, old: readonly Atom[], namespace: string, newPolicy: boolean): string {
  if (newPolicy) return 'new policy';
  if (old.some((o) => peerCovers(o.peer, a.peer, namespace))) return 'port added';
  if (a.peer !== 'any' && a.peer.kind === 'ipBlock') {
    const mine = a.peer;
    const now = parseCidr(mine.cidr);
    for (const o of old) {
      if (o.peer === 'any' || o.peer.kind !== 'ipBlock') continue;
      const was = parseCidr(o.peer.cidr);
      if (!now || !was) continue;
      if (o.peer.cidr === mine.cidr) {
        const gone = o.peer.except.filter((e) => !mine.except.includes(e));
        return gone.length ? `except ${gone.join(', ')} removed` : 'except changed';
      }
      if (cidrContains(now, was)) return `CIDR widened from ${o.peer.cidr} to ${mine.cidr}`;
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

function peerText(p: StoredPeer | 'any', namespace: string): string {
  if (p === 'any') return 'anywhere';
  if (p.kind === 'ipBlock') return `${p.cidr}${p.except.length ? ` except ${p.except.join(', ')}` : ''}`;
  const ns = namespaceSelectorOf(p, namespace);
  const nsName = ns.matchLabels?.[NAMESPACE_NAME_LABEL];
  const nsText = nsName && Object.keys(ns.matchLabels!).length === 1 && !ns.matchExpressions?.length
    ? `namespace ${nsName}`
    : `namespaces ${selectorText(ns)}`;
  return `${selectorText(p.podSelector) !== 'all' ? `pods ${selectorText(p.podSelector)} of ` : ''}${nsText}`;
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
  const protocol = p.protocol;
  if (p.port === undefined) return `${protocol}/any`;
  return `${protocol}/${p.port}${p.endPort ? `-${p.endPort}` : ''}`;
}
