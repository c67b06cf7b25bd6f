import { TAILNET_CIDR } from '../network/peer';
import { API_SERVER_PORT, NAMESPACE_NAME_LABEL, policyTypesOf } from '../network/policy';
import { code, compare, sortBy, table } from './markdown';
import { ObjectIndex, labelText } from './objects';

/** A port of a rule; `port` undefined means every port of the protocol. */
export interface PortView {
  readonly protocol: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** Which namespaces a pod peer selects. */
export type NamespaceView =
  | { readonly kind: 'same' }
  | { readonly kind: 'named'; readonly name: string }
  /** A label selector over namespaces ('' selects every namespace). */
  | { readonly kind: 'selector'; readonly text: string };

/** The other side of one rule, read from the policy. */
export type PeerView =
  | { readonly kind: 'anywhere' }
  | { readonly kind: 'pods'; readonly namespaces: NamespaceView; readonly pods: string }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] };

/**
 * One peer of one rule of one NetworkPolicy: the unit every network table is built from. A policy type
 * without rules (a deny) is one view without `peer`.
 */
export interface PolicyRuleView {
  readonly namespace: string;
  readonly policy: string;
  /** The pods the policy applies to, as selector text; '' is every pod of the namespace. */
  readonly pods: string;
  readonly direction: 'Ingress' | 'Egress';
  /** Undefined for a deny (the policy type has no rule). */
  readonly peer?: PeerView;
  /** Empty means every port. */
  readonly ports: readonly PortView[];
}

/** Every NetworkPolicy as rule views, sorted by namespace and policy name (rules in policy order). */
export function policyRuleViews(index: ObjectIndex): PolicyRuleView[] {
  const out: PolicyRuleView[] = [];
  for (const policy of index.ofKind('NetworkPolicy')) {
    const spec = policy.spec as any;
    const base = { namespace: policy.metadata.namespace ?? '', policy: policy.metadata.name, pods: selectorText(spec?.podSelector) };
    for (const direction of policyTypesOf(policy)) {
      const rules: any[] = (direction === 'Ingress' ? spec?.ingress : spec?.egress) ?? [];
      if (!rules.length) out.push({ ...base, direction, ports: [] });
      for (const rule of rules) {
        const ports: PortView[] = (rule.ports ?? []).map((p: any) => ({ protocol: p.protocol ?? 'TCP', port: p.port, endPort: p.endPort }));
        const peers: any[] = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
        if (!peers.length) out.push({ ...base, direction, peer: { kind: 'anywhere' }, ports });
        for (const peer of peers) out.push({ ...base, direction, peer: peerView(peer), ports });
      }
    }
  }
  return out;
}

function peerView(peer: any): PeerView {
  if (peer.ipBlock) return { kind: 'cidr', cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] };
  return { kind: 'pods', namespaces: namespaceView(peer.namespaceSelector), pods: selectorText(peer.podSelector) };
}

function namespaceView(selector: any): NamespaceView {
  if (!selector) return { kind: 'same' };
  const labels = selector.matchLabels ?? {};
  const keys = Object.keys(labels);
  if (keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL && !selector.matchExpressions?.length) {
    return { kind: 'named', name: labels[NAMESPACE_NAME_LABEL] };
  }
  return { kind: 'selector', text: selectorText(selector) };
}

/** A label selector as text: `app=x, tier in (a, b), canary exists`; '' selects everything. */
export function selectorText(selector: any): string {
  if (!selector) return '';
  const expressions = (selector.matchExpressions ?? []).map((e: any) => {
    switch (e.operator) {
      case 'In': return `${e.key} in (${e.values.join(', ')})`;
      case 'NotIn': return `${e.key} notin (${e.values.join(', ')})`;
      case 'Exists': return `${e.key} exists`;
      default: return `${e.key} does not exist`;
    }
  });
  return [labelText(selector.matchLabels), ...expressions].filter(Boolean).join(', ');
}

/** `:443`, `:53/UDP`, `:8000-8080`, `:http`, `all UDP ports`. */
export function portText(p: PortView): string {
  const proto = p.protocol === 'TCP' ? '' : `/${p.protocol}`;
  if (p.port === undefined) return `all ${p.protocol} ports`;
  return `:${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}${proto}`;
}

/** The ports of a rule, in rule order: `:443, :22`, or `all ports`. */
export function portsText(ports: readonly PortView[]): string {
  return ports.length ? ports.map(portText).join(', ') : 'all ports';
}

/** True for the CIDR of "everything" (the internet egress of the library is 0.0.0.0/0 minus private ranges). */
export function isEverywhere(cidr: string): boolean {
  return cidr === '0.0.0.0/0' || cidr === '::/0';
}

/** The peer as a short phrase: `tailnet (100.64.0.0/10)`, `namespace infisical`, `pods app=x of namespace y`. */
export function peerText(peer: PeerView | undefined): string {
  if (!peer) return 'none (deny)';
  switch (peer.kind) {
    case 'anywhere':
      return 'anywhere';
    case 'cidr': {
      const except = peer.except.length ? ` except ${peer.except.join(', ')}` : '';
      if (peer.cidr === TAILNET_CIDR && !except) return `tailnet (${peer.cidr})`;
      return `${isEverywhere(peer.cidr) ? 'internet: ' : ''}${peer.cidr}${except}`;
    }
    case 'pods': {
      const ns = peer.namespaces;
      const where = ns.kind === 'same' ? 'own namespace' : ns.kind === 'named' ? `namespace ${ns.name}` : ns.text ? `namespaces with ${ns.text}` : 'every namespace';
      return peer.pods ? `pods ${peer.pods} of ${where}` : where;
    }
  }
}

/** Foundational (namespace-wide default) rules, the same in every namespace that follows the baseline. */
type Foundation = 'deny-ingress' | 'deny-egress' | 'same-ns-ingress' | 'same-ns-egress' | 'dns';

function foundationOf(r: PolicyRuleView): Foundation | undefined {
  if (r.pods) return undefined;
  if (!r.peer) return r.direction === 'Ingress' ? 'deny-ingress' : 'deny-egress';
  const p = r.peer;
  if (p.kind === 'pods' && p.namespaces.kind === 'same' && !p.pods && !r.ports.length) {
    return r.direction === 'Ingress' ? 'same-ns-ingress' : 'same-ns-egress';
  }
  const dnsOnly = r.ports.length > 0 && r.ports.every((x) => x.port === 53 && x.endPort === undefined && ['UDP', 'TCP'].includes(x.protocol));
  if (r.direction === 'Egress' && dnsOnly && p.kind === 'pods' && p.namespaces.kind === 'named') return 'dns';
  return undefined;
}

/** The words for one namespace-specific rule, as the seed document writes them: `Tailscale ingress (:8080)`. */
export function ruleInWords(r: PolicyRuleView): string {
  const p = r.peer;
  const ports = `(${portsText(r.ports)})`;
  const pods = r.pods ? `[${r.pods}] ` : '';
  if (!p) return `${pods}deny all ${r.direction.toLowerCase()}`;
  if (r.direction === 'Ingress') {
    if (p.kind === 'cidr' && p.cidr === TAILNET_CIDR && !p.except.length) return `${pods}Tailscale ingress ${ports}`;
    return `${pods}ingress from ${peerText(p)} ${ports}`;
  }
  const apiServerPortOnly = r.ports.length > 0 && r.ports.every((x) => x.protocol === API_SERVER_PORT.protocol && x.port === API_SERVER_PORT.port && x.endPort === undefined);
  const singleHost = p.kind === 'cidr' && /\/(32|128)$/.test(p.cidr);
  const kubeSystem = p.kind === 'pods' && p.namespaces.kind === 'named' && p.namespaces.name === 'kube-system' && !p.pods;
  if (apiServerPortOnly && (singleHost || kubeSystem)) return `${pods}API server egress ${ports}`;
  if (p.kind === 'cidr' && isEverywhere(p.cidr)) return `${pods}internet egress ${ports}`;
  if (p.kind === 'pods' && p.namespaces.kind === 'named') {
    return `${pods}egress to ${p.namespaces.name}${p.pods ? ` [${p.pods}]` : ''} ${ports}`;
  }
  return `${pods}egress to ${peerText(p)} ${ports}`;
}

/** One namespace's network baseline: the foundational policies present and the specific rules in words. */
export interface NamespacePolicySummary {
  readonly namespace: string;
  /** `deny-all`, `allow-same-ns`, `allow-dns`, or partial forms such as `deny-ingress`; empty when none. */
  readonly foundational: readonly string[];
  readonly specific: readonly string[];
  /** The views behind `specific`, in the same order. */
  readonly specificRules: readonly PolicyRuleView[];
}

// Seed order: ingress from the tailnet first, then other ingress, the API server, the internet, other egress.
function rank(r: PolicyRuleView): string {
  const words = ruleInWords(r);
  if (words.includes('Tailscale ingress')) return '0';
  if (r.direction === 'Ingress') return '1';
  if (words.includes('API server egress')) return '2';
  if (words.includes('internet egress')) return '3';
  return '4';
}

/** One summary per namespace (every Namespace object, and every namespace that has a policy), sorted. */
export function namespacePolicySummaries(index: ObjectIndex, views: readonly PolicyRuleView[] = policyRuleViews(index)): NamespacePolicySummary[] {
  const namespaces = new Set([...index.ofKind('Namespace').map((n) => n.metadata.name), ...views.map((v) => v.namespace)]);
  return [...namespaces].sort(compare).map((namespace) => {
    const mine = views.filter((v) => v.namespace === namespace);
    const found = new Set<Foundation>();
    const dnsTargets = new Set<string>();
    const specificRules: PolicyRuleView[] = [];
    for (const v of mine) {
      const f = foundationOf(v);
      if (f) found.add(f);
      else specificRules.push(v);
      if (f === 'dns' && v.peer?.kind === 'pods' && v.peer.namespaces.kind === 'named') dnsTargets.add(v.peer.namespaces.name);
    }
    const foundational: string[] = [];
    const pair = (a: Foundation, b: Foundation, both: string, onlyA: string, onlyB: string) => {
      if (found.has(a) && found.has(b)) foundational.push(both);
      else if (found.has(a)) foundational.push(onlyA);
      else if (found.has(b)) foundational.push(onlyB);
    };
    pair('deny-ingress', 'deny-egress', 'deny-all', 'deny-ingress', 'deny-egress');
    pair('same-ns-ingress', 'same-ns-egress', 'allow-same-ns', 'allow-same-ns (ingress only)', 'allow-same-ns (egress only)');
    if (found.has('dns')) {
      const targets = [...dnsTargets].sort(compare);
      foundational.push(targets.length === 1 && targets[0] === 'kube-system' ? 'allow-dns' : `allow-dns (to ${targets.join(', ')})`);
    }
    const sorted = sortBy(specificRules, (r) => [rank(r), ruleInWords(r)]);
    const specific = [...new Set(sorted.map(ruleInWords))];
    return { namespace, foundational, specific, specificRules: sorted };
  });
}

/** The per-namespace table (the seed's "Default-Deny Network Policies"). */
export function renderNetworkPolicySummary(index: ObjectIndex): string {
  return table(
    ['Namespace', 'Foundational Policies', 'Namespace-Specific Rules'],
    namespacePolicySummaries(index).map((s) => [
      code(s.namespace),
      s.foundational.length ? s.foundational.join(', ') : 'NONE: no default-deny, all traffic allowed',
      s.specific.join(', ') || 'none',
    ]),
  );
}

/** Every rule of every NetworkPolicy, one row per peer. */
export function renderNetworkPolicyRules(index: ObjectIndex): string {
  return table(
    ['Namespace', 'Policy', 'Pods', 'Direction', 'Peer', 'Ports'],
    policyRuleViews(index).map((r) => [
      code(r.namespace),
      code(r.policy),
      r.pods || 'all',
      r.direction,
      peerText(r.peer),
      r.peer ? portsText(r.ports) : '—',
    ]),
  );
}
