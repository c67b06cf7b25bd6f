import { nodePortsOf, serviceSpecOf } from '../rules/pack/service-rules';
import { Check, Note, widening } from './finding';

/** How far a Service type reaches: a type further down the list exposes more. */
const TYPE_REACH = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/**
 * Service exposure: a wider type, a new node port, a new external IP, and load-balancer source ranges that admit
 * more (a range added to a list, or the list removed, which admits everyone) are widenings. A new Service is
 * compared with a ClusterIP one without ports.
 */
export const serviceCheck: Check = (before, after) => {
  const now = serviceSpecOf(after);
  if (!now) return [];
  const was = serviceSpecOf(before) ?? {};
  const notes: Note[] = [];
  const reach = (t: string | undefined): number => Math.max(0, TYPE_REACH.indexOf(t ?? 'ClusterIP'));
  if (reach(now.type) > reach(was.type)) notes.push(widening('service', `type ${was.type ?? 'ClusterIP'} → ${now.type}`));
  const added = (a: readonly string[] = [], b: readonly string[] = []): string[] => b.filter((x) => !a.includes(x));
  const ports = added(nodePortsOf(was), nodePortsOf(now));
  if (ports.length) notes.push(widening('service', `node port(s) opened on every node: ${ports.join(', ')}`));
  const ips = added(was.externalIPs, now.externalIPs);
  if (ips.length) notes.push(widening('service', `externalIPs added: ${ips.join(', ')} (traffic to these addresses is intercepted, CVE-2020-8554)`));
  if (now.type === 'LoadBalancer') {
    const [a, b] = [was.loadBalancerSourceRanges ?? [], now.loadBalancerSourceRanges ?? []];
    if (a.length && !b.length) notes.push(widening('service', 'loadBalancerSourceRanges removed: the load balancer admits every address'));
    else if (b.length && a.length && added(a, b).length) notes.push(widening('service', `loadBalancerSourceRanges admit ${added(a, b).join(', ')}`));
  }
  return notes;
};
