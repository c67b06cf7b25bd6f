import { IConstruct } from 'constructs';
import { fail } from '../errors';
import { validateDnsLabel, validateLabels } from '../validate';
import { ParsedCidr, cidrContains, parseCidr } from './cidr';

/** The Tailscale CGNAT range: the only source of ingress from outside the cluster by default. */
export const TAILNET_CIDR = '100.64.0.0/10';

/**
 * Address ranges that are never "the internet": RFC 1918, CGNAT (the tailnet), link-local (cloud
 * metadata endpoints) and loopback. Internet egress excludes them so it cannot reach the LAN or the host.
 */
export const NON_INTERNET_CIDRS: readonly string[] = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
];

/** The IPv6 ranges that are never "the internet": unique local (fc00::/7), link-local and loopback. */
export const NON_INTERNET_IPV6_CIDRS: readonly string[] = ['::1/128', 'fc00::/7', 'fe80::/10'];

/** Labels that select pods, as in `podSelector.matchLabels`. */
export type Labels = Readonly<Record<string, string>>;

/** A peer that is an address range (`ipBlock`). */
export interface CidrPeer {
  readonly kind: 'cidr';
  readonly cidr: string;
  readonly except: readonly string[];
}

/** A peer that is (some pods of) a namespace, selected by its `kubernetes.io/metadata.name` label. */
export interface NamespacePeer {
  readonly kind: 'namespace';
  readonly namespace: string;
  /** Pods of that namespace; empty means all of them. */
  readonly podSelector: Labels;
}

/** The other side of a NetworkPolicy rule. Build one with the `Peer` factories. */
export type Peer = CidrPeer | NamespacePeer;

/** Factories for {@link Peer}. They never throw; the construct that uses a peer validates it. */
export const Peer = {
  /** An address range, optionally with holes (`except`). */
  cidr(cidr: string, except: readonly string[] = []): Peer {
    return { kind: 'cidr', cidr, except };
  },
  /** The public internet: 0.0.0.0/0 without {@link NON_INTERNET_CIDRS}. */
  internet(): Peer {
    return { kind: 'cidr', cidr: '0.0.0.0/0', except: NON_INTERNET_CIDRS };
  },
  /** All pods of a namespace, or those matching `podSelector`. */
  namespace(namespace: string, podSelector: Labels = {}): Peer {
    return { kind: 'namespace', namespace, podSelector };
  },
};

/**
 * Checks a peer's CIDRs (mask present, host bits clear, each `except` strictly inside `cidr`) or its
 * namespace name and pod selector.
 */
export function validatePeer(scope: IConstruct, peer: Peer): void {
  if (peer.kind === 'namespace') {
    validateDnsLabel(scope, 'peer namespace', peer.namespace);
    validateLabels(scope, 'peer pod selector label', peer.podSelector);
    return;
  }
  const outer = requireCidr(scope, peer.cidr);
  for (const hole of peer.except) {
    const inner = requireCidr(scope, hole);
    if (!cidrContains(outer, inner)) {
      fail(scope, {
        problem: `except CIDR is not inside ${peer.cidr}`,
        value: hole,
        allowed: `CIDRs contained in ${peer.cidr}`,
        fix: 'remove it from `except` or widen nothing: an except outside the block has no effect',
      });
    }
    if (inner.prefix === outer.prefix) {
      // The API server wants a strict subset; an except as wide as the block would leave nothing allowed.
      fail(scope, {
        problem: `except CIDR is as wide as its block ${peer.cidr}`,
        value: hole,
        allowed: `CIDRs strictly inside ${peer.cidr} (a longer prefix)`,
        fix: 'remove the allowance (it would allow nothing), or except a narrower block',
      });
    }
  }
}

/**
 * Parses a CIDR or throws with the construct path (or a name such as `baselineRules` where there is no
 * construct). `where` names the option the CIDR came from, for the message.
 */
export function requireCidr(scope: IConstruct | string, cidr: string, where?: string): ParsedCidr {
  const parsed = parseCidr(cidr);
  if (!parsed) {
    fail(scope, {
      problem: `invalid CIDR${where ? ` in ${where}` : ''}`,
      value: cidr,
      allowed: 'an IPv4 or IPv6 network with an explicit mask and no host bits set, e.g. "100.64.0.0/10" or "203.0.113.7/32"',
      fix: `write the network address followed by /prefix-length${where ? ` in ${where}` : ''}`,
    });
  }
  return parsed;
}

/** `ns:openclaw` or `ns:personal-gateway{app=voice-proxy}` or `cidr:0.0.0.0/0`: a stable key for a peer. */
export function peerKey(peer: Peer): string {
  if (peer.kind === 'cidr') return `cidr:${peer.cidr}${peer.except.length ? `-{${[...peer.except].sort().join(',')}}` : ''}`;
  return `ns:${peer.namespace}${labelsKey(peer.podSelector)}`;
}

/** `{a=b,c=d}` (sorted), or '' for an empty selector. */
export function labelsKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? `{${keys.map((k) => `${k}=${labels[k]}`).join(',')}}` : '';
}
