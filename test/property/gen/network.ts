/**
 * Generators of valid HardenedNamespace and DefaultDenyPolicies props, as plain data (a counterexample prints
 * as the props that failed), and their builder.
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import type * as Lib from '../../../lib';
import { NON_INTERNET_CIDRS } from '../../../lib';
import { PortSpec, TAILNET, dnsLabel, ipv4Cidr, labels, parseIpv4Cidr, ports, reason } from './primitives';

export type LibModule = typeof Lib;

export type PeerSpec =
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] }
  | { readonly kind: 'namespace'; readonly namespace: string; readonly podSelector: Readonly<Record<string, string>> };

export interface NamespaceAllowanceSpec {
  readonly namespace: string;
  readonly ports: readonly PortSpec[];
  readonly peerPodSelector?: Readonly<Record<string, string>>;
  readonly podSelector?: Readonly<Record<string, string>>;
  readonly name?: string;
}

/** A direct call of the `allow()` primitive. */
export interface AllowSpec {
  readonly direction: 'Ingress' | 'Egress';
  readonly peer: PeerSpec;
  readonly ports: readonly PortSpec[];
  readonly name: string;
  readonly podSelector?: Readonly<Record<string, string>>;
}

/** DefaultDenyPoliciesProps with ports and peers as data. */
export interface NetworkSpec extends Pick<Lib.DefaultDenyPoliciesProps, 'allowSameNamespace' | 'dnsNamespace' | 'allowedIngressCidrs'> {
  readonly tailnetIngress?: readonly PortSpec[];
  readonly apiServerEgress?: boolean | PeerSpec;
  readonly internetEgress?: readonly PortSpec[];
  readonly ingressFrom?: readonly NamespaceAllowanceSpec[];
  readonly egressTo?: readonly NamespaceAllowanceSpec[];
  /** Calls of `allow()` after the props. */
  readonly allow?: readonly AllowSpec[];
}

export interface NamespaceSpec {
  readonly name: string;
  readonly podSecurity?: {
    readonly enforce?: string;
    readonly audit?: string;
    readonly warn?: string;
    readonly version?: string;
    readonly reason?: string;
  };
  readonly labels?: Readonly<Record<string, string>>;
  readonly network: NetworkSpec;
}

// ----------------------------------------------------------------------------------------------------------
// Generators
// ----------------------------------------------------------------------------------------------------------

/** An IPv6 network with the host bits clear, in full eight-group notation. */
const ipv6Cidr: fc.Arbitrary<string> = fc
  .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }))
  .map(([ip, prefix]) => {
    const network = prefix === 0 ? 0n : (ip >> BigInt(128 - prefix)) << BigInt(128 - prefix);
    const groups = Array.from({ length: 8 }, (_, i) => ((network >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
    return `${groups.join(':')}/${prefix}`;
  });

/** An address block, IPv4 with holes strictly inside it (a hole as wide as the block is refused, invalid.ts) or IPv6. */
const cidrPeer: fc.Arbitrary<PeerSpec> = fc.oneof(
  ipv4Cidr().chain((cidr) => {
    const outer = parseIpv4Cidr(cidr);
    const holes = outer.prefix >= 32 ? fc.constant([]) : fc.uniqueArray(ipv4Cidr(outer, outer.prefix + 1), { maxLength: 2 });
    return holes.map((except): PeerSpec => ({ kind: 'cidr', cidr, except }));
  }),
  ipv6Cidr.map((cidr): PeerSpec => ({ kind: 'cidr', cidr, except: [] })),
);

const LEVELS = ['privileged', 'baseline', 'restricted'] as const;

/** Pod Security levels; a reason exactly when some mode is looser than restricted. */
const podSecurity = fc
  .record(
    {
      enforce: fc.constantFrom(...LEVELS),
      audit: fc.constantFrom(...LEVELS),
      warn: fc.constantFrom(...LEVELS),
      // Valid versions are not older than the cluster the rule pack assumes (HB-NS-006: v1.28 by default).
      version: fc.integer({ min: 28, max: 40 }).map((m) => `v1.${m}`),
    },
    { requiredKeys: [] },
  )
  .chain((levels) =>
    [levels.enforce, levels.audit, levels.warn].some((l) => l !== undefined && l !== 'restricted')
      ? reason.map((r) => ({ ...levels, reason: r }))
      : fc.constant(levels),
  );

/**
 * Namespace allowances with distinct peer namespaces. Where the derived policy name (`allow-ingress-from-<namespace>`,
 * `allow-egress-to-<namespace>`) would pass 63 characters, the allowance is named `<direction>-<i>` instead: the
 * library refuses to derive one (invalid.ts).
 */
function namespaceAllowances(direction: 'ingress-from' | 'egress-to', exclude: readonly string[]): fc.Arbitrary<NamespaceAllowanceSpec[]> {
  const one = fc.record(
    {
      // Long names too (45-63 characters), whose derived policy name would be too long.
      namespace: fc.oneof(dnsLabel(), fc.stringMatching(/^[a-z][-a-z0-9]{43,61}[a-z0-9]$/)).filter((n) => !exclude.includes(n)),
      ports: ports(),
      peerPodSelector: labels({ maxKeys: 2 }),
      podSelector: labels({ maxKeys: 2 }),
    },
    { requiredKeys: ['namespace', 'ports'] },
  );
  return fc
    .uniqueArray(one, { maxLength: 3, selector: (a) => a.namespace })
    .map((list) => list.map((a, i) => (`allow-${direction}-${a.namespace}`.length > 63 ? { ...a, name: `${direction}-${i}` } : a)));
}

/** Direct `allow()` calls: egress to address blocks, ingress from inside the tailnet, each named `extra-<i>`. */
const extraAllowances: fc.Arbitrary<AllowSpec[]> = fc
  .array(
    fc.oneof(
      fc.record({ direction: fc.constant('Egress' as const), peer: cidrPeer, ports: ports(), podSelector: labels({ maxKeys: 2 }) }),
      fc.record({
        direction: fc.constant('Ingress' as const),
        peer: ipv4Cidr(TAILNET).map((cidr): PeerSpec => ({ kind: 'cidr', cidr, except: [] })),
        ports: ports(),
      }),
    ),
    { maxLength: 3 },
  )
  .map((list) => list.map((a, i) => ({ ...a, name: `extra-${i}` })));

const TAILNET_PEER: PeerSpec = { kind: 'cidr', cidr: '100.64.0.0/10', except: [] };
const INTERNET_PEER: PeerSpec = { kind: 'cidr', cidr: '0.0.0.0/0', except: NON_INTERNET_CIDRS };
const KUBE_SYSTEM: PeerSpec = { kind: 'namespace', namespace: 'kube-system', podSelector: {} };

/** Every allowance `n` declares, as `allow()` receives it (names aside). */
export function allowancesOf(n: NetworkSpec): Omit<AllowSpec, 'name'>[] {
  const ns = (direction: AllowSpec['direction']) => (a: NamespaceAllowanceSpec): Omit<AllowSpec, 'name'> => ({
    direction,
    peer: { kind: 'namespace', namespace: a.namespace, podSelector: a.peerPodSelector ?? {} },
    ports: a.ports,
    podSelector: a.podSelector,
  });
  const api = n.apiServerEgress === true ? KUBE_SYSTEM : typeof n.apiServerEgress === 'object' ? n.apiServerEgress : undefined;
  return [
    ...(n.tailnetIngress?.length ? [{ direction: 'Ingress' as const, peer: TAILNET_PEER, ports: n.tailnetIngress }] : []),
    ...(api ? [{ direction: 'Egress' as const, peer: api, ports: [{ protocol: 'TCP', port: 6443 }] }] : []),
    ...(n.internetEgress?.length ? [{ direction: 'Egress' as const, peer: INTERNET_PEER, ports: n.internetEgress }] : []),
    ...(n.ingressFrom ?? []).map(ns('Ingress')),
    ...(n.egressTo ?? []).map(ns('Egress')),
    ...(n.allow ?? []),
  ];
}

/** Same direction, peer and pod selector, and a port in common: what DefaultDenyPolicies refuses as a duplicate. */
function overlaps(a: Omit<AllowSpec, 'name'>, b: Omit<AllowSpec, 'name'>): boolean {
  const sorted = (l: Readonly<Record<string, string>>) => Object.entries(l).sort(([x], [y]) => (x < y ? -1 : 1));
  const key = (x: Omit<AllowSpec, 'name'>) =>
    JSON.stringify([
      x.direction,
      x.peer.kind === 'cidr' ? [x.peer.cidr, [...x.peer.except].sort()] : [x.peer.namespace, sorted(x.peer.podSelector)],
      sorted(x.podSelector ?? {}),
    ]);
  return key(a) === key(b) && a.ports.some((p) => b.ports.some((q) => p.protocol === q.protocol && p.port === q.port));
}

function duplicateFree(n: NetworkSpec): boolean {
  const all = allowancesOf(n);
  return !all.some((a, i) => all.slice(0, i).some((b) => overlaps(a, b)));
}

/** One namespace's network baseline: every prop and allowance kind, each optional. */
export const network: fc.Arbitrary<NetworkSpec> = fc
  .record(
    {
      allowSameNamespace: fc.boolean(),
      dnsNamespace: fc.oneof(fc.constant('kube-system'), dnsLabel({ maxLength: 30 })),
      tailnetIngress: ports({ minLength: 0 }),
      apiServerEgress: fc.oneof(
        fc.boolean(),
        ipv4Cidr(undefined, 24).map((cidr): PeerSpec => ({ kind: 'cidr', cidr, except: [] })),
        fc.constant(KUBE_SYSTEM),
      ),
      internetEgress: ports({ minLength: 0 }),
      ingressFrom: namespaceAllowances('ingress-from', []),
      // kube-system is the API server's peer: egress to it on 6443 twice is a duplicate (invalid.ts covers it).
      egressTo: namespaceAllowances('egress-to', ['kube-system']),
      allow: extraAllowances,
    },
    { requiredKeys: [] },
  )
  .filter(duplicateFree);

/** A namespace (name after `prefix`), its Pod Security levels, labels and network baseline. */
export function namespaceSpec(prefix = ''): fc.Arbitrary<NamespaceSpec> {
  return fc.record(
    {
      name: dnsLabel({ prefix }),
      podSecurity,
      labels: labels({ forbiddenPrefixes: ['pod-security.kubernetes.io/', 'kubernetes.io/metadata.name'] }),
      network,
    },
    { requiredKeys: ['name', 'network'] },
  );
}

// ----------------------------------------------------------------------------------------------------------
// Builder
// ----------------------------------------------------------------------------------------------------------

/** Builds the namespace and its network baseline into `chart` with `lib`. */
export function buildNamespace(lib: LibModule, chart: Chart, spec: NamespaceSpec): Lib.HardenedNamespace {
  const namespace = new lib.HardenedNamespace(chart, 'Namespace', {
    name: spec.name,
    podSecurity: spec.podSecurity as Lib.PodSecurityProps | undefined,
    labels: spec.labels,
  });
  const n = spec.network;
  const toPort = (p: PortSpec) => lib.Port.of(p.protocol, p.port);
  const toPeer = (p: PeerSpec): Lib.Peer =>
    p.kind === 'cidr' ? lib.Peer.cidr(p.cidr, p.except) : lib.Peer.namespace(p.namespace, p.podSelector);
  const toAllowance = (a: NamespaceAllowanceSpec): Lib.NamespaceAllowance => ({ ...a, ports: a.ports.map(toPort) });
  const policies = new lib.DefaultDenyPolicies(chart, 'Network', {
    namespace,
    allowSameNamespace: n.allowSameNamespace,
    dnsNamespace: n.dnsNamespace,
    allowedIngressCidrs: n.allowedIngressCidrs,
    tailnetIngress: n.tailnetIngress?.map(toPort),
    apiServerEgress: typeof n.apiServerEgress === 'object' ? toPeer(n.apiServerEgress) : n.apiServerEgress,
    internetEgress: n.internetEgress?.map(toPort),
    ingressFrom: n.ingressFrom?.map(toAllowance),
    egressTo: n.egressTo?.map(toAllowance),
  });
  for (const a of n.allow ?? []) {
    policies.allow(a.direction as Lib.Direction, toPeer(a.peer), a.ports.map(toPort), { name: a.name, podSelector: a.podSelector });
  }
  return namespace;
}
