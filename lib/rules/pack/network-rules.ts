import { ParsedCidr, cidrContains, parseCidr } from '../../network/cidr';
import { StoredNetworkPolicy, StoredPort, StoredRule, portRange, readNetworkPolicy } from '../../network/policy';
import { NON_INTERNET_CIDRS, NON_INTERNET_IPV6_CIDRS, requireCidr } from '../../network/peer';
import { KubeObject } from '../../synth/manifest';
import { Rule, RuleContext, RuleFinding } from '../rule';

function selectsAllPods(p: StoredNetworkPolicy): boolean {
  const s = p.podSelector;
  return !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;
}

/** Namespace objects that hold applications (every Namespace except the system ones). */
function isApplicationNamespace(o: KubeObject, systemNamespaces: readonly string[]): boolean {
  return o.kind === 'Namespace' && !systemNamespaces.includes(o.metadata.name);
}

function policiesIn(context: RuleContext, namespace: string): StoredNetworkPolicy[] {
  return context.ofKind('NetworkPolicy', namespace).map(readNetworkPolicy);
}

/** HB-NET-001: every application namespace denies all ingress and all egress by default. */
export function defaultDenyRule(systemNamespaces: readonly string[]): Rule {
  return {
    id: 'HB-NET-001',
    level: 'ERROR',
    title: 'Application namespace has a default-deny for ingress and egress',
    why: 'Without a default-deny every pod accepts connections from and connects to anything; allowances then describe nothing.',
    fix:
      'add DefaultDenyPolicies for the namespace (a NetworkPolicy selecting all pods with policyTypes [Ingress, Egress] written out and no rules: ' +
      'without policyTypes the API server isolates Egress only when there is an egress rule, so `egress: []` leaves egress open)',
    check(o, context) {
      if (!isApplicationNamespace(o, systemNamespaces)) return [];
      const policies = policiesIn(context, o.metadata.name);
      return (['Ingress', 'Egress'] as const)
        .filter((direction) => !policies.some((p) => isDenyAll(p, direction)))
        .map((direction) => ({
          finding: `[direction:${direction}]`,
          detail: `no NetworkPolicy in namespace ${o.metadata.name} selects all pods with policyType ${direction} and no ${direction.toLowerCase()} rules`,
        }));
    },
  };
}

/** A policy of all pods that isolates `direction` (as stored: policyTypes defaulted) and allows nothing there. */
function isDenyAll(p: StoredNetworkPolicy, direction: 'Ingress' | 'Egress'): boolean {
  return selectsAllPods(p) && p.allows(direction)?.length === 0;
}

/** HB-NET-002: every application namespace lets its pods resolve names (UDP and TCP 53). */
export function dnsAllowanceRule(systemNamespaces: readonly string[]): Rule {
  return {
    id: 'HB-NET-002',
    level: 'ERROR',
    title: 'Application namespace allows DNS egress',
    why: 'Under a default-deny, pods without a DNS allowance fail in confusing ways, and the usual quick fix is "allow all egress".',
    fix: 'add the allow-dns policy of DefaultDenyPolicies (egress from all pods to the DNS namespace on UDP and TCP 53)',
    check(o, context) {
      if (!isApplicationNamespace(o, systemNamespaces)) return [];
      const egress = policiesIn(context, o.metadata.name)
        .filter((p) => selectsAllPods(p))
        .flatMap((p) => p.allows('Egress') ?? []);
      return ['UDP', 'TCP']
        .filter((protocol) => !egress.some((r) => r.ports === 'any' || r.ports.some((port) => coversPort(port, protocol, 53))))
        .map((protocol) => ({
          finding: `[port:${protocol}/53]`,
          detail: `no NetworkPolicy in namespace ${o.metadata.name} allows all its pods egress on ${protocol} 53`,
        }));
    },
  };
}

function coversPort(p: StoredPort, protocol: string, port: number): boolean {
  if (p.protocol !== protocol) return false;
  const [first, last] = portRange(p);
  return first <= port && port <= last;
}

/** The rules a NetworkPolicy applies in `direction` (rules of a direction it does not isolate do nothing). */
function rulesOf(o: KubeObject, direction: 'Ingress' | 'Egress'): readonly StoredRule[] {
  return o.kind === 'NetworkPolicy' ? readNetworkPolicy(o).allows(direction) ?? [] : [];
}

/** HB-NET-003: ingress from an address block only from the allowed source ranges (the tailnet). */
export function ingressSourceRule(allowedIngressCidrs: readonly string[]): Rule {
  const allowed = allowedIngressCidrs.map((c) => requireCidr('baselineRules', c, 'the rule pack option allowedIngressCidrs'));
  return {
    id: 'HB-NET-003',
    level: 'ERROR',
    suppressible: true,
    title: 'Ingress from address blocks only from the allowed source ranges',
    why: `Services are reachable from the tailnet only (${allowedIngressCidrs.join(', ')}); any other address block widens who can connect.`,
    fix: 'allow ingress from the tailnet (allowTailnetIngress) or from a namespace (allowIngressFromNamespace) instead of another address block',
    check(o) {
      const out: RuleFinding[] = [];
      for (const peer of rulesOf(o, 'Ingress').flatMap((r) => (r.peers === 'any' ? [] : r.peers))) {
        if (peer.kind !== 'ipBlock') continue;
        const parsed = parseCidr(peer.cidr);
        if (parsed?.prefix === 0) continue; // the whole internet is HB-NET-004's, which cannot be suppressed
        if (!parsed || !allowed.some((a) => cidrContains(a, parsed))) {
          out.push({
            finding: `[ipBlock:${peer.cidr}]`,
            detail: `ingress from ${peer.cidr}, outside ${allowedIngressCidrs.join(', ')}`,
          });
        }
      }
      return out;
    },
  };
}

/** HB-NET-004: no ingress from the whole internet, nor from "anywhere" (a rule without `from`). */
export const noIngressFromAnywhere: Rule = {
  id: 'HB-NET-004',
  level: 'ERROR',
  title: 'No ingress from 0.0.0.0/0 or from any source',
  why: 'An ingress rule from 0.0.0.0/0 (or without `from`) accepts every address: the default-deny is void for those pods.',
  fix: 'name the sources: the tailnet (allowTailnetIngress) or a namespace (allowIngressFromNamespace)',
  check(o) {
    const out: RuleFinding[] = [];
    rulesOf(o, 'Ingress').forEach((r, i) => {
      if (r.peers === 'any') {
        out.push({ finding: `[ingress:${i}][from:any]`, detail: `ingress rule ${i} has no \`from\`, so it admits every source` });
        return;
      }
      for (const peer of r.peers) {
        if (peer.kind === 'ipBlock' && parseCidr(peer.cidr)?.prefix === 0) {
          out.push({ finding: `[ipBlock:${peer.cidr}]`, detail: `ingress rule ${i} admits ${peer.cidr}` });
        }
      }
    });
    return out;
  },
};

const NON_INTERNET: readonly ParsedCidr[] = [...NON_INTERNET_CIDRS, ...NON_INTERNET_IPV6_CIDRS].map((c) => parseCidr(c)!);

/** HB-NET-005: egress that can reach the internet must name its ports. */
export const internetEgressPorts: Rule = {
  id: 'HB-NET-005',
  level: 'ERROR',
  title: 'Internet egress only on named ports',
  why: 'Egress to the internet on every port is an open exfiltration and command-and-control channel.',
  fix: 'list the ports the workload needs, e.g. allowInternetEgress([Port.tcp(443)])',
  check(o) {
    const out: RuleFinding[] = [];
    rulesOf(o, 'Egress').forEach((r, i) => {
      const internet = r.peers !== 'any'
        ? r.peers.flatMap((p) => (p.kind === 'ipBlock' && reachesInternet(p.cidr) ? [`ipBlock:${p.cidr}`] : []))
        : ['to:any'];
      const open = r.ports === 'any'
        ? 'every port'
        : r.ports.filter((p) => p.port === undefined || p.endPort !== undefined).map(describePort).join(', ');
      for (const target of open ? internet : []) {
        out.push({ finding: `[egress:${i}][${target}]`, detail: `egress rule ${i} reaches the internet (${target}) on ${open}` });
      }
    });
    return out;
  },
};

function reachesInternet(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  return !parsed || !NON_INTERNET.some((n) => cidrContains(n, parsed));
}

function describePort(p: StoredPort): string {
  const proto = p.protocol;
  if (p.port === undefined) return `every ${proto} port`;
  return `${proto} ${p.port}-${p.endPort}`;
}
