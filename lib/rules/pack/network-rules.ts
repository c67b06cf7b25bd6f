import { ParsedCidr, cidrContains, parseCidr } from '../../network/cidr';
import { policyTypesOfSpec } from '../../network/policy';
import { NON_INTERNET_CIDRS, requireCidr } from '../../network/peer';
import { KubeObject } from '../../synth/manifest';
import { Rule, RuleContext, RuleFinding } from '../rule';

/** A NetworkPolicy peer or port as synthesized (only the fields the rules read). */
interface PolicyPeer {
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
  readonly namespaceSelector?: unknown;
  readonly podSelector?: unknown;
}
interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}
interface PolicyRule {
  readonly from?: readonly PolicyPeer[];
  readonly to?: readonly PolicyPeer[];
  readonly ports?: readonly PolicyPort[];
}
interface PolicySpec {
  readonly podSelector?: { readonly matchLabels?: object; readonly matchExpressions?: readonly unknown[] };
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly PolicyRule[];
  readonly egress?: readonly PolicyRule[];
}

function specOf(o: KubeObject): PolicySpec {
  return (o.spec ?? {}) as PolicySpec;
}


function selectsAllPods(spec: PolicySpec): boolean {
  const s = spec.podSelector ?? {};
  return !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;
}

/** Namespace objects that hold applications (every Namespace except the system ones). */
function isApplicationNamespace(o: KubeObject, systemNamespaces: readonly string[]): boolean {
  return o.kind === 'Namespace' && !systemNamespaces.includes(o.metadata.name);
}

function policiesIn(context: RuleContext, namespace: string): PolicySpec[] {
  return context.ofKind('NetworkPolicy', namespace).map(specOf);
}

/** HB-NET-001: every application namespace denies all ingress and all egress by default. */
export function defaultDenyRule(systemNamespaces: readonly string[]): Rule {
  return {
    id: 'HB-NET-001',
    level: 'ERROR',
    title: 'Application namespace has a default-deny for ingress and egress',
    why: 'Without a default-deny every pod accepts connections from and connects to anything; allowances then describe nothing.',
    fix: 'add DefaultDenyPolicies for the namespace (a NetworkPolicy selecting all pods with policyTypes [Ingress, Egress] and no rules)',
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

function isDenyAll(p: PolicySpec, direction: 'Ingress' | 'Egress'): boolean {
  const rules = direction === 'Ingress' ? p.ingress : p.egress;
  return selectsAllPods(p) && policyTypesOfSpec(p).includes(direction) && !(rules ?? []).length;
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
        .filter((p) => selectsAllPods(p) && policyTypesOfSpec(p).includes('Egress'))
        .flatMap((p) => p.egress ?? []);
      return ['UDP', 'TCP']
        .filter((protocol) => !egress.some((r) => (r.ports ?? []).some((port) => coversPort(port, protocol, 53))))
        .map((protocol) => ({
          finding: `[port:${protocol}/53]`,
          detail: `no NetworkPolicy in namespace ${o.metadata.name} allows all its pods egress on ${protocol} 53`,
        }));
    },
  };
}

function coversPort(p: PolicyPort, protocol: string, port: number): boolean {
  if ((p.protocol ?? 'TCP') !== protocol) return false;
  if (p.port === undefined) return true;
  const from = Number(p.port);
  return from === port || (p.endPort !== undefined && from <= port && port <= p.endPort);
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
      if (o.kind !== 'NetworkPolicy') return [];
      const out: RuleFinding[] = [];
      for (const peer of (specOf(o).ingress ?? []).flatMap((r) => r.from ?? [])) {
        if (!peer.ipBlock) continue;
        const parsed = parseCidr(peer.ipBlock.cidr);
        if (parsed?.prefix === 0) continue; // the whole internet is HB-NET-004's, which cannot be suppressed
        if (!parsed || !allowed.some((a) => cidrContains(a, parsed))) {
          out.push({
            finding: `[ipBlock:${peer.ipBlock.cidr}]`,
            detail: `ingress from ${peer.ipBlock.cidr}, outside ${allowedIngressCidrs.join(', ')}`,
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
    if (o.kind !== 'NetworkPolicy') return [];
    const out: RuleFinding[] = [];
    (specOf(o).ingress ?? []).forEach((r, i) => {
      if (!(r.from ?? []).length) {
        out.push({ finding: `[ingress:${i}][from:any]`, detail: `ingress rule ${i} has no \`from\`, so it admits every source` });
      }
      for (const peer of r.from ?? []) {
        if (peer.ipBlock && parseCidr(peer.ipBlock.cidr)?.prefix === 0) {
          out.push({ finding: `[ipBlock:${peer.ipBlock.cidr}]`, detail: `ingress rule ${i} admits ${peer.ipBlock.cidr}` });
        }
      }
    });
    return out;
  },
};

const NON_INTERNET: readonly ParsedCidr[] = NON_INTERNET_CIDRS.map((c) => parseCidr(c)!);

/** HB-NET-005: egress that can reach the internet must name its ports. */
export const internetEgressPorts: Rule = {
  id: 'HB-NET-005',
  level: 'ERROR',
  title: 'Internet egress only on named ports',
  why: 'Egress to the internet on every port is an open exfiltration and command-and-control channel.',
  fix: 'list the ports the workload needs, e.g. allowInternetEgress([Port.tcp(443)])',
  check(o) {
    if (o.kind !== 'NetworkPolicy') return [];
    const out: RuleFinding[] = [];
    (specOf(o).egress ?? []).forEach((r, i) => {
      const internet = (r.to ?? []).length
        ? (r.to ?? []).filter((p) => p.ipBlock && reachesInternet(p.ipBlock.cidr)).map((p) => `ipBlock:${p.ipBlock!.cidr}`)
        : ['to:any'];
      const open = !(r.ports ?? []).length
        ? 'every port'
        : (r.ports ?? []).filter((p) => p.port === undefined || p.endPort !== undefined).map(describePort).join(', ');
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

function describePort(p: PolicyPort): string {
  const proto = p.protocol ?? 'TCP';
  if (p.port === undefined) return `every ${proto} port`;
  return `${proto} ${p.port}-${p.endPort}`;
}
