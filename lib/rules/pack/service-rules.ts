import { cidrContains, parseCidr } from '../../network/cidr';
import { KubeObject } from '../../synth/manifest';
import { Rule, RuleFinding } from '../rule';

/** The Service fields that expose pods beyond the cluster (only what the rules read). */
export interface ServiceExposureSpec {
  readonly type?: string;
  readonly ports?: readonly { readonly name?: string; readonly port?: number; readonly nodePort?: number; readonly protocol?: string }[];
  readonly externalIPs?: readonly string[];
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly allocateLoadBalancerNodePorts?: boolean;
}

/** The exposure spec of a Service, or undefined for any other object. */
export function serviceSpecOf(o: KubeObject | undefined): ServiceExposureSpec | undefined {
  return o?.kind === 'Service' && (o.apiVersion === 'v1' || o.apiVersion === undefined) ? ((o.spec ?? {}) as ServiceExposureSpec) : undefined;
}

/**
 * The node ports a Service opens on every node: every port of a NodePort Service, and of a LoadBalancer
 * Service unless `allocateLoadBalancerNodePorts: false` (an absent nodePort is allocated at random: `auto`).
 */
export function nodePortsOf(spec: ServiceExposureSpec): string[] {
  const allocates = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (!allocates) return (spec.ports ?? []).filter((p) => p.nodePort !== undefined).map((p) => `${p.protocol ?? 'TCP'}/${p.nodePort}`);
  return (spec.ports ?? []).map((p) => `${p.protocol ?? 'TCP'}/${p.nodePort ?? 'auto'}`);
}

/** HB-SVC-001: no LoadBalancer (or ExternalName) Service without a reason. */
export const serviceTypeRule: Rule = {
  id: 'HB-SVC-001',
  level: 'ERROR',
  suppressible: true,
  title: 'Service is ClusterIP or NodePort',
  why:
    'A LoadBalancer Service asks the cloud or MetalLB for an address outside the cluster, reachable from wherever ' +
    'that network reaches, past Tailscale; an ExternalName Service redirects in-cluster names to any host.',
  fix: 'use a ClusterIP Service behind Tailscale Serve (or a reviewed NodePort); suppress with the reason if the exposure is intended',
  check(o) {
    const spec = serviceSpecOf(o);
    if (!spec || spec.type === undefined || spec.type === 'ClusterIP' || spec.type === 'NodePort') return [];
    return [{ finding: `[type:${spec.type}]`, detail: `Service ${o.metadata.name} has type ${spec.type}` }];
  },
};

/** HB-SVC-002: no externalIPs (CVE-2020-8554). */
export const externalIpsRule: Rule = {
  id: 'HB-SVC-002',
  level: 'ERROR',
  title: 'Service without externalIPs',
  why:
    'kube-proxy routes traffic to a Service\'s externalIPs for every pod and node: whoever can write a Service can ' +
    'intercept traffic to any address (CVE-2020-8554); the API server does not check who owns the address.',
  fix: 'remove externalIPs; expose the service through Tailscale Serve or a reviewed NodePort',
  check(o) {
    const spec = serviceSpecOf(o);
    return (spec?.externalIPs ?? []).map((ip) => ({ finding: `[externalIP:${ip}]`, detail: `Service ${o.metadata.name} claims external IP ${ip}` }));
  },
};

/** HB-SVC-003: every node port is accepted with a reason. */
export const nodePortRule: Rule = {
  id: 'HB-SVC-003',
  level: 'ERROR',
  suppressible: true,
  title: 'Node port accepted with a reason',
  why: 'A node port listens on every node\'s addresses, outside every NetworkPolicy of the namespace: each one is an entry point to review.',
  fix: 'use a ClusterIP Service, or suppress the finding ([nodePort:TCP/<port>]) on the Service with the reason the node must expose it',
  check(o) {
    const spec = serviceSpecOf(o);
    return spec ? nodePortsOf(spec).map((p) => ({ finding: `[nodePort:${p}]`, detail: `Service ${o.metadata.name} opens node port ${p}` })) : [];
  },
};

/** HB-SVC-004: loadBalancerSourceRanges only inside the allowed ingress ranges. */
export function sourceRangesRule(allowedCidrs: readonly string[]): Rule {
  const allowed = allowedCidrs.map((c) => parseCidr(c)!);
  return {
    id: 'HB-SVC-004',
    level: 'ERROR',
    title: 'loadBalancerSourceRanges inside the allowed ingress ranges',
    why: 'loadBalancerSourceRanges decides who reaches a load balancer: a range outside the tailnet opens it to that network.',
    fix: `list only ranges inside ${allowedCidrs.join(', ')} (or drop the LoadBalancer)`,
    check(o) {
      const spec = serviceSpecOf(o);
      const out: RuleFinding[] = [];
      for (const range of spec?.loadBalancerSourceRanges ?? []) {
        const parsed = parseCidr(range.trim());
        if (!parsed || !allowed.some((a) => cidrContains(a, parsed))) {
          out.push({ finding: `[loadBalancerSourceRange:${range}]`, detail: `Service ${o.metadata.name} admits ${range} (allowed: ${allowedCidrs.join(', ')})` });
        }
      }
      return out;
    },
  };
}
