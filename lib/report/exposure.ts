import { selects } from '../network/policy';
import { Port } from '../network/port';
import { workloadPods } from '../network/reachability';
import { code, table } from './markdown';
import { FlowAnalysis } from './network-flows';
import { ObjectIndex, containersOf, qualifiedName, workloadsOf } from './objects';
import { policyRuleViews } from './network-policies';

/** One port of one Service. */
export interface ServicePortRow {
  readonly namespace: string;
  readonly service: string;
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  /** `18789 (gateway)`: the container port, resolved through the selected workloads when named. */
  readonly targetPort: string;
  readonly nodePort?: number;
  /** Who the NetworkPolicies let reach the target port (see {@link FlowAnalysis.sourcesOf}). */
  readonly reachableFrom: readonly string[];
}

/** Every port of every Service, sorted by namespace and Service (ports in spec order). */
export function servicePortRows(index: ObjectIndex, flows: FlowAnalysis): ServicePortRow[] {
  const pods = workloadPods(index.objects).map((w) => w.endpoint);
  return index.ofKind('Service').flatMap((svc) => {
    const spec = svc.spec as any;
    const selector: Record<string, string> = spec?.selector ?? {};
    const namespace = svc.metadata.namespace!;
    // A Service without a selector selects no pods (its Endpoints are written by hand), unlike an empty label selector.
    const backends = Object.keys(selector).length
      ? pods.filter((pod) => pod.namespace === namespace && selects({ matchLabels: selector }, pod.labels))
      : [];
    return (spec?.ports ?? []).map((p: any) => {
      const target = p.targetPort ?? p.port;
      let number = typeof target === 'number' ? target : undefined;
      if (typeof target === 'string') {
        for (const pod of backends) number = pod.namedPorts?.[target] ?? number;
      }
      const protocol = p.protocol ?? 'TCP';
      const reachableFrom = number === undefined ? ['unknown: named target port without a workload in dist/'] : flows.sourcesOf(namespace, selector, Port.of(protocol, number));
      return {
        namespace,
        service: svc.metadata.name,
        type: spec?.type ?? 'ClusterIP',
        port: p.port,
        protocol,
        targetPort: typeof target === 'string' ? `${number ?? '?'} (${target})` : String(target),
        nodePort: p.nodePort,
        reachableFrom,
      };
    });
  });
}

/** The exposure summary (the seed's "Access Model" controls): what could reach the cluster from outside. */
export function exposureSummary(index: ObjectIndex): [string, string][] {
  const services = index.ofKind('Service');
  const ofType = (t: string) => services.filter((s) => (s.spec as any)?.type === t);
  const list = (objects: readonly any[]) => (objects.length ? objects.map((o) => code(qualifiedName(o))).join(', ') : 'none');
  const nodePorts = ofType('NodePort').flatMap((s) =>
    ((s.spec as any).ports ?? []).map((p: any) => `${code(qualifiedName(s))} ${p.nodePort ?? 'random'} → ${p.port}`),
  );
  const ingressBlocks = new Set<string>();
  for (const v of policyRuleViews(index)) {
    if (v.direction === 'Ingress' && v.peer?.kind === 'cidr') ingressBlocks.add(`${v.peer.cidr}${v.peer.except.length ? ` except ${v.peer.except.join(', ')}` : ''}`);
    if (v.direction === 'Ingress' && v.peer?.kind === 'anywhere') ingressBlocks.add('anywhere (a rule without `from`)');
  }
  const hostNetwork = workloadsOf(index).filter((w) => w.podSpec.hostNetwork === true || containersOf(w.podSpec).some(({ container }) =>
    (container.ports ?? []).some((p: any) => p.hostPort !== undefined)));
  return [
    ['LoadBalancer Services', list(ofType('LoadBalancer'))],
    ['Ingress objects', list(index.ofKind('Ingress'))],
    ['Gateway API Gateways', list(index.ofKind('Gateway'))],
    ['NodePort Services', nodePorts.join(', ') || 'none'],
    ['Workloads on the host network or with hostPort', hostNetwork.map((w) => code(`${w.namespace}/${w.name}`)).join(', ') || 'none'],
    ['Address blocks NetworkPolicies admit ingress from', [...ingressBlocks].sort().join(', ') || 'none'],
  ];
}

/** The exposure summary table. */
export function renderExposureSummary(index: ObjectIndex): string {
  return table(['Control', 'In dist/'], exposureSummary(index));
}

/** The Service table (the seed's "Network Exposure"). */
export function renderServices(index: ObjectIndex, flows: FlowAnalysis): string {
  return table(
    ['Namespace', 'Service', 'Type', 'Port', 'Target port', 'NodePort', 'NetworkPolicies admit from'],
    servicePortRows(index, flows).map((r) => [
      code(r.namespace),
      code(r.service),
      r.type,
      `${r.port}${r.protocol === 'TCP' ? '' : `/${r.protocol}`}`,
      r.targetPort,
      r.nodePort === undefined ? 'none' : String(r.nodePort),
      r.reachableFrom.join(', ') || 'nobody',
    ]),
  );
}
