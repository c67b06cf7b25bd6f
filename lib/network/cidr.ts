import { isIPv4, isIPv6 } from 'net';

/** A parsed CIDR: address family, network bits as a bigint, prefix length. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

/**
 * Parses `a.b.c.d/n` or an IPv6 CIDR. Returns undefined for anything else, including a bare address
 * without a mask and a CIDR with host bits set (which Kubernetes would silently widen or narrow).
 */
export function parseCidr(cidr: string): ParsedCidr | undefined {
  if (typeof cidr !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  const [, addr, prefixText] = m;
  const family = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : undefined;
  if (!family) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > width) return undefined;
  const value = family === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  if ((value & hostMask) !== 0n) return undefined;
  return { family, network: value, prefix };
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const width = outer.family === 4 ? 32 : 128;
  const shift = BigInt(width - outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}

/** The address `value` of `family` as text: `192.168.1.10`, or uncompressed IPv6 groups (`fd00:0:0:0:0:0:0:1`). */
export function formatAddress(family: 4 | 6, value: bigint): string {
  const parts: string[] = [];
  const [count, bits, base] = family === 4 ? [4, 8n, 10] : [8, 16n, 16];
  for (let i = 0; i < count; i++) parts.unshift(((value >> (BigInt(i) * bits)) & ((1n << bits) - 1n)).toString(base));
  return parts.join(family === 4 ? '.' : ':');
}

function ipv4ToBigInt(addr: string): bigint {
  return addr.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(text: string): bigint {
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) is two 16-bit groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const v4 = dotted ? ipv4ToBigInt(dotted[2]) : undefined;
  const addr = dotted ? `${dotted[1]}${(v4! >> 16n).toString(16)}:${(v4! & 0xffffn).toString(16)}` : text;
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}
