/**
 * Generators of INVALID props: a valid generated homelab with exactly one rule broken in one namespace,
 * with the error the library must raise (construct path, problem, offending value).
 */
import * as fc from 'fast-check';
import { HomelabSpec, chartId, homelab } from './gen/homelab';
import { AllowSpec, NamespaceSpec, NetworkSpec, allowancesOf } from './gen/network';
import { PROTOCOLS, PortSpec, TAILNET, ipv4Cidr, ipv4Within, parseIpv4Cidr, reason } from './gen/primitives';

/** One invalid input and the error it must raise. */
export interface InvalidCase {
  /** Which rule is broken (the counterexample names it). */
  readonly rule: string;
  readonly spec: HomelabSpec;
  /** The construct path the message must name. */
  readonly path: string;
  /** The `problem` part of the message. */
  readonly problem: RegExp;
  /** The offending value (compared with Object.is for numbers, so NaN counts), unless ANY_VALUE. */
  readonly value: unknown;
}

/** For cases whose message value is not worth predicting (the path and problem still are). */
export const ANY_VALUE = Symbol('any value');

/** Replaces namespace `i` of `spec` with `change(namespace)`. */
function withNamespace(spec: HomelabSpec, i: number, change: (ns: NamespaceSpec) => NamespaceSpec): HomelabSpec {
  return { namespaces: spec.namespaces.map((ns, j) => (j === i ? change(ns) : ns)) };
}

const withNetwork = (change: (n: NetworkSpec) => NetworkSpec) => (ns: NamespaceSpec): NamespaceSpec => ({ ...ns, network: change(ns.network) });

/** A generated homelab and the index of the namespace to break. */
export const target = homelab({ maxNamespaces: 3, full: false }).chain((spec) =>
  fc.nat({ max: spec.namespaces.length - 1 }).map((i) => ({ spec, i })),
);

function invalid(rule: string, extra: fc.Arbitrary<{ change: (ns: NamespaceSpec) => NamespaceSpec; where: 'Namespace' | 'Network'; problem: RegExp; value: unknown }>): fc.Arbitrary<InvalidCase> {
  return fc.tuple(target, extra).map(([{ spec, i }, e]) => ({
    rule,
    spec: withNamespace(spec, i, e.change),
    path: `${chartId(i)}/${e.where}`,
    problem: e.problem,
    value: e.value,
  }));
}

// ----------------------------------------------------------------------------------------------------------
// Bad values
// ----------------------------------------------------------------------------------------------------------

/** Not a DNS-1123 label: upper case, "_", ".", a leading or trailing "-", empty, longer than 63, non-ASCII. */
export const badName: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z0-9-]{0,10}[A-Z_.é ][a-z0-9-]{0,10}$/),
  fc.stringMatching(/^-[a-z0-9-]{0,10}$|^[a-z0-9-]{0,10}-$/),
  fc.constant(''),
  fc.stringMatching(/^[a-z]{64,80}$/),
);

/** Not a CIDR the library accepts: no mask, host bits set, prefix out of range, bad address, junk. */
export const badCidr: fc.Arbitrary<string> = fc.oneof(
  fc.ipV4(), // a bare address
  fc.tuple(fc.ipV4(), fc.integer({ min: 33, max: 999 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 31 }))
    .filter(([ip, p]) => (ip & (p === 0 ? 0xffffffff : ~(0xffffffff << (32 - p)))) !== 0)
    .map(([ip, p]) => `${[24, 16, 8, 0].map((s) => (ip >>> s) & 255).join('.')}/${p}`), // host bits set
  fc.tuple(fc.integer({ min: 256, max: 999 }), fc.integer({ min: 0, max: 32 })).map(([o, p]) => `10.${o}.0.0/${p}`),
  fc.constantFrom('', '/8', '10.0.0.0/', '10.0.0.0/8 ', ' 10.0.0.0/8', '10.0.0/8', '10.0.0.0/-1', 'fe80::1/64', 'tailnet'),
);

/** Outside 1-65535 or not an integer. */
export const badPortNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 65536, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.integer({ min: 65536, max: 2 ** 31 }),
  fc.integer({ min: -(2 ** 31), max: 0 }),
  fc.double({ min: 1, max: 65535, noNaN: true }).filter((d) => !Number.isInteger(d)),
);

/** Anything but TCP, UDP and SCTP (the spelling matters: NetworkPolicy protocols are upper case). */
export const badProtocol: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('tcp', 'udp', 'ICMP', 'HTTP', '', 'TCP ', 'ANY'),
  fc.string({ maxLength: 8 }).filter((s) => !(PROTOCOLS as readonly string[]).includes(s)),
);

/** A CIDR not inside the tailnet 100.64.0.0/10 (0.0.0.0/0 above all). */
const outsideTailnet: fc.Arbitrary<string> = fc.oneof(
  fc.constant('0.0.0.0/0'),
  ipv4Cidr().filter((c) => !ipv4Within(TAILNET, parseIpv4Cidr(c))),
);

/** Not a label key the API server accepts: empty parts, spaces, a bad or too long prefix, a name over 63 characters. */
export const badLabelKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '/', 'a/', '/a', 'a/b/c', 'tier name', '-a', 'a-', '_a', 'Example.com/x', 'ex_ample.com/x', 'é', 'a:b'),
  fc.stringMatching(/^[A-Za-z0-9]{64,70}$/),
  fc.integer({ min: 254, max: 260 }).map((n) => `${'a'.repeat(n)}/x`),
);

/** Not a label value the API server accepts: spaces, "/", a non-alphanumeric end, more than 63 characters. */
export const badLabelValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('has space', '-web-', 'a/b', 'x_', '.x', 'é', ' '),
  fc.stringMatching(/^[A-Za-z0-9]{64,70}$/),
);

/** A label key or value the API server refuses, and the problem and value the library must name. */
export function badLabel(what: string): fc.Arbitrary<{ labels: Record<string, string>; problem: RegExp; value: string }> {
  return fc.oneof(
    badLabelKey.map((key) => ({ labels: { [key]: 'x' }, problem: new RegExp(`^invalid ${what} key$`), value: key })),
    badLabelValue.map((value) => ({ labels: { 'bad-value': value }, problem: new RegExp(`^invalid value of ${what} "bad-value"$`), value })),
  );
}

/** A reason the library must refuse: missing, blank, shorter than 20 characters, or a placeholder. */
const badReason: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 19 }).map((s) => s.trim()),
  fc.stringMatching(/^ {0,3}[a-z ]{0,18} {0,3}$/),
  fc.tuple(fc.constantFrom('TODO', 'todo', 'TBD', 'FIXME', 'n/a', 'N/A', 'none'), reason).map(([p, r]) => `${p} ${r}`),
);

// ----------------------------------------------------------------------------------------------------------
// Where a bad port or CIDR goes
// ----------------------------------------------------------------------------------------------------------

/** Puts `bad` into one of the port lists of the network baseline. */
const portSlot = fc.constantFrom('tailnetIngress', 'internetEgress', 'ingressFrom', 'egressTo', 'allow');

function withBadPort(n: NetworkSpec, slot: string, bad: PortSpec): NetworkSpec {
  const add = (list: readonly PortSpec[] | undefined) => [...(list ?? []), bad];
  switch (slot) {
    case 'tailnetIngress':
      return { ...n, tailnetIngress: add(n.tailnetIngress) };
    case 'internetEgress':
      return { ...n, internetEgress: add(n.internetEgress) };
    case 'ingressFrom':
      return { ...n, ingressFrom: [...(n.ingressFrom ?? []), { namespace: 'bad-port-peer', ports: [bad] }] };
    case 'egressTo':
      return { ...n, egressTo: [...(n.egressTo ?? []), { namespace: 'bad-port-peer', ports: [bad] }] };
    default:
      return { ...n, allow: [...(n.allow ?? []), { direction: 'Egress', peer: { kind: 'cidr', cidr: '203.0.113.0/24', except: [] }, ports: [bad], name: 'bad-port' }] };
  }
}

const extra = (n: NetworkSpec, a: AllowSpec): NetworkSpec => ({ ...n, allow: [...(n.allow ?? []), a] });

// ----------------------------------------------------------------------------------------------------------
// The cases
// ----------------------------------------------------------------------------------------------------------

export const invalidPort = invalid(
  'port out of range',
  fc.record({ slot: portSlot, port: badPortNumber, protocol: fc.constantFrom(...PROTOCOLS) }).map(({ slot, port, protocol }) => ({
    change: withNetwork((n) => withBadPort(n, slot, { protocol, port })),
    where: 'Network' as const,
    problem: /^invalid port$/,
    value: port,
  })),
);

export const INVALID_CASES: readonly fc.Arbitrary<InvalidCase>[] = [
  invalid(
    'namespace name not a DNS label',
    badName.map((name) => ({ change: (ns: NamespaceSpec) => ({ ...ns, name }), where: 'Namespace' as const, problem: /^invalid namespace name$/, value: name })),
  ),
  invalidPort,
  invalid(
    'unknown protocol',
    fc.record({ slot: portSlot, protocol: badProtocol }).map(({ slot, protocol }) => ({
      change: withNetwork((n) => withBadPort(n, slot, { protocol, port: 443 })),
      where: 'Network' as const,
      problem: /^unknown protocol$/,
      value: protocol,
    })),
  ),
  invalid(
    'invalid CIDR',
    fc.record({ cidr: badCidr, slot: fc.constantFrom('apiServerEgress', 'allowedIngressCidrs', 'allow', 'except') }).map(({ cidr, slot }) => ({
      change: withNetwork((n): NetworkSpec => {
        if (slot === 'apiServerEgress') return { ...n, apiServerEgress: { kind: 'cidr', cidr, except: [] } };
        if (slot === 'allowedIngressCidrs') return { ...n, allowedIngressCidrs: [cidr] };
        const peer = slot === 'allow' ? { kind: 'cidr' as const, cidr, except: [] } : { kind: 'cidr' as const, cidr: '10.0.0.0/8', except: [cidr] };
        return extra(n, { direction: 'Egress', peer, ports: [{ protocol: 'TCP', port: 443 }], name: 'bad-cidr' });
      }),
      where: 'Network' as const,
      problem: /^invalid CIDR$/,
      value: cidr,
    })),
  ),
  invalid(
    'except outside its block',
    fc.constant({
      change: withNetwork((n) => extra(n, { direction: 'Egress', peer: { kind: 'cidr', cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }, ports: [{ protocol: 'TCP', port: 443 }], name: 'bad-except' })),
      where: 'Network' as const,
      problem: /^except CIDR is not inside 10\.0\.0\.0\/8$/,
      value: '192.168.0.0/16',
    }),
  ),
  invalid(
    'ingress from outside the tailnet',
    outsideTailnet.map((cidr) => ({
      change: withNetwork((n) => extra(n, { direction: 'Ingress', peer: { kind: 'cidr', cidr, except: [] }, ports: [{ protocol: 'TCP', port: 443 }], name: 'from-outside' })),
      where: 'Network' as const,
      problem: /^ingress from an address block outside the allowed source ranges$/,
      value: cidr,
    })),
  ),
  invalid(
    'tailnet ingress where the tailnet is not an allowed source',
    fc.constant({
      change: withNetwork((n) => ({ ...n, allowedIngressCidrs: ['192.168.0.0/16'], tailnetIngress: [{ protocol: 'TCP', port: 443 }] })),
      where: 'Network' as const,
      problem: /^ingress from an address block outside the allowed source ranges$/,
      value: '100.64.0.0/10',
    }),
  ),
  // Repeats one of the namespace's own allowances (one shared port) under a new name.
  fc.tuple(target, fc.nat(), fc.nat())
    .filter(([{ spec, i }]) => allowancesOf(spec.namespaces[i].network).length > 0)
    .map(([{ spec, i }, which, portIndex]): InvalidCase => {
      const all = allowancesOf(spec.namespaces[i].network);
      const a = all[which % all.length];
      const p = a.ports[portIndex % a.ports.length];
      return {
        rule: 'duplicate allowance',
        spec: withNamespace(spec, i, withNetwork((n) => extra(n, { ...a, ports: [p], name: 'duplicate' }))),
        path: `${chartId(i)}/Network`,
        problem: /^duplicate allowance$/,
        value: `${a.direction} ${peerKeyOf(a.peer)} ${p.protocol}/${p.port}`,
      };
    }),
  invalid(
    'except as wide as its block',
    ipv4Cidr().map((cidr) => ({
      change: withNetwork((n) => extra(n, { direction: 'Egress', peer: { kind: 'cidr', cidr, except: [cidr] }, ports: [{ protocol: 'TCP', port: 443 }], name: 'wide-except' })),
      where: 'Network' as const,
      problem: new RegExp(`^except CIDR is as wide as its block ${cidr.replace(/[./]/g, '\\$&')}$`),
      value: cidr,
    })),
  ),
  invalid(
    'allowance without ports',
    fc.constantFrom('Ingress' as const, 'Egress' as const).map((direction) => ({
      change: withNetwork((n) => extra(n, { direction, peer: { kind: 'namespace', namespace: 'no-ports', podSelector: {} }, ports: [], name: 'no-ports' })),
      where: 'Network' as const,
      problem: new RegExp(`^${direction.toLowerCase()} allowance without ports$`),
      value: 'ns:no-ports',
    })),
  ),
  invalid(
    'NetworkPolicy name taken',
    fc.constantFrom('default-deny-all', 'allow-same-namespace', 'allow-dns').map((name) => ({
      change: withNetwork((n) => extra(n, { direction: 'Egress', peer: { kind: 'namespace', namespace: 'name-taken', podSelector: {} }, ports: [{ protocol: 'TCP', port: 1 }], name })),
      where: 'Network' as const,
      problem: /^NetworkPolicy name already used in this namespace$/,
      value: name,
    })),
  ),
  invalid(
    'invalid NetworkPolicy or peer or DNS namespace name',
    fc.record({ name: badName, slot: fc.constantFrom('policy', 'peer', 'dns') }).map(({ name, slot }) => ({
      change: withNetwork((n): NetworkSpec =>
        slot === 'dns'
          ? { ...n, dnsNamespace: name }
          : extra(n, slot === 'policy'
            ? { direction: 'Egress', peer: { kind: 'namespace', namespace: 'ok', podSelector: {} }, ports: [{ protocol: 'TCP', port: 1 }], name }
            : { direction: 'Egress', peer: { kind: 'namespace', namespace: name, podSelector: {} }, ports: [{ protocol: 'TCP', port: 1 }], name: 'bad-peer' })),
      where: 'Network' as const,
      problem: { policy: /^invalid NetworkPolicy name$/, peer: /^invalid peer namespace$/, dns: /^invalid DNS namespace$/ }[slot],
      value: name,
    })),
  ),
  invalid(
    'derived NetworkPolicy name longer than 63 characters',
    fc.record({ namespace: fc.stringMatching(/^[a-z][-a-z0-9]{46,61}[a-z0-9]$/), slot: fc.constantFrom('ingressFrom' as const, 'egressTo' as const) })
      .map(({ namespace, slot }) => ({
        change: withNetwork((n) => ({ ...n, [slot]: [...(n[slot] ?? []), { namespace, ports: [{ protocol: 'TCP', port: 1 }] }] })),
        where: 'Network' as const,
        problem: /^invalid NetworkPolicy name derived from the allowance$/,
        value: `allow-${slot === 'ingressFrom' ? 'ingress-from' : 'egress-to'}-${namespace}`,
      })),
  ),
  invalid(
    'invalid label in a pod selector or peer pod selector',
    fc.tuple(fc.constantFrom('podSelector' as const, 'peerPodSelector' as const), fc.constantFrom('ingressFrom' as const, 'egressTo' as const))
      .chain(([slot, list]) => badLabel(slot === 'podSelector' ? 'pod selector label' : 'peer pod selector label').map((bad) => ({
        change: withNetwork((n) => ({ ...n, [list]: [...(n[list] ?? []), { namespace: 'label-peer', ports: [{ protocol: 'TCP', port: 1 }], name: 'bad-label', [slot]: bad.labels }] })),
        where: 'Network' as const,
        problem: bad.problem,
        value: bad.value,
      }))),
  ),
  invalid(
    'invalid namespace label',
    badLabel('label').map((bad) => ({
      change: (ns: NamespaceSpec) => ({ ...ns, labels: { ...ns.labels, ...bad.labels } }),
      where: 'Namespace' as const,
      problem: bad.problem,
      value: bad.value,
    })),
  ),
  invalid(
    'looser Pod Security without a written reason',
    fc.record({
      mode: fc.constantFrom('enforce', 'audit', 'warn'),
      level: fc.constantFrom('baseline', 'privileged'),
      reason: badReason,
    }).map(({ mode, level, reason: r }) => ({
      change: (ns: NamespaceSpec) => ({ ...ns, podSecurity: { [mode]: level, reason: r } }),
      where: 'Namespace' as const,
      problem: new RegExp(`^Pod Security ${mode}=${level} needs a written reason$`),
      value: r,
    })),
  ),
  invalid(
    'unknown Pod Security level',
    fc.record({
      mode: fc.constantFrom('enforce', 'audit', 'warn'),
      level: fc.string({ maxLength: 12 }).filter((l) => !['privileged', 'baseline', 'restricted', ''].includes(l)),
    }).map(({ mode, level }) => ({
      change: (ns: NamespaceSpec) => ({ ...ns, podSecurity: { [mode]: level, reason: 'a reason that is long enough to pass' } }),
      where: 'Namespace' as const,
      problem: new RegExp(`^unknown Pod Security level for ${mode}$`),
      value: level,
    })),
  ),
  invalid(
    'unpinned Pod Security version',
    fc.oneof(fc.constantFrom('latest', 'v1', '1.28', 'v1.28.0', 'v2.0', ''), fc.string({ maxLength: 8 })).filter((v) => !/^v1\.\d+$/.test(v)).map((version) => ({
      change: (ns: NamespaceSpec) => ({ ...ns, podSecurity: { version } }),
      where: 'Namespace' as const,
      problem: /^Pod Security version must be pinned$/,
      value: version,
    })),
  ),
  invalid(
    'Pod Security label set through labels',
    fc.constantFrom('enforce', 'audit', 'warn', 'enforce-version').map((mode) => ({
      change: (ns: NamespaceSpec) => ({ ...ns, labels: { [`pod-security.kubernetes.io/${mode}`]: 'privileged' } }),
      where: 'Namespace' as const,
      problem: /^Pod Security labels cannot be set through `labels`$/,
      value: `pod-security.kubernetes.io/${mode}`,
    })),
  ),
];

function peerKeyOf(peer: AllowSpec['peer']): string {
  if (peer.kind === 'cidr') return `cidr:${peer.cidr}${peer.except.length ? `-{${[...peer.except].sort().join(',')}}` : ''}`;
  const keys = Object.keys(peer.podSelector).sort();
  return `ns:${peer.namespace}${keys.length ? `{${keys.map((k) => `${k}=${peer.podSelector[k]}`).join(',')}}` : ''}`;
}
