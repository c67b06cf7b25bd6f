/** Generators of the basic values every construct takes: names, labels, ports, address blocks, reasons. */
import * as fc from 'fast-check';
import { isValidReason } from '../../../lib/validate';

/** A port as data (turned into `Port.of(protocol, port)` by the builders). */
export interface PortSpec {
  readonly protocol: string;
  readonly port: number;
}

/** Namespaces the API server owns or creates itself: never generated (the cluster suite creates what it gets). */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** A DNS-1123 label of at most `maxLength` characters, optionally after a fixed `prefix`. */
export function dnsLabel(options: { maxLength?: number; prefix?: string } = {}): fc.Arbitrary<string> {
  const prefix = options.prefix ?? '';
  const max = (options.maxLength ?? 63) - prefix.length;
  return fc
    .stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
    .map((s) => `${prefix}${s.slice(0, max).replace(/-+$/, '')}`)
    .filter((s) => s.length > 0 && !SYSTEM_NAMESPACES.includes(s));
}

/** A label set as `matchLabels` accepts it: qualified keys (optional DNS prefix), values of ≤ 63 characters. */
export function labels(options: { maxKeys?: number; forbiddenPrefixes?: readonly string[] } = {}): fc.Arbitrary<Record<string, string>> {
  const name = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/).filter((s) => s.length <= 63);
  const prefix = fc.option(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?){0,3}$/), { nil: undefined });
  const key = fc
    .tuple(prefix, name)
    .map(([p, n]) => (p ? `${p}/${n}` : n))
    .filter((k) => !(options.forbiddenPrefixes ?? []).some((f) => k.startsWith(f)));
  const value = fc.oneof(fc.constant(''), name);
  return fc.dictionary(key, value, { maxKeys: options.maxKeys ?? 3, noNullPrototype: true });
}

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export const port: fc.Arbitrary<PortSpec> = fc.record({
  protocol: fc.constantFrom(...PROTOCOLS),
  port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(1, 22, 53, 443, 6443, 8080, 65535)),
});

/** Distinct ports (a list with a port twice is noise, not a baseline). */
export function ports(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<PortSpec[]> {
  return fc.uniqueArray(port, { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 4, selector: (p) => `${p.protocol}/${p.port}` });
}

/** An IPv4 network as an unsigned 32-bit number and a prefix length. */
export interface Ipv4Network {
  readonly network: number;
  readonly prefix: number;
}

export function ipv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function parseIpv4Cidr(cidr: string): Ipv4Network {
  const [addr, prefix] = cidr.split('/');
  return { network: addr.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0), prefix: Number(prefix) };
}

/** True when `inner` lies inside `outer` (or is it). */
export function ipv4Within(outer: Ipv4Network, inner: Ipv4Network): boolean {
  return inner.prefix >= outer.prefix && ((inner.network & mask(outer.prefix)) >>> 0) === outer.network;
}

/** The tailnet, 100.64.0.0/10. */
export const TAILNET: Ipv4Network = parseIpv4Cidr('100.64.0.0/10');

/** An IPv4 network `a.b.c.d/n` with the host bits clear, inside `within` and at least `/minPrefix`. */
export function ipv4Cidr(within: Ipv4Network = { network: 0, prefix: 0 }, minPrefix = within.prefix): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: Math.max(minPrefix, within.prefix), max: 32 }))
    .map(([ip, prefix]) => {
      const inside = ((within.network & mask(within.prefix)) | (ip & ~mask(within.prefix))) >>> 0;
      return `${ipv4((inside & mask(prefix)) >>> 0)}/${prefix}`;
    });
}

/**
 * A written reason: printable ASCII of 20-1000 characters holding at least three words, not starting like a
 * placeholder (`isValidReason`, which the constructs apply, is the filter).
 */
export const reason: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.stringMatching(/^[A-Za-z]{2,12}$/), { minLength: 3, maxLength: 12 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  )
  .map(([words, tail]) => `${words.join(' ')} ${tail}`)
  .filter(isValidReason);
